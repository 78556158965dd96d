"""约定回复时限 (001 篇二, 004 篇4 §4.6.2): a complaint that cannot be answered
on the spot is answered within 3 working days of its acceptance, unless
another reply time is agreed and recorded; the promised reply counts in the
deadlines and in the escalation sweep."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai
ACCEPTED = datetime(2026, 11, 16, 3, 0)  # Monday 11:00
# By hand: the 3rd working day after Monday is Thursday 19 November; work
# ends at 17:00 in Shanghai, 09:00 UTC.
THURSDAY_END = datetime(2026, 11, 19, 9, 0)


@tagged("post_install", "-at_install")
class TestReplyDefault(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        # A long resolution: the promised reply is the next deadline.
        cls.policy = cls.env["complaint.policy"].create(
            {
                "name": "Long handling T",
                "sequence": 1,
                "category_ids": [Command.set(cls.category.ids)],
                "ack_hours": 24,
                "resolve_days": 10,
                "resolve_day_type": "working",
                "visit_days": 2,
            }
        )
        cls.env.flush_all()
        # The sweep looks at every complaint of the database (demo data too).
        cls.env.cr.execute("UPDATE complaint_complaint SET date_next_escalation = NULL")
        cls.env.invalidate_all()

    def _accepted(self, **vals):
        with freeze_time(RECEIVED):
            complaint = self._complaint(
                user=self.user, date_received=RECEIVED, user_id=self.handler.id, **vals
            )
        self.assertEqual(complaint.policy_id, self.policy)
        with freeze_time(ACCEPTED):
            complaint.with_user(self.handler).action_accept()
        return complaint

    def test_three_working_days_after_acceptance(self):
        complaint = self._accepted()
        self.assertEqual(complaint.date_promised_reply, THURSDAY_END)
        self.assertEqual(complaint.next_deadline, THURSDAY_END)

    def test_holidays_do_not_count(self):
        # Wednesday 18 November is a public holiday: Friday 20 November.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 17, 16, 0),
                "date_to": datetime(2026, 11, 18, 15, 59, 59),
            }
        )
        complaint = self._accepted()
        self.assertEqual(complaint.date_promised_reply, datetime(2026, 11, 20, 9, 0))

    def test_agreed_time_is_kept(self):
        agreed = datetime(2026, 11, 17, 6, 0)
        complaint = self._accepted(date_promised_reply=agreed)
        self.assertEqual(complaint.date_promised_reply, agreed)
        # Another time agreed later is recorded by the handler.
        later = datetime(2026, 11, 23, 6, 0)
        complaint.with_user(self.handler).date_promised_reply = later
        self.assertEqual(complaint.next_deadline, later)

    def test_company_setting(self):
        self.company.complaint_reply_days = 5
        self.assertEqual(
            self._accepted().date_promised_reply, datetime(2026, 11, 23, 9, 0)
        )
        self.company.complaint_reply_days = 0
        self.assertFalse(self._accepted().date_promised_reply)

    def test_missed_reply_escalates_and_the_reply_stops_it(self):
        complaint = self._accepted()
        Complaint = self.env["complaint.complaint"]
        self.assertEqual(complaint.date_next_escalation, THURSDAY_END)
        with freeze_time(THURSDAY_END - timedelta(minutes=1)):
            self.assertEqual(Complaint._cron_escalate_overdue(), 0)
        with freeze_time(THURSDAY_END + timedelta(minutes=5)):
            self.assertEqual(Complaint._cron_escalate_overdue(), 1)
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.escalated_deadline, THURSDAY_END)
        with freeze_time(THURSDAY_END + timedelta(hours=1)):
            complaint.with_user(self.handler).action_record_reply()
        self.assertEqual(complaint.next_deadline, complaint.date_resolve_deadline)
        self.assertGreater(complaint.next_deadline, THURSDAY_END)

    # Attacks ------------------------------------------------------------------
    def test_reply_days_set_by_a_manager_only_and_never_negative(self):
        Settings = self.env["complaint.settings"]
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            Settings.with_user(self.handler).create({"complaint_reply_days": 1})
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.company.with_user(self.handler).write({"complaint_reply_days": 1})
        with self.assertRaises(ValidationError):
            Settings.with_user(self.manager).create({"complaint_reply_days": -1})
        self.assertEqual(self.company.complaint_reply_days, 3)
        Settings.with_user(self.manager).create({"complaint_reply_days": 2})
        self.assertEqual(self.company.complaint_reply_days, 2)
