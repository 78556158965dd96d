from datetime import date, datetime, timedelta

import pytest
from cc_core.deadlines import (
    NoWorkingTime,
    add_calendar_days,
    add_hours,
    add_period,
    add_working_days,
    day_ends,
    policy_periods,
    stage_deadlines,
)

# Monday to Friday, 08:00-12:00 and 13:00-17:00.
STANDARD = {d: [(8.0, 12.0), (13.0, 17.0)] for d in range(5)}
SHIFTS = {d: [(9.0, 12.0), (13.5, 18.0)] for d in range(5)}
SIX_DAY_WEEK = {d: [(8.0, 17.0)] for d in range(6)}
# 2026-10-01..07 is China's National Day holiday (Thursday to Wednesday).
NATIONAL_DAY = [(datetime(2026, 10, 1), datetime(2026, 10, 8))]
NEW_YEAR = [(datetime(2027, 1, 1), datetime(2027, 1, 2))]


def _subtract(intervals, holes):
    for hole_start, hole_end in holes:
        kept = []
        for start, end in intervals:
            if hole_end <= start or hole_start >= end:
                kept.append((start, end))
                continue
            if start < hole_start:
                kept.append((start, hole_start))
            if hole_end < end:
                kept.append((hole_end, end))
        intervals = kept
    return intervals


def intervals(schedule=None, holidays=(), first=date(2026, 1, 1), days=800, weeks=None):
    """Working intervals as ``resource.calendar._work_intervals_batch`` gives
    them: ``schedule`` maps a weekday to ``(from, to)`` hours, or ``weeks``
    is a two-week calendar ``[week 0 schedule, week 1 schedule]`` (ISO week
    parity, as Odoo's ``get_week_type``); holidays are taken out."""
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if weeks:
            week_schedule = weeks[day.isocalendar()[1] % 2]
        else:
            week_schedule = STANDARD if schedule is None else schedule
        for start, stop in week_schedule.get(day.weekday(), ()):
            base = datetime.combine(day, datetime.min.time())
            result.append((base + timedelta(hours=start), base + timedelta(hours=stop)))
    return _subtract(result, holidays)


def end(y, m, d, h=17, mi=0):
    return datetime(y, m, d, h, mi)


def test_friday_evening_skips_weekend():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_working_days(friday, 3, intervals()) == end(2026, 11, 25)


def test_received_after_hours_counts_like_that_day():
    work = intervals()
    assert add_working_days(datetime(2026, 11, 16, 22, 0), 1, work) == end(2026, 11, 17)
    assert add_working_days(datetime(2026, 11, 16, 6, 0), 1, work) == end(2026, 11, 17)


def test_friday_evening_before_holiday_spanning_weekend():
    work = intervals(holidays=NATIONAL_DAY)
    # Wednesday 30 Sep evening; 1-7 Oct is a holiday: next are Thu 8, Fri 9.
    assert add_working_days(datetime(2026, 9, 30, 20, 0), 2, work) == end(2026, 10, 9)
    # Friday 25 Sep evening, 3 working days: Mon 28, Tue 29, Wed 30 Sep.
    assert add_working_days(datetime(2026, 9, 25, 20), 3, work) == end(2026, 9, 30)
    # ... and 4 working days jumps the whole holiday to Thu 8 Oct.
    assert add_working_days(datetime(2026, 9, 25, 20), 4, work) == end(2026, 10, 8)


def test_received_on_holiday():
    work = intervals(holidays=NATIONAL_DAY)
    assert add_working_days(datetime(2026, 10, 3, 10, 0), 1, work) == end(2026, 10, 8)


def test_year_boundary_with_new_year_holiday():
    received = datetime(2026, 12, 31, 16, 0)  # Thursday
    assert add_working_days(received, 3, intervals(holidays=NEW_YEAR)) == end(
        2027, 1, 6
    )


def test_half_day_holiday_keeps_the_day_working():
    afternoon_off = [(datetime(2026, 11, 17, 12, 0), datetime(2026, 11, 17, 18, 0))]
    work = intervals(holidays=afternoon_off)
    assert add_working_days(datetime(2026, 11, 16, 9), 1, work) == end(2026, 11, 17, 12)


def test_calendar_shape_is_honoured():
    assert add_working_days(datetime(2026, 11, 20, 10), 1, intervals(SHIFTS)) == end(
        2026, 11, 23, 18
    )
    # Saturday is a working day on a six-day week.
    six = intervals(SIX_DAY_WEEK)
    assert add_working_days(datetime(2026, 11, 20, 10), 1, six) == end(2026, 11, 21)


def test_two_week_calendar():
    # Week 0 (even ISO weeks) works Monday-Saturday, week 1 Monday-Thursday.
    weeks = [SIX_DAY_WEEK, {d: [(8.0, 17.0)] for d in range(4)}]
    work = intervals(weeks=weeks)
    # Thu 19 Nov 2026 is in ISO week 47 (odd: no Friday), then week 48
    # (even) works on Saturday 28 Nov.
    assert add_working_days(datetime(2026, 11, 19, 10), 1, work) == end(2026, 11, 23)
    assert add_working_days(datetime(2026, 11, 26, 10), 2, work) == end(2026, 11, 28)


