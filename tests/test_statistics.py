from datetime import date, datetime

import pytest
from cc_core.statistics import (
    PeriodError,
    average_hours,
    breakdown,
    changes,
    difference,
    last_period,
    local_date,
    pareto,
    per_thousand,
    period,
    previous_period,
    share,
    summarize,
    timing,
    utc_bounds,
)

SATISFIED = ("very_satisfied", "satisfied")


# Periods ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, year, number, date_from, date_to, label",
    [
        ("month", 2026, 10, date(2026, 10, 1), date(2026, 11, 1), "2026-10"),
        ("month", 2026, 12, date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("month", 2028, 2, date(2028, 2, 1), date(2028, 3, 1), "2028-02"),
        ("quarter", 2026, 1, date(2026, 1, 1), date(2026, 4, 1), "2026 Q1"),
        ("quarter", 2026, 4, date(2026, 10, 1), date(2027, 1, 1), "2026 Q4"),
    ],
)
def test_period_bounds_and_label(kind, year, number, date_from, date_to, label):
    assert period(kind, year, number) == {
        "kind": kind,
        "year": year,
        "number": number,
        "date_from": date_from,
        "date_to": date_to,
        "label": label,
    }


@pytest.mark.parametrize(
    "kind, year, number, field",
    [
        ("week", 2026, 1, "kind"),
        ("month", 2026, 0, "month"),
        ("month", 2026, 13, "month"),
        ("quarter", 2026, 5, "quarter"),
        ("quarter", 2026, 0, "quarter"),
        ("month", 1999, 5, "year"),
        ("month", 2101, 5, "year"),
        ("month", "2026", 5, "year"),
        ("month", 2026, 5.0, "month"),
    ],
)
def test_bad_periods_name_the_bad_input(kind, year, number, field):
    with pytest.raises(PeriodError) as info:
        period(kind, year, number)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "kind, year, number, expected",
    [
        ("month", 2026, 10, (2026, 9)),
        ("month", 2026, 1, (2025, 12)),
        ("quarter", 2026, 3, (2026, 2)),
        ("quarter", 2026, 1, (2025, 4)),
    ],
)
def test_previous_period(kind, year, number, expected):
    before = previous_period(kind, year, number)
    assert (before["kind"], before["year"], before["number"]) == (kind, *expected)
    # The previous period ends where this one starts.
    assert before["date_to"] == period(kind, year, number)["date_from"]


@pytest.mark.parametrize(
    "kind, today, expected",
    [
        ("month", date(2026, 11, 3), (2026, 10)),
        ("month", date(2026, 1, 31), (2025, 12)),
        ("quarter", date(2026, 11, 3), (2026, 3)),
        ("quarter", date(2026, 2, 1), (2025, 4)),
    ],
)
def test_last_complete_period(kind, today, expected):
    last = last_period(kind, today)
    assert (last["year"], last["number"]) == expected


def test_local_date_and_bounds_follow_the_time_zone():
    # 2026-10-31 17:30 UTC is already November 1st in Shanghai (UTC+8).
    assert local_date(datetime(2026, 10, 31, 17, 30), "Asia/Shanghai") == date(
        2026, 11, 1
    )
    assert local_date(datetime(2026, 10, 31, 17, 30), False) == date(2026, 10, 31)
    assert utc_bounds(date(2026, 10, 1), date(2026, 11, 1), "Asia/Shanghai") == (
        datetime(2026, 9, 30, 16, 0),
        datetime(2026, 10, 31, 16, 0),
    )
    # Daylight saving time: Paris is UTC+2 on October 1st, UTC+1 on November 1st.
    assert utc_bounds(date(2026, 10, 1), date(2026, 11, 1), "Europe/Paris") == (
        datetime(2026, 9, 30, 22, 0),
        datetime(2026, 10, 31, 23, 0),
    )
    # No or an unknown time zone: UTC.
    for tz in (False, "Nowhere/Atlantis"):
        assert utc_bounds(date(2026, 10, 1), date(2026, 11, 1), tz) == (
            datetime(2026, 10, 1),
            datetime(2026, 11, 1),
        )


# Rates and changes ------------------------------------------------------------
def test_share_per_thousand_and_difference_know_the_unknown():
    assert share(1, 4) == 0.25
    assert share(0, 4) == 0.0
    assert share(0, 0) is None
    assert per_thousand(3, 1500) == 2.0
    assert per_thousand(3, 0) is None
    assert difference(5, 3) == 2
    assert difference(0.5, 0.75) == -0.25
    assert difference(None, 3) is None
    assert difference(3, None) is None


