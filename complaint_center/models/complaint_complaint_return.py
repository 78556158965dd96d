"""Unconditional returns (001 篇五): a product quality complaint received
within 15 days of delivery may be returned unconditionally once quality has
verified the defect against the delivery record; damage from the customer's
own storage is not a quality incident.

The delivery date comes from the sale order's done deliveries when the
inventory app is installed (no dependency on it), else it is entered by
hand. The rule is ``core/returns.py``.
"""

from odoo import api, fields, models

from ..core import returns

RETURN_FIELDS = {"date_delivered", "is_own_storage_damage"}
RETURN_STATES = ("new", "investigating")


class ComplaintCategory(models.Model):
    _inherit = "complaint.category"

    is_quality = fields.Boolean(
        string="Product Quality",
        compute="_compute_is_quality",
        store=True,
        readonly=False,
        help="Complaints of this category are product quality complaints: "
        "received within 15 days of delivery, they are eligible for an "
        "unconditional return after quality verification.",
    )

    @api.depends("code")
    def _compute_is_quality(self):
        # The regulations' quality category (code PQ); set by hand otherwise.
        for category in self:
            code = (category.code or "").upper()
            category.is_quality = category.is_quality or code == "PQ"


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    date_delivered = fields.Date(
        string="Delivered On",
        compute="_compute_date_delivered",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="When the goods complained about were delivered: the last done "
        "delivery of the sale order when Inventory is installed, else as "
        "entered.",
    )
    is_own_storage_damage = fields.Boolean(
        string="Damaged in Customer's Storage",
        tracking=True,
        help="The damage comes from the customer's own storage: not a quality "
        "incident, and no unconditional return.",
    )
    is_return_eligible = fields.Boolean(
        string="Unconditional Return",
        compute="_compute_return_eligibility",
        store=True,
        index=True,
        help="A quality complaint received within 15 days of delivery: the "
        "goods are returned unconditionally once quality has verified the "
        "defect against the delivery record.",
    )
    return_status = fields.Selection(
        [
            (returns.ELIGIBLE, "Eligible after quality verification"),
            (returns.NOT_QUALITY, "Not a product quality complaint"),
            (
                returns.OWN_STORAGE,
                "Not a quality incident: damaged in the customer's own storage",
            ),
            (returns.NO_DELIVERY, "Delivery date unknown"),
            (returns.TOO_LATE, "Received more than 15 days after delivery"),
            (returns.BEFORE_DELIVERY, "Delivery date after receipt"),
        ],
        string="Return Eligibility",
        compute="_compute_return_eligibility",
        store=True,
        help="Whether the goods are returned unconditionally (quality defect "
        "within 15 days of delivery), and if not, why.",
    )

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        for state in RETURN_STATES:
            editable[state] = editable[state] | RETURN_FIELDS
        return editable

    @api.depends("sale_order_id")
    def _compute_date_delivered(self):
        for rec in self:
            order = rec.sale_order_id.sudo()
            if not order or "picking_ids" not in order._fields:
                continue
            done = order.picking_ids.filtered(
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

    @api.depends(
        "category_id.is_quality",
        "date_received",
        "date_delivered",
        "is_own_storage_damage",
    )
    def _compute_return_eligibility(self):
        for rec in self:
            # The day of receipt where the company is, whoever saves it.
            received = (
                rec.date_received
                and (
                    rec._to_local(rec.date_received, rec._company_tz(rec.company_id))
                ).date()
            )
            eligible, status = returns.return_status(
                rec.category_id.is_quality,
                rec.is_own_storage_damage,
                received,
                rec.date_delivered,
            )
            rec.is_return_eligible = eligible
            rec.return_status = status
