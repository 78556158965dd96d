"""The register's product details (001 篇八): the defective quantity (不良品数量)
and the lot or material number (料号) of a product complaint, beside its
order, products and delivery date; intake facts, frozen once the plan is
proposed; listed in the register, printed on the form and summed in the
Complaints Analysis."""

import io

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

REGISTER = "complaint_center.complaint_register_xlsx"
FORM = "complaint_center.complaint_report_form"


@tagged("post_install", "-at_install")
class TestProductDetails(ComplaintCase):
    def _product_complaint(self, **vals):
        values = {
            "sale_order_id": self.order.id,
            "sale_line_ids": [(6, 0, self.order.order_line[:1].ids)],
            "defective_qty": 3.0,
            "lot_name": "LOT-2611-07",
            "date_delivered": "2026-11-02",
        }
        values.update(vals)
        return self._complaint(user=self.user, **values)

    def test_recorded_at_intake_and_edited_while_investigating(self):
        complaint = self._product_complaint()
        self.assertEqual(complaint.product_ids, self.product)
        self.assertEqual(complaint.defective_qty, 3.0)
        self.assertEqual(complaint.lot_name, "LOT-2611-07")
        # The clerk who logged it corrects it while it is new.
        complaint.with_user(self.user).write({"defective_qty": 4.5})
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).write(
            {"defective_qty": 5.0, "lot_name": "LOT-2611-08"}
        )
        self.assertEqual(complaint.defective_qty, 5.0)
        self.assertEqual(complaint.lot_name, "LOT-2611-08")

    def test_listed_in_the_register(self):
        complaint = self._product_complaint()
        Report = self.env["ir.actions.report"].with_user(self.manager)
        content, _kind = Report._render(REGISTER, complaint.ids, {})
        sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets[
            0
        ]
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == "Reference")
        row = dict(zip(rows[start], rows[start + 1], strict=True))
        self.assertEqual(row["Reference"], complaint.name)
        self.assertEqual(row["Lot / Material Number"], "LOT-2611-07")
        self.assertEqual(row["Defective Quantity"], 3.0)
        self.assertEqual(row["Delivered On"].date().isoformat(), "2026-11-02")

    def test_printed_on_the_form(self):
        complaint = self._product_complaint()
        html = self.env["ir.actions.report"]._render_qweb_html(FORM, complaint.ids)[0]
        html = html.decode()
        self.assertIn("Lot / Material No.", html)
        self.assertIn("LOT-2611-07", html)
        self.assertIn("Defective Quantity", html)

    def test_summed_per_category_in_the_analysis(self):
        other = self.env["complaint.category"].create({"name": "Other T", "code": "OT"})
        self._product_complaint(defective_qty=3.0)
        self._product_complaint(defective_qty=2.5)
        self._product_complaint(defective_qty=4.0, category_id=other.id)
        self.env.flush_all()
        groups = self.env["complaint.report"]._read_group(
            [("category_id", "in", (self.category | other).ids)],
            ["category_id"],
            ["defective_qty:sum"],
        )
        self.assertEqual(
            {category.code: total for category, total in groups},
            {"QT": 5.5, "OT": 4.0},
        )

    # Attacks ------------------------------------------------------------------
    def test_negative_quantity_refused(self):
        with self.assertRaises(ValidationError):
            self._product_complaint(defective_qty=-1.0)
        complaint = self._product_complaint()
        with self.assertRaises(ValidationError):
            complaint.with_user(self.user).write({"defective_qty": -2.0})
        complaint.invalidate_recordset()
        self.assertEqual(complaint.defective_qty, 3.0)

    def test_frozen_once_the_plan_is_proposed(self):
        complaint = self._to_state(self._product_complaint(), "proposed")
        for user in (self.user, self.handler, self.manager):
            for vals in ({"defective_qty": 30.0}, {"lot_name": "FORGED"}):
                with (
                    self.subTest(user=user.login, vals=vals),
                    mute_logger("odoo.models"),
                    self.assertRaises(UserError) as caught,
                ):
                    complaint.with_user(user).write(vals)
                self.assertIn(type(caught.exception), (UserError, AccessError))
        complaint.invalidate_recordset()
        self.assertEqual(complaint.sudo().defective_qty, 3.0)
        self.assertEqual(complaint.sudo().lot_name, "LOT-2611-07")
