import pytest
from cc_core import lifecycle
from cc_core.lifecycle import TransitionError, target_state

HAPPY_PATH = [
    ("accept", "new", "investigating", "handler"),
    ("propose", "investigating", "proposed", "handler"),
    ("approve", "proposed", "approved", "manager"),
    ("resolve", "approved", "resolved", "handler"),
    ("close", "resolved", "closed", "manager"),
]


@pytest.mark.parametrize("action, state, target, role", HAPPY_PATH)
def test_happy_path_allowed_for_minimum_role(action, state, target, role):
    assert target_state(action, state, {role}) == target


@pytest.mark.parametrize("action, state, target, role", HAPPY_PATH)
def test_higher_role_may_too(action, state, target, role):
    assert target_state(action, state, {"user", "executive"}) == target


@pytest.mark.parametrize(
    "action, state, roles",
    [
        ("accept", "new", {"user"}),
        ("approve", "proposed", {"handler"}),
        ("close", "resolved", {"handler", "user"}),
        ("reject", "new", {"handler"}),
        ("cancel", "investigating", {"handler"}),
        ("accept", "new", set()),
        ("accept", "new", {"finance"}),
    ],
)
def test_role_too_low_refused(action, state, roles):
    with pytest.raises(TransitionError) as err:
        target_state(action, state, roles)
    assert err.value.reason == "role"


def test_every_action_refused_from_every_state_not_in_table():
    for action, moves in lifecycle.TRANSITIONS.items():
        for state in lifecycle.STATE_KEYS:
            if state in moves:
                continue
            with pytest.raises(TransitionError) as err:
                target_state(action, state, {"executive"})
            assert err.value.reason == "state"
            assert err.value.allowed == sorted(moves)


def test_every_target_is_a_known_state():
    for moves in lifecycle.TRANSITIONS.values():
        for to_state, role in moves.values():
            assert to_state in lifecycle.STATE_KEYS
            assert role in lifecycle.ROLE_RANK


def test_closed_and_cancelled_only_leave_by_reopen():
    assert lifecycle.available_actions("closed", {"executive"}) == ["reopen"]
    assert lifecycle.available_actions("cancelled", {"executive"}) == []


def test_user_may_only_cancel_a_new_complaint():
    assert lifecycle.available_actions("new", {"user"}) == ["cancel"]
    assert lifecycle.available_actions("investigating", {"user"}) == []


def test_reject_and_reopen():
    assert target_state("reject", "investigating", {"manager"}) == "rejected"
    assert target_state("reopen", "rejected", {"manager"}) == "investigating"


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        target_state("explode", "new", {"executive"})


def test_highest_role():
    assert lifecycle.highest_role({"user", "manager", "finance"}) == "manager"
    assert lifecycle.highest_role({"finance"}) is None


def test_open_and_done_states_partition_states():
    assert set(lifecycle.OPEN_STATES) | set(lifecycle.DONE_STATES) == set(
        lifecycle.STATE_KEYS
    )
    assert not set(lifecycle.OPEN_STATES) & set(lifecycle.DONE_STATES)


def test_force_close_only_from_resolved_by_manager():
    assert target_state("force_close", "resolved", {"manager"}) == "closed"
    with pytest.raises(TransitionError):
        target_state("force_close", "resolved", {"handler"})
    with pytest.raises(TransitionError):
        target_state("force_close", "investigating", {"executive"})


def test_review_level_climbs_then_stays():
    assert [lifecycle.review_level(n) for n in range(5)] == [0, 1, 2, 2, 2]
    assert lifecycle.review_level(-1) == 0
