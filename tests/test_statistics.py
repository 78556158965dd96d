from datetime import date, datetime

import pytest
from cc_core.statistics import (
    LATE,
    ON_TIME,
    PeriodError,
    average_hours,
    breakdown,
    by_month,
    changes,
    difference,
    last_period,
    local_date,
    months,
    on_time_rates,
    pareto,
    payroll_periods,
    per_thousand,
    period,
    previous_period,
    satisfaction_analysis,
    satisfaction_summary,
    share,
    step_timeliness,
    summarize,
    timing,
    utc_bounds,
    weighted_counts,
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
        ("half", 2026, 1, date(2026, 1, 1), date(2026, 7, 1), "2026 H1"),
        ("half", 2026, 2, date(2026, 7, 1), date(2027, 1, 1), "2026 H2"),
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
        ("half", 2026, 3, "half"),
        ("half", 2026, 0, "half"),
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
        ("half", 2026, 2, (2026, 1)),
        ("half", 2026, 1, (2025, 2)),
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
        # Reviewed each June and December (001 篇八): on 1 December the last
        # complete half-year is January to June.
        ("half", date(2026, 12, 1), (2026, 1)),
        ("half", date(2026, 6, 30), (2025, 2)),
        ("half", date(2027, 1, 5), (2026, 2)),
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
        # The two new ones without a finding.
        "undetermined": 2,
        "cancelled": 0,
        "open": 5,
        "closed": 5,
        "repeat": 4,
        "repeat_rate": 4 / 15,
    }
    assert summarize([])["total"] == 0
    assert summarize([])["repeat_rate"] is None


def test_validity_rows_add_up_to_the_total():
    """Valid + not valid + undetermined + cancelled = total: every complaint
    is in exactly one row."""
    groups = [
        ("new", False, False, 2),
        ("investigating", False, False, 1),
        ("investigating", "valid", False, 3),
        ("cancelled", False, False, 4),
        ("cancelled", "valid", False, 1),
        ("cancelled", "invalid", False, 1),
        ("rejected", "malicious", False, 2),
        ("closed", "valid", True, 5),
    ]
    result = summarize(groups)
    assert (
        result["valid"],
        result["invalid"],
        result["undetermined"],
        result["cancelled"],
    ) == (9, 3, 3, 4)
    assert (
        result["valid"]
        + result["invalid"]
        + result["undetermined"]
        + result["cancelled"]
        == result["total"]
        == 19
    )
    assert result["repeat_rate"] == 5 / 19


def test_months_and_payroll_periods_of_a_period():
    q4 = period("quarter", 2026, 4)
    assert [month["label"] for month in months(q4)] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert payroll_periods(q4) == ["2026-10", "2026-11", "2026-12"]
    november = period("month", 2026, 11)
    assert months(november) == [november]
    assert payroll_periods(november) == ["2026-11"]
    assert payroll_periods(period("quarter", 2027, 1)) == [
        "2027-01",
        "2027-02",
        "2027-03",
    ]


def test_a_half_year_has_its_six_months_and_payroll_periods():
    h2 = period("half", 2026, 2)
    expected = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert [month["label"] for month in months(h2)] == expected
    assert payroll_periods(h2) == expected
    h1 = period("half", 2027, 1)
    assert payroll_periods(h1) == [
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
        "2027-05",
        "2027-06",
    ]
    # Its months cover it exactly, end to end.
    assert months(h2)[0]["date_from"] == h2["date_from"]
    assert months(h2)[-1]["date_to"] == h2["date_to"]


def test_weighted_counts_share_each_complaint_among_its_parties():
    lines = [
        # Complaint 1: Production 60 %, the supplier 40 %.
        (1, "production", 60.0),
        (1, "supplier", 40.0),
        # Complaint 2: Logistics 50 %, the rest not attributed.
        (2, "logistics", 50.0),
        # A line of a complaint outside the period is not counted.
        (9, "production", 100.0),
    ]
    # Complaint 3 has no line at all.
    counts = weighted_counts(lines, [1, 2, 3])
    assert counts == {
        "production": 0.6,
        "supplier": 0.4,
        "logistics": 0.5,
        False: 1.5,
    }
    assert sum(counts.values()) == pytest.approx(3)
    assert weighted_counts([], []) == {}


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


