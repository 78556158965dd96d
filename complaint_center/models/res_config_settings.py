from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_ref_prefix = fields.Char(
        related="company_id.complaint_ref_prefix", readonly=False
    )
    complaint_director_id = fields.Many2one(
        related="company_id.complaint_director_id", readonly=False
    )
    complaint_executive_id = fields.Many2one(
        related="company_id.complaint_executive_id", readonly=False
    )
    complaint_executive_threshold = fields.Monetary(
        related="company_id.complaint_executive_threshold", readonly=False
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False
    )
    complaint_require_actions_done = fields.Boolean(
        related="company_id.complaint_require_actions_done", readonly=False
    )
    complaint_auto_mail = fields.Boolean(
        related="company_id.complaint_auto_mail", readonly=False
    )
    complaint_penalty_executive_threshold = fields.Monetary(
        related="company_id.complaint_penalty_executive_threshold", readonly=False
    )
    complaint_mail_create_partner = fields.Boolean(
        related="company_id.complaint_mail_create_partner", readonly=False
    )
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
