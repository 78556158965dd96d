from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "complaint.settings.mixin"]

    complaint_mail_alias = fields.Char(
        string="Complaint Mailbox",
        compute="_compute_complaint_mail_alias",
        help="Mails sent to this address are registered as complaints.",
    )

    def _compute_complaint_mail_alias(self):
        alias = self.env.ref(
            "complaint_center.mail_alias_complaints", raise_if_not_found=False
        )
        self.complaint_mail_alias = alias.sudo().display_name if alias else False
