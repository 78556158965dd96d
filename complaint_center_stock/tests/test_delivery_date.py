"""The delivery date of a complaint follows the order's done deliveries."""

from datetime import date

from odoo import Command, fields
from odoo.tests import Form, tagged

from odoo.addons.complaint_center.tests.common import ComplaintCase


@tagged("post_install", "-at_install")
class TestDeliveryDate(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category.is_quality = True
        cls.goods = cls.env["product.product"].create(
            {"name": "Stocked Chair T", "type": "consu", "is_storable": True}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.goods, warehouse.lot_stock_id, 10
        )
        cls.stock_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.order.partner_id.id,
                "order_line": [
                    Command.create({"product_id": cls.goods.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.stock_order.action_confirm()

    def _deliver(self, order, when):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.button_validate()
        # The day it left the warehouse, as the delivery record says.
        picking.date_done = when
        return picking

    def test_no_delivery_keeps_the_date_entered(self):
        complaint = self._complaint(user=self.user, sale_order_id=self.stock_order.id)
        self.assertFalse(complaint.date_delivered)
        complaint.with_user(self.user).date_delivered = "2026-11-02"
        self.assertEqual(complaint.date_delivered, fields.Date.to_date("2026-11-02"))
        self.assertEqual(complaint.return_status, "too_late")

    def test_done_delivery_gives_the_date(self):
        # Noon UTC: the same day in every company time zone (UTC-11 to +11).
        today = fields.Date.today()
        picking = self._deliver(self.stock_order, f"{today} 12:00:00")
        self.assertEqual(picking.state, "done")
        complaint = self._complaint(user=self.user, sale_order_id=self.stock_order.id)
        self.assertEqual(complaint.date_delivered, today)
        self.assertTrue(complaint.is_return_eligible)

    def test_delivery_after_intake_updates_the_complaint(self):
        complaint = self._complaint(user=self.user, sale_order_id=self.stock_order.id)
        self.assertEqual(complaint.return_status, "no_delivery")
        today = fields.Date.today()
        self._deliver(self.stock_order, f"{today} 12:00:00")
        self.assertEqual(complaint.date_delivered, today)
        self.assertTrue(complaint.is_return_eligible)

    def test_the_last_delivery_counts(self):
        first, last = "2026-11-02 12:00:00", "2026-11-20 12:00:00"
        picking = self.stock_order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        action = picking.button_validate()
        wizard = Form.from_action(self.env, action).save()
        wizard.process()
        picking.date_done = first
        backorder = self.stock_order.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        complaint = self._complaint(user=self.user, sale_order_id=self.stock_order.id)
        self.assertEqual(complaint.date_delivered, date(2026, 11, 2))
        backorder.move_ids.quantity = 1
        backorder.move_ids.picked = True
        backorder.button_validate()
        backorder.date_done = last
        self.assertEqual(complaint.date_delivered, date(2026, 11, 20))