NOW = datetime(2026, 10, 10, 8, 0)


@pytest.mark.parametrize(
    "reached, deadline, state, waiting, expected",
    [
        # Reached by the deadline, or after it.
        (datetime(2026, 10, 1), datetime(2026, 10, 2), "closed", (), ON_TIME),
        (datetime(2026, 10, 2), datetime(2026, 10, 2), "closed", (), ON_TIME),
        (datetime(2026, 10, 3), datetime(2026, 10, 2), "closed", (), LATE),
        # Not reached, the deadline passed while the complaint waits: late.
        (False, datetime(2026, 10, 2), "investigating", ("investigating",), LATE),
        # Not reached, the deadline still ahead: not counted yet.
        (False, datetime(2026, 10, 11), "investigating", ("investigating",), None),
        # Never to be reached (rejected, cancelled): not counted.
        (False, datetime(2026, 10, 2), "rejected", ("investigating",), None),
        # No deadline: nothing to measure.
        (datetime(2026, 10, 1), False, "closed", (), None),
    ],
)
def test_step_timeliness(reached, deadline, state, waiting, expected):
    assert step_timeliness(reached, deadline, state, waiting, NOW) == expected


def _step_row(state="investigating", **vals):
    row = _row(state=state)
    row.update(
        dict.fromkeys(
            ("date_ack_deadline", "date_resolve_deadline", "date_visit_deadline"),
            False,
        )
    )
    row.update(vals)
    return row


def test_on_time_rates_count_open_complaints_past_their_deadline():
    """The issue's November: a complaint counts for a step once it reached
    it or once its deadline passed while it still waits for it."""
    passed, ahead = datetime(2026, 10, 5), datetime(2026, 10, 20)
    rows = [
        # Acknowledged and resolved on time, visited late.
        _step_row(
            "closed",
            date_acknowledged=datetime(2026, 10, 1, 9, 0),
            date_ack_deadline=datetime(2026, 10, 1, 12, 0),
            date_resolved=datetime(2026, 10, 3),
            date_resolve_deadline=datetime(2026, 10, 4),
            date_feedback=datetime(2026, 10, 9),
            date_visit_deadline=datetime(2026, 10, 8),
        ),
        # Open, acknowledged on time, its resolution overdue: late.
        _step_row(
            date_acknowledged=datetime(2026, 10, 1, 9, 0),
            date_ack_deadline=datetime(2026, 10, 1, 12, 0),
            date_resolve_deadline=passed,
        ),
        # Open, never acknowledged, both deadlines passed: late twice.
        _step_row("new", date_ack_deadline=passed, date_resolve_deadline=passed),
        # Open, deadlines ahead: counts for nothing yet.
        _step_row(date_ack_deadline=ahead, date_resolve_deadline=ahead),
        # Resolved, its return visit overdue: late.
        _step_row(
            "resolved",
            date_acknowledged=datetime(2026, 10, 1, 9, 0),
            date_ack_deadline=datetime(2026, 10, 1, 12, 0),
            date_resolved=datetime(2026, 10, 2),
            date_resolve_deadline=datetime(2026, 10, 4),
            date_visit_deadline=passed,
        ),
        # Rejected before acknowledgement: never to be acknowledged.
        _step_row("rejected", date_ack_deadline=passed),
    ]
    assert on_time_rates(rows, NOW) == {
        "acknowledge": 3 / 4,
        "resolve": 2 / 4,
        "visit": 0.0,
    }
    # What counting only the complaints that reached a step would say.
    assert timing(rows, SATISFIED, NOW)["on_time"]["resolve"] != 1.0


def test_timing_averages_and_satisfaction():
    rows = [
        _step_row(
            "closed",
            date_acknowledged=datetime(2026, 10, 1, 9, 0),
            date_resolved=datetime(2026, 10, 3, 8, 0),
            satisfaction="very_satisfied",
        ),
        _step_row(
            "closed",
            date_acknowledged=datetime(2026, 10, 1, 11, 0),
            date_resolved=datetime(2026, 10, 2, 8, 0),
            satisfaction="unsatisfied",
        ),
        _step_row(date_acknowledged=datetime(2026, 10, 1, 10, 0)),
        _step_row(satisfaction="satisfied"),
    ]
    result = timing(rows, SATISFIED, NOW)
    assert result["avg_hours_acknowledge"] == pytest.approx(2.0)
    assert result["avg_hours_resolve"] == pytest.approx(36.0)
    assert result["satisfaction_rate"] == pytest.approx(2 / 3)


