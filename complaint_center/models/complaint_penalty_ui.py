"""Which workflow buttons the current user sees on a penalty: exactly the
steps the guard of the action would let through."""

from odoo import api, fields, models

from .complaint_penalty import PENALTY_TRANSITIONS


class ComplaintPenalty(models.Model):
    _inherit = "complaint.penalty"

    can_confirm = fields.Boolean(compute="_compute_can_buttons")
    can_approve = fields.Boolean(compute="_compute_can_buttons")
    can_apply = fields.Boolean(compute="_compute_can_buttons")
    can_cancel = fields.Boolean(compute="_compute_can_buttons")
    can_reverse = fields.Boolean(compute="_compute_can_buttons")

    @api.depends(
        "state",
        "approved_by_id",
        "executive_approved_by_id",
        "needs_executive",
        "reversal_ids.state",
    )
    @api.depends_context("uid")
    def _compute_can_buttons(self):
        self._workflow_set_flags(PENALTY_TRANSITIONS, "_check_step")
