from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_similar_days = fields.Integer(
        string="Similar Complaints Window (Days)",
        default=90,
        help="Besides the open complaints, closed ones received within this "
        "many days are suggested as similar to a new complaint.",
    )

    @api.constrains("complaint_similar_days")
    def _check_complaint_similar_days(self):
        if any(company.complaint_similar_days < 0 for company in self):
            raise ValidationError(
                self.env._("The similar complaints window cannot be negative.")
            )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_similar_days = fields.Integer(
        related="company_id.complaint_similar_days", readonly=False
    )


class ComplaintSettings(models.TransientModel):
    _inherit = "complaint.settings"

    complaint_similar_days = fields.Integer(
        related="company_id.complaint_similar_days", readonly=False
    )
