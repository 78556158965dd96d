from datetime import date, datetime

import pytest
from cc_core.deadlines import (
    STANDARD_SCHEDULE,
    NoWorkingTime,
    add_calendar_days,
    add_hours,
    add_period,
    add_working_days,
    work_end,
    work_intervals,
)

# 2026-10-01..07 is China's National Day holiday (Thursday to Wednesday).
NATIONAL_DAY = [(datetime(2026, 10, 1), datetime(2026, 10, 8))]
NEW_YEAR = [(datetime(2027, 1, 1), datetime(2027, 1, 2))]
SHIFTS = {d: [(9.0, 12.0), (13.5, 18.0)] for d in range(5)}
SIX_DAY_WEEK = {d: [(8.0, 17.0)] for d in range(6)}


def end(y, m, d, h=17, mi=0):
    return datetime(y, m, d, h, mi)


def test_friday_evening_skips_weekend():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_working_days(friday, 3) == end(2026, 11, 25)


def test_received_after_hours_counts_like_that_day():
    assert add_working_days(datetime(2026, 11, 16, 22, 0), 1) == end(2026, 11, 17)
    assert add_working_days(datetime(2026, 11, 16, 6, 0), 1) == end(2026, 11, 17)


def test_friday_evening_before_holiday_spanning_weekend():
    # Wednesday 30 Sep evening; 1-7 Oct is a holiday: next are Thu 8, Fri 9.
    received = datetime(2026, 9, 30, 20, 0)
    assert add_working_days(received, 2, None, NATIONAL_DAY) == end(2026, 10, 9)
    # Friday 25 Sep evening, 3 working days: Mon 28, Tue 29, Wed 30 Sep.
    assert add_working_days(datetime(2026, 9, 25, 20), 3, None, NATIONAL_DAY) == (
        end(2026, 9, 30)
    )
    # ... and 4 working days jumps the whole holiday to Thu 8 Oct.
    assert add_working_days(datetime(2026, 9, 25, 20), 4, None, NATIONAL_DAY) == (
        end(2026, 10, 8)
    )


def test_received_on_holiday():
    received = datetime(2026, 10, 3, 10, 0)
    assert add_working_days(received, 1, None, NATIONAL_DAY) == end(2026, 10, 8)


def test_year_boundary_with_new_year_holiday():
    received = datetime(2026, 12, 31, 16, 0)  # Thursday
    assert add_working_days(received, 3, None, NEW_YEAR) == end(2027, 1, 6)


def test_half_day_holiday_keeps_the_day_working():
    afternoon_off = [(datetime(2026, 11, 17, 12, 0), datetime(2026, 11, 17, 18, 0))]
    assert add_working_days(datetime(2026, 11, 16, 9), 1, None, afternoon_off) == (
        end(2026, 11, 17, 12)
    )


def test_calendar_shape_is_honoured():
    assert add_working_days(datetime(2026, 11, 20, 10), 1, SHIFTS) == end(
        2026, 11, 23, 18
    )
    # Saturday is a working day on a six-day week.
    assert add_working_days(datetime(2026, 11, 20, 10), 1, SIX_DAY_WEEK) == end(
        2026, 11, 21
    )


def test_zero_days_same_day_or_next():
    assert add_working_days(datetime(2026, 11, 20, 10), 0) == end(2026, 11, 20)
    assert add_working_days(datetime(2026, 11, 20, 18), 0) == end(2026, 11, 23)
    assert add_working_days(datetime(2026, 11, 21, 9), 0) == end(2026, 11, 23)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_calendar_days(datetime(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_hours(datetime(2026, 1, 1), -1)


def test_no_working_time_refused():
    with pytest.raises(NoWorkingTime):
        add_working_days(datetime(2026, 1, 1), 1, {})
    forever = [(datetime(2026, 1, 1), datetime(2030, 1, 1))]
    with pytest.raises(NoWorkingTime):
        add_working_days(datetime(2026, 1, 1), 1, None, forever)


def test_calendar_days_end_of_day():
    assert add_calendar_days(datetime(2026, 12, 20, 9), 15) == datetime(
        2027, 1, 4, 23, 59, 59
    )


def test_add_hours_is_elapsed_time():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_hours(friday, 24) == datetime(2026, 11, 21, 19, 30)


def test_add_period_dispatch():
    start = datetime(2026, 11, 20, 19, 30)
    assert add_period(start, 24, "hours") == add_hours(start, 24)
    assert add_period(start, 15, "days") == add_calendar_days(start, 15)
    assert add_period(start, 3, "working_days") == add_working_days(start, 3)
    with pytest.raises(ValueError):
        add_period(start, 3, "fortnights")


def test_work_intervals_and_end():
    day = date(2026, 11, 20)
    assert work_intervals(day, STANDARD_SCHEDULE) == [
        (datetime(2026, 11, 20, 8), datetime(2026, 11, 20, 12)),
        (datetime(2026, 11, 20, 13), datetime(2026, 11, 20, 17)),
    ]
    assert work_end(date(2026, 11, 21), STANDARD_SCHEDULE) is None
