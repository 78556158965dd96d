"""A complaint manager corrects what the deadlines are computed from, in
writing: the receipt time, customer, category, severity, channel, policy."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.complaint_selections import CHANNELS, SEVERITIES

# Fields of the complaint the correction may change.
CORRECTED_FIELDS = (
    "date_received",
    "partner_id",
    "category_id",
    "severity",
    "channel",
    "policy_id",
)
# What the plan was proposed and approved on: frozen with it, so that a
# correction cannot lower a case below the executive's approval and back.
PLAN_FIELDS = ("partner_id", "category_id", "severity")


class ComplaintIntakeCorrection(models.TransientModel):
    _name = "complaint.intake.correction"
    _description = "Correct the Intake of a Complaint"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="complaint_id.company_id")
    date_received = fields.Datetime(string="Received", required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, check_company=True
    )
    category_id = fields.Many2one("complaint.category", check_company=True)
    severity = fields.Selection(SEVERITIES, required=True)
    channel = fields.Selection(CHANNELS, required=True)
    policy_id = fields.Many2one(
        "complaint.policy", string="Deadline Policy", check_company=True
    )
    reason = fields.Text(
        required=True, help="Why the intake is corrected; kept in the chatter."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        complaint = self.env["complaint.complaint"].browse(values.get("complaint_id"))
        if complaint:
            for name in CORRECTED_FIELDS:
                if name in fields_list:
                    value = complaint[name]
                    values[name] = value.id if hasattr(value, "_name") else value
        return values

    def action_apply(self):
        self.ensure_one()
        complaint = self.complaint_id
        if "manager" not in self.env.user._complaint_roles():
            raise AccessError(
                self.env._("Only a complaint manager corrects the intake.")
            )
        # What the deadlines and the executive's approval follow is no
        # decision for someone involved.
        complaint._check_recusal()
        if complaint.state in ("closed", "cancelled", "rejected"):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is over; reopen it before correcting its "
                    "intake.",
                    ref=complaint.name,
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Write why the intake is corrected."))
        complaint._check_intake_values([{"date_received": self.date_received}])
        vals = {}
        for name in CORRECTED_FIELDS:
            value = self[name]
            value = value.id if hasattr(value, "_name") else value
            current = complaint[name]
            current = current.id if hasattr(current, "_name") else current
            if value != current:
                vals[name] = value
        if not vals:
            raise UserError(self.env._("Nothing was changed."))
        if complaint.state in ("proposed", "approved") and set(vals) & set(PLAN_FIELDS):
            raise UserError(
                self.env._(
                    "The plan of complaint %(ref)s was proposed on its customer, "
                    "category and severity; they change only after the plan is "
                    "sent back for review.",
                    ref=complaint.name,
                )
            )
        # Checked above: the deadline inputs are frozen for everyone else.
        complaint.sudo().write(vals)
        # Counted again from the corrected intake (tracked in the chatter).
        complaint._set_deadlines()
        complaint.message_post(
            body=self.env._(
                "Intake corrected by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=self.reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
