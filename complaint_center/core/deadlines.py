"""Working-day deadline arithmetic (处理时效).

Works on naive *local* datetimes (the company's time zone): the model layer
converts from and to UTC. A working day is a weekday not in ``weekend`` and
not in ``holidays`` (a set of ``date``). "Within N working days" counts the
working days *after* the day of receipt and ends at the close of the N-th
one, so a complaint received on a Friday evening before a holiday is not
charged for the weekend or the holiday.
"""

from datetime import datetime, time, timedelta

WEEKEND = (5, 6)  # Saturday, Sunday
END_OF_DAY = time(23, 59, 59)


def is_working_day(day, holidays=(), weekend=WEEKEND):
    return day.weekday() not in weekend and day not in holidays


def add_working_days(start, days, holidays=(), weekend=WEEKEND):
    """End of the ``days``-th working day after ``start``'s day.

    ``start`` is a naive local datetime; the result is a naive local datetime
    at the end of that day. ``days`` = 0 means the end of ``start``'s own day
    if it is a working day, else of the next working day.
    """
    if days < 0:
        raise ValueError(days)
    if len(set(weekend)) >= 7:
        raise ValueError(weekend)
    day = start.date()
    if days == 0:
        while not is_working_day(day, holidays, weekend):
            day += timedelta(days=1)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, holidays, weekend):
            remaining -= 1
    return datetime.combine(day, END_OF_DAY)


def add_hours(start, hours):
    """Calendar-hour deadline (acknowledgement within 24 h runs round the
    clock: the rules name it as elapsed time, not working time)."""
    if hours < 0:
        raise ValueError(hours)
    return start + timedelta(hours=hours)