def test_by_month_splits_a_quarter_in_local_months():
    q4 = period("quarter", 2026, 4)
    rows = [
        # 01:30 on November 1st in Shanghai, still October in UTC.
        _step_row(
            date_received=datetime(2026, 10, 31, 17, 30),
            validity="valid",
            is_repeat=True,
            date_ack_deadline=datetime(2026, 10, 31, 20, 0),
        ),
        _step_row(
            date_received=datetime(2026, 10, 2, 2, 0),
            validity=False,
            is_repeat=False,
        ),
        _step_row(
            "cancelled",
            date_received=datetime(2026, 11, 3, 2, 0),
            validity=False,
            is_repeat=False,
        ),
    ]
    result = by_month(rows, q4, "Asia/Shanghai", datetime(2026, 12, 1))
    assert [month["period"]["label"] for month in result] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert [month["total"] for month in result] == [1, 2, 0]
    november = result[1]
    assert (november["valid"], november["cancelled"], november["repeat"]) == (1, 1, 1)
    assert november["on_time"]["acknowledge"] == 0.0
    assert result[2]["on_time"]["acknowledge"] is None


def test_timing_of_nothing_is_unknown():
    result = timing([_step_row()], SATISFIED, NOW)
    assert result == {
        "on_time": {"acknowledge": None, "resolve": None, "visit": None},
        "avg_hours_acknowledge": None,
        "avg_hours_resolve": None,
        "satisfaction_rate": None,
    }


LEVELS = ("very_satisfied", "satisfied", "neutral", "unsatisfied")


def test_satisfaction_summary_counts_and_distribution():
    answers = ["satisfied", "unsatisfied", "very_satisfied", "satisfied", False]
    summary = satisfaction_summary(answers, LEVELS, SATISFIED)
    assert summary["responses"] == 4
    assert summary["satisfied"] == 3
    assert summary["satisfied_rate"] == 0.75
    assert summary["distribution"] == [
        {"key": "very_satisfied", "count": 1, "share": 0.25},
        {"key": "satisfied", "count": 2, "share": 0.5},
        {"key": "neutral", "count": 0, "share": 0.0},
        {"key": "unsatisfied", "count": 1, "share": 0.25},
    ]
    empty = satisfaction_summary([], LEVELS, SATISFIED)
    assert empty["responses"] == 0
    assert empty["satisfied_rate"] is None


def test_satisfaction_analysis_counts_the_year_of_the_feedback_locally():
    rows = [
        # 2026-12-31 17:00 UTC is 2027-01-01 in Shanghai: next year's.
        {
            "satisfaction": "unsatisfied",
            "date_feedback": datetime(2026, 12, 31, 17, 0),
            "category": 1,
            "department": 10,
        },
        # 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Shanghai: January.
        {
            "satisfaction": "satisfied",
            "date_feedback": datetime(2025, 12, 31, 16, 30),
            "category": 1,
            "department": 10,
        },
        {
            "satisfaction": "neutral",
            "date_feedback": datetime(2026, 3, 2, 8, 0),
            "category": 2,
            "department": 10,
        },
        {
            "satisfaction": "very_satisfied",
            "date_feedback": datetime(2026, 3, 20, 8, 0),
            "category": 2,
            "department": False,
        },
        # No answer: not a response.
        {
            "satisfaction": False,
            "date_feedback": datetime(2026, 3, 20, 8, 0),
            "category": 2,
            "department": False,
        },
    ]
    result = satisfaction_analysis(rows, LEVELS, SATISFIED, 2026, "Asia/Shanghai")
    assert result["responses"] == 3
    assert result["satisfied"] == 2
    assert result["by_category"][1]["responses"] == 1
    assert result["by_category"][2]["responses"] == 2
    assert result["by_category"][2]["satisfied_rate"] == 0.5
    assert result["by_department"][10]["responses"] == 2
    assert result["by_department"][False]["satisfied"] == 1
    assert [month["responses"] for month in result["months"]] == [
        1,
        0,
        2,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ]
    assert result["months"][2]["satisfied_rate"] == 0.5
