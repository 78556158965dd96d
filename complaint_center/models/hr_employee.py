from odoo import fields, models

from .complaint_penalty import AMOUNT_GROUPS


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # Employee fields missing from hr.employee.public need groups, or every
    # user outside HR fails a plain read of employees.
    complaint_pay_currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Pay Base Currency",
        groups=AMOUNT_GROUPS,
    )
    complaint_pay_base = fields.Monetary(
        string="Performance Pay Base",
        currency_field="complaint_pay_currency_id",
        groups=AMOUNT_GROUPS,
        # Not fetched with the other employee fields: users outside HR read
        # employees through their public profile, which lacks it.
        prefetch=False,
        help="Monthly performance pay or bonus that percentage penalties are "
        "computed on. Visible to finance and complaint managers only.",
    )
