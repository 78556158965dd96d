from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_ref_prefix = fields.Char(
        related="company_id.complaint_ref_prefix", readonly=False
    )
