from odoo import api, fields, models


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    date_delivered = fields.Date(
        compute="_compute_date_delivered",
        store=True,
        readonly=False,
        precompute=True,
        help="When the goods complained about were delivered: the last done "
        "delivery of the sale order, else as entered.",
    )

    @api.depends(
        "sale_order_id.picking_ids.state",
        "sale_order_id.picking_ids.date_done",
    )
    def _compute_date_delivered(self):
        # The delivery record the quality check verifies the defect against
        # (001 篇五); without a done delivery the date stays as entered.
        for rec in self:
            done = rec.sale_order_id.sudo().picking_ids.filtered(
                lambda p: (
                    p.state == "done"
                    and p.date_done
                    and p.picking_type_id.code == "outgoing"
                )
            )
            if done:
                rec.date_delivered = rec._to_local(
                    max(done.mapped("date_done")), rec._company_tz(rec.company_id)
                ).date()
