"""Working-time deadline arithmetic (处理时效).

Everything here works on naive *local* datetimes (the company's time zone);
the model layer converts from and to UTC.

- ``schedule`` maps a weekday (Monday = 0) to its working intervals as
  ``(start_hour, end_hour)`` floats, e.g. ``{0: [(8, 12), (13, 17)], ...}``:
  the attendances of a ``resource.calendar``.
- ``holidays`` is an iterable of ``(start, end)`` local datetimes: public
  holidays entered as calendar leaves. A day is a working day when some of
  its working time is left once the holidays are taken out.

"Within N working days" counts the working days *after* the day of receipt
and ends when work ends on the N-th one, so a complaint received on a Friday
evening before a holiday is charged neither for the weekend nor for the
holiday, and one received after hours is treated like one received that day.
"""

from datetime import datetime, time, timedelta

# Monday to Friday, 08:00-12:00 and 13:00-17:00.
STANDARD_SCHEDULE = {day: [(8.0, 12.0), (13.0, 17.0)] for day in range(5)}
# No deadline is searched further than this: a calendar with no working day
# (or holidays covering years) is a configuration error, not an endless loop.
MAX_SEARCH_DAYS = 3 * 366


class NoWorkingTime(ValueError):
    """The schedule and holidays leave no working day within reach."""


def _at(day, hour):
    """Local datetime of a fractional ``hour`` on ``day`` (24.0 is midnight)."""
    return datetime.combine(day, time()) + timedelta(hours=hour)


def _subtract(intervals, holes):
    """``intervals`` minus ``holes`` (both lists of (start, end) datetimes)."""
    for hole_start, hole_end in holes:
        remaining = []
        for start, end in intervals:
            if hole_end <= start or hole_start >= end:
                remaining.append((start, end))
                continue
            if start < hole_start:
                remaining.append((start, hole_start))
            if hole_end < end:
                remaining.append((hole_end, end))
        intervals = remaining
    return intervals


def work_intervals(day, schedule, holidays=()):
    """Working intervals left on ``day`` once holidays are removed."""
    intervals = [
        (_at(day, start), _at(day, end))
        for start, end in schedule.get(day.weekday(), ())
        if end > start
    ]
    holes = [
        (start, end)
        for start, end in holidays
        if start < _at(day, 24) and end > _at(day, 0)
    ]
    return _subtract(sorted(intervals), holes)


def work_end(day, schedule, holidays=()):
    """When work ends on ``day``, or ``None`` if it is not a working day."""
    intervals = work_intervals(day, schedule, holidays)
    return intervals[-1][1] if intervals else None


def add_working_days(start, days, schedule=None, holidays=()):
    """End of work on the ``days``-th working day after ``start``'s day.

    ``days`` = 0 means the end of work on ``start``'s own day if work is
    still going on then, else on the next working day.
    """
    if days < 0:
        raise ValueError(days)
    schedule = STANDARD_SCHEDULE if schedule is None else schedule
    holidays = list(holidays)
    day = start.date()
    if days == 0:
        end = work_end(day, schedule, holidays)
        if end and end > start:
            return end
    remaining = days or 1
    for _step in range(MAX_SEARCH_DAYS):
        day += timedelta(days=1)
        end = work_end(day, schedule, holidays)
        if end:
            remaining -= 1
            if not remaining:
                return end
    raise NoWorkingTime(start)


def add_calendar_days(start, days):
    """End of the ``days``-th calendar day after ``start`` (23:59:59): the
    regulations' "within 15 days" counts days, not working days."""
    if days < 0:
        raise ValueError(days)
    return datetime.combine(start.date() + timedelta(days=days), time(23, 59, 59))


def add_hours(start, hours):
    """Elapsed-time deadline: "reply within 24 hours" runs round the clock."""
    if hours < 0:
        raise ValueError(hours)
    return start + timedelta(hours=hours)


def add_period(start, amount, unit, schedule=None, holidays=()):
    """Dispatch on ``unit``: ``hours``, ``days`` (calendar) or ``working_days``."""
    if unit == "hours":
        return add_hours(start, amount)
    if unit == "days":
        return add_calendar_days(start, int(amount))
    if unit == "working_days":
        return add_working_days(start, int(amount), schedule, holidays)
    raise ValueError(unit)
