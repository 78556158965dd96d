import pytz

from odoo import api, models
from odoo.tools import SQL

from ..core import reference


class ComplaintReferenceMixin(models.AbstractModel):
    """Register numbers ``<prefix>YYMM-NNNN`` (编码原则: 年度, 月份, 流水编号)
    from a gapless per-company ``ir.sequence`` whose serial restarts each
    month through one date range per month, as ``account``'s sequence mixin
    numbers moves. The core formats; Odoo's sequence counts."""

    _name = "complaint.reference.mixin"
    _description = "Complaint Center Reference Numbering"

    @api.model
    def _next_reference(self, company, received):
        """Reference of a complaint of ``company`` received at ``received``
        (UTC), in the company's time zone."""
        return self._next_references([(company, received)])[0]

    @api.model
    def _next_references(self, requests):
        """References for ``requests``, a list of ``(company, received)``,
        in order: one lock per company and one counter update per month,
        however many complaints a batch holds.

        The sequence is gapless (``no_gap``): numbers are taken by an UPDATE
        of the month's row, rolled back with a failed save, and two
        concurrent creates wait on the sequence lock (``NOWAIT``: Odoo
        retries the second request), so the register never has holes
        (瞒报、漏报).
        """
        months = {}
        for index, (company, received) in enumerate(requests):
            local = self._to_local(received, self._company_tz(company))
            key = (company, reference.month_bounds(local))
            months.setdefault(key, []).append((index, local))
        result = [None] * len(requests)
        ranges = self.env["ir.sequence.date_range"].sudo()
        locked = set()
        for (company, (first, last)), items in months.items():
            sequence = self._complaint_sequence(company)
            if sequence.id not in locked:
                # Lock the sequence before looking for the month's range, so
                # that two first complaints of a month cannot each create one.
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT",
                        sequence.id,
                    )
                )
                locked.add(sequence.id)
            date_range = ranges.search(
                [
                    ("sequence_id", "=", sequence.id),
                    ("date_from", "<=", first),
                    ("date_to", ">=", first),
                ],
                limit=1,
            ) or ranges.create(
                {"sequence_id": sequence.id, "date_from": first, "date_to": last}
            )
            date_range.flush_recordset()
            taken = sequence.number_increment * len(items)
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_sequence_date_range SET number_next = number_next + %s"
                    " WHERE id = %s RETURNING number_next - %s",
                    taken,
                    date_range.id,
                    taken,
                )
            )
            serial = self.env.cr.fetchone()[0]
            date_range.invalidate_recordset(["number_next", "number_next_actual"])
            for index, local in items:
                result[index] = reference.format_reference(
                    company.complaint_ref_prefix, local, serial
                )
                serial += sequence.number_increment
        return result

    @api.model
    def _complaint_sequence(self, company):
        """The company's gapless complaint sequence, created on first use; a
        sequence made gap-allowing earlier is converted, keeping its
        counters."""
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
            for date_range in sequence.date_range_ids:
                date_range.number_next = date_range.number_next_actual
            sequence.write({"implementation": "no_gap"})
        return sequence

    @api.model
    def _company_tz(self, company):
        tz_name = company.partner_id.tz or company.resource_calendar_id.tz or "UTC"
        return pytz.timezone(tz_name)

    @api.model
    def _to_local(self, value, tz):
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _to_utc(self, value, tz):
        return tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)
