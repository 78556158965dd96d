from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "commercial_partner_id",
        string="Complaints",
        groups="complaint_center.group_complaint_user",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="complaint_center.group_complaint_user",
        help="Complaints of this customer's commercial entity.",
    )

    def _compute_complaint_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_complaint_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    def signup_prepare(self, signup_type="signup"):
        # The portal prepares the customer's signup on every mail about a
        # portal document, complaints included; rewriting an unchanged value
        # still updates the row, so two mails about one customer's complaints
        # failed to serialize (benchmarks/load.py). Write only a change.
        changed = self.filtered(lambda partner: partner.signup_type != signup_type)
        return super(ResPartner, changed).signup_prepare(signup_type=signup_type)