def test_changes_cover_every_number_only():
    current = {
        "total": 10,
        "rate": 0.5,
        "avg": None,
        "flag": True,
        "rows": [1],
        "on_time": {"a": 1},
        "label": "x",
        "new": 3,
    }
    previous = {"total": 4, "rate": 0.75, "avg": 2.0, "flag": False, "rows": []}
    assert changes(current, previous) == {"total": 6, "rate": -0.25, "avg": None}


# Counts -----------------------------------------------------------------------
def test_summarize_counts_each_figure():
    groups = [
        ("new", False, False, 2),
        ("investigating", "valid", True, 3),
        ("closed", "valid", False, 4),
        ("closed", "valid", True, 1),
        ("rejected", "invalid", False, 1),
        ("rejected", False, False, 1),
        ("cancelled", "malicious", False, 1),
        ("resolved", "valid", False, 2),
    ]
    assert summarize(groups) == {
        "total": 15,
        "valid": 10,
        "invalid": 3,
        "open": 5,
        "closed": 5,
        "repeat": 4,
    }
    assert summarize([])["total"] == 0


def test_breakdown_rows_shares_and_order():
    labels = {1: "Quality", 2: "Delivery", 3: "Service", False: "Undefined"}
    rows = breakdown({1: 3, 2: 3, False: 2}, {1: 1, 3: 4}, labels, total=8)
    assert [row["key"] for row in rows] == [2, 1, False, 3]
    by_key = {row["key"]: row for row in rows}
    assert by_key[1] == {
        "key": 1,
        "label": "Quality",
        "count": 3,
        "previous": 1,
        "change": 2,
        "share": 3 / 8,
    }
    # Counted only in the previous period: shown with its fall.
    assert by_key[3]["count"] == 0 and by_key[3]["change"] == -4
    assert by_key[3]["share"] == 0.0
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)
    assert breakdown({}, {}, {}, total=0) == []


def test_pareto_cumulates_to_one():
    rows = pareto([("Delivery", 2), ("Quality", 5), ("Service", 0), ("Price", 3)])
    assert [row["label"] for row in rows] == ["Quality", "Price", "Delivery"]
    assert [row["count"] for row in rows] == [5, 3, 2]
    assert [row["cumulative_share"] for row in rows] == [0.5, 0.8, 1.0]
    assert pareto([]) == []


# Timing -----------------------------------------------------------------------
def test_average_hours_skips_unreached_steps():
    start = datetime(2026, 10, 1, 8, 0)
    assert average_hours(
        [
            (start, datetime(2026, 10, 1, 10, 0)),
            (start, datetime(2026, 10, 2, 8, 0)),
            (start, None),
        ]
    ) == pytest.approx(13.0)
    assert average_hours([(start, None)]) is None


def _row(**vals):
    row = dict.fromkeys(
        (
            "date_acknowledged",
            "date_resolved",
            "date_feedback",
            "ack_on_time",
            "resolve_on_time",
            "visit_on_time",
            "satisfaction",
        ),
        False,
    )
    row["date_received"] = datetime(2026, 10, 1, 8, 0)
    row.update(vals)
    return row


def test_timing_rates_count_only_complaints_that_reached_the_step():
    rows = [
        _row(
            date_acknowledged=datetime(2026, 10, 1, 9, 0),
            ack_on_time=True,
            date_resolved=datetime(2026, 10, 3, 8, 0),
            resolve_on_time=True,
            date_feedback=datetime(2026, 10, 4, 8, 0),
            visit_on_time=False,
            satisfaction="very_satisfied",
        ),
        _row(
            date_acknowledged=datetime(2026, 10, 1, 11, 0),
            ack_on_time=False,
            date_resolved=datetime(2026, 10, 2, 8, 0),
            resolve_on_time=False,
            satisfaction="unsatisfied",
        ),
        _row(date_acknowledged=datetime(2026, 10, 1, 10, 0), ack_on_time=True),
        _row(satisfaction="satisfied"),
    ]
    result = timing(rows, SATISFIED)
    assert result["on_time"] == {"acknowledge": 2 / 3, "resolve": 0.5, "visit": 0.0}
    assert result["avg_hours_acknowledge"] == pytest.approx(2.0)
    assert result["avg_hours_resolve"] == pytest.approx(36.0)
    assert result["satisfaction_rate"] == pytest.approx(2 / 3)


def test_timing_of_nothing_is_unknown():
    result = timing([_row()], SATISFIED)
    assert result == {
        "on_time": {"acknowledge": None, "resolve": None, "visit": None},
        "avg_hours_acknowledge": None,
        "avg_hours_resolve": None,
        "satisfaction_rate": None,
    }
