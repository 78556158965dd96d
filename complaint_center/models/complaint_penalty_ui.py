"""Which workflow buttons the current user sees on a penalty."""

from odoo import api, fields, models

GROUP = "complaint_center.group_complaint_"


class ComplaintPenalty(models.Model):
    _inherit = "complaint.penalty"

    can_confirm = fields.Boolean(compute="_compute_can_buttons")
    can_approve = fields.Boolean(compute="_compute_can_buttons")
    can_apply = fields.Boolean(compute="_compute_can_buttons")
    can_cancel = fields.Boolean(compute="_compute_can_buttons")
    can_reverse = fields.Boolean(compute="_compute_can_buttons")

    @api.depends("state", "approved_by_id", "reversal_ids.state")
    @api.depends_context("uid")
    def _compute_can_buttons(self):
        user = self.env.user
        is_manager = user.has_group(f"{GROUP}manager")
        is_finance = user.has_group(f"{GROUP}finance")
        is_executive = user.has_group(f"{GROUP}executive")
        for penalty in self:
            state = penalty.state
            first = penalty.approved_by_id
            penalty.can_confirm = state == "draft" and is_manager
            # Finance approves first; above the threshold another person,
            # the executive, gives the second approval.
            penalty.can_approve = state == "confirmed" and (
                (not first and is_finance)
                or (bool(first) and is_executive and first != user)
            )
            penalty.can_apply = state == "approved" and is_finance
            penalty.can_cancel = state in ("draft", "confirmed", "approved") and (
                is_manager or is_finance
            )
            penalty.can_reverse = (
                state == "applied"
                and is_finance
                and not penalty.reversal_ids.filtered(lambda r: r.state != "cancelled")
            )
