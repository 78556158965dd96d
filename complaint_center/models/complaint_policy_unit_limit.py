from odoo import api, fields, models


class ComplaintPolicyUnitLimit(models.Model):
    """各单位投诉处理作业流程处理期限 (001 篇八): the days a unit the
    complaint is handed over to (or asked for support) has, counted in
    calendar days from the handover, within the policy's overall limit
    (e.g. sales branch 5, marketing 7, production 2)."""

    _name = "complaint.policy.unit.limit"
    _description = "Complaint Policy Unit Handling Limit"
    _order = "policy_id, days, id"

    policy_id = fields.Many2one(
        "complaint.policy", required=True, ondelete="cascade", index=True
    )
    department_id = fields.Many2one(
        "hr.department", string="Unit", required=True, ondelete="cascade"
    )
    days = fields.Integer(
        string="Handling Limit (Days)",
        required=True,
        default=5,
        help="Calendar days from the handover; the unit's deadline is the end "
        "of the last day, and never later than the complaint's resolution "
        "deadline.",
    )

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "A unit's limit is at least one day."),
        (
            "department_unique",
            "UNIQUE(policy_id, department_id)",
            "A unit has one handling limit per policy.",
        ),
    ]

    @api.depends("department_id", "days")
    def _compute_display_name(self):
        for limit in self:
            limit.display_name = self.env._(
                "%(unit)s: %(days)s days",
                unit=limit.department_id.name or "",
                days=limit.days,
            )
