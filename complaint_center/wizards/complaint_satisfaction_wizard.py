"""Choose the year and the company of the annual customer satisfaction
analysis (客户满意度调查分析报告)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import statistics


class ComplaintSatisfactionWizard(models.TransientModel):
    _name = "complaint.satisfaction.wizard"
    _description = "Annual Customer Satisfaction Analysis"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    # The year analysed at its end (002 4.5): by default the current one.
    year = fields.Integer(
        required=True, default=lambda self: self._company_today().year
    )

    @api.model
    def _company_today(self, company=None):
        return (company or self.env.company)._complaint_today()

    @api.constrains("year", "company_id")
    def _check_year(self):
        for wizard in self:
            if not statistics.MIN_YEAR <= wizard.year <= statistics.MAX_YEAR:
                raise ValidationError(
                    self.env._(
                        "The year must be between %(first)s and %(last)s.",
                        first=statistics.MIN_YEAR,
                        last=statistics.MAX_YEAR,
                    )
                )
            if wizard.year > self._company_today(wizard.company_id).year:
                raise ValidationError(
                    self.env._("The year %(year)s has not begun yet.", year=wizard.year)
                )

    def action_print_pdf(self):
        self.ensure_one()
        self.env["complaint.statistics"]._check_may_print()
        return self.env.ref(
            "complaint_center.action_report_complaint_satisfaction"
        ).report_action(self)
