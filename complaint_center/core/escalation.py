"""The escalation ladder of overdue complaints (逾期反映, 逐级上报).

Level 1: the handler and the head of the responsible department.
Level 2: the complaint center director.
Level 3: the executive (general manager).
Major and critical complaints start at level 2: the rules report major
cases to leadership at once. One level per interval, never past the top.
"""

from datetime import timedelta

TOP_LEVEL = 3
URGENT_SEVERITIES = ("major", "critical")


def next_level(level, severity):
    """Level reached by the next escalation, or ``None`` at the top."""
    if level >= TOP_LEVEL:
        return None
    if level == 0 and severity in URGENT_SEVERITIES:
        return 2
    return level + 1


def next_escalation_at(level, severity, overdue_since, escalated_at, interval_hours):
    """When the next escalation is due.

    ``overdue_since`` is the deadline that was missed; ``escalated_at`` the
    time of the last escalation (``None`` if there was none). ``None`` is
    returned when there is nothing left to escalate.
    """
    if overdue_since is None or next_level(level, severity) is None:
        return None
    if level == 0 or escalated_at is None:
        return overdue_since
    return escalated_at + timedelta(hours=interval_hours)
