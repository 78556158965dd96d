from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestResponsibility(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.driver = Employee.create(
            {"name": "Driver Zhou", "department_id": cls.other_department.id}
        )
        cls.plant = cls.env["hr.department"].create({"name": "Plant"})
        cls.team = cls.env["hr.department"].create(
            {"name": "Bottling Team", "parent_id": cls.plant.id}
        )
        cls.store = cls.env["hr.department"].create({"name": "Shanghai Store"})
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Glass Bottles Ltd", "is_company": True}
        )
        # handler2's employee record (in the Quality department).
        cls.handler2_employee = cls.handler2.employee_ids

    def _line(self, complaint, **vals):
        values = {"complaint_id": complaint.id, "cause": "Cap not sealed"}
        values.update(vals)
        return self.env["complaint.responsibility"].create(values)

    def test_party_types_and_fallbacks(self):
        complaint = self._complaint()
        person = self._line(
            complaint, party_type="employee", employee_id=self.driver.id, share=40
        )
        self.assertEqual(person.attributed_department_id, self.other_department)
        self.assertFalse(person.is_fallback)
        self.assertTrue(person.is_primary)
        # A service case with nobody named: the store answers for it.
        store = self._line(
            complaint, party_type="employee", department_id=self.store.id, share=20
        )
        self.assertTrue(store.is_fallback)
        self.assertEqual(store.attributed_department_id, self.store)
        # A production case with no team named: the whole plant.
        plant = self._line(
            complaint, party_type="team", department_id=self.plant.id, share=20
        )
        self.assertEqual(plant.attributed_department_id, self.plant)
        supplier = self._line(
            complaint, party_type="supplier", partner_id=self.supplier.id, share=10
        )
        self.assertFalse(supplier.attributed_department_id)
        own_fault = self._line(complaint, party_type="customer", share=10)
        self.assertEqual(len(complaint.responsibility_ids), 5)
        self.assertEqual(complaint.responsibility_ids.filtered("is_primary"), person)
        self.assertIn("Driver Zhou", person.display_name)
        self.assertTrue(own_fault.exists())

    def test_missing_target_refused(self):
        complaint = self._complaint()
        for vals in (
            {"party_type": "employee"},
            {"party_type": "team"},
            {"party_type": "branch"},
            {"party_type": "supplier"},
            {"party_type": "carrier"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._line(complaint, **vals)
        self.assertFalse(complaint.responsibility_ids)

    def test_shares_never_exceed_100(self):
        complaint = self._complaint()
        self._line(complaint, party_type="team", department_id=self.team.id, share=70)
        with self.assertRaises(ValidationError):
            self._line(
                complaint, party_type="supplier", partner_id=self.supplier.id, share=31
            )
        line = self._line(
            complaint, party_type="supplier", partner_id=self.supplier.id, share=30
        )
        with self.assertRaises(ValidationError):
            line.share = 30.01
        self.assertEqual(sum(complaint.responsibility_ids.mapped("share")), 100)

    def test_share_range_and_one_primary(self):
        complaint = self._complaint()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._line(complaint, party_type="customer", share=0)
        first = self._line(complaint, party_type="customer", share=50)
        second = self._line(
            complaint, party_type="supplier", partner_id=self.supplier.id, share=50
        )
        with self.assertRaises(ValidationError):
            second.is_primary = True
        self.assertTrue(first.is_primary)

    def test_settled_after_approval(self):
        complaint = self._complaint()
        line = self._line(
            complaint, party_type="team", department_id=self.team.id, share=50
        )
        self._to_state(complaint, "approved")
        with self.assertRaises(UserError):
            line.share = 60
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            self._line(complaint, party_type="customer", share=10)

    # Recusal ----------------------------------------------------------------
    def test_named_employee_cannot_handle(self):
        complaint = self._complaint(user_id=self.handler2.id)
        with self.assertRaises(ValidationError):
            self._line(
                complaint,
                party_type="employee",
                employee_id=self.handler2_employee.id,
            )
        with self.assertRaises(ValidationError):
            complaint.subject_employee_ids = [Command.link(self.handler2_employee.id)]
        other = self._complaint(user_id=self.handler.id)
        other.subject_employee_ids = [Command.link(self.handler2_employee.id)]
        with self.assertRaises(ValidationError):
            other.user_id = self.handler2

    def test_recused_user_cannot_act(self):
        complaint = self._complaint(user_id=self.handler.id)
        complaint.subject_employee_ids = [Command.link(self.handler2_employee.id)]
        self.assertIn(self.handler2, complaint.involved_user_ids)
        # handler2 is in the complaint's department but is complained about.
        self.assertFalse(complaint.with_user(self.handler2).can_accept)
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler2).action_accept()
        self._to_state(complaint, "investigating")
        manager_employee = self.env["hr.employee"].create(
            {"name": "Manager Two", "user_id": self.manager2.id}
        )
        self._line(
            complaint, party_type="employee", employee_id=manager_employee.id, share=10
        )
        self._to_state(complaint, "proposed")
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_approve()
        complaint.with_user(self.manager).action_approve()
        self._to_state(complaint, "resolved")
        complaint.satisfaction = "satisfied"
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_close()
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_recused_user_cannot_read_complainant(self):
        complaint = self._complaint(
            complainant_name="Mrs Wang", complainant_phone="138 0000 0000"
        )
        self.assertEqual(
            complaint.with_user(self.handler2).complainant_name, "Mrs Wang"
        )
        complaint.subject_employee_ids = [Command.link(self.handler2_employee.id)]
        as_recused = complaint.with_user(self.handler2)
        self.assertFalse(as_recused.complainant_name)
        self.assertFalse(as_recused.complainant_phone)
        # The complaint itself is out of their sight (record rules).
        with self.assertRaises(AccessError):
            as_recused.read(["complainant_phone"])
        with self.assertRaises(AccessError):
            as_recused.read(["contact_phone"])
        with self.assertRaises(AccessError):
            as_recused.complainant_phone = "x"
        self.assertFalse(
            self.env["complaint.complaint"]
            .with_user(self.handler2)
            .search([("complainant_name", "ilike", "Mrs Wang")])
        )
        # Others still see the details, and can search them.
        self.assertEqual(
            complaint.with_user(self.manager).complainant_phone, "138 0000 0000"
        )
        found = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .search([("complainant_name", "ilike", "Mrs Wang")])
        )
        self.assertEqual(found, complaint)

    def test_recused_user_cannot_edit_responsibilities(self):
        complaint = self._complaint(user_id=self.handler.id)
        line = self._line(
            complaint, party_type="employee", employee_id=self.handler2_employee.id
        )
        with self.assertRaises(AccessError):
            line.with_user(self.handler2).unlink()
        self.assertTrue(line.exists())
