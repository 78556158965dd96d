from datetime import date, datetime

import pytest
from cc_core.deadlines import add_hours, add_working_days, is_working_day

# 2026-10-01..07 is China's National Day holiday (Thu..Wed).
NATIONAL_DAY = {date(2026, 10, d) for d in range(1, 8)}


def test_friday_evening_skips_weekend():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_working_days(friday, 3) == datetime(2026, 11, 25, 23, 59, 59)


def test_before_holiday_spanning_weekend():
    # Wednesday 30 Sep evening: next working days are Thu 8, Fri 9 Oct.
    received = datetime(2026, 9, 30, 20, 0)
    assert add_working_days(received, 2, NATIONAL_DAY) == datetime(
        2026, 10, 9, 23, 59, 59
    )


def test_received_on_holiday():
    received = datetime(2026, 10, 3, 10, 0)
    assert add_working_days(received, 1, NATIONAL_DAY) == datetime(
        2026, 10, 8, 23, 59, 59
    )


def test_zero_days_rolls_to_next_working_day():
    saturday = datetime(2026, 11, 21, 9, 0)
    assert add_working_days(saturday, 0) == datetime(2026, 11, 23, 23, 59, 59)


def test_year_boundary():
    received = datetime(2026, 12, 31, 16, 0)  # Thursday
    holidays = {date(2027, 1, 1)}
    assert add_working_days(received, 3, holidays) == datetime(
        2027, 1, 6, 23, 59, 59
    )


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 1), -1)


def test_week_without_working_day_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 1), 1, weekend=range(7))


def test_add_hours_is_elapsed_time():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_hours(friday, 24) == datetime(2026, 11, 21, 19, 30)


def test_is_working_day():
    assert is_working_day(date(2026, 11, 20))
    assert not is_working_day(date(2026, 11, 21))
    assert not is_working_day(date(2026, 10, 5), NATIONAL_DAY)
