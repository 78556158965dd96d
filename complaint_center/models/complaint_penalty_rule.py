from odoo import api, fields, models
from odoo.exceptions import ValidationError

RULE_TYPES = [
    ("points", "Points per Valid Complaint"),
    ("severity", "Fixed Amount by Severity"),
    ("pay_percent", "Percentage of Performance Pay by Loss"),
    ("delay", "Delayed Handling"),
    ("reward", "Reward for Good Handling"),
]
# What kind of penalty each rule proposes.
RULE_KIND = {
    "points": "points",
    "severity": "deduction",
    "pay_percent": "deduction",
    "delay": "deduction",
    "reward": "reward",
}


class ComplaintPenaltyRule(models.Model):
    """How a valid complaint is penalised or rewarded (罚扣/表彰), per company."""

    _name = "complaint.penalty.rule"
    _description = "Complaint Penalty Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_type = fields.Selection(RULE_TYPES, required=True, default="points")
    party_types = fields.Selection(
        [
            ("people", "Employees and Units"),
            ("employee", "Employees Only"),
            ("supplier", "Suppliers and Carriers (Chargeback)"),
        ],
        string="Applies To",
        default="people",
        required=True,
        help="Which responsibility lines the rule charges. Delay and reward "
        "rules charge the person who held the complaint instead.",
    )
    charge_department_head = fields.Boolean(
        string="Also Charge the Unit's Head",
        help="For each person or unit the rule charges, also propose the same "
        "penalty for the head (manager) of the responsible unit (直接责任人和部门"
        "负责人一并处罚). Points, severity and pay rules on employees and units.",
    )
    # Only points rules give points: the others hold 0, not a stray default.
    points = fields.Integer(
        compute="_compute_points",
        store=True,
        readonly=False,
        precompute=True,
        help="Points deducted per valid complaint (points rules only).",
    )
    amount_general = fields.Monetary(string="General", currency_field="currency_id")
    amount_major = fields.Monetary(string="Major", currency_field="currency_id")
    amount_critical = fields.Monetary(string="Critical", currency_field="currency_id")
    amount = fields.Monetary(
        currency_field="currency_id",
        help="Delay penalty or reward per complaint.",
    )
    bracket_ids = fields.One2many(
        "complaint.penalty.bracket", "rule_id", string="Loss Brackets"
    )
    repeat_multiplier = fields.Float(
        default=2.0,
        help="Repeat complaints (the same matter again) count this many times.",
    )
    reward_days_early = fields.Integer(
        default=1,
        help="Reward rules: resolved at least this many days before the "
        "deadline, with a satisfied customer.",
    )

    _sql_constraints = [
        (
            "values_positive",
            "CHECK(points >= 0 AND repeat_multiplier > 0 AND reward_days_early >= 0 "
            "AND COALESCE(amount, 0) >= 0 AND COALESCE(amount_general, 0) >= 0 "
            "AND COALESCE(amount_major, 0) >= 0 AND COALESCE(amount_critical, 0) >= 0)",
            "Penalty rule values cannot be negative.",
        ),
    ]

    @api.depends("rule_type")
    def _compute_points(self):
        for rule in self:
            if rule.rule_type != "points":
                rule.points = 0
            elif not rule.points:
                rule.points = 1

    @api.constrains("rule_type", "party_types")
    def _check_party_types(self):
        for rule in self:
            if rule.rule_type in ("delay", "reward", "points", "pay_percent") and (
                rule.party_types == "supplier"
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(name)s: only fixed amounts by severity can be "
                        "charged back to suppliers.",
                        name=rule.name,
                    )
                )

    @api.constrains("rule_type", "party_types", "charge_department_head")
    def _check_charge_department_head(self):
        for rule in self:
            if rule.charge_department_head and (
                rule.rule_type in ("delay", "reward") or rule.party_types == "supplier"
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(name)s: the unit's head is charged together with "
                        "the people and units on the responsibility lines, not "
                        "by delay, reward or supplier rules.",
                        name=rule.name,
                    )
                )

    def _severity_amount(self, severity):
        self.ensure_one()
        return {
            "general": self.amount_general,
            "major": self.amount_major,
            "critical": self.amount_critical,
        }.get(severity, 0.0)


class ComplaintPenaltyBracket(models.Model):
    _name = "complaint.penalty.bracket"
    _description = "Complaint Penalty Loss Bracket"
    _order = "loss_from"

    rule_id = fields.Many2one(
        "complaint.penalty.rule", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="rule_id.currency_id")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    loss_from = fields.Monetary(currency_field="currency_id", required=True)
    percent = fields.Float(
        string="Percent of Pay Base",
        required=True,
        help="Share of the employee's performance-pay base deducted.",
    )

    _sql_constraints = [
        (
            "percent_range",
            "CHECK(percent >= 0 AND percent <= 100 AND loss_from >= 0)",
            "A bracket deducts between 0 and 100 % from a non-negative loss.",
        ),
    ]
