import pytest
from cc_core import lifecycle
from cc_core.workflow import TransitionError, next_state

# What a user of each role holds: the Odoo groups imply the lower roles.
HOLDS = {
    "user": {"user"},
    "handler": {"user", "handler"},
    "manager": {"user", "handler", "manager"},
    "executive": {"user", "handler", "manager", "executive"},
}


def target_state(action, state, roles):
    return next_state(lifecycle.TRANSITIONS, action, state, roles)


def allowed_actions(state, roles):
    """Actions the table lets ``roles`` take from ``state``."""
    allowed = []
    for action in lifecycle.TRANSITIONS:
        try:
            target_state(action, state, roles)
        except TransitionError:
            continue
        allowed.append(action)
    return sorted(allowed)


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
    assert target_state(action, state, HOLDS["executive"]) == target


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


# Who may take which step from which state, as the regulations put it (001
# 篇一/二, 002): written out here, not read from the table it checks.
EXPECTED = {
    "new": {
        "user": ["cancel"],
        "handler": ["accept", "cancel"],
        "manager": ["accept", "cancel", "reject"],
    },
    "investigating": {
        "user": [],
        "handler": ["propose"],
        "manager": ["cancel", "propose", "reject"],
    },
    "proposed": {
        "user": [],
        "handler": [],
        "manager": ["approve", "cancel", "send_back"],
    },
    "approved": {
        "user": [],
        "handler": ["resolve"],
        "manager": ["cancel", "resolve"],
    },
    "resolved": {
        "user": [],
        "handler": [],
        "manager": ["close", "force_close", "reopen", "review"],
    },
    "closed": {"user": [], "handler": [], "manager": ["reopen"]},
    "rejected": {"user": [], "handler": [], "manager": ["reopen"]},
    "cancelled": {"user": [], "handler": [], "manager": []},
}


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_each_role_may_take_exactly_the_steps_of_the_regulations(state):
    for role, actions in EXPECTED[state].items():
        assert allowed_actions(state, HOLDS[role]) == actions, role
    # The executive decides what the manager does; finance alone, nothing.
    assert allowed_actions(state, HOLDS["executive"]) == EXPECTED[state]["manager"]
    assert allowed_actions(state, {"finance"}) == []
    assert sorted(EXPECTED) == sorted(lifecycle.STATE_KEYS)


def test_every_action_refused_from_every_state_not_in_table():
    for action, moves in lifecycle.TRANSITIONS.items():
        for state in lifecycle.STATE_KEYS:
            if state in moves:
                continue
            with pytest.raises(TransitionError) as err:
                target_state(action, state, HOLDS["executive"])
            assert err.value.reason == "state"
            assert err.value.allowed == sorted(moves)


def test_every_target_is_a_known_state():
    for moves in lifecycle.TRANSITIONS.values():
        for to_state, roles in moves.values():
            assert to_state in lifecycle.STATE_KEYS
            assert roles
            assert set(roles) <= set(HOLDS)


def test_closed_and_cancelled_only_leave_by_reopen():
    assert allowed_actions("closed", HOLDS["executive"]) == ["reopen"]
    assert allowed_actions("cancelled", HOLDS["executive"]) == []


def test_user_may_only_cancel_a_new_complaint():
    assert allowed_actions("new", HOLDS["user"]) == ["cancel"]
    assert allowed_actions("investigating", HOLDS["user"]) == []


def test_reject_and_reopen():
    assert target_state("reject", "investigating", {"manager"}) == "rejected"
    assert target_state("reopen", "rejected", {"manager"}) == "investigating"


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        target_state("explode", "new", HOLDS["executive"])


def test_a_role_grants_nothing_it_does_not_name():
    # No ranking in the core: a lone executive role (groups not implied)
    # does not stand for the handler's.
    with pytest.raises(TransitionError):
        target_state("accept", "new", {"executive"})
    assert target_state("accept", "new", HOLDS["manager"]) == "investigating"


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
        target_state("force_close", "investigating", HOLDS["executive"])


def test_review_level_climbs_then_stays():
    assert [lifecycle.review_level(n) for n in range(5)] == [0, 1, 2, 2, 2]
    assert lifecycle.review_level(-1) == 0
