from datetime import datetime, timedelta

from cc_core.escalation import (
    TOP_LEVEL,
    ladder,
    level_role,
    next_escalation_at,
    next_level,
)

MISSED = datetime(2026, 11, 20, 17)


def test_general_climbs_one_level_at_a_time():
    assert [next_level(n, "general") for n in range(4)] == [1, 2, 3, None]


def test_major_and_critical_start_at_director():
    assert next_level(0, "major") == 2
    assert next_level(0, "critical") == 2
    assert next_level(2, "critical") == 3
    assert next_level(TOP_LEVEL, "critical") is None


def test_first_escalation_due_at_the_missed_deadline():
    assert next_escalation_at(0, "general", MISSED, None, 24) == MISSED


def test_next_escalation_one_interval_after_the_last():
    last = MISSED + timedelta(minutes=15)
    assert next_escalation_at(1, "general", MISSED, last, 24) == last + timedelta(
        hours=24
    )


def test_nothing_after_top_or_when_not_overdue():
    assert next_escalation_at(3, "general", MISSED, MISSED, 24) is None
    assert next_escalation_at(0, "general", None, None, 24) is None


def test_deputy_ladder_adds_a_level_between_director_and_executive():
    top = len(ladder(use_deputy=True))
    assert top == 4
    assert [next_level(n, "general", top) for n in range(5)] == [1, 2, 3, 4, None]
    assert next_level(0, "major", top) == 2
    assert [level_role(n, True) for n in (1, 2, 3, 4)] == [
        "handler",
        "director",
        "deputy",
        "executive",
    ]
    assert [level_role(n) for n in (1, 2, 3)] == ["handler", "director", "executive"]
    assert next_escalation_at(3, "general", MISSED, MISSED, 24, top) == MISSED + (
        timedelta(hours=24)
    )
    assert next_escalation_at(4, "general", MISSED, MISSED, 24, top) is None
