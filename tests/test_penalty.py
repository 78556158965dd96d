import pytest
from cc_core.penalty import (
    allocate,
    bracket_percent,
    penalty_amount,
    round_to,
    valid_period,
)

BRACKETS = [(0, 5.0), (1000, 10.0), (10000, 20.0)]


@pytest.mark.parametrize(
    "amount, rounding, expected",
    [
        (2.675, 0.01, 2.68),
        (2.665, 0.01, 2.67),
        (-2.675, 0.01, -2.68),
        (12.5, 1, 13),
        (0.004, 0.01, 0.0),
        (100.0 / 3, 0.05, 33.35),
        # Written halves round up whatever their binary value.
        (1.005, 0.01, 1.01),
        (0.125, 0.05, 0.15),
        (-0.004, 0.01, 0.0),
    ],
)
def test_round_to(amount, rounding, expected):
    assert round_to(amount, rounding) == expected


def test_round_to_refuses_bad_step():
    with pytest.raises(ValueError):
        round_to(1, 0)


def test_allocate_adds_up_exactly():
    parts = allocate(100.0, [33.33, 33.33, 33.34])
    assert parts == [33.33, 33.33, 33.34]
    parts = allocate(10.0, [33.33, 33.33, 33.34])
    assert round(sum(parts), 2) == 10.0
    # The remainder goes to the largest share.
    assert parts == [3.33, 3.33, 3.34]


def test_allocate_partial_shares():
    assert allocate(1000.0, [60, 30]) == [600.0, 300.0]
    assert allocate(0.05, [50, 50]) == [0.03, 0.02]


def test_allocate_refuses_over_100_or_negative():
    with pytest.raises(ValueError):
        allocate(10, [60, 50])
    with pytest.raises(ValueError):
        allocate(10, [-1, 50])


@pytest.mark.parametrize(
    "loss, expected", [(0, 5.0), (999.99, 5.0), (1000, 10.0), (50000, 20.0), (-1, 0.0)]
)
def test_bracket_percent(loss, expected):
    assert bracket_percent(loss, BRACKETS) == expected


def test_points_not_split_but_multiplied_for_repeats():
    assert penalty_amount("points", {"points": 1}, 30) == 1
    assert (
        penalty_amount("points", {"points": 1, "repeat_multiplier": 2.0}, 30, True) == 2
    )


def test_severity_amount_by_share():
    assert penalty_amount("severity", {"amount": 500.0}, 60) == 300.0
    assert (
        penalty_amount(
            "severity", {"amount": 500.0, "repeat_multiplier": 1.5}, 60, True
        )
        == 450.0
    )


def test_pay_percent_by_loss_bracket():
    params = {"pay_base": 3000.0, "loss": 2500.0, "brackets": BRACKETS}
    # 10 % of 3000 = 300, 40 % share = 120.
    assert penalty_amount("pay_percent", params, 40) == 120.0
    params["loss"] = 50
    assert penalty_amount("pay_percent", params, 100) == 150.0


def test_delay_and_reward_are_whole_amounts():
    assert penalty_amount("delay", {"amount": 50.0}, 10) == 50.0
    assert penalty_amount("reward", {"amount": 80.0}, 10) == 80.0


def test_unknown_kind():
    with pytest.raises(ValueError):
        penalty_amount("bonus", {}, 10)


def test_rounding_to_currency_step():
    assert penalty_amount("severity", {"amount": 100.0}, 33.333, rounding=1) == 33


@pytest.mark.parametrize("period", ["2026-11", "1999-01", "2030-12"])
def test_valid_period(period):
    assert valid_period(period)


@pytest.mark.parametrize(
    "period",
    [
        "2026-13",
        "2026-00",
        "26-11",
        "2026/11",
        "",
        None,
        "Nov 2026",
        "2026-1",
        " 2026-11",
        "2026-11 ",
        "2026-11\n",
        "２０２６-１１",  # full-width digits pass str.isdigit()
        "٢٠٢٦-١١",  # so do Arabic-Indic ones
        202611,
    ],
)
def test_invalid_period(period):
    assert not valid_period(period)
