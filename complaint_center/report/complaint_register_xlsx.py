"""The complaint register (投诉台账) as XLSX: the selected complaints, or
every complaint received in a period (from the register wizard).

Built for 100,000 rows: ids are searched once, rows are read per chunk of
stored fields only and streamed through xlsxwriter's ``constant_memory``
mode. No complainant contact is ever written (保密), and whoever may not see
the complainant of a complaint gets its customer's company only (the
customer contact is often the complainant himself), as on the printed forms.
"""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..core import sheets

# (field, width, kind or None for the field's own) in column order.
REGISTER_COLUMNS = [
    ("name", 16, None),
    ("date_received", 17, None),
    ("channel", 14, None),
    ("partner_id", 28, None),
    ("sale_order_id", 12, None),
    ("category_id", 20, None),
    ("severity", 10, None),
    ("state", 14, None),
    ("validity", 12, None),
    ("user_id", 16, None),
    ("department_id", 18, None),
    ("date_ack_deadline", 17, None),
    ("date_acknowledged", 17, None),
    ("ack_on_time", 10, None),
    ("date_resolve_deadline", 17, None),
    ("date_resolved", 17, None),
    ("resolve_on_time", 10, None),
    ("date_closed", 17, None),
    ("resolution_type", 16, None),
    ("compensation_amount", 12, None),
    ("satisfaction", 12, None),
    ("is_repeat", 8, None),
    ("escalation_level", 8, None),
]
# On-time marks mean something only once the step was taken: blank before.
ON_TIME_STEPS = {
    "ack_on_time": "date_acknowledged",
    "resolve_on_time": "date_resolved",
}


class ComplaintRegisterXlsx(models.AbstractModel):
    _name = "report.complaint_center.complaint_register_xlsx"
    _inherit = "complaint.xlsx.report"
    _description = "Complaint Register XLSX"

    def get_workbook_options(self):
        # Rows go to disk as they are written: memory stays flat.
        return {"constant_memory": True}

    def _register_complaints(self, data, objs):
        """The complaints to list, searched as the user (record rules
        apply): the wizard's period criteria, else the selected ids."""
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        criteria = (data or {}).get("criteria")
        if criteria:
            domain = self._register_domain(criteria)
            complaints = Complaint.search(domain)
            limited = self._xlsx_is_limited(Complaint, domain, complaints)
            return complaints, dict(criteria, limited=limited)
        if objs._name != Complaint._name:
            raise UserError(self.env._("Select the complaints to list."))
        return Complaint.search([("id", "in", objs.ids)]), None

    def _register_domain(self, criteria):
        """The period domain of the wizard's criteria: received between the
        two dates (inclusive), in the company's time zone as the statistics
        count them. Only plain values are taken from ``criteria``."""
        try:
            date_from = fields.Date.to_date(criteria["date_from"])
            date_to = fields.Date.to_date(criteria["date_to"])
            company = self.env["res.company"].browse(int(criteria["company_id"]))
            department_id = int(criteria.get("department_id") or 0)
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(self.env._("The register criteria are invalid.")) from error
        self._xlsx_check_company(company)
        tz = company._complaint_tz()
        start, end = sheets.utc_bounds(date_from, date_to, tz)
        domain = [
            ("company_id", "=", company.id),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        if department_id:
            # A department's register holds its sub-departments' complaints.
            domain.append(("department_id", "child_of", department_id))
        return domain

    def _register_subtitle(self, criteria, count):
        if not criteria:
            # One message per number: "1 selected complaints" read wrong.
            if count == 1:
                return self.env._("1 selected complaint")
            return self.env._("%(count)s selected complaints", count=count)
        company = self.env["res.company"].browse(int(criteria["company_id"]))
        department = self.env["hr.department"].browse(
            int(criteria.get("department_id") or 0)
        )
<<<<<<< HEAD
        values = {
            "company": company.name,
            "department": (" / " + department.name) if department else "",
            "date_from": criteria["date_from"],
            "date_to": criteria["date_to"],
            "count": count,
        }
        if count == 1:
            subtitle = self.env._(
                "%(company)s%(department)s, received %(date_from)s to "
                "%(date_to)s: 1 complaint",
                **values,
            )
        else:
            subtitle = self.env._(
                "%(company)s%(department)s, received %(date_from)s to %(date_to)s: "
                "%(count)s complaints",
                **values,
=======
        subtitle = self.env._(
            "%(company)s%(department)s, received %(date_from)s to %(date_to)s: "
            "%(count)s complaints",
            company=company.name,
            department=(" / " + department.name) if department else "",
            date_from=criteria["date_from"],
            date_to=criteria["date_to"],
            count=count,
        )
        date_from = fields.Date.to_date(criteria["date_from"])
        if date_from.weekday() == 0 and fields.Date.to_date(
            criteria["date_to"]
        ) == date_from + timedelta(days=6):
            # A week from Monday to Sunday (the weekly register): named.
            year, week, _day = date_from.isocalendar()
            subtitle += " · " + self.env._(
                "week %(week)s of %(year)s", week=week, year=year
>>>>>>> wt-notices
            )
        if criteria.get("limited"):
            subtitle += " · " + self._xlsx_limited_note()
        return subtitle

    def _register_hidden_customers(self, complaints):
        """``{complaint id: customer as listed}`` for the complaints whose
        complainant the user may not see: the customer's company, or
        "Confidential" when the customer is a person (the complainant
        himself). One search for the readers, whatever the row count."""
        if self.env.su or not complaints:
            return {}
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        readers = Complaint.sudo().search(
            [("id", "in", complaints.ids)] + Complaint._complainant_domain()
        )
        hidden = complaints - readers.with_env(complaints.env)
        confidential = self.env._("Confidential")
        result = {}
        for rec in hidden:
            company = rec.partner_id.commercial_partner_id
            result[rec.id] = company.name if company.is_company else confidential
        return result

    def generate_xlsx_report(self, workbook, data, objs):
        complaints, criteria = self._register_complaints(data, objs)
        columns = [
            self._xlsx_column("complaint.complaint", name, width, kind)
            for name, width, kind in REGISTER_COLUMNS
        ]
        tz = self._xlsx_tz()
        converters = [sheets.converter(column, tz) for column in columns]
        formats = self._xlsx_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Complaint Register"))
        row = self._xlsx_title(
            sheet,
            formats,
            self.env._("Complaint Register"),
            self._register_subtitle(criteria, len(complaints)),
        )
        header_row = row
        row = sheets.write_header(sheet, columns, row, formats["header"])
        sheet.freeze_panes(row, 1)
        field_names = [column.key for column in columns]
        hidden = self._register_hidden_customers(complaints)
        for chunk in self._xlsx_read(complaints, field_names):
            chunk["partner_id"] = [
                (0, hidden[rec_id]) if rec_id in hidden else partner
                for rec_id, partner in zip(
                    chunk["id"], chunk["partner_id"], strict=True
                )
            ]
            for mark, step in ON_TIME_STEPS.items():
                chunk[mark] = [
                    on_time if reached else None
                    for on_time, reached in zip(chunk[mark], chunk[step], strict=True)
                ]
            rows = sheets.rows_from_columns(chunk, columns, converters)
            row = sheets.write_rows(sheet, columns, rows, formats, row)
        sheet.autofilter(header_row, 0, max(row - 1, header_row), len(columns) - 1)
