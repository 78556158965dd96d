"""Technicians on site (004 篇3 e): 3 days in the province, a week outside,
10 days in remote areas, from where the customer is."""

from datetime import datetime

from cc_core import deadlines

LIMITS = {"province": 3, "outside": 7, "remote": 10}


def test_region_from_the_customer_state():
    assert deadlines.site_region(5, 5, [9]) == "province"
    assert deadlines.site_region(9, 5, [9, 11]) == "remote"
    assert deadlines.site_region(7, 5, [9, 11]) == "outside"


def test_own_province_wins_over_remote_and_unknown_is_outside():
    # A company based in a remote region: its own province is the province.
    assert deadlines.site_region(9, 9, [9]) == "province"
    assert deadlines.site_region(False, 5, [9]) == "outside"
    assert deadlines.site_region(False, False, []) == "outside"


def test_calendar_days_end_of_day():
    start = datetime(2026, 11, 16, 10, 0)  # Monday
    assert deadlines.site_deadline(start, "province", LIMITS, "days") == datetime(
        2026, 11, 19, 23, 59, 59
    )
    assert deadlines.site_deadline(start, "outside", LIMITS, "days") == datetime(
        2026, 11, 23, 23, 59, 59
    )
    assert deadlines.site_deadline(start, "remote", LIMITS, "days") == datetime(
        2026, 11, 26, 23, 59, 59
    )


def test_working_days_skip_the_weekend():
    start = datetime(2026, 11, 20, 10, 0)  # Friday
    intervals = [
        (datetime(2026, 11, day, 9, 0), datetime(2026, 11, day, 17, 0))
        for day in (20, 23, 24, 25, 26, 27)
    ]
    assert deadlines.site_deadline(
        start, "province", LIMITS, "working_days", intervals
    ) == datetime(2026, 11, 25, 17, 0)
