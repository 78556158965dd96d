"""Publication of severe cases (通报批评, 001 篇五/八) and the feedback to
the customer that the responsible person was dealt with."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user

FEEDBACK = "complaint_center.mail_template_complaint_penalty_feedback"
REPORT = "complaint_center.report_complaint_circular"
# Closed on 10 November 2026 at 10:00 in Shanghai.
CLOSED = datetime(2026, 11, 10, 2, 0)


@tagged("post_install", "-at_install")
class TestCircular(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the penalties made here.
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.driver = cls.env["hr.employee"].create(
            {"name": "Driver Zhou", "department_id": cls.other_department.id}
        )
        cls.env.flush_all()
        # Circulars list what the period's search finds in the whole
        # database: the demo's cases are published already.
        cls.env.cr.execute(
            "UPDATE complaint_complaint SET severity = 'general' "
            "WHERE date_closed IS NOT NULL"
        )
        cls.env.invalidate_all()

    def _case(self, severity="major", when=CLOSED, **vals):
        values = {
            "partner_id": self.contact.id,
            "complainant_name": "Li Lei",
            "complainant_phone": "+86 21 5555 0101",
            "complainant_email": "li.lei@example.com",
            "description": "<p>Li Lei found the sauce spoiled.</p>",
        }
        values.update(vals)
        with freeze_time(when):
            complaint = self._complaint(severity=severity, **values)
            self.env["complaint.responsibility"].create(
                {
                    "complaint_id": complaint.id,
                    "party_type": "employee",
                    "employee_id": self.driver.id,
                    "share": 100,
                    "cause": "Left the crates in the sun; Li Lei was told so.",
                }
            )
            self._close(complaint)
        return complaint

    def _close(self, complaint):
        """Walk to closed; a major plan is approved by the executive too."""
        self._to_state(complaint, "proposed")
        complaint.with_user(self.manager).action_approve()
        if complaint.state == "proposed":
            complaint.with_user(self.executive).action_approve()
        return self._to_state(complaint, "closed")

    def _penalty(self, complaint, approve=True, **vals):
        values = {
            "complaint_id": complaint.id,
            "kind": "deduction",
            "employee_id": self.driver.id,
            "points": 1,
            "amount": 150.0,
            "reason": "Goods left in the sun",
        }
        values.update(vals)
        penalty = self.env["complaint.penalty"].create(values)
        penalty.with_user(self.manager).action_confirm()
        if approve:
            penalty.with_user(self.finance).action_approve()
        return penalty

    def _circular(self, user=None, **vals):
        values = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
        values.update(vals)
        return (
            self.env["complaint.circular"]
            .with_user(user or self.manager)
            .create(values)
        )

    def _html(self, circular, user=None):
        report = self.env["ir.actions.report"].with_user(user or self.manager)
        return report._render_qweb_html(REPORT, circular.ids)[0].decode()

    # The circular ------------------------------------------------------------
    def test_fill_takes_the_severe_cases_of_the_period(self):
        major = self._case("major")
        critical = self._case("critical")
        general = self._case("general")
        before = self._case("major", when=datetime(2026, 10, 31, 15, 0))  # 23:00 local
        # 1 December 07:00 in Shanghai, still 30 November in UTC: outside.
        after = self._case("major", when=datetime(2026, 11, 30, 23, 0))
        open_major = self._complaint(severity="major")
        circular = self._circular()
        circular.action_fill()
        self.assertEqual(circular.complaint_ids, major | critical)
        for left_out in (general, before, after, open_major):
            self.assertNotIn(left_out, circular.complaint_ids)
        # Issued, its cases are not offered again.
        circular.with_user(self.executive).action_issue()
        again = self._circular()
        again.action_fill()
        self.assertFalse(again.complaint_ids)

    def test_issue_numbers_and_freezes(self):
        circular = self._circular(complaint_ids=[Command.set(self._case().ids)])
        self.assertEqual(circular.state, "draft")
        with freeze_time("2026-12-01 02:00:00"):
            circular.with_user(self.manager).action_issue()
        self.assertEqual(circular.state, "issued")
        self.assertRegex(circular.name, r"^TB2026-\d{3}$")
        self.assertEqual(circular.issuer, "总经理办公室")
        self.assertEqual(circular.issued_by_id, self.manager)
        self.assertEqual(circular.date_issued, date(2026, 12, 1))
        name = circular.name
        other = self._case("critical")
        for user in (self.manager, self.executive):
            with self.assertRaises(UserError):
                circular.with_user(user).write({"date_to": date(2026, 12, 31)})
            with self.assertRaises(UserError):
                circular.with_user(user).write(
                    {"complaint_ids": [Command.link(other.id)]}
                )
            with self.assertRaises(AccessError):
                circular.with_user(user).write({"name": "TB2026-999"})
            with self.assertRaises(UserError):
                circular.with_user(user).action_issue()
            with self.assertRaises(UserError):
                circular.with_user(user).unlink()
        self.env.invalidate_all()
        self.assertEqual(circular.name, name)
        self.assertEqual(circular.date_to, date(2026, 11, 30))
        self.assertNotIn(other, circular.complaint_ids)

    @mute_logger("odoo.models")
    def test_never_issued_by_someone_involved(self):
        own = self.env["hr.employee"].create(
            {"name": "Manager Two", "user_id": self.manager2.id}
        )
        theirs = self._case(subject_employee_ids=[Command.link(own.id)])
        other = self._case("critical")
        circular = self._circular()
        circular.action_fill()
        self.assertEqual(circular.complaint_ids, theirs | other)
        # Neither issuing it with the case, nor leaving the case out.
        with self.assertRaises(AccessError):
            circular.with_user(self.manager2).action_issue()
        circular.with_user(self.manager2).write(
            {"complaint_ids": [Command.unlink(theirs.id)]}
        )
        with self.assertRaises(AccessError):
            circular.with_user(self.manager2).action_issue()
        self.assertEqual(circular.state, "draft")
        self.assertFalse(circular.issued_by_id)
        # Someone else decides.
        circular.with_user(self.manager).write(
            {"complaint_ids": [Command.link(theirs.id)]}
        )
        circular.with_user(self.manager).action_issue()
        self.assertEqual(circular.state, "issued")
        self.assertEqual(circular.issued_by_id, self.manager)

    def test_only_closed_valid_complaints_are_published(self):
        open_one = self._complaint(severity="major")
        with self.assertRaises(ValidationError):
            self._circular(complaint_ids=[Command.set(open_one.ids)])
        circular = self._circular()
        with self.assertRaises(ValidationError):
            circular.write({"complaint_ids": [Command.link(open_one.id)]})
        with self.assertRaises(UserError):
            circular.action_issue()  # nothing to publish
        self.assertEqual(circular.state, "draft")

    def test_circular_names_the_case_never_the_complainant(self):
        complaint = self._case()
        self._penalty(complaint)
        circular = self._circular(complaint_ids=[Command.set(complaint.ids)])
        circular.with_user(self.executive).action_issue()
        html = self._html(circular)
        for shown in (
            complaint.name,
            "Quality T",
            "Driver Zhou",
            "Left the crates in the sun",
            "150.00",
            "总经理办公室",
            circular.name,
        ):
            self.assertIn(shown, html)
        for hidden in (
            "Li Lei",
            "5555 0101",
            "li.lei@example.com",
            "Acme Foods",
            "acme@example.com",
            "spoiled",
        ):
            self.assertNotIn(hidden, html)

    def test_issuer_is_configurable_per_company(self):
        self.assertEqual(self.company.complaint_circular_issuer, "总经理办公室")
        self.company.complaint_circular_issuer = "总裁办公室"
        circular = self._circular(complaint_ids=[Command.set(self._case().ids)])
        self.assertIn("总裁办公室", self._html(circular))
        circular.with_user(self.executive).action_issue()
        # What was published stays, whatever the setting says later.
        self.company.complaint_circular_issuer = "Another Office"
        self.assertEqual(circular.issuer, "总裁办公室")
        self.assertIn("总裁办公室", self._html(circular))

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_printed_by_managers_and_executive_only(self):
        circular = self._circular(complaint_ids=[Command.set(self._case().ids)])
        circular.with_user(self.executive).action_issue()
        self.assertIn(circular.name, self._html(circular, self.executive))
        admin_no_role = make_user(
            self.env, login="cc_t_circ_admin", groups="base.group_system"
        )
        for user in (self.user, self.handler, self.finance, admin_no_role):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._html(circular, user)
                with self.assertRaises(AccessError):
                    circular.with_user(user).read(["name"])
        # Even past the access rights (a sudo'ed caller), the report model
        # itself refuses those without the role.
        report = self.env["report.complaint_center.report_complaint_circular"]
        with self.assertRaises(AccessError):
            report.with_user(self.handler)._check_printable(circular)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_prepared_and_issued_by_managers_only(self):
        complaint = self._case()
        for user in (self.user, self.handler, self.finance):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._circular(
                        user=user, complaint_ids=[Command.set(complaint.ids)]
                    )
        circular = self._circular(complaint_ids=[Command.set(complaint.ids)])
        for user in (self.user, self.handler, self.finance):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    circular.with_user(user).action_issue()
                with self.assertRaises(AccessError):
                    circular.with_user(user).write({"note": "x"})
        # Nobody issues by writing the state.
        for user in (self.manager, self.executive):
            with self.assertRaises(AccessError):
                circular.with_user(user).write({"state": "issued"})
            with self.assertRaises(AccessError):
                self._circular(user=user, state="issued", name="TB2026-001")
        self.env.invalidate_all()
        self.assertEqual(circular.state, "draft")
        self.assertFalse(circular.note)
        self.assertFalse(circular.issued_by_id)
        self.assertEqual(circular.name, "Draft")

    # Feedback to the customer ------------------------------------------------
    def _feedback_jobs(self, complaint):
        return self.env["complaint.mail.job"].search(
            [
                ("complaint_id", "=", complaint.id),
                ("template_id", "=", self.env.ref(FEEDBACK).id),
            ]
        )

    def test_feedback_off_by_default(self):
        self.assertFalse(self.company.complaint_penalty_feedback)
        complaint = self._case(partner_id=self.customer.id, complainant_email=False)
        self._penalty(complaint)
        self.assertFalse(self._feedback_jobs(complaint))

    def test_feedback_once_without_the_person_or_the_penalty(self):
        self.company.complaint_penalty_feedback = True
        # Written to the customer's own address (a public comment).
        complaint = self._case(partner_id=self.customer.id, complainant_email=False)
        # Not for a proposal nor a confirmation: once approved.
        first = self._penalty(complaint, approve=False)
        self.assertFalse(self._feedback_jobs(complaint))
        first.with_user(self.finance).action_approve()
        self.assertEqual(len(self._feedback_jobs(complaint)), 1)
        self._send_queued_mails()
        self.assertEqual(self._feedback_jobs(complaint).state, "sent")
        message = complaint.message_ids.filtered(
            lambda m: "dealt with according to" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertIn(complaint.name, message.body)
        for hidden in ("Driver Zhou", "150", "deduction", "Deduction", "point"):
            self.assertNotIn(hidden, message.body)
        # Addressed to the customer only.
        self.assertEqual(message.partner_ids, self.customer)
        # A second approved penalty tells the customer nothing new.
        self._penalty(complaint, points=2)
        self.assertEqual(len(self._feedback_jobs(complaint)), 1)

    def test_no_feedback_for_a_reward(self):
        self.company.complaint_penalty_feedback = True
        complaint = self._case(partner_id=self.customer.id, complainant_email=False)
        self._penalty(complaint, kind="reward")
        self.assertFalse(self._feedback_jobs(complaint))

    def test_feedback_setting_changed_by_managers_only(self):
        Settings = self.env["complaint.settings"]
        with self.assertRaises(AccessError):
            Settings.with_user(self.handler).create(
                {"complaint_penalty_feedback": True}
            )
        self.assertFalse(self.company.complaint_penalty_feedback)
        # The issuer line is the general manager's.
        with self.assertRaises(AccessError):
            Settings.with_user(self.manager).create(
                {"complaint_circular_issuer": "Quality Office"}
            )
        self.assertEqual(self.company.complaint_circular_issuer, "总经理办公室")
        Settings.with_user(self.manager).create({"complaint_penalty_feedback": True})
        self.assertTrue(self.company.complaint_penalty_feedback)
