"""保密: the complainant's identity and details reach only the people handling
the complaint; a person complained about learns nothing by any path."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import GROUPS, ComplaintCase, make_user

SECRET = {
    "complainant_name": "Mrs Zhou Secret",
    "complainant_phone": "139 1234 5678",
    "complainant_email": "zhou.secret@example.com",
    "complainant_address": "12 Secret Lane, Pudong",
}


@tagged("post_install", "-at_install")
class TestConfidentiality(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        # A handler of the Quality department who is complained about.
        cls.accused = make_user(
            cls.env,
            login="cc_c_accused",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman",
        )
        cls.accused_employee = cls.env["hr.employee"].create(
            {
                "name": "Accused Agent",
                "user_id": cls.accused.id,
                "department_id": cls.department.id,
            }
        )
        # The customer's salesperson: sees the complaint, not who made it.
        cls.salesperson = make_user(
            cls.env,
            login="cc_c_sales",
            groups=f"{GROUPS}user,sales_team.group_sale_salesman",
        )
        cls.customer.user_id = cls.salesperson

    def _secret_complaint(self, **vals):
        complaint = self._complaint(
            user=self.user,
            subject_employee_ids=[Command.link(self.accused_employee.id)],
            compensation_amount=50.0,
            **SECRET,
            **vals,
        )
        return complaint.with_env(self.env)

    def test_follower_named_later_gets_no_more_messages(self):
        """A colleague who logged a complaint follows it; once he is named
        in it, he is no follower and no recipient of what follows."""
        complaint = self._complaint(user=self.accused, **SECRET).with_env(self.env)
        self.assertIn(self.accused.partner_id, complaint.message_partner_ids)
        complaint.with_user(self.handler).write(
            {"subject_employee_ids": [Command.link(self.accused_employee.id)]}
        )
        self.assertNotIn(self.accused.partner_id, complaint.message_partner_ids)
        # Nor re-subscribed, nor notified when addressed directly.
        complaint.message_subscribe(partner_ids=self.accused.partner_id.ids)
        self.assertNotIn(self.accused.partner_id, complaint.message_partner_ids)
        message = complaint.with_user(self.handler).message_post(
            body=f"Called back {SECRET['complainant_phone']}",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.accused.partner_id.ids,
        )
        self.assertNotIn(
            self.accused.partner_id, message.notification_ids.res_partner_id
        )
        Message = self.env["mail.message"].with_user(self.accused)
        self.assertFalse(Message.search([("id", "=", message.id)]))

    def test_people_handling_see_the_complainant(self):
        complaint = self._secret_complaint()
        for user in (self.user, self.handler, self.handler2, self.manager):
            with self.subTest(user.login):
                mine = complaint.with_user(user)
                for name, value in SECRET.items():
                    self.assertEqual(mine[name], value)
                found = (
                    self.env["complaint.complaint"]
                    .with_user(user)
                    .search([("complainant_name", "ilike", "Zhou Secret")])
                )
                self.assertEqual(found, complaint)

    def test_person_complained_about_learns_nothing(self):
        complaint = self._secret_complaint()
        accused = self.env["complaint.complaint"].with_user(self.accused)
        # Not the complaint, although it is their department's.
        self.assertNotIn(complaint, accused.search([]))
        with self.assertRaises(AccessError):
            complaint.with_user(self.accused).read(["partner_id"])
        for name, value in SECRET.items():
            if name == "complainant_address":
                continue
            with self.subTest(name):
                self.assertFalse(accused.search([(name, "ilike", value[:8])]))
        self.assertFalse(accused.name_search("Zhou Secret"))
        # Nor through the customer's counters, nor as a partner.
        self.assertEqual(self.customer.with_user(self.accused).complaint_count, 0)
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.accused)
            .search(
                [
                    "|",
                    ("email", "=", SECRET["complainant_email"]),
                    ("name", "=", SECRET["complainant_name"]),
                ]
            )
        )
        # Nor by taking themselves off the list.
        with self.assertRaises(AccessError):
            complaint.with_user(self.accused).write(
                {"subject_employee_ids": [Command.clear()]}
            )
        self.assertIn(self.accused, complaint.involved_user_ids)

    def test_readers_not_handling_see_no_complainant(self):
        """Finance and the customer's salesperson read the complaint, not
        who made it; searches on the details find nothing for them."""
        complaint = self._secret_complaint()
        exporters = self.env.ref("base.group_allow_export")
        for user in (self.finance, self.salesperson):
            user.groups_id = [Command.link(exporters.id)]
            with self.subTest(user.login):
                theirs = complaint.with_user(user)
                theirs.read(["name", "partner_id"])
                for name in SECRET:
                    self.assertFalse(theirs[name], name)
                self.assertFalse(
                    theirs.read(list(SECRET))[0]["complainant_phone"], "read"
                )
                # Exports never carry them, for anyone.
                with self.assertRaises(AccessError):
                    theirs.export_data(["name", *SECRET])
                self.assertFalse(
                    self.env["complaint.complaint"]
                    .with_user(user)
                    .search([("complainant_phone", "=", SECRET["complainant_phone"])])
                )
                with self.assertRaises(AccessError):
                    theirs.write({"complainant_name": "Changed"})
        self.assertEqual(complaint.complainant_name, SECRET["complainant_name"])

    def test_form_says_the_complainant_is_confidential(self):
        """Issue 23 (cosmetic): finance saw empty complainant fields with no
        hint; the form now says they are confidential, for those who may
        not read them only, and the address keeps its line breaks."""
        address = "12 Secret Lane\nPudong\nShanghai 200120"
        complaint = self._secret_complaint()
        # Written in the form by the handler: the lines are kept.
        complaint.with_user(self.handler).complainant_address = address
        self.assertEqual(complaint.sudo().contact_address, address)
        for user in (self.finance, self.salesperson):
            theirs = complaint.with_user(user)
            self.assertTrue(theirs.complainant_confidential, user.login)
            self.assertFalse(theirs.complainant_address)
        for user in (self.user, self.handler, self.manager):
            mine = complaint.with_user(user)
            self.assertFalse(mine.complainant_confidential, user.login)
            self.assertEqual(mine.complainant_address, address)
        # The hint, in place of the fields, only where they are hidden.
        arch = complaint.with_user(self.finance).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("complainant_confidential_hint", arch)
        self.assertIn('invisible="not complainant_confidential"', arch)
        self.assertIn("Confidential: only the people handling", arch)
        self.assertEqual(
            self.env["complaint.complaint"]._fields["complainant_address"].type, "text"
        )

    def test_stored_columns_are_system_only(self):
        complaint = self._secret_complaint()
        for user in (self.user, self.handler, self.manager, self.executive):
            with self.subTest(user.login), self.assertRaises(AccessError):
                complaint.with_user(user).read(["contact_name"])

    def test_involvement_lists_written_by_handlers_only(self):
        complaint = self._secret_complaint()
        # The clerk who logged it may not rewrite who is complained about.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).write(
                {"subject_employee_ids": [Command.clear()]}
            )
        complaint.with_user(self.handler).write(
            {
                "subject_employee_ids": [
                    Command.link(self.env["hr.employee"].create({"name": "Second"}).id)
                ]
            }
        )
        self.assertEqual(len(complaint.subject_employee_ids), 2)

    def test_penalty_threshold_hidden_from_the_employee(self):
        complaint = self._secret_complaint()
        self.company.complaint_penalty_executive_threshold = 100.0
        penalty = self.env["complaint.penalty"].create(
            {
                "complaint_id": complaint.id,
                "employee_id": self.accused_employee.id,
                "amount": 500.0,
            }
        )
        mine = penalty.with_user(self.accused)
        mine.read(["name", "points", "state"])
        for name in ("amount", "needs_executive"):
            with self.subTest(name), self.assertRaises(AccessError):
                mine.read([name])
        # The notice of a penalty never names the complainant.
        self.assertNotIn("Zhou", mine.name)
        self.assertTrue(penalty.with_user(self.finance).needs_executive)
        # After finance's first approval, a penalty above the threshold and
        # one below it read the same to the employee, but for the state
        # (which "confirmed" also means before finance acts).
        small = penalty.copy({"amount": 50.0})
        (penalty | small).with_user(self.manager).action_confirm()
        (penalty | small).with_user(self.finance).action_approve()
        self.assertEqual((penalty.state, small.state), ("confirmed", "approved"))
        for name in ("approved_by_id", "executive_approved_by_id"):
            with self.subTest(name), self.assertRaises(AccessError):
                mine.read([name])
        hints = {p.state: p.with_user(self.accused).next_step for p in (penalty, small)}
        self.assertEqual(hints["confirmed"], "The penalty waits for its approval.")
        self.assertNotIn("threshold", " ".join(hints.values()))
        with self.assertRaises(AccessError) as caught:
            mine.action_approve()
        self.assertNotIn("Finance approved", str(caught.exception))
        # A draft penalty reads the same hint, whatever its amount.
        draft = penalty.copy({"amount": 50.0}).with_user(self.accused)
        self.assertEqual(
            draft.next_step, "A complaint manager confirms this penalty first."
        )

    def test_no_take_over_of_a_colleagues_complaint(self):
        complaint = self._secret_complaint()
        self.assertEqual(complaint.user_id, self.handler)
        # handler2 works in the same department and sees the complaint.
        for user in (self.handler2, self.user):
            with self.subTest(user.login), self.assertRaises(AccessError):
                complaint.with_user(user).write({"user_id": user.id})
        self.assertEqual(complaint.user_id, self.handler)
        # The handler hands it over; a manager reassigns it.
        complaint.with_user(self.handler).write({"user_id": self.handler2.id})
        self.assertEqual(complaint.user_id, self.handler2)
        complaint.with_user(self.manager).write({"user_id": self.handler.id})
        self.assertEqual(complaint.user_id, self.handler)

    def test_feedback_recorded_by_the_handler_only(self):
        complaint = self._secret_complaint()
        complaint.with_user(self.handler).action_accept()
        complaint.write({"resolution_type": "apology", "resolution": "<p>Sorry.</p>"})
        complaint.with_user(self.handler).action_propose()
        complaint.with_user(self.manager).action_approve()
        complaint.with_user(self.handler).action_resolve()
        # The clerk who logged it may read it, not decide it was satisfying.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).write({"satisfaction": "very_satisfied"})
        self.assertFalse(complaint.satisfaction)
        complaint.with_user(self.handler).write({"satisfaction": "satisfied"})
        self.assertEqual(complaint.satisfaction, "satisfied")
