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
