"""Unconditional returns: a quality complaint received within 15 days of
delivery, not damaged in the customer's own storage."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestReturnEligibility(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category.is_quality = True
        cls.service = cls.env["complaint.category"].create(
            {"name": "Service T", "code": "ST"}
        )

    def _received_days_after_delivery(self, days, **vals):
        received = fields.Datetime.now()
        Complaint = self.env["complaint.complaint"]
        local = Complaint._to_local(received, Complaint._company_tz(self.company))
        delivered = local.date() - timedelta(days=days)
        return self._complaint(
            user=self.user, date_received=received, date_delivered=delivered, **vals
        )

    def test_seeded_quality_category(self):
        quality = self.env.ref("complaint_center.complaint_category_product_quality")
        self.assertTrue(quality.is_quality)
        self.assertFalse(self.service.is_quality)

    def test_within_fifteen_days(self):
        complaint = self._received_days_after_delivery(15)
        self.assertTrue(complaint.is_return_eligible)
        self.assertEqual(complaint.return_status, "eligible")

    def test_too_late(self):
        complaint = self._received_days_after_delivery(16)
        self.assertFalse(complaint.is_return_eligible)
        self.assertEqual(complaint.return_status, "too_late")

    def test_own_storage_is_not_a_quality_incident(self):
        complaint = self._received_days_after_delivery(3)
        self.assertTrue(complaint.is_return_eligible)
        complaint.with_user(self.user).is_own_storage_damage = True
        self.assertFalse(complaint.is_return_eligible)
        self.assertEqual(complaint.return_status, "own_storage")
        label = dict(
            complaint._fields["return_status"]._description_selection(self.env)
        )["own_storage"]
        self.assertIn("not a quality incident", label.lower())

    def test_not_quality_or_no_delivery(self):
        service = self._received_days_after_delivery(1, category_id=self.service.id)
        self.assertFalse(service.is_return_eligible)
        self.assertEqual(service.return_status, "not_quality")
        unknown = self._complaint(user=self.user)
        self.assertEqual(unknown.return_status, "no_delivery")
        unknown.with_user(self.user).date_delivered = fields.Date.today()
        self.assertTrue(unknown.is_return_eligible)

    def test_delivery_date_by_hand(self):
        # Without a done delivery (complaint_center_stock), as entered.
        complaint = self._complaint(user=self.user, sale_order_id=self.order.id)
        self.assertFalse(complaint.date_delivered)
        complaint.with_user(self.user).date_delivered = fields.Date.today()
        self.assertEqual(complaint.date_delivered, fields.Date.today())

    def test_clerk_cannot_set_eligibility(self):
        complaint = self._received_days_after_delivery(40)
        for vals in ({"is_return_eligible": True}, {"return_status": "eligible"}):
            with self.subTest(vals=vals), mute_logger("odoo.models"):
                with self.assertRaises(AccessError):
                    complaint.with_user(self.user).write(vals)
        complaint.invalidate_recordset()
        self.assertFalse(complaint.is_return_eligible)
        self.assertEqual(complaint.return_status, "too_late")
