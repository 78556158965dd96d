"""The shared base of this addon's XLSX reports (OCA report_xlsx).

Every report runs as the requesting user: rows are searched and read with
the user's record rules and field groups, never as superuser. The sheet
writing itself is the pure ``core/sheets.py``.
"""

from odoo import fields, models

from ..core import sheets

# xlsxwriter number formats per column kind.
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "integer": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.0%",
    "hours": "0.0",
}
# What ``read`` makes of a NULL column of these field types.
READ_EMPTY = {"boolean": False, "integer": 0, "float": 0.0, "monetary": 0.0}


class ComplaintXlsxReport(models.AbstractModel):
    _name = "complaint.xlsx.report"
    _inherit = "report.report_xlsx.abstract"
    _description = "Complaint XLSX Report"

    # Records read and written per round; the cache is emptied after each.
    _xlsx_chunk_size = 2000

    def _xlsx_formats(self, workbook):
        """Cell formats per column kind, plus header, title and totals."""
        formats = {
            kind: workbook.add_format({"num_format": num_format})
            for kind, num_format in NUMBER_FORMATS.items()
        }
        formats["title"] = workbook.add_format({"bold": True, "font_size": 14})
        formats["subtitle"] = workbook.add_format({"italic": True})
        formats["header"] = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
        )
        formats["total_label"] = workbook.add_format({"bold": True, "top": 1})
        for kind in ("integer", "number", "money", "percent"):
            formats[f"total_{kind}"] = workbook.add_format(
                {"bold": True, "top": 1, "num_format": NUMBER_FORMATS[kind]}
            )
        return formats

    def _xlsx_tz(self):
        """The time zone dates are shown in: the user's, as in the UI."""
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _xlsx_column(self, model, name, width, kind=None, header=None):
        """A column for field ``name`` of ``model``: header from the field's
        (translated) label, labels from its selection."""
        field = self.env[model]._fields[name]
        kind = kind or {
            "many2one": "many2one",
            "selection": "selection",
            "boolean": "bool",
            "datetime": "datetime",
            "date": "date",
            "integer": "integer",
            "monetary": "money",
            "float": "number",
        }.get(field.type, "text")
        labels = None
        if kind == "selection":
            labels = dict(field._description_selection(self.env))
        elif kind == "bool":
            labels = {True: self.env._("Yes"), False: self.env._("No")}
        return sheets.Column(
            name, header or field._description_string(self.env), width, kind, labels
        )

    def _xlsx_title(self, sheet, formats, title, subtitle):
        """Title and subtitle lines (company, criteria, who printed when) on
        top of ``sheet``; returns the next row."""
        printed = sheets.local_naive(fields.Datetime.now(), self._xlsx_tz())
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, subtitle, formats["subtitle"])
        sheet.write_string(
            2,
            0,
            self.env._(
                "Printed by %(user)s on %(date)s",
                user=self.env.user.name,
                date=printed.strftime("%Y-%m-%d %H:%M"),
            ),
            formats["subtitle"],
        )
        return 4

    def _xlsx_check_company(self, company):
        """Another company's list is refused, not printed empty."""
        self.env["complaint.statistics"]._check_company(company)

    def _xlsx_is_limited(self, Model, domain, records):
        """Whether ``domain`` finds more records than the user sees: the
        subtitle then says the list is limited (never by how much)."""
        if self.env.su:
            return False
        Model = Model.with_context(active_test=False)
        return Model.sudo().search_count(domain) != len(records)

    def _xlsx_limited_note(self):
        return self.env._("limited to what you may see, not the whole company's")

    def _xlsx_read(self, records, field_names):
        """Yield ``{field: [value per record]}`` for ``records``, chunk by
        chunk and in their order, with the values ``read`` gives (a
        many2one as ``(id, display name)``), but without ``read``'s cost per
        value: each chunk is fetched as the current user (record rules and
        field groups apply) and its values taken from the cache column by
        column (``id`` holds the records' ids). The cache is emptied after
        each chunk, so memory stays flat for any row count."""
        Model = records.browse().with_context(active_test=False)
        fields_ = [Model._fields[name] for name in field_names]
        for ids in sheets.chunked(records.ids, self._xlsx_chunk_size):
            chunk = Model.search_fetch([("id", "in", ids)], field_names)
            # In the order of ``records``: the search sorts by the model's.
            found = set(chunk._ids)
            chunk = chunk.browse([id_ for id_ in ids if id_ in found])
            values = {}
            for field in fields_:
                column = list(self.env.cache.get_values(chunk, field))
                if field.type == "many2one":
                    names = self._xlsx_display_names(chunk, field, column)
                    column = [names.get(value, False) for value in column]
                elif field.type in READ_EMPTY:
                    empty = READ_EMPTY[field.type]
                    column = [empty if value is None else value for value in column]
                values[field.name] = column
            values["id"] = chunk.ids
            yield values
            self.env.invalidate_all()

    def _xlsx_display_names(self, records, field, ids):
        """``{id: (id, display name)}`` of the many2one ``field``'s values,
        converted by the field as ``read`` converts them."""
        comodel = self.env[field.comodel_name].browse({i for i in ids if i})
        return {
            value.id: field.convert_to_read(value, records, use_display_name=True)
            for value in comodel
        }
