from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from ..core import lifecycle

EXTENSION_STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
# action -> {from_state: (to_state, roles)}
EXTENSION_TRANSITIONS = {
    "approve": {"requested": ("approved", ("manager",))},
    "refuse": {"requested": ("refused", ("manager",))},
}


class ComplaintExtension(models.Model):
    """A handler's request for more time to resolve (延期), decided by a
    manager who is not the requester."""

    _name = "complaint.extension"
    _inherit = ["complaint.workflow.mixin"]
    _workflow_fields = frozenset({"requested_by_id", "decided_by_id", "date_decided"})
    _workflow_transitions = EXTENSION_TRANSITIONS
    _description = "Complaint Deadline Extension"
    _order = "id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    days = fields.Integer(string="Extra Working Days", required=True, default=1)
    reason = fields.Text(required=True)
    state = fields.Selection(
        EXTENSION_STATES,
        default="requested",
        required=True,
        readonly=True,
        copy=False,
    )
    requested_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_decided = fields.Datetime(readonly=True, copy=False)
    decision_note = fields.Text()
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "An extension is at least one day."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for ext in records:
            ext._check_request()
            ext.complaint_id.message_post(
                body=self.env._(
                    "Extension of %(days)s working day(s) requested: %(reason)s",
                    days=ext.days,
                    reason=ext.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return records

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model
    def _workflow_initial_values(self):
        # Nobody requests an extension in someone else's name.
        return dict(super()._workflow_initial_values(), requested_by_id=self.env.uid)

    @api.model
    def _workflow_editable_fields(self):
        # A decided extension is final.
        return {"requested": {"days", "reason", "decision_note"}}

    def write(self, vals):
        # The days asked for are the complaint's deadline: nobody involved in
        # it changes a request.
        if not self.env.su:
            self.complaint_id._check_recusal()
        return super().write(vals)

    @api.constrains("days")
    def _check_days(self):
        for ext in self.filtered(lambda e: e.state == "requested"):
            ext._check_limit()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(ext.state != "requested" for ext in self):
            raise UserError(self.env._("A decided extension cannot be deleted."))

    def _check_request(self):
        self.ensure_one()
        complaint = self.complaint_id
        if not complaint._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s (or a manager) may "
                    "request an extension.",
                    ref=complaint.name,
                )
            )
        if complaint.state not in lifecycle.OPEN_STATES:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is no longer open; its deadline cannot be "
                    "extended.",
                    ref=complaint.name,
                )
            )
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Give the reason for the extension."))
        pending = complaint.extension_ids.filtered(lambda e: e.state == "requested")
        if pending - self:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s already has an extension request waiting "
                    "for a decision.",
                    ref=complaint.name,
                )
            )
        self._check_limit()

    def _check_limit(self):
        complaint = self.complaint_id
        limit = complaint.policy_id.sudo().max_extension_days
        if complaint.extension_days + self.days > limit:
            raise ValidationError(
                self.env._(
                    "Complaint %(ref)s may be extended by %(limit)s working day(s) "
                    "in all; %(granted)s already granted, %(asked)s asked.",
                    ref=complaint.name,
                    limit=limit,
                    granted=complaint.extension_days,
                    asked=self.days,
                )
            )

    @api.depends("state", "requested_by_id", "complaint_id.involved_user_ids")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        readable = self._filtered_access("read")
        for ext in self:
            ext.can_decide = ext in readable and ext._workflow_allows("approve")

    def _check_step(self, step):
        """The guard of Approve and Refuse: a manager other than the
        requester, not involved in the complaint, decides a pending request."""
        res = super()._check_step(step)
        if self.requested_by_id == self.env.user:
            raise AccessError(
                self.env._("You cannot decide on your own extension request.")
            )
        self.complaint_id._check_recusal()
        return res

    def _step_refusal(self, step, err):
        return self.env._("This extension was already decided.")

    def _role_refusal(self, step, err):
        return self.env._("Only a complaint manager may decide on extensions.")

    def _decide(self, step):
        self._check_steps(step)
        if step == "approve":
            for ext in self:
                ext._check_limit()
        self._write_step(
            step,
            {"decided_by_id": self.env.user.id, "date_decided": self._complaint_now()},
        )

    def action_approve(self):
        self._decide("approve")
        for ext in self:
            ext.complaint_id._extend_resolve_deadline(ext.days)
            ext.complaint_id.message_post(
                body=self.env._(
                    "Extension of %(days)s working day(s) approved by %(user)s; "
                    "resolve by %(deadline)s.",
                    days=ext.days,
                    user=self.env.user.name,
                    deadline=format_datetime(
                        self.env, ext.complaint_id.date_resolve_deadline
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_refuse(self):
        self._decide("refuse")
        for ext in self:
            ext.complaint_id.message_post(
                body=self.env._(
                    "Extension of %(days)s working day(s) refused by %(user)s: "
                    "%(note)s",
                    days=ext.days,
                    user=self.env.user.name,
                    note=ext.decision_note or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
