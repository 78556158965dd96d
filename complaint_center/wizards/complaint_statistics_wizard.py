"""Choose the month, quarter or half-year and the company of the statistics
report."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import statistics

PERIOD_KINDS = [
    ("month", "Monthly"),
    ("quarter", "Quarterly"),
    ("half", "Half-Yearly"),
]


class ComplaintStatisticsWizard(models.TransientModel):
    _name = "complaint.statistics.wizard"
    _description = "Complaint Statistics Report"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    period_kind = fields.Selection(
        PERIOD_KINDS, string="Period", required=True, default="month"
    )
    year = fields.Integer(
        required=True, default=lambda self: self._default_period("month")["year"]
    )
    month = fields.Integer(
        default=lambda self: self._default_period("month")["number"],
        help="1 to 12.",
    )
    # The quarter of the default month, so that the default year fits both.
    quarter = fields.Integer(
        default=lambda self: (self._default_period("month")["number"] - 1) // 3 + 1,
        help="1 to 4.",
    )
    # 半年汇总 (001 篇八): reviewed each June and December.
    half = fields.Integer(
        string="Half-Year",
        default=lambda self: (self._default_period("month")["number"] - 1) // 6 + 1,
        help="1 (January to June) or 2 (July to December).",
    )
    period_label = fields.Char(compute="_compute_period_label")

    @api.model
    def _company_today(self, company=None):
        """Today in the company's time zone (the periods are counted in it)."""
        return (company or self.env.company)._complaint_today()

    @api.model
    def _default_period(self, kind):
        """The last complete month or quarter of the current company."""
        return statistics.last_period(kind, self._company_today())

    @api.depends("period_kind", "year", "month", "quarter", "half")
    def _compute_period_label(self):
        for wizard in self:
            try:
                wizard.period_label = statistics.period(*wizard._period_key())["label"]
            except statistics.PeriodError:
                wizard.period_label = False

    @api.onchange("period_kind")
    def _onchange_period_kind(self):
        last = statistics.last_period(
            self.period_kind or "month", self._company_today(self.company_id)
        )
        self.year = last["year"]
        self[self.period_kind or "month"] = last["number"]

    @api.constrains("period_kind", "year", "month", "quarter", "half", "company_id")
    def _check_period(self):
        for wizard in self:
            period = wizard._period()
            if period["date_from"] > self._company_today(wizard.company_id):
                raise ValidationError(
                    self.env._(
                        "The period %(period)s has not begun yet.",
                        period=period["label"],
                    )
                )

    def _period_key(self):
        self.ensure_one()
        number = {"month": self.month, "quarter": self.quarter, "half": self.half}
        return self.period_kind, self.year, number.get(self.period_kind)

    def _period(self):
        """The period dict of ``complaint.statistics``; a ValidationError
        names the wrong input."""
        try:
            return statistics.period(*self._period_key())
        except statistics.PeriodError as error:
            raise ValidationError(
                self.env["complaint.statistics"]._period_error_message(error)
            ) from error

    def action_print_pdf(self):
        self.ensure_one()
        self.env["complaint.statistics"]._check_may_print()
        self._period()
        return self.env.ref(
            "complaint_center.action_report_complaint_statistics"
        ).report_action(self)

    def action_print_xlsx(self):
        self.ensure_one()
        self.env["complaint.statistics"]._check_may_print()
        self._period()
        return self.env.ref(
            "complaint_center.action_report_complaint_statistics_xlsx"
        ).report_action(self)
