"""Retention of complaint records (资料保存一年,重要的资料长期保存, 001 篇五):
a closed or rejected complaint is kept at least a number of years after the
day it ended; a record kept long-term never falls due. After its retention date,
a record may be purged of the complainant's personal data (never deleted:
the register stays gapless)."""

from datetime import date

# Severities whose records are kept long-term unless a manager decides
# otherwise (重要的资料长期保存).
LONG_TERM_SEVERITIES = ("major", "critical")
# The states a complaint's handling ends in (a rejection may be appealed,
# which reopens it and clears its retention date).
ENDED_STATES = ("closed", "rejected")


def retention_date(closed_on, years):
    """The last day ``closed_on`` (a date: closed or rejected) keeps its
    record: the same day ``years`` later; 29 February falls on 28 February
    of a common year. ``None`` while the record is still handled."""
    if not closed_on:
        return None
    year = closed_on.year + years
    try:
        return closed_on.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def may_purge(state, kept_until, is_long_term, today):
    """Whether a record may be purged on ``today``: closed or rejected, its
    retention date past (the day itself still keeps it), not kept
    long-term."""
    return bool(
        state in ENDED_STATES and kept_until and kept_until < today and not is_long_term
    )


def long_term_at_closing(severity):
    """Whether a record is kept long-term by default when it is closed."""
    return severity in LONG_TERM_SEVERITIES
