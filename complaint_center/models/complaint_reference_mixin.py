import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import reference


class ComplaintReferenceMixin(models.AbstractModel):
    """Register numbers ``<prefix>YYMM-NNNN`` (编码原则: 年度, 月份, 流水编号)
    from a per-company ``ir.sequence`` whose serial restarts each month
    through one date range per month. The core formats; Odoo's sequence
    counts.

    The sequence is ``standard``: PostgreSQL sequences never block and are
    never rolled back, so concurrent intakes neither wait for nor fail on
    one another and no number is ever given twice. A gapless (``no_gap``)
    counter serialised every intake of a company: under 20 concurrent
    clients creates failed after Odoo's five retries (benchmarks/load.py).
    The price is that a save that fails after taking its number leaves that
    number unused; complaints are still never deleted past new."""

    _name = "complaint.reference.mixin"
    _inherit = ["complaint.clock.mixin"]
    _description = "Complaint Center Reference Numbering"

    @api.model
    def _assign_references(self, vals_list):
        """Give a reference to each of ``vals_list`` that has none yet."""
        unnamed = [
            vals
            for vals in vals_list
            if not vals.get("name") or vals["name"] == self.env._("New")
        ]
        names = self._next_references(
            [
                (
                    self.env["res.company"].browse(
                        vals.get("company_id") or self.env.company.id
                    ),
                    fields.Datetime.to_datetime(
                        vals.get("date_received") or self._complaint_now()
                    ),
                )
                for vals in unnamed
            ]
        )
        for vals, name in zip(unnamed, names, strict=True):
            vals["name"] = name

    @api.model
    def _next_reference(self, company, received):
        """Reference of a complaint of ``company`` received at ``received``
        (UTC), in the company's time zone."""
        return self._next_references([(company, received)])[0]

    @api.model
    def _next_references(self, requests):
        """References for ``requests``, a list of ``(company, received)``,
        in order: one ``nextval`` query per company and month, however many
        complaints a batch holds."""
        months = {}
        for index, (company, received) in enumerate(requests):
            local = self._to_local(received, self._company_tz(company))
            key = (company, reference.month_bounds(local))
            months.setdefault(key, []).append((index, local))
        result = [None] * len(requests)
        for (company, (first, last)), items in months.items():
            sequence = self._complaint_sequence(company)
            date_range = self._complaint_month_range(sequence, first, last)
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}",
                    len(items),
                )
            )
            serials = sorted(row[0] for row in self.env.cr.fetchall())
            for (index, local), serial in zip(items, serials, strict=True):
                result[index] = reference.format_reference(
                    company.complaint_ref_prefix, local, serial
                )
        return result

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
        # Two first complaints of a month must not each create a range: the
        # sequence row is updated, so that a transaction that could not see
        # the other's range fails to serialize and is retried by Odoo.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET write_date = now() at time zone 'UTC'"
                " WHERE id = %s",
                sequence.id,
            )
        )
        return ranges.search(domain, limit=1) or ranges.create(
            {"sequence_id": sequence.id, "date_from": first, "date_to": last}
        )

    @api.model
    def _complaint_sequence(self, company):
        """The company's complaint sequence, created on first use; a
        sequence made gapless earlier is converted, keeping its counters."""
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
                        "implementation": "standard",
                        "use_date_range": True,
                        "padding": reference.DEFAULT_PADDING,
                    }
                )
            )
            company.sudo().complaint_sequence_id = sequence
        elif sequence.implementation != "standard":
            counters = {r: r.number_next for r in sequence.date_range_ids}
            sequence.write({"implementation": "standard"})
            for date_range, number_next in counters.items():
                date_range._alter_sequence(number_next=number_next)
        return sequence

    @api.model
    def _company_tz(self, company):
        return pytz.timezone(company._complaint_tz())

    @api.model
    def _to_local(self, value, tz):
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _to_utc(self, value, tz):
        return tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)
