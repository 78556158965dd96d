"""Print the complaint register (投诉台账) of a period, or the payroll
deduction list (扣款清单) of a payroll period.

The wizard hands the reports its criteria, never a list of ids: the report
searches the complaints (or penalties) itself, as the user.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

REGISTER_REPORT = "complaint_center.action_report_complaint_register_xlsx"
PAYROLL_REPORT = "complaint_center.action_report_complaint_payroll_xlsx"


class ComplaintRegisterWizard(models.TransientModel):
    _name = "complaint.register.wizard"
    _description = "Complaint Register and Payroll List"

    date_from = fields.Date(
        string="Received From",
        required=True,
        default=lambda self: self.env.company._complaint_today().replace(day=1),
    )
    date_to = fields.Date(
        string="Received To",
        required=True,
        default=lambda self: self.env.company._complaint_today(),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Leave empty to list the complaints of every department.",
    )
    payroll_period = fields.Char(
        default=lambda self: (
            self.env.company._complaint_today() - relativedelta(months=1)
        ).strftime("%Y-%m"),
        help="Payroll period of the deduction list, e.g. 2026-11: the "
        "penalties applied in it.",
    )
    in_background = fields.Boolean(
        string="Send to My Inbox",
        help="Make the spreadsheet after this window closes and send it to "
        "your inbox, instead of waiting for it.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The register period must not end before it starts.")
                )

    @api.constrains("payroll_period")
    def _check_payroll_period(self):
        for wizard in self:
            if wizard.payroll_period:
                self.env["complaint.penalty"]._check_period_value(wizard.payroll_period)

    def action_print_register(self):
        self.ensure_one()
        criteria = {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
            "department_id": self.department_id.id,
        }
        return self._report_action(REGISTER_REPORT, {"criteria": criteria})

    def action_print_payroll(self):
        self.ensure_one()
        if not self.payroll_period:
            raise ValidationError(
                self.env._("Give the payroll period of the deduction list.")
            )
        payroll = {
            "payroll_period": self.payroll_period,
            "company_id": self.company_id.id,
        }
        return self._report_action(PAYROLL_REPORT, {"payroll": payroll})

    def _report_action(self, xmlid, data):
        # No active_ids: the report lists what the criteria find.
        report = self.env.ref(xmlid).with_context(active_ids=[], active_id=False)
        if not self.in_background:
            return report.report_action([], data=data, config=False)
        return (
            self.env["complaint.print.job"]._enqueue(report, data=data)._queued_action()
        )
