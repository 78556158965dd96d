from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestRepeat(ComplaintCase):
    def _at(self, days_ago, **vals):
        received = fields.Datetime.now() - timedelta(days=days_ago)
        return self._complaint(date_received=received, **vals)

    def test_same_order_within_window(self):
        first = self._at(10, sale_order_id=self.order.id)
        second = self._at(5, sale_order_id=self.order.id)
        latest = self._at(0, partner_id=self.contact.id, sale_order_id=self.order.id)
        self.assertFalse(first.is_repeat)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.parent_id, first)
        self.assertTrue(latest.is_repeat)
        self.assertEqual(latest.parent_id, second, "the most recent earlier one")

    def test_same_product_other_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [fields.Command.create({"product_id": self.product.id})],
            }
        )
        first = self._at(3, sale_order_id=self.order.id)
        first.sale_line_ids = self.order.order_line.filtered(
            lambda line: line.product_id == self.product
        )
        second = self._at(1, sale_order_id=order.id, sale_line_ids=order.order_line.ids)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.parent_id, first)

    def test_not_repeats(self):
        first = self._at(40, sale_order_id=self.order.id)
        old = self._at(0, sale_order_id=self.order.id)
        self.assertFalse(old.is_repeat, "older than the window")
        self.assertFalse(old.parent_id)
        other = self._at(0, partner_id=self.other_customer.id)
        other.sale_order_id = self.other_order
        self.assertFalse(other.is_repeat, "another customer")
        no_subject = self._at(0)
        self.assertFalse(no_subject.is_repeat)
        self.assertTrue(first.exists())

    def test_cancelled_earlier_ignored(self):
        first = self._at(2, sale_order_id=self.order.id)
        first.with_user(self.manager).action_cancel()
        second = self._at(1, sale_order_id=self.order.id)
        self.assertFalse(second.is_repeat)
        self.assertFalse(second.parent_id)

    def test_disabled(self):
        self.company.complaint_repeat_days = 0
        self._at(2, sale_order_id=self.order.id)
        second = self._at(1, sale_order_id=self.order.id)
        self.assertFalse(second.is_repeat)

    def test_explicit_parent_kept(self):
        unrelated = self._at(20)
        self._at(2, sale_order_id=self.order.id)
        second = self._at(1, sale_order_id=self.order.id, parent_id=unrelated.id)
        self.assertEqual(second.parent_id, unrelated)
        self.assertTrue(second.is_repeat)

    def test_batch_and_later_edit(self):
        first, second = self.env["complaint.complaint"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "sale_order_id": self.order.id,
                    "date_received": fields.Datetime.now() - timedelta(days=2),
                },
                {
                    "partner_id": self.customer.id,
                    "date_received": fields.Datetime.now() - timedelta(days=1),
                },
            ]
        )
        self.assertFalse(second.is_repeat)
        second.sale_order_id = self.order
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.parent_id, first)
        second.sale_order_id = False
        self.assertFalse(second.is_repeat)

    def test_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.complaint_repeat_days, 30)
        settings.complaint_repeat_days = 7
        settings.execute()
        self.assertEqual(self.company.complaint_repeat_days, 7)

    def test_lookup_reads_one_row_whatever_the_history(self):
        """A distributor's thousands of complaints on one order (issue 27):
        finding the earlier complaint is one query taking one row per new
        complaint through the (customer, receipt) index, not a read of the
        customer's history."""
        now = fields.Datetime.now()
        history = self.env["complaint.complaint"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "sale_order_id": self.order.id,
                    "date_received": now - timedelta(hours=hours),
                    "category_id": self.category.id,
                }
                for hours in range(60, 0, -1)
            ]
        )
        latest = history.sorted("date_received")[-1]
        new = self._at(0, partner_id=self.contact.id, sale_order_id=self.order.id)
        self.assertEqual(new.parent_id, latest, "the most recent earlier one")
        # The same lookup again, the new complaints' own facts read: nothing
        # to flush, one SELECT whatever the history.
        batch = new | history[:3]
        facts = [
            (
                rec.company_id.complaint_repeat_days,
                rec.commercial_partner_id,
                rec.sale_order_id,
                rec.product_ids,
            )
            for rec in batch
        ]
        self.assertEqual(len(facts), 4)
        with self.assertQueryCount(1):
            parents = batch._find_repeat_parents()
        self.assertEqual(parents[new], latest)
        self.assertEqual(parents[history[2]], history[1])
        self.assertEqual(parents[history[1]], history[0])
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = %s",
            ["complaint_complaint_repeat_index"],
        )
        self.assertTrue(self.env.cr.fetchone(), "the index exists")
