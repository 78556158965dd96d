"""重大投诉立即上报 (001 篇六, 004 篇4 §4.5.3): a complaint registered as major
or critical, or raised to it, is reported at once to the center director
and the executive (an activity and a notification each), never to someone
involved in it, once per rise of severity."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

MAJOR_REPORT = "complaint_center.mail_activity_type_complaint_major_report"


@tagged("post_install", "-at_install")
class TestMajorReport(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_director_id = cls.manager
        cls.company.complaint_executive_id = cls.executive
        Partner = cls.env["res.partner"]
        cls.third = Partner.create({"name": "Third Co", "is_company": True})
        cls.fourth = Partner.create({"name": "Fourth Co", "is_company": True})

    def _reported_to(self, complaint):
        return self._activities(complaint, MAJOR_REPORT).user_id

    def _mails_to(self, user):
        return self.env["mail.message"].search(
            [("partner_ids", "in", user.partner_id.ids)]
        )

    def test_registered_major_reported_at_once(self):
        before = self._mails_to(self.manager) | self._mails_to(self.executive)
        complaint = self._complaint(user=self.user, severity="major")
        self.assertEqual(self._reported_to(complaint), self.manager | self.executive)
        self.assertEqual(complaint.reported_severity, "major")
        self.assertTrue(complaint.date_major_reported)
        # Told by mail at once, each of them.
        for user in (self.manager, self.executive):
            mails = self._mails_to(user) - before
            self.assertEqual(len(mails), 1, user.login)
            self.assertEqual(
                (mails.model, mails.res_id), (complaint._name, complaint.id)
            )
        note = complaint.message_ids.filtered(
            lambda m: "Reported at once to" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn(self.manager.name, note.body)
        self.assertIn(self.executive.name, note.body)

    def test_general_complaint_not_reported(self):
        complaint = self._complaint(user=self.user)
        self.assertFalse(self._reported_to(complaint))
        self.assertFalse(complaint.reported_severity)
        self.assertFalse(complaint.date_major_reported)

    def test_raised_by_nature_reported_once(self):
        complaint = self._complaint(
            user=self.user, affected_partner_ids=[Command.set(self.other_customer.ids)]
        )
        self.assertFalse(self._reported_to(complaint))
        complaint.with_user(self.user).write(
            {"affected_partner_ids": [Command.link(self.third.id)]}
        )
        self.assertEqual(complaint.severity, "major")
        self.assertEqual(self._reported_to(complaint), self.manager | self.executive)
        self.assertEqual(len(self._activities(complaint, MAJOR_REPORT)), 2)
        # A fourth customer changes nothing: already reported as major.
        complaint.with_user(self.user).write(
            {"affected_partner_ids": [Command.link(self.fourth.id)]}
        )
        self.assertEqual(len(self._activities(complaint, MAJOR_REPORT)), 2)

    def test_clerk_raises_severity_of_a_new_complaint(self):
        complaint = self._complaint(user=self.user)
        complaint.with_user(self.user).severity = "critical"
        self.assertEqual(self._reported_to(complaint), self.manager | self.executive)
        self.assertEqual(complaint.reported_severity, "critical")

    def test_intake_correction_to_critical_reported_again(self):
        complaint = self._to_state(
            self._complaint(user=self.user, severity="major"), "investigating"
        )
        self.assertEqual(len(self._activities(complaint, MAJOR_REPORT)), 2)
        self._activities(complaint, MAJOR_REPORT).action_feedback("Seen")
        self.env["complaint.intake.correction"].with_user(self.manager2).create(
            {
                "complaint_id": complaint.id,
                "date_received": complaint.date_received,
                "partner_id": complaint.partner_id.id,
                "category_id": complaint.category_id.id,
                "severity": "critical",
                "channel": complaint.channel,
                "reason": "A child was hurt: critical.",
            }
        ).action_apply()
        self.assertEqual(complaint.reported_severity, "critical")
        self.assertEqual(self._reported_to(complaint), self.manager | self.executive)

    def test_someone_involved_is_not_told(self):
        head = self.env["hr.employee"].create(
            {"name": "Director Zhang", "user_id": self.manager.id}
        )
        complaint = self._complaint(
            user=self.user,
            severity="major",
            subject_employee_ids=[Command.set(head.ids)],
        )
        self.assertEqual(self._reported_to(complaint), self.executive)
        note = complaint.message_ids.filtered(
            lambda m: "Reported at once to" in (m.body or "")
        )
        self.assertNotIn(self.manager.name, note.body)

    def test_batch_one_mail_per_person(self):
        before = self._mails_to(self.manager)
        batch = (
            self.env["complaint.complaint"]
            .with_user(self.user)
            .create(
                [
                    {
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                        "severity": "major",
                        "description": f"<p>Bottle {i} burst.</p>",
                    }
                    for i in range(3)
                ]
            )
        )
        for complaint in batch:
            self.assertEqual(
                self._reported_to(complaint), self.manager | self.executive
            )
        digest = (self._mails_to(self.manager) - before).filtered(
            lambda m: all(c.name in str(m.body) for c in batch)
        )
        self.assertEqual(len(digest), 1, "one digest for the three complaints")

    # Attacks --------------------------------------------------------------------
    def test_nobody_writes_the_report_stamp(self):
        complaint = self._complaint(user=self.user, severity="major")
        before = complaint.read(["reported_severity", "date_major_reported"])
        for user in (self.user, self.handler, self.manager2, self.executive):
            for vals in (
                {"reported_severity": "critical"},
                {"reported_severity": False},
                {"date_major_reported": False},
            ):
                for ctx in ({}, {"install_mode": True, "tracking_disable": True}):
                    with (
                        self.subTest(user=user.login, vals=vals, ctx=ctx),
                        mute_logger("odoo.models"),
                        self.assertRaises(AccessError),
                    ):
                        complaint.with_user(user).with_context(**ctx).write(vals)
        complaint.invalidate_recordset()
        self.assertEqual(
            complaint.read(["reported_severity", "date_major_reported"]), before
        )

    def test_a_forged_stamp_at_creation_is_refused(self):
        """Creating a major complaint as already reported would skip the
        report."""
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        count = Complaint.sudo().search_count([])
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            Complaint.create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "severity": "major",
                    "description": "<p>x</p>",
                    "reported_severity": "critical",
                }
            )
        self.assertEqual(Complaint.sudo().search_count([]), count)
