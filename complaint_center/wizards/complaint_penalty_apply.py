"""Apply every approved penalty of a payroll period at once, or the
penalties selected in the list."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class ComplaintPenaltyApplyWizard(models.TransientModel):
    _name = "complaint.penalty.apply.wizard"
    _description = "Apply Penalties in a Payroll Period"

    payroll_period = fields.Char(
        required=True,
        default=lambda self: self.env.company._complaint_today().strftime("%Y-%m"),
        help="Payroll period, e.g. 2026-11. Approved penalties without a period "
        "or with this period are applied in it.",
    )
    date_applied = fields.Date(
        required=True, default=lambda self: self.env.company._complaint_today()
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # Set from the penalty list's batch button: exactly these are applied.
    selection_ids = fields.Many2many(
        "complaint.penalty",
        "complaint_penalty_apply_wizard_selection_rel",
        "wizard_id",
        "penalty_id",
        string="Selected Penalties",
    )
    penalty_ids = fields.Many2many(
        "complaint.penalty", compute="_compute_penalty_ids", string="Penalties"
    )
    penalty_count = fields.Integer(compute="_compute_penalty_ids")

    @api.depends("payroll_period", "company_id", "selection_ids")
    def _compute_penalty_ids(self):
        Penalty = self.env["complaint.penalty"]
        for wizard in self:
            penalties = Penalty
            if wizard.selection_ids:
                penalties = wizard.selection_ids
            elif wizard.payroll_period and wizard.company_id:
                # Without the user's own (on them, or from a complaint they
                # are involved in): a colleague applies those.
                penalties = Penalty.search(
                    [
                        ("state", "=", "approved"),
                        ("company_id", "=", wizard.company_id.id),
                        "|",
                        ("payroll_period", "=", False),
                        ("payroll_period", "=", wizard.payroll_period),
                    ]
                ).filtered(lambda p: not p._is_own_case())
            wizard.penalty_ids = penalties
            wizard.penalty_count = len(penalties)

    @api.constrains("payroll_period")
    def _check_period(self):
        for wizard in self:
            self.env["complaint.penalty"]._check_period_value(
                wizard.payroll_period or "-"
            )

    def action_apply(self):
        self.ensure_one()
        if "finance" not in self.env.user._complaint_roles():
            raise AccessError(self.env._("Only finance applies penalties."))
        penalties = self.penalty_ids
        if not penalties:
            raise UserError(
                self.env._(
                    "No approved penalty waits to be applied in %(period)s.",
                    period=self.payroll_period,
                )
            )
        # A selected penalty planned for another month is not moved to this
        # one silently.
        elsewhere = penalties.filtered(
            lambda p: p.payroll_period and p.payroll_period != self.payroll_period
        )
        if elsewhere:
            raise UserError(
                self.env._(
                    "%(penalty)s is planned for payroll period %(planned)s, not "
                    "%(period)s: apply it in its own period or change its period "
                    "first.",
                    penalty=elsewhere[0].display_name,
                    planned=elsewhere[0].payroll_period,
                    period=self.payroll_period,
                )
            )
        penalties.action_apply(self.payroll_period, self.date_applied)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_penalty_action"
        )
        action["domain"] = [("id", "in", penalties.ids)]
        action["context"] = {"create": False}
        action["name"] = self.env._(
            "Penalties Applied in %(period)s", period=self.payroll_period
        )
        return action
