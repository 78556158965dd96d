"""The monthly/quarterly/half-year statistics workbook (月投诉统计表) as XLSX: a summary
sheet (totals, rates, change against the previous period, a chart), then
one sheet per breakdown with a total row and a chart, and the Pareto of
categories. Its numbers are ``complaint.statistics._figures``, computed as
the requesting user."""

from odoo import models

from ..core import sheets

# Breakdowns drawn as a pie (few, fixed keys); the others as columns.
PIE_BREAKDOWNS = ("by_channel", "by_severity")
# Breakdowns whose counts are weighted by a share (not whole complaints).
WEIGHTED_BREAKDOWNS = ("by_responsible",)


class ComplaintStatisticsXlsx(models.AbstractModel):
    _name = "report.complaint_center.complaint_statistics_xlsx"
    _inherit = "complaint.xlsx.report"
    _description = "Complaint Statistics XLSX"

    def _statistics_metrics(self, figures):
        """Summary rows ``(label, kind, value, previous)``."""
        _ = self.env._
        previous = figures.get("previous") or {}

        def pair(key, sub=None):
            current, before = figures.get(key), previous.get(key)
            if sub:
                current = (current or {}).get(sub)
                before = (before or {}).get(sub)
            return current, before

        rows = [
            (_("Complaints received"), "integer", *pair("total")),
            (_("Valid"), "integer", *pair("valid")),
            (_("Not valid"), "integer", *pair("invalid")),
            (_("Validity not determined yet"), "integer", *pair("undetermined")),
            (_("Cancelled before a finding"), "integer", *pair("cancelled")),
            (_("Still open"), "integer", *pair("open")),
            (_("Closed"), "integer", *pair("closed")),
            (_("Repeat complaints"), "integer", *pair("repeat")),
            (_("Repeat rate"), "percent", *pair("repeat_rate")),
            (_("Overdue now"), "integer", *pair("overdue")),
            (_("Acknowledged on time"), "percent", *pair("on_time", "acknowledge")),
            (_("Resolved on time"), "percent", *pair("on_time", "resolve")),
            (_("Return visits on time"), "percent", *pair("on_time", "visit")),
            (
                _("Average hours to acknowledge"),
                "hours",
                *pair("avg_hours_acknowledge"),
            ),
            (_("Average hours to resolve"), "hours", *pair("avg_hours_resolve")),
            (_("Satisfaction rate"), "percent", *pair("satisfaction_rate")),
            (_("Return visit rate"), "percent", *pair("visit_rate")),
            (_("Confirmed order lines"), "integer", *pair("order_lines")),
            (
                _("Complaints per 1,000 order lines"),
                "number",
                *pair("rate_per_1000_lines"),
            ),
            (_("Compensation"), "money", *pair("compensation_total")),
            (_("Penalty deductions applied"), "money", *pair("penalty_total")),
        ]
        if figures.get("reward_total") is not None:
            rows.append((_("Rewards applied"), "money", *pair("reward_total")))
        if figures.get("chargeback_total") is not None:
            rows += [
                (_("Supplier chargebacks"), "integer", *pair("chargeback_count")),
                (
                    _("Supplier chargeback amount"),
                    "money",
                    *pair("chargeback_total"),
                ),
            ]
        rows += [
            (_("Corrective actions opened"), "integer", *pair("actions_opened")),
            (_("Corrective actions verified"), "integer", *pair("actions_verified")),
        ]
        return rows

    def _statistics_breakdowns(self):
        """The breakdown sheets: (figures key, sheet title, first header)."""
        _ = self.env._
        return [
            ("by_category", _("By Category"), _("Category")),
            ("by_department", _("By Handling Department"), _("Department")),
            (
                "by_responsible",
                _("By Responsible Party"),
                _("Responsible Party (weighted by share)"),
            ),
            ("by_channel", _("By Channel"), _("Channel")),
            ("by_severity", _("By Severity"), _("Severity")),
            ("by_urgency", _("By Urgency"), _("Urgency")),
            ("by_impact_scope", _("By Scope of Impact"), _("Scope of Impact")),
            ("by_state", _("By State"), _("State")),
        ]

    def _statistics_breakdown_sheet(self, workbook, formats, figures, spec, used):
        key, title, first_header = spec
        name = sheets.sheet_name(title, used)
        used.append(name)
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, figures["period"]["label"], formats["subtitle"])
        headers = [
            first_header,
            self.env._("Complaints"),
            self.env._("Previous Period"),
            self.env._("Change"),
            self.env._("Share"),
        ]
        table = sheets.write_breakdown(
            sheet,
            headers,
            figures[key],
            formats,
            3,
            self.env._("Total"),
            count_kind="number" if key in WEIGHTED_BREAKDOWNS else "integer",
        )
        spec = sheets.chart_series(name, table, title)
        chart_type = "pie" if key in PIE_BREAKDOWNS else "column"
        sheets.add_chart(workbook, sheet, "H4", spec, chart_type)
        return name, table

    def _statistics_pareto_sheet(self, workbook, formats, figures, used):
        name = sheets.sheet_name(self.env._("Pareto"), used)
        used.append(name)
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, self.env._("Pareto of Categories"), formats["title"])
        sheet.write_string(1, 0, figures["period"]["label"], formats["subtitle"])
        columns = [
            sheets.Column("label", self.env._("Category"), 40, "text"),
            sheets.Column("count", self.env._("Complaints"), 12, "integer"),
            sheets.Column(
                "cumulative_share", self.env._("Cumulative Share"), 16, "percent"
            ),
        ]
        row = sheets.write_header(sheet, columns, 3, formats["header"])
        converters = [sheets.converter(column) for column in columns]
        rows = [
            sheets.cell_values(item, columns, converters)
            for item in figures.get("pareto") or []
        ]
        sheets.write_rows(sheet, columns, rows, formats, row)

    def _statistics_months_sheet(self, workbook, formats, figures, used):
        """The months of a quarter or a half-year, one row each."""
        _ = self.env._
        name = sheets.sheet_name(_("Months"), used)
        used.append(name)
        sheet = workbook.add_worksheet(name)
        title = (
            _("Months of the Half-Year")
            if figures["period"]["kind"] == "half"
            else _("Months of the Quarter")
        )
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, figures["period"]["label"], formats["subtitle"])
        columns = [
            sheets.Column("label", _("Month"), 12, "text"),
            sheets.Column("total", _("Complaints received"), 12, "integer"),
            sheets.Column("valid", _("Valid"), 10, "integer"),
            sheets.Column("invalid", _("Not valid"), 10, "integer"),
            sheets.Column("undetermined", _("Not determined"), 12, "integer"),
            sheets.Column("cancelled", _("Cancelled"), 10, "integer"),
            sheets.Column("repeat", _("Repeat complaints"), 12, "integer"),
            sheets.Column("repeat_rate", _("Repeat rate"), 12, "percent"),
            sheets.Column("ack", _("Acknowledged on time"), 14, "percent"),
            sheets.Column("resolve", _("Resolved on time"), 14, "percent"),
            sheets.Column("visit", _("Return visits on time"), 14, "percent"),
        ]
        row = sheets.write_header(sheet, columns, 3, formats["header"])
        converters = [sheets.converter(column) for column in columns]
        items = [
            {
                **month,
                "label": month["period"]["label"],
                "ack": month["on_time"]["acknowledge"],
                "resolve": month["on_time"]["resolve"],
                "visit": month["on_time"]["visit"],
            }
            for month in figures["months"]
        ]
        rows = [sheets.cell_values(item, columns, converters) for item in items]
        sheets.write_rows(sheet, columns, rows, formats, row)

    def _statistics_workbook(self, workbook, formats, figures, used):
        period_label = figures["period"]["label"]
        summary = sheets.sheet_name(self.env._("Summary"), used)
        used.append(summary)
        sheet = workbook.add_worksheet(summary)
        subtitle = figures["company_name"]
        if figures.get("limited"):
            subtitle += " · " + self.env._(
                "limited to the complaints you may see, not the whole company's"
            )
        row = self._xlsx_title(
            sheet,
            formats,
            self.env._("Complaint Statistics %(period)s", period=period_label),
            subtitle,
        )
        headers = [
            self.env._("Indicator"),
            period_label,
            self.env._("Previous Period"),
            self.env._("Change"),
        ]
        metrics = self._statistics_metrics(figures)
        sheets.write_metrics(sheet, headers, metrics, formats, row)
        tables = {
            spec[0]: self._statistics_breakdown_sheet(
                workbook, formats, figures, spec, used
            )
            for spec in self._statistics_breakdowns()
        }
        self._statistics_pareto_sheet(workbook, formats, figures, used)
        if len(figures.get("months") or ()) > 1:
            self._statistics_months_sheet(workbook, formats, figures, used)
        category_sheet, category_table = tables["by_category"]
        spec = sheets.chart_series(
            category_sheet, category_table, self.env._("Complaints by Category")
        )
        sheets.add_chart(workbook, sheet, "G5", spec)

    def generate_xlsx_report(self, workbook, data, objs):
        stats = self.env["complaint.statistics"]
        stats._check_may_print()
        formats = self._xlsx_formats(workbook)
        used = []
        for wizard in objs:
            figures = stats._figures(wizard.company_id, wizard._period())
            self._statistics_workbook(workbook, formats, figures, used)
