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
