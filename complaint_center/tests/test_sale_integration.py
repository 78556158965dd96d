from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSaleIntegration(ComplaintCase):
    def test_log_complaint_from_order(self):
        action = self.order.with_user(self.user).action_log_complaint()
        self.assertEqual(action["res_model"], "complaint.complaint")
        ctx = action["context"]
        form = Form(
            self.env["complaint.complaint"].with_user(self.user).with_context(**ctx)
        )
        self.assertEqual(form.partner_id, self.contact)
        self.assertEqual(form.sale_order_id, self.order)
        form.category_id = self.category
        form.sale_line_ids.add(self.order.order_line[0])
        complaint = form.save()
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.commercial_partner_id, self.customer)
        self.assertEqual(complaint.product_ids, self.product)
        self.assertEqual(complaint.complainant_phone, "+86 21 5555 0101")
        self.assertEqual(complaint.first_responder_id, self.user)

    def test_order_of_another_customer_refused(self):
        with self.assertRaises(ValidationError):
            self._complaint(sale_order_id=self.other_order.id)
        complaint = self._complaint(sale_order_id=self.order.id)
        with self.assertRaises(ValidationError):
            complaint.partner_id = self.other_customer
        self.assertEqual(complaint.partner_id, self.customer)

    def test_order_of_a_sibling_contact_is_accepted(self):
        # The order is on the contact; the complaint on the company.
        complaint = self._complaint(sale_order_id=self.order.id)
        self.assertEqual(complaint.sale_order_id, self.order)

    def test_lines_of_another_order_refused(self):
        with self.assertRaises(ValidationError):
            self._complaint(
                sale_order_id=self.order.id,
                sale_line_ids=[Command.set(self.other_order.order_line.ids)],
            )

    def test_counts_on_order_and_partner(self):
        self._complaint(sale_order_id=self.order.id)
        self._complaint(sale_order_id=self.order.id, partner_id=self.contact.id)
        self._complaint(partner_id=self.other_customer.id)
        self.assertEqual(self.order.complaint_count, 2)
        self.assertEqual(len(self.order.complaint_ids), 2)
        self.assertEqual(self.other_order.complaint_count, 0)
        # A contact and its company both show the company's complaints.
        self.assertEqual(self.customer.complaint_count, 2)
        self.assertEqual(self.contact.complaint_count, 2)
        self.assertEqual(len(self.customer.complaint_ids), 2)
        self.assertEqual(self.other_customer.complaint_count, 1)

    def test_counts_are_batched(self):
        orders = self.order | self.other_order
        self._complaint(sale_order_id=self.order.id)
        orders.invalidate_recordset(["complaint_count"])
        with self.assertQueryCount(1):
            self.assertEqual(orders.mapped("complaint_count"), [1, 0])

    def test_smart_buttons(self):
        complaint = self._complaint(sale_order_id=self.order.id)
        action = self.order.action_view_complaints()
        self.assertEqual(
            self.env["complaint.complaint"].search(action["domain"]), complaint
        )
        action = self.contact.action_view_complaints()
        self.assertEqual(
            self.env["complaint.complaint"].search(action["domain"]), complaint
        )

    def test_category_count(self):
        self._complaint()
        self._complaint()
        self.assertEqual(self.category.complaint_count, 2)
