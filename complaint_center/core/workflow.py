"""State machines and field guards shared by every workflow model.

One pattern for the complaint, the penalty, the corrective action and the
extension: a table ``{action: {from_state: (to_state, roles)}}`` says which
action moves which state, and who may take it (any one of ``roles``, or
anyone when ``roles`` is empty: the model decides); a model's action method
checks the table, then its own rules, then writes the workflow fields
itself. ``write``/``create`` ask
``forbidden_fields`` which of the values a user may not write:

* *guarded* fields are written only by the model's actions, whatever the
  state (state, approvers, stamped facts);
* every other field of the model may be written only in the states whose
  whitelist names it (what was proposed or approved is frozen).
"""


class TransitionError(Exception):
    """An action that the table does not allow from ``state``.

    ``reason`` is ``"state"`` (not from this state) or ``"role"`` (the state
    is right but the role is too low); ``allowed`` lists what would be.
    """

    def __init__(self, reason, action, state, allowed):
        super().__init__(f"{action} from {state}: {reason}")
        self.reason = reason
        self.action = action
        self.state = state
        self.allowed = allowed


def next_state(table, action, state, roles):
    """State reached by ``action`` from ``state`` in ``table`` for a user
    holding ``roles``.

    Raises ``TransitionError`` when the action does not start from
    ``state`` (reason ``"state"``) or ``roles`` holds none of the roles the
    move names (reason ``"role"``); ``KeyError`` for an unknown action (a
    programming error).
    """
    moves = table[action]
    if state not in moves:
        raise TransitionError("state", action, state, sorted(moves))
    to_state, allowed = moves[state]
    if allowed and not set(allowed) & set(roles):
        raise TransitionError("role", action, state, sorted(allowed))
    return to_state


def forbidden_fields(names, state, guarded, editable):
    """Which of the field ``names`` a user may not write in ``state``.

    ``guarded``: fields only the workflow writes. ``editable``: state ->
    fields a user may change in that state; a field of ``names`` that is
    neither guarded nor listed for ``state`` is frozen there. Returns
    ``(guarded_hits, frozen_hits)``, two sorted lists.
    """
    names = set(names)
    guarded_hits = names & set(guarded)
    allowed = set(editable.get(state, ()))
    frozen_hits = names - guarded_hits - allowed
    return sorted(guarded_hits), sorted(frozen_hits)


def forbidden_create_values(vals, guarded, initial):
    """Guarded fields given a value at creation.

    ``initial`` maps guarded fields to the only value a new record may carry
    (e.g. ``{"state": "new"}``); any other guarded field must be empty.
    """
    hits = []
    for name in sorted(set(vals) & set(guarded)):
        value = vals[name]
        if name in initial:
            if value != initial[name]:
                hits.append(name)
        elif value not in (False, None, 0, "", [], ()):
            hits.append(name)
    return hits
