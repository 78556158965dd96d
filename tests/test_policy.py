from cc_core.policy import best_policy, matches, scope_of, specificity

DEFAULT = {"id": 1, "sequence": 10}
QUALITY = {"id": 2, "sequence": 10, "category_ids": {7}}
QUALITY_FOREIGN = {"id": 3, "sequence": 10, "category_ids": {7}, "scope": "foreign"}
REGULATOR = {"id": 4, "sequence": 10, "channel": "regulator"}
COMPANY_2 = {"id": 5, "sequence": 10, "company_id": 2}
MAJOR = {"id": 6, "sequence": 5, "severity": "major"}
ALL = [DEFAULT, QUALITY, QUALITY_FOREIGN, REGULATOR, COMPANY_2, MAJOR]


def facts(**kw):
    base = {
        "company_id": 1,
        "category_id": None,
        "severity": "general",
        "channel": "phone",
        "scope": "domestic",
    }
    base.update(kw)
    return base


def test_default_when_nothing_specific():
    assert best_policy(ALL, facts()) is DEFAULT


def test_category_beats_default():
    assert best_policy(ALL, facts(category_id=7)) is QUALITY


def test_most_specific_wins():
    assert best_policy(ALL, facts(category_id=7, scope="foreign")) is QUALITY_FOREIGN


def test_company_default_applies_to_its_company_only():
    assert best_policy(ALL, facts(company_id=2)) is COMPANY_2
    assert not matches(COMPANY_2, facts(company_id=1))


def test_tie_broken_by_sequence_then_id():
    # QUALITY (1 criterion, seq 10) vs MAJOR (1 criterion, seq 5).
    assert best_policy(ALL, facts(category_id=7, severity="major")) is MAJOR
    twin = dict(QUALITY, id=9)
    assert best_policy([twin, QUALITY], facts(category_id=7)) is QUALITY


def test_no_match():
    assert best_policy([QUALITY], facts()) is None
    assert best_policy([], facts()) is None


def test_specificity():
    assert specificity(DEFAULT) == 0
    assert specificity(QUALITY_FOREIGN) == 2


def test_scope():
    assert scope_of(5, 5) == "domestic"
    assert scope_of(5, 6) == "foreign"
    assert scope_of(None, 6) == "domestic"
    assert scope_of(5, None) == "domestic"


SAFETY = {"id": 7, "sequence": 50, "safety": True}


def test_safety_policy_only_for_safety_incidents():
    policies = [*ALL, SAFETY]
    assert not matches(SAFETY, facts())
    assert best_policy(policies, facts()) is DEFAULT
    assert best_policy(policies, facts(is_safety=True)) is SAFETY


def test_safety_policy_outranks_the_most_specific_other():
    policies = [*ALL, SAFETY]
    facts_ = facts(is_safety=True, category_id=7, scope="foreign", severity="major")
    assert best_policy(policies, facts_) is SAFETY
    assert specificity(SAFETY) > specificity(QUALITY_FOREIGN)


def test_urgency_and_impact_scope():
    urgent = {"id": 7, "sequence": 10, "urgency": "urgent"}
    urgent_quality = {"id": 8, "sequence": 10, "category_ids": {7}, "urgency": "urgent"}
    wide = {"id": 9, "sequence": 10, "impact_scope": "wide"}
    policies = [*ALL, urgent, urgent_quality, wide]
    assert best_policy(policies, facts(urgency="normal")) is DEFAULT
    assert best_policy(policies, facts(urgency="urgent")) is urgent
    # Most specific wins: category and urgency over urgency alone.
    assert best_policy(policies, facts(urgency="urgent", category_id=7)) is (
        urgent_quality
    )
    assert best_policy(policies, facts(impact_scope="wide")) is wide
    assert not matches(wide, facts(impact_scope="individual"))
    assert specificity(urgent_quality) == 2
