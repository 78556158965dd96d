import pytz

from odoo import api, models
from odoo.tools import date_utils

from ..core import reference


class ComplaintReferenceMixin(models.AbstractModel):
    """Register numbers ``<prefix>YYMM-NNNN`` (编码原则: 年度, 月份, 流水编号),
    gapless: a per-company ``no_gap`` ``ir.sequence`` counts, one date range
    per month; the core formats.

    A gapless counter is a row every intake of the company updates, so the
    number is taken as late as possible: ``name`` is a stored field
    computed once, when it is first read (a mail, an activity, the form
    reading the saved record) or, when nothing read it, by the flush that
    precedes the commit. A save refused before that takes no number; one
    refused after rolls the counter back with it. The counter row is
    locked from then to the commit only; a concurrent intake that finds it
    locked or changed since its transaction began fails with a concurrency
    error and Odoo replays the request (benchmarks/load.py, 20 clients: no
    gap, no duplicate; 0 failures at a person's pace, but with no pause at
    all a few creates in a run exhaust Odoo's five tries, see
    benchmarks/README.md)."""

    _name = "complaint.reference.mixin"
    _inherit = ["complaint.clock.mixin"]
    _description = "Complaint Center Reference Numbering"

    @api.depends("company_id", "date_received")
    def _compute_name(self):
        # What the reference is made of; a reference once given never
        # changes (a corrected receipt date keeps it).
        placeholder = self.env._("New")
        todo = self.browse()
        for rec in self:
            if not isinstance(rec.id, int):
                # A form takes no number: it shows the saved one, if any.
                rec.name = rec._origin.name or placeholder
            elif not rec.name:
                todo |= rec
        # Ordered as created: a batch is numbered in its own order.
        todo = todo.sorted("id")
        months = {}
        for rec in todo:
            company = rec.company_id
            local = self._to_local(
                rec.date_received or self._complaint_now(), self._company_tz(company)
            )
            months.setdefault((company, date_utils.get_month(local.date())), []).append(
                (rec, local)
            )
        for (company, (first, last)), items in months.items():
            serials = self._take_serials(company, first, last, len(items))
            for (rec, local), serial in zip(items, serials, strict=True):
                rec.name = reference.format_reference(
                    company.complaint_ref_prefix, local, serial
                )

    @api.model
    def _take_serials(self, company, first, last, count):
        """``count`` consecutive serials of ``company``'s month from
        ``first`` to ``last``: one counter bump whatever ``count``."""
        sequence = self._complaint_sequence(company)
        date_range = self._complaint_month_range(sequence, first, last)
        # Locks the month's counter row (NOWAIT) until the commit.
        start = int(sequence.next_by_id(sequence_date=first))
        if count > 1:
            date_range.number_next = start + count
        return list(range(start, start + count))

    @api.model
    def _complaint_month_range(self, sequence, first, last):
        """The date range counting the month from ``first`` to ``last``,
        created by the month's first complaint."""
        ranges = self.env["ir.sequence.date_range"].sudo()
        domain = [
            ("sequence_id", "=", sequence.id),
            ("date_from", "<=", first),
            ("date_to", ">=", first),
        ]
        date_range = ranges.search(domain, limit=1)
        if date_range:
            return date_range
        # Two first complaints of a month must not each create a range (two
        # counters): both update the sequence row first, so the one whose
        # transaction could not see the other's range fails to serialize and
        # Odoo replays it, finding the range.
        sequence.write({"use_date_range": True})
        return ranges.search(domain, limit=1) or ranges.create(
            {"sequence_id": sequence.id, "date_from": first, "date_to": last}
        )

    @api.model
    def _complaint_sequence(self, company):
        """The company's complaint sequence, created on first use; one made
        by 18.0.1.1.0 (a PostgreSQL sequence, gaps allowed) is made gapless
        keeping its counters."""
        sequence = company.sudo().complaint_sequence_id
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._(
                            "Complaints (%(company)s)", company=company.name
                        ),
                        "code": "complaint.complaint",
                        "company_id": company.id,
                        "implementation": "no_gap",
                        "use_date_range": True,
                        "padding": reference.DEFAULT_PADDING,
                    }
                )
            )
            company.sudo().complaint_sequence_id = sequence
        elif sequence.implementation != "no_gap":
            self._make_gapless(sequence)
        if sequence.prefix or sequence.suffix:
            # The serial alone is counted there; the company's prefix and the
            # month are the reference's format (core/reference.py).
            sequence.write({"prefix": False, "suffix": False})
        return sequence

    @api.model
    def _make_gapless(self, sequence):
        """Switch ``sequence`` to ``no_gap``, each month's counter where its
        PostgreSQL sequence stood."""
        ranges = sequence.date_range_ids
        # Read from PostgreSQL now, not from the cache.
        ranges.invalidate_recordset(["number_next_actual"])
        counters = {r: r.number_next_actual for r in ranges}
        sequence.write({"implementation": "no_gap"})
        for date_range, number_next in counters.items():
            date_range.number_next = number_next

    @api.model
    def _company_tz(self, company):
        return pytz.timezone(company._complaint_tz())

    @api.model
    def _to_local(self, value, tz):
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _to_utc(self, value, tz):
        return tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)
