"""The annual customer satisfaction analysis (客户满意度调查分析报告, 002 4.5):
the figures service and the PDF report built on it.

A response is a complaint's recorded satisfaction, from a return visit or
the customer's rating (both record it on the complaint), counted in the
year its feedback was recorded in the company's time zone. The satisfied
answers are those the statistics count (very satisfied and satisfied).
Everything is read as the calling user: record rules decide which
complaints count, and a report of fewer complaints than the company's says
it is limited to what the user may see. The lowest-rated cases are named by
reference, category and department only, never by customer or complainant.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import statistics
from ..models.complaint_selections import SATISFACTION
from .complaint_statistics import SATISFIED

# Cases listed as the lowest rated: the unhappiest first.
LOW_LEVELS = ("unsatisfied", "neutral")
LOWEST_LIMIT = 15
FIELDS = ["name", "satisfaction", "date_feedback", "category_id", "department_id"]


class ComplaintSatisfaction(models.AbstractModel):
    _name = "complaint.satisfaction"
    _description = "Complaint Satisfaction Analysis"

    @api.model
    def _year_domain(self, company, year):
        """Complaints of ``company`` whose feedback was recorded in ``year``
        (local midnights of the company's time zone, as UTC)."""
        start, stop = statistics.utc_bounds(
            fields.Date.to_date(f"{year}-01-01"),
            fields.Date.to_date(f"{year + 1}-01-01"),
            company._complaint_tz(),
        )
        return [
            ("company_id", "=", company.id),
            ("satisfaction", "!=", False),
            ("date_feedback", ">=", start),
            ("date_feedback", "<", stop),
        ]

    @api.model
    def _analysis(self, company, year):
        """Every figure of the analysis, as plain values (see
        ``statistics.satisfaction_analysis``), with labels: ``by_category``
        and ``by_department`` as rows sorted by responses, ``lowest`` (the
        unsatisfied then neutral cases, latest first), the visits recorded
        in the year and whether the figures are ``limited``."""
        company.ensure_one()
        stats = self.env["complaint.statistics"]
        stats._check_company(company)
        if not statistics.MIN_YEAR <= year <= statistics.MAX_YEAR:
            raise UserError(
                self.env._(
                    "The year must be between %(first)s and %(last)s.",
                    first=statistics.MIN_YEAR,
                    last=statistics.MAX_YEAR,
                )
            )
        Complaint = (
            self.env["complaint.complaint"]
            .with_company(company)
            .with_context(active_test=False)
        )
        domain = self._year_domain(company, year)
        complaints = Complaint.search_fetch(domain, FIELDS, order="date_feedback, id")
        rows = [
            {
                "satisfaction": rec.satisfaction,
                "date_feedback": rec.date_feedback,
                "category": rec.category_id.id,
                "department": rec.department_id.id,
            }
            for rec in complaints
        ]
        levels = [key for key, _label in SATISFACTION]
        result = statistics.satisfaction_analysis(
            rows, levels, SATISFIED, year, company._complaint_tz()
        )
        labels = dict(
            self.env["complaint.complaint"]
            ._fields["satisfaction"]
            ._description_selection(self.env)
        )
        for row in result["distribution"]:
            row["label"] = labels[row["key"]]
        undefined = self.env._("Undefined")
        names = {
            "by_category": {
                rec.category_id.id: rec.category_id.display_name
                for rec in complaints
                if rec.category_id
            },
            "by_department": {
                rec.department_id.id: rec.department_id.display_name
                for rec in complaints
                if rec.department_id
            },
        }
        for name in ("by_category", "by_department"):
            result[name] = sorted(
                (
                    {**summary, "label": names[name].get(key, undefined)}
                    for key, summary in result[name].items()
                ),
                key=lambda row: (-row["responses"], row["label"]),
            )
        for number, month in enumerate(result["months"], start=1):
            month["label"] = f"{year}-{number:02d}"
        low = complaints.filtered(lambda rec: rec.satisfaction in LOW_LEVELS)
        result["lowest"] = sorted(
            low,
            key=lambda rec: (
                LOW_LEVELS.index(rec.satisfaction),
                -rec.date_feedback.timestamp(),
            ),
        )[:LOWEST_LIMIT]
        result["visits"] = self._visit_count(company, year)
        result.update(
            year=year,
            company_name=company.name,
            limited=stats._is_limited(domain, len(complaints)),
        )
        return result

    @api.model
    def _visit_count(self, company, year):
        """Return visits recorded in the year, as the user may read them."""
        start, stop = statistics.utc_bounds(
            fields.Date.to_date(f"{year}-01-01"),
            fields.Date.to_date(f"{year + 1}-01-01"),
            company._complaint_tz(),
        )
        return self.env["complaint.visit"].search_count(
            [
                ("company_id", "=", company.id),
                ("date", ">=", start),
                ("date", "<", stop),
            ]
        )


class ReportComplaintSatisfaction(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_satisfaction"
    _description = "Annual Customer Satisfaction Analysis"

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["complaint.statistics"]._check_may_print()
        wizards = self.env["complaint.satisfaction.wizard"].browse(docids)
        if not wizards:
            raise UserError(
                self.env._("Choose a company and a year for the satisfaction analysis.")
            )
        analysis = self.env["complaint.satisfaction"]
        docs = [
            {
                "record": wizard,
                "company": wizard.company_id,
                "figures": analysis._analysis(wizard.company_id, wizard.year),
            }
            for wizard in wizards
        ]
        return {
            "doc_ids": docids,
            "doc_model": "complaint.satisfaction.wizard",
            "docs": docs,
            "prepared_by": self.env.user,
            "print_date": fields.Date.context_today(self),
            "fmt": _fmt,
        }


def _fmt(value, kind="count"):
    """A count, or a rate (a fraction) in percent; a dash when unknown."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f} %"
    return f"{value:,.0f}"
