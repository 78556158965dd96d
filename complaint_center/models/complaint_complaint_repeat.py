from datetime import timedelta

from odoo import api, fields, models

# Changes on a new complaint that may make it (or stop it being) a repeat.
REPEAT_TRIGGERS = (
    "partner_id",
    "sale_order_id",
    "sale_line_ids",
    "product_ids",
    "date_received",
    "company_id",
)


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The same customer complained about the same sale order "
        "or product within the company's repeat window (Settings).",
    )

    def _after_create(self):
        res = super()._after_create()
        # Part of the creation: no tracking message for it.
        self.with_context(mail_notrack=True)._link_repeats()
        return res

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {"is_repeat"}

    def _after_write(self, vals, before):
        res = super()._after_write(vals, before)
        # _link_repeats writes only is_repeat and parent_id: no recursion.
        if any(field in vals for field in REPEAT_TRIGGERS):
            self.filtered(lambda rec: rec.state == "new")._link_repeats()
        return res

    def _find_repeat_parents(self):
        """Map each complaint of ``self`` to the most recent earlier, not
        cancelled complaint of the same customer about the same sale order or
        one of the same products, received within the company's window. One
        search for all of them."""
        todo = self.filtered(
            lambda rec: (
                rec.company_id.complaint_repeat_days > 0
                and rec.commercial_partner_id
                and (rec.sale_order_id or rec.product_ids)
            )
        )
        if not todo:
            return {}
        starts = {
            rec: rec.date_received
            - timedelta(days=rec.company_id.complaint_repeat_days)
            for rec in todo
        }
        domain = [
            ("company_id", "in", todo.company_id.ids),
            ("commercial_partner_id", "in", todo.commercial_partner_id.ids),
            ("state", "!=", "cancelled"),
            ("date_received", ">=", min(starts.values())),
            ("date_received", "<=", max(todo.mapped("date_received"))),
        ]
        if todo.sale_order_id and todo.product_ids:
            domain += [
                "|",
                ("sale_order_id", "in", todo.sale_order_id.ids),
                ("product_ids", "in", todo.product_ids.ids),
            ]
        elif todo.sale_order_id:
            domain.append(("sale_order_id", "in", todo.sale_order_id.ids))
        else:
            domain.append(("product_ids", "in", todo.product_ids.ids))
        # Earlier complaints count even when the user may not see them.
        candidates = self.sudo().search(domain, order="date_received desc, id desc")
        # Compared per customer: a batch of imports is not |batch| x |found|.
        by_customer = {}
        for cand in candidates:
            by_customer.setdefault(cand.commercial_partner_id.id, []).append(cand)
        parents = {}
        for rec in todo:
            key = (rec.date_received, rec.id)
            for cand in by_customer.get(rec.commercial_partner_id.id, ()):
                if (
                    cand.id != rec.id
                    and (cand.date_received, cand.id) < key
                    and cand.date_received >= starts[rec]
                    and cand.company_id == rec.company_id
                    and cand.commercial_partner_id == rec.commercial_partner_id
                    and (
                        (rec.sale_order_id and cand.sale_order_id == rec.sale_order_id)
                        or cand.product_ids & rec.product_ids
                    )
                ):
                    parents[rec] = cand.with_env(self.env)
                    break
        return parents

    def _link_repeats(self):
        """Flag repeat complaints and link them to the earlier complaint when
        no earlier complaint was given; an existing link is kept."""
        parents = self._find_repeat_parents()
        batches = {}
        for rec in self:
            parent = parents.get(rec)
            vals = {}
            if bool(parent) != rec.is_repeat:
                vals["is_repeat"] = bool(parent)
            if parent and not rec.parent_id:
                vals["parent_id"] = parent.id
            if vals:
                key = tuple(sorted(vals.items()))
                batches.setdefault(key, self.browse())
                batches[key] |= rec
        for key, recs in batches.items():
            recs.sudo().write(dict(key))
        return True