def test_zero_days_same_day_or_next():
    work = intervals()
    assert add_working_days(datetime(2026, 11, 20, 10), 0, work) == end(2026, 11, 20)
    assert add_working_days(datetime(2026, 11, 20, 18), 0, work) == end(2026, 11, 23)
    assert add_working_days(datetime(2026, 11, 21, 9), 0, work) == end(2026, 11, 23)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 1), -1, intervals())
    with pytest.raises(ValueError):
        add_calendar_days(datetime(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_hours(datetime(2026, 1, 1), -1)


def test_no_working_time_refused():
    with pytest.raises(NoWorkingTime):
        add_working_days(datetime(2026, 1, 1), 1, [])
    # The window given ends before the 3rd working day.
    with pytest.raises(NoWorkingTime):
        add_working_days(datetime(2026, 1, 1), 3, intervals(days=4))


def test_calendar_days_end_of_day():
    assert add_calendar_days(datetime(2026, 12, 20, 9), 15) == datetime(
        2027, 1, 4, 23, 59, 59
    )


def test_add_hours_is_elapsed_time():
    friday = datetime(2026, 11, 20, 19, 30)
    assert add_hours(friday, 24) == datetime(2026, 11, 21, 19, 30)


def test_add_period_dispatch():
    start = datetime(2026, 11, 20, 19, 30)
    work = intervals()
    assert add_period(start, 24, "hours") == add_hours(start, 24)
    assert add_period(start, 15, "days") == add_calendar_days(start, 15)
    assert add_period(start, 3, "working_days", work) == add_working_days(
        start, 3, work
    )
    with pytest.raises(ValueError):
        add_period(start, 3, "fortnights")


def test_day_ends():
    work = intervals(first=date(2026, 11, 20), days=2)
    assert day_ends(work) == {date(2026, 11, 20): end(2026, 11, 20)}


STANDARD_POLICY = {
    "ack_hours": 24,
    "resolve_days": 3,
    "resolve_day_type": "working",
    "resolve_from": "received",
    "visit_days": 2,
}
REGULATOR_POLICY = {
    "ack_working_days": 7,
    "decision_days": 3,
    "resolve_days": 15,
    "resolve_day_type": "calendar",
    "resolve_from": "acknowledged",
    "visit_days": 2,
}


def test_policy_periods():
    assert policy_periods(STANDARD_POLICY) == {
        "ack": (24, "hours"),
        "decision": (0, "days"),
        "resolve": (3, "working_days"),
        "visit": (2, "working_days"),
    }
    assert policy_periods(REGULATOR_POLICY)["ack"] == (7, "working_days")


def test_standard_stages():
    friday = datetime(2026, 11, 20, 19, 30)
    got = stage_deadlines(STANDARD_POLICY, friday, intervals=intervals())
    assert got == {
        "ack": datetime(2026, 11, 21, 19, 30),
        "decision": None,
        "resolve": end(2026, 11, 25),
        "visit": None,
    }
    resolved = datetime(2026, 11, 24, 10)
    got = stage_deadlines(
        STANDARD_POLICY, friday, resolved=resolved, intervals=intervals()
    )
    assert got["visit"] == end(2026, 11, 26)
    # An extension of 2 working days moves the resolution deadline.
    got = stage_deadlines(
        STANDARD_POLICY, friday, extension_days=2, intervals=intervals()
    )
    assert got["resolve"] == end(2026, 11, 27)


def test_regulator_stages_are_ordered_before_acknowledgement():
    # Friday 20 Nov evening: accept within 7 working days (Tue 1 Dec); the
    # decision and the 15 days count from the acceptance, at the latest.
    friday = datetime(2026, 11, 20, 19, 30)
    got = stage_deadlines(REGULATOR_POLICY, friday, intervals=intervals())
    assert got["ack"] == end(2026, 12, 1)
    assert got["decision"] == datetime(2026, 12, 4, 23, 59, 59)
    assert got["resolve"] == datetime(2026, 12, 16, 23, 59, 59)
    assert got["ack"] <= got["decision"] <= got["resolve"]


def test_regulator_clock_starts_at_acceptance():
    friday = datetime(2026, 11, 20, 19, 30)
    accepted = datetime(2026, 11, 23, 10)
    got = stage_deadlines(
        REGULATOR_POLICY, friday, acknowledged=accepted, intervals=intervals()
    )
    assert got["ack"] == end(2026, 12, 1)  # met already; kept as it was
    assert got["decision"] == datetime(2026, 11, 26, 23, 59, 59)
    assert got["resolve"] == datetime(2026, 12, 8, 23, 59, 59)


def test_resolution_never_due_before_acknowledgement():
    # A policy mixing units badly: acknowledge within 5 working days, resolve
    # within 1 working day of receipt. The resolution waits for the former.
    policy = dict(STANDARD_POLICY, ack_working_days=5, resolve_days=1)
    got = stage_deadlines(policy, datetime(2026, 11, 20, 10), intervals=intervals())
    assert got["ack"] == end(2026, 11, 27)
    assert got["resolve"] == got["ack"]


def test_holidays_in_stages():
    work = intervals(holidays=NATIONAL_DAY)
    got = stage_deadlines(REGULATOR_POLICY, datetime(2026, 9, 29, 10), intervals=work)
    # 7 working days after Tue 29 Sep: Wed 30, Thu 8, Fri 9, Mon 12 .. Thu 15 Oct.
    assert got["ack"] == end(2026, 10, 15)
