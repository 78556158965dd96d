import pytest
from cc_core import lifecycle, workflow

TABLE = {
    "confirm": {"draft": "confirmed"},
    "cancel": {"draft": "cancelled", "confirmed": "cancelled"},
}


def test_next_state_follows_the_table():
    assert workflow.next_state(TABLE, "confirm", "draft") == "confirmed"
    assert workflow.next_state(TABLE, "cancel", "confirmed") == "cancelled"


def test_next_state_refuses_other_states():
    with pytest.raises(workflow.TransitionError) as err:
        workflow.next_state(TABLE, "confirm", "cancelled")
    assert err.value.reason == "state"
    assert err.value.allowed == ["draft"]


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        workflow.next_state(TABLE, "apply", "draft")


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
    assert lifecycle.target_state("review", "resolved", {"manager"}) == "investigating"
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.target_state("review", "resolved", {"handler"})
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.target_state("review", "closed", {"executive"})
