"""Choosing the deadline policy of a complaint: the most specific match wins.

A policy is a plain dict with the criteria it sets (``None`` or an empty set
means "any"): ``company_id``, ``category_ids`` (a set), ``severity``,
``channel``, ``scope`` (``domestic``/``foreign``), ``urgency``,
``impact_scope`` (紧急程度和影响范围, assessed at classification), ``safety``
(for safety incidents only), plus ``id`` and ``sequence``. The facts of a
complaint are a dict with ``company_id``, ``category_id``, ``severity``,
``channel``, ``scope``, ``urgency``, ``impact_scope`` and ``is_safety``. A
safety policy outranks every other for a safety incident: it is dispatched
the same day whatever its category.
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
        "urgency": policy.get("urgency") or None,
        "impact_scope": policy.get("impact_scope") or None,
        "safety": bool(policy.get("safety")),
    }


def matches(policy, facts):
    crit = _criteria(policy)
    if crit["company_id"] and crit["company_id"] != facts.get("company_id"):
        return False
    if crit["category_ids"] and facts.get("category_id") not in crit["category_ids"]:
        return False
    if crit["safety"] and not facts.get("is_safety"):
        return False
    for key in ("severity", "channel", "scope", "urgency", "impact_scope"):
        if crit[key] and crit[key] != facts.get(key):
            return False
    return True


def specificity(policy):
    """How many criteria a policy sets: more criteria, more specific; the
    safety criterion outranks all the others together."""
    crit = _criteria(policy)
    count = sum(1 for key, value in crit.items() if value and key != "safety")
    return count + (len(crit) if crit["safety"] else 0)


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
