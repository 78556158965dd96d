"""The complaint lifecycle: which action moves which state, and who may.

``new → investigating → proposed → approved → resolved → closed``, with
``rejected`` (not valid, 不成立/恶意) and ``cancelled`` on the side.

``roles`` is the set of roles a user holds. The Odoo groups imply each other
(user < handler < manager < deputy < executive), so a manager's set holds
``handler`` and ``user`` too: "at least a manager" is simply ``"manager" in roles``, and
the ranking is stated once, in the groups. Finance is outside the chain.
"""

STATES = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("proposed", "Plan Proposed"),
    ("approved", "Plan Approved"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
STATE_KEYS = [key for key, _label in STATES]
OPEN_STATES = ("new", "investigating", "proposed", "approved")
DONE_STATES = ("resolved", "closed", "rejected", "cancelled")

# Review levels of a complaint handled again (复审/申诉): the first handling,
# a second review by the complaint manager, then the executive.
REVIEW_FIRST, REVIEW_MANAGER, REVIEW_EXECUTIVE = 0, 1, 2


def review_level(reopen_count):
    """Review level reached after ``reopen_count`` reopenings."""
    return min(max(reopen_count, 0), REVIEW_EXECUTIVE)


# action -> {from_state: (to_state, roles)}: the lowest role that may take
# the step (the groups imply the lower ones: see the module docstring).
TRANSITIONS = {
    "accept": {"new": ("investigating", ("handler",))},
    "reject": {
        "new": ("rejected", ("manager",)),
        "investigating": ("rejected", ("manager",)),
    },
    "propose": {"investigating": ("proposed", ("handler",))},
    "send_back": {"proposed": ("investigating", ("manager",))},
    "approve": {"proposed": ("approved", ("manager",))},
    "resolve": {"approved": ("resolved", ("handler",))},
    "close": {"resolved": ("closed", ("manager",))},
    # Closing without the customer's agreement, with a written reason.
    "force_close": {"resolved": ("closed", ("manager",))},
    # Closing refused by an unsatisfied customer: reviewed again (复审).
    "review": {"resolved": ("investigating", ("manager",))},
    "reopen": {
        "resolved": ("investigating", ("manager",)),
        "closed": ("investigating", ("manager",)),
        "rejected": ("investigating", ("manager",)),
    },
    "cancel": {
        "new": ("cancelled", ("user",)),
        "investigating": ("cancelled", ("manager",)),
        "proposed": ("cancelled", ("manager",)),
        "approved": ("cancelled", ("manager",)),
    },
}
