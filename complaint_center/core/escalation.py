"""The escalation ladder of overdue complaints (逾期反映, 逐级上报).

Level 1: the handler and the head of the responsible department.
Level 2: the complaint center director.
Level 3: the executive (general manager).
Where the company has a deputy general manager in charge (主管副总经理,
001 篇七/八/九), the deputy is level 3 and the general manager level 4.
Major and critical complaints start at level 2: the rules report major
cases to leadership at once. One level per interval, never past the top.
"""

from datetime import timedelta

TOP_LEVEL = 3
URGENT_SEVERITIES = ("major", "critical")
# Who is told at each level (level n: ``LADDER[n - 1]``).
LADDER = ("handler", "director", "executive")
DEPUTY_LADDER = ("handler", "director", "deputy", "executive")


def ladder(use_deputy=False):
    """The roles of the ladder, lowest first."""
    return DEPUTY_LADDER if use_deputy else LADDER


def level_role(level, use_deputy=False):
    """The role told at ``level`` (1-based)."""
    return ladder(use_deputy)[level - 1]


def next_level(level, severity, top=TOP_LEVEL):
    """Level reached by the next escalation, or ``None`` at ``top``."""
    if level >= top:
        return None
    if level == 0 and severity in URGENT_SEVERITIES:
        return 2
    return level + 1


def next_escalation_at(
    level, severity, overdue_since, escalated_at, interval_hours, top=TOP_LEVEL
):
    """When the next escalation is due.

    ``overdue_since`` is the deadline that was missed; ``escalated_at`` the
    time of the last escalation (``None`` if there was none). ``None`` is
    returned when there is nothing left to escalate.
    """
    if overdue_since is None or next_level(level, severity, top) is None:
        return None
    if level == 0 or escalated_at is None:
        return overdue_since
    return escalated_at + timedelta(hours=interval_hours)
