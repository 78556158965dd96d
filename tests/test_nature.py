from cc_core.nature import (
    GROUP_THRESHOLD,
    distinct_customers,
    nature_reasons,
    needs_immediate_report,
    raised_severity,
)


def test_distinct_customers_ignores_duplicates_and_empty():
    assert distinct_customers([1, 2, 2, None, 0]) == 2


def test_two_customers_are_no_group():
    assert GROUP_THRESHOLD == 3
    assert nature_reasons(2, False, False) == []
    assert raised_severity("general", []) == "general"


def test_three_customers_make_a_major_case():
    assert nature_reasons(3, False, False) == ["group"]
    assert raised_severity("general", ["group"]) == "major"


def test_media_and_safety():
    assert nature_reasons(1, True, True) == ["media", "safety"]
    assert raised_severity("general", ["safety"]) == "major"


def test_never_lowered():
    assert raised_severity("major", []) == "major"
    assert raised_severity("critical", ["group"]) == "critical"
    assert raised_severity("major", ["media"]) == "major"


def test_major_cases_reported_once_per_rise():
    assert needs_immediate_report("major", None) is True
    assert needs_immediate_report("critical", None) is True
    assert needs_immediate_report("general", None) is False
    assert needs_immediate_report("major", "major") is False
    # Raised from major to critical: reported again.
    assert needs_immediate_report("critical", "major") is True
    assert needs_immediate_report("major", "critical") is False
