from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user


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
        # A back-office intake says what happened.
        form.description = "<p>The seal was broken.</p>"
        form.sale_line_pick_ids.add(self.order.order_line[0])
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

    def test_handler_without_sales_reads_the_lines(self):
        handler = make_user(
            self.env,
            login="cc_t_nosales_handler",
            groups="complaint_center.group_complaint_handler",
        )
        complaint = self._complaint(
            user_id=handler.id,
            sale_order_id=self.order.id,
            sale_line_ids=[Command.set(self.order.order_line.ids)],
        )
        mine = complaint.with_user(handler)
        self.assertIn("Soy Sauce 500ml", mine.sale_line_summary)
        self.assertIn("Vinegar 500ml", mine.sale_line_summary)
        self.assertEqual(
            mine.read(["sale_order_id"])[0]["sale_order_id"],
            (self.order.id, self.order.name),
        )
        self.assertEqual(mine.product_ids, self.product | self.product2)
        with mute_logger("odoo.addons.base.models.ir_model"):
            with self.assertRaises(AccessError):
                self.order.order_line.with_user(handler).read(["name"])
        arch = self._arch(handler, "form")
        self.assertTrue(arch.xpath("//field[@name='sale_line_summary']"))
        self.assertFalse(arch.xpath("//field[@name='sale_line_ids']"))
        self.assertFalse(arch.xpath("//field[@name='sale_line_pick_ids']"))
        # Sales staff pick the lines themselves.
        arch = self._arch(self.handler, "form")
        self.assertTrue(arch.xpath("//field[@name='sale_line_pick_ids']"))
        self.assertFalse(arch.xpath("//field[@name='sale_line_summary']"))

    def _form_spec(self, user):
        """What the web client reads to open the form, as ``user``."""
        views = (
            self.env["complaint.complaint"].with_user(user).get_views([(False, "form")])
        )
        fields = views["models"]["complaint.complaint"]["fields"]
        arch = etree.fromstring(views["views"]["form"]["arch"])
        spec = {}
        for node in arch.iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            name = node.get("name")
            if fields[name]["type"] in ("many2one", "many2many", "one2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def test_salesperson_handler_reads_lines_of_others_orders(self):
        # Issue 23 item 4: a handler with the sales rights of his own orders
        # saw Order Lines empty and no Ordered Items on the complaints about
        # other salespeople's orders (the form even failed to open).
        handler = make_user(
            self.env,
            login="cc_t_own_sales_handler",
            groups="complaint_center.group_complaint_handler,"
            "sales_team.group_sale_salesman",
        )
        complaint = self._complaint(
            user_id=handler.id,
            sale_order_id=self.order.id,
            sale_line_ids=[Command.set(self.order.order_line.ids)],
        )
        mine = complaint.with_user(handler)
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.order.order_line.with_user(handler).read(["name"])
            values = mine.web_read(self._form_spec(handler))[0]
        self.assertEqual(values["sale_line_pick_ids"], [])
        self.assertTrue(values["sale_lines_hidden"])
        self.assertIn("Soy Sauce 500ml", values["sale_line_summary"])
        self.assertIn("Vinegar 500ml", values["sale_line_summary"])
        # Saving the form (the picker untouched or emptied) keeps the lines
        # the handler cannot see.
        with mute_logger("odoo.addons.base.models.ir_rule"):
            mine.write({"sale_line_pick_ids": [Command.set([])]})
        self.assertEqual(complaint.sale_line_ids, self.order.order_line)
        # On his own order the lines are his to pick.
        self.order.user_id = handler
        complaint.invalidate_recordset()
        values = mine.web_read(self._form_spec(handler))[0]
        self.assertEqual(
            [line["id"] for line in values["sale_line_pick_ids"]],
            self.order.order_line.ids,
        )
        self.assertFalse(values["sale_lines_hidden"])
        mine.write({"sale_line_pick_ids": [Command.set(self.order.order_line[:1].ids)]})
        self.assertEqual(complaint.sale_line_ids, self.order.order_line[:1])

    def test_sale_order_not_created_from_the_complaint(self):
        arch = self._arch(self.handler, "form")
        for name in ("sale_order_id", "sale_line_pick_ids", "category_id", "user_id"):
            options = arch.xpath(f"//field[@name='{name}']")[0].get("options") or ""
            self.assertIn("'no_create': True", options, name)
        # A complainant who is not a customer yet is created at intake.
        options = arch.xpath("//field[@name='partner_id']")[0].get("options") or ""
        self.assertNotIn("no_create", options)
