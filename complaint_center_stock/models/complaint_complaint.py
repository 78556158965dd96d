from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    # 料号 (001 篇八): the lot of the goods complained about, one of the
    # complaint's products'; its number fills the register's lot_name.
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot / Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', 'in', product_ids)]",
        help="The lot of the defective goods, among the lots of the complaint's "
        "products; its number is copied to the lot / material number.",
    )
    lot_name = fields.Char(
        compute="_compute_lot_name", store=True, readonly=False, precompute=True
    )

    @api.depends("lot_id")
    def _compute_lot_name(self):
        # Without a lot the number stays as entered.
        for rec in self:
            if rec.lot_id:
                rec.lot_name = rec.lot_id.sudo().name

    @api.constrains("lot_id", "product_ids")
    def _check_lot_product(self):
        for rec in self:
            lot = rec.lot_id.sudo()
            if lot and lot.product_id not in rec.product_ids:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is of %(product)s, not of a product of "
                        "complaint %(ref)s.",
                        lot=lot.name,
                        product=lot.product_id.display_name,
                        ref=rec.name,
                    )
                )

    @api.model
    def _workflow_editable_fields(self):
        # An intake fact, editable with the other product details.
        editable = super()._workflow_editable_fields()
        for state in ("new", "investigating"):
            editable[state] = editable[state] | {"lot_id"}
        return editable
