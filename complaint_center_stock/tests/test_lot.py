"""The lot of the goods complained about (料号, 001 篇八): one of the
complaint's products' lots; choosing it fills the lot / material number."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_center.tests.common import ComplaintCase


@tagged("post_install", "-at_install")
class TestLot(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.tracked = Product.create(
            {
                "name": "Oak Table T",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.other_tracked = Product.create(
            {
                "name": "Oak Chair T",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        Lot = cls.env["stock.lot"]
        cls.lot = Lot.create({"name": "OAK-2611-07", "product_id": cls.tracked.id})
        cls.other_lot = Lot.create(
            {"name": "CHAIR-2611-01", "product_id": cls.other_tracked.id}
        )
        cls.lot_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [Command.create({"product_id": cls.tracked.id})],
            }
        )

    def _lot_complaint(self, **vals):
        return self._complaint(
            user=self.user,
            sale_order_id=self.lot_order.id,
            sale_line_ids=[Command.set(self.lot_order.order_line.ids)],
            **vals,
        )

    def test_lot_fills_the_lot_number(self):
        complaint = self._lot_complaint(lot_id=self.lot.id)
        self.assertEqual(complaint.lot_name, "OAK-2611-07")
        # Without a lot, the number stays as typed.
        typed = self._lot_complaint(lot_name="PAPER-LABEL-9")
        self.assertFalse(typed.lot_id)
        self.assertEqual(typed.lot_name, "PAPER-LABEL-9")
        typed.with_user(self.user).lot_id = self.lot
        self.assertEqual(typed.lot_name, "OAK-2611-07")

    # Attacks ------------------------------------------------------------------
    def test_lot_of_another_product_refused(self):
        with self.assertRaises(ValidationError):
            self._lot_complaint(lot_id=self.other_lot.id)
        complaint = self._lot_complaint(lot_id=self.lot.id)
        with self.assertRaises(ValidationError):
            complaint.with_user(self.user).lot_id = self.other_lot
        complaint.invalidate_recordset()
        self.assertEqual(complaint.lot_id, self.lot)
        self.assertEqual(complaint.lot_name, "OAK-2611-07")

    def test_lot_frozen_once_the_plan_is_proposed(self):
        complaint = self._to_state(self._lot_complaint(), "proposed")
        for user in (self.handler, self.manager):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.models"),
                self.assertRaises(UserError) as caught,
            ):
                complaint.with_user(user).lot_id = self.lot
            self.assertIn(type(caught.exception), (UserError, AccessError))
        complaint.invalidate_recordset()
        self.assertFalse(complaint.sudo().lot_id)
        self.assertFalse(complaint.sudo().lot_name)
