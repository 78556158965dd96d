"""Severity by the nature of a complaint (投诉性质), not only by what the
clerk picks (001 篇六, 003): group complaints of three or more customers
(集体投诉), media exposure and safety incidents (personal injury, property
damage, key equipment failure) are major cases. Severity is only ever
raised by these rules, never lowered."""

GROUP_THRESHOLD = 3
MAJOR = "major"
# Severity keys from the lowest; unknown values rank lowest.
SEVERITY_ORDER = ("general", "major", "critical")
REASONS = ("group", "media", "safety")


def distinct_customers(commercial_partner_ids):
    """How many distinct commercial partners complain (empty ids ignored)."""
    return len({pid for pid in commercial_partner_ids if pid})


def nature_reasons(customer_count, is_media, is_safety):
    """The reasons, in ``REASONS`` order, that make a complaint major."""
    reasons = []
    if customer_count >= GROUP_THRESHOLD:
        reasons.append("group")
    if is_media:
        reasons.append("media")
    if is_safety:
        reasons.append("safety")
    return reasons


def raised_severity(current, reasons):
    """The severity after applying ``reasons``: at least major when there is
    a reason, never lower than ``current``."""
    if not reasons:
        return current
    rank = SEVERITY_ORDER.index(current) if current in SEVERITY_ORDER else -1
    if rank < SEVERITY_ORDER.index(MAJOR):
        return MAJOR
    return current


def needs_immediate_report(severity, reported):
    """Whether a complaint of ``severity``, last reported to leadership as
    ``reported`` (or never), is reported at once (重大投诉立即上报): it is
    major or worse and more severe than when it was last reported."""
    rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else -1
    last = SEVERITY_ORDER.index(reported) if reported in SEVERITY_ORDER else -1
    return rank >= SEVERITY_ORDER.index(MAJOR) and rank > last
