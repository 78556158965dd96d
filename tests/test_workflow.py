import pytest
from cc_core import lifecycle, workflow

TABLE = {
    "confirm": {"draft": ("confirmed", ("manager",))},
    "cancel": {
        "draft": ("cancelled", ("manager", "finance")),
        "confirmed": ("cancelled", ("manager", "finance")),
    },
    "note": {"draft": ("draft", ())},
}


def test_next_state_follows_the_table():
    assert workflow.next_state(TABLE, "confirm", "draft", {"manager"}) == "confirmed"
    assert workflow.next_state(TABLE, "cancel", "confirmed", {"finance"}) == "cancelled"


def test_next_state_refuses_other_states():
    with pytest.raises(workflow.TransitionError) as err:
        workflow.next_state(TABLE, "confirm", "cancelled", {"manager"})
    assert err.value.reason == "state"
    assert err.value.allowed == ["draft"]


def test_next_state_refuses_other_roles():
    with pytest.raises(workflow.TransitionError) as err:
        workflow.next_state(TABLE, "cancel", "draft", {"handler", "user"})
    assert err.value.reason == "role"
    assert err.value.allowed == ["finance", "manager"]
    with pytest.raises(workflow.TransitionError):
        workflow.next_state(TABLE, "confirm", "draft", set())


def test_a_move_without_roles_leaves_the_choice_to_the_model():
    assert workflow.next_state(TABLE, "note", "draft", set()) == "draft"


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        workflow.next_state(TABLE, "apply", "draft", {"manager"})


def test_guarded_fields_are_refused_in_every_state():
    guarded = {"state", "approved_by_id"}
    editable = {"draft": {"amount", "state"}}
    hits, frozen = workflow.forbidden_fields(
        ["state", "approved_by_id", "amount"], "draft", guarded, editable
    )
    # Guarded wins even when a whitelist names the field.
    assert hits == ["approved_by_id", "state"]
    assert frozen == []


def test_fields_off_the_whitelist_are_frozen():
    editable = {"draft": {"amount", "reason"}, "confirmed": {"reason"}}
    assert workflow.forbidden_fields(["amount"], "draft", set(), editable) == ([], [])
    assert workflow.forbidden_fields(["amount"], "confirmed", set(), editable) == (
        [],
        ["amount"],
    )
    # A state without a whitelist freezes everything.
    assert workflow.forbidden_fields(["reason"], "applied", set(), editable) == (
        [],
        ["reason"],
    )


@pytest.mark.parametrize(
    "vals, hits",
    [
        ({"state": "new", "name": "x"}, []),
        ({"state": "closed"}, ["state"]),
        ({"approved_by_id": 7}, ["approved_by_id"]),
        ({"approved_by_id": False, "reopen_count": 0}, []),
        ({"is_repeat": True, "state": "new"}, ["is_repeat"]),
    ],
)
def test_create_values(vals, hits):
    guarded = {"state", "approved_by_id", "reopen_count", "is_repeat"}
    assert workflow.forbidden_create_values(vals, guarded, {"state": "new"}) == hits


def test_unsatisfied_review_is_in_the_table():
    table = lifecycle.TRANSITIONS
    assert workflow.next_state(table, "review", "resolved", {"manager"}) == (
        "investigating"
    )
    with pytest.raises(workflow.TransitionError):
        workflow.next_state(table, "review", "resolved", {"handler"})
    with pytest.raises(workflow.TransitionError):
        workflow.next_state(table, "review", "closed", {"executive"})
