"""Choosing the deadline policy of a complaint: the most specific match wins.

A policy is a plain dict with the criteria it sets (``None`` or an empty set
means "any"): ``company_id``, ``category_ids`` (a set), ``severity``,
``channel``, ``scope`` (``domestic``/``foreign``), plus ``id`` and
``sequence``. The facts of a complaint are a dict with ``company_id``,
``category_id``, ``severity``, ``channel`` and ``scope``.
"""


def scope_of(partner_country_id, company_country_id):
    """``domestic`` unless both countries are known and differ."""
    if partner_country_id and company_country_id:
        if partner_country_id != company_country_id:
            return "foreign"
    return "domestic"


def _criteria(policy):
    return {
        "company_id": policy.get("company_id") or None,
        "category_ids": set(policy.get("category_ids") or ()),
        "severity": policy.get("severity") or None,
        "channel": policy.get("channel") or None,
        "scope": policy.get("scope") or None,
    }


def matches(policy, facts):
    crit = _criteria(policy)
    if crit["company_id"] and crit["company_id"] != facts.get("company_id"):
        return False
    if crit["category_ids"] and facts.get("category_id") not in crit["category_ids"]:
        return False
    for key in ("severity", "channel", "scope"):
        if crit[key] and crit[key] != facts.get(key):
            return False
    return True


def specificity(policy):
    """How many criteria a policy sets: more criteria, more specific."""
    return sum(1 for value in _criteria(policy).values() if value)


def best_policy(policies, facts):
    """The matching policy with most criteria; then lowest sequence, then id.

    Returns the policy dict, or ``None`` when nothing matches.
    """
    candidates = [p for p in policies if matches(p, facts)]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda p: (-specificity(p), p.get("sequence") or 0, p.get("id") or 0),
    )
