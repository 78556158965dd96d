"""Technicians on site (004 篇3 e, 004 篇4 §4.7): within 3 days in the
company's province, a week outside it, 10 days in remote areas, counted
from the receipt (接报后) on the policy's days, when the handler decides the
visit; the deadline joins the others in the sweep, and the visit is
recorded by the handler."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 16 November, 10:00 in Shanghai
# By hand, calendar days end at 23:59:59 in Shanghai (15:59:59 UTC):
# Monday + 3 = Thursday 19, + 7 = Monday 23, + 10 = Thursday 26 November.
PROVINCE_DUE = datetime(2026, 11, 19, 15, 59, 59)
OUTSIDE_DUE = datetime(2026, 11, 23, 15, 59, 59)
REMOTE_DUE = datetime(2026, 11, 26, 15, 59, 59)


@tagged("post_install", "-at_install")
class TestSiteVisit(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai = cls.env.ref("base.state_cn_SH")
        cls.zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.xinjiang = cls.env.ref("base.state_cn_XJ")
        cls.company.partner_id.state_id = cls.shanghai
        cls.company.complaint_remote_state_ids = [Command.set(cls.xinjiang.ids)]
        # No default reply: the site visit is the first deadline after
        # acceptance.
        cls.company.complaint_reply_days = 0
        cls.policy = cls.env["complaint.policy"].create(
            {
                "name": "Site visits T",
                "sequence": 1,
                "category_ids": [Command.set(cls.category.ids)],
                "ack_hours": 24,
                "resolve_days": 10,
                "resolve_day_type": "working",
            }
        )
        cls.customer.state_id = cls.shanghai
        cls.outside_customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Foods", "is_company": True, "state_id": cls.zhejiang.id}
        )
        cls.remote_customer = cls.env["res.partner"].create(
            {"name": "Urumqi Foods", "is_company": True, "state_id": cls.xinjiang.id}
        )
        cls.env.flush_all()
        # The sweep looks at every complaint of the database (demo data too).
        cls.env.cr.execute("UPDATE complaint_complaint SET date_next_escalation = NULL")
        cls.env.invalidate_all()

    def _site(self, partner=None, user=None, **vals):
        with freeze_time(RECEIVED + timedelta(minutes=5)):
            complaint = self._complaint(
                user=user or self.handler,
                partner_id=(partner or self.customer).id,
                date_received=RECEIVED,
                needs_site_visit=True,
                **vals,
            )
        self.assertEqual(complaint.policy_id, self.policy)
        return complaint

    # The three regions -------------------------------------------------------
    def test_same_province_three_days(self):
        complaint = self._site()
        self.assertEqual(complaint.site_region, "province")
        self.assertEqual(complaint.date_site_deadline, PROVINCE_DUE)

    def test_other_province_a_week(self):
        complaint = self._site(self.outside_customer)
        self.assertEqual(complaint.site_region, "outside")
        self.assertEqual(complaint.date_site_deadline, OUTSIDE_DUE)

    def test_remote_area_ten_days(self):
        complaint = self._site(self.remote_customer)
        self.assertEqual(complaint.site_region, "remote")
        self.assertEqual(complaint.date_site_deadline, REMOTE_DUE)

    def test_contact_address_and_unknown_state(self):
        # A delivery address of its own is where the technician goes.
        site = self.env["res.partner"].create(
            {
                "name": "Acme Foods, Urumqi warehouse",
                "parent_id": self.customer.id,
                "type": "delivery",
                "state_id": self.xinjiang.id,
            }
        )
        self.assertEqual(self._site(site).date_site_deadline, REMOTE_DUE)
        nowhere = self.env["res.partner"].create({"name": "No Address Co"})
        self.assertEqual(self._site(nowhere).site_region, "outside")

    def test_decided_later_counts_from_the_receipt(self):
        with freeze_time(RECEIVED + timedelta(minutes=5)):
            complaint = self._complaint(
                user=self.handler, date_received=RECEIVED, partner_id=self.customer.id
            )
        self.assertFalse(complaint.date_site_deadline)
        with freeze_time(datetime(2026, 11, 17, 3, 0)):  # Tuesday 11:00
            complaint.with_user(self.handler).needs_site_visit = True
        self.assertEqual(complaint.date_site_deadline, PROVINCE_DUE)
        # Unset and set again a day later: the same deadline, not a new one.
        with freeze_time(datetime(2026, 11, 18, 3, 0)):
            complaint.with_user(self.handler).needs_site_visit = False
            self.assertFalse(complaint.date_site_deadline)
            complaint.with_user(self.handler).needs_site_visit = True
        self.assertEqual(complaint.date_site_deadline, PROVINCE_DUE)

    # Configuration -------------------------------------------------------------
    def test_policy_days_and_working_days(self):
        self.policy.write(
            {
                "site_province_days": 2,
                "site_outside_days": 5,
                "site_remote_days": 8,
                "site_day_type": "working",
            }
        )
        # By hand: the 2nd working day after Monday is Wednesday 18, the 5th
        # Monday 23, the 8th Thursday 26; work ends at 17:00 (09:00 UTC).
        self.assertEqual(self._site().date_site_deadline, datetime(2026, 11, 18, 9, 0))
        self.assertEqual(
            self._site(self.outside_customer).date_site_deadline,
            datetime(2026, 11, 23, 9, 0),
        )
        self.assertEqual(
            self._site(self.remote_customer).date_site_deadline,
            datetime(2026, 11, 26, 9, 0),
        )

    def test_remote_regions_set_in_settings(self):
        Settings = self.env["complaint.settings"].with_user(self.manager)
        Settings.create(
            {"complaint_remote_state_ids": [Command.set(self.zhejiang.ids)]}
        )
        self.assertEqual(self.company.complaint_remote_state_ids, self.zhejiang)
        self.assertEqual(
            self._site(self.outside_customer).date_site_deadline, REMOTE_DUE
        )

    def test_settings_changes_never_shift_the_stored_deadline(self):
        complaint = self._site(self.outside_customer)
        self.company.complaint_remote_state_ids = [Command.set(self.zhejiang.ids)]
        self.policy.site_outside_days = 1
        complaint.invalidate_recordset()
        self.assertEqual(complaint.date_site_deadline, OUTSIDE_DUE)
        # A manager's recompute counts it on the settings in force now.
        complaint.with_user(self.manager).action_recompute_deadlines()
        self.assertEqual(complaint.site_region, "remote")
        self.assertEqual(complaint.date_site_deadline, REMOTE_DUE)

    # Deadlines, sweep and the visit --------------------------------------------
    def test_missed_visit_escalates_and_the_visit_stops_it(self):
        complaint = self._site()
        with freeze_time(RECEIVED + timedelta(hours=1)):
            complaint.with_user(self.handler).action_accept()
        self.assertEqual(complaint.next_deadline, PROVINCE_DUE)
        self.assertEqual(complaint.date_next_escalation, PROVINCE_DUE)
        Complaint = self.env["complaint.complaint"]
        with freeze_time(PROVINCE_DUE - timedelta(minutes=1)):
            self.assertEqual(Complaint._cron_escalate_overdue(), 0)
            self.assertFalse(complaint.is_site_visit_late)
        with freeze_time(PROVINCE_DUE + timedelta(minutes=5)):
            self.assertEqual(Complaint._cron_escalate_overdue(), 1)
            complaint.invalidate_recordset(["is_site_visit_late"])
            self.assertTrue(complaint.is_site_visit_late)
            self.assertIn(
                complaint, Complaint.search([("is_site_visit_late", "=", True)])
            )
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.escalated_deadline, PROVINCE_DUE)
        visited = PROVINCE_DUE + timedelta(hours=10)
        with freeze_time(visited):
            complaint.with_user(self.handler).action_record_site_visit()
        self.assertEqual(complaint.date_site_visit, visited)
        self.assertEqual(complaint.escalation_level, 0)
        self.assertEqual(complaint.next_deadline, complaint.date_resolve_deadline)
        self.assertFalse(complaint.site_visit_on_time)
        self.assertTrue(complaint.is_site_visit_late)
        self.assertIn(complaint, Complaint.search([("is_site_visit_late", "=", True)]))
        self.env.flush_all()
        row = self.env["complaint.report"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(row.site_visit_on_time, 0.0)

    def test_visit_in_time(self):
        complaint = self._site(self.remote_customer)
        with freeze_time(RECEIVED + timedelta(days=4)):
            complaint.with_user(self.handler).action_record_site_visit()
        self.assertTrue(complaint.site_visit_on_time)
        self.assertFalse(complaint.is_site_visit_late)
        Complaint = self.env["complaint.complaint"]
        self.assertIn(complaint, Complaint.search([("is_site_visit_late", "=", False)]))
        self.env.flush_all()
        row = self.env["complaint.report"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(row.site_visit_on_time, 100.0)

    # Attacks --------------------------------------------------------------------
    def test_deadline_and_visit_not_written_directly(self):
        complaint = self._site()
        for user in (self.user, self.handler, self.manager, self.executive):
            for vals in (
                {"date_site_deadline": datetime(2030, 1, 1)},
                {"date_site_visit": datetime(2026, 11, 17)},
                {"site_region": "remote"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    mute_logger("odoo.models"),
                    self.assertRaises(AccessError),
                ):
                    complaint.with_user(user).write(vals)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.date_site_deadline, PROVINCE_DUE)
        self.assertEqual(complaint.site_region, "province")
        self.assertFalse(complaint.date_site_visit)
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self._site(date_site_deadline=datetime(2030, 1, 1))
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self._site(date_site_visit=datetime(2026, 11, 16, 3, 0))

    def test_decided_by_the_handler_only(self):
        count = self.env["complaint.complaint"].sudo().search_count([])
        # The clerk logging a complaint does not decide the site visit.
        with self.assertRaises(AccessError):
            self._site(user=self.user)
        self.assertEqual(self.env["complaint.complaint"].sudo().search_count([]), count)
        complaint = self._complaint(user=self.user)
        for user in (self.user, self.handler3):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).needs_site_visit = True
        complaint.invalidate_recordset()
        self.assertFalse(complaint.needs_site_visit)
        self.assertFalse(complaint.date_site_deadline)
        # Frozen once the plan is proposed, like the other facts.
        complaint = self._to_state(self._site(), "proposed")
        with mute_logger("odoo.models"), self.assertRaises(UserError):
            complaint.with_user(self.handler).needs_site_visit = False
        self.assertTrue(complaint.needs_site_visit)
        self.assertEqual(complaint.date_site_deadline, PROVINCE_DUE)

    def test_visit_recorded_by_the_handler_once_when_needed(self):
        complaint = self._site()
        for user in (self.user, self.handler3):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_record_site_visit()
        self.assertFalse(complaint.date_site_visit)
        plain = self._complaint(user=self.handler)
        with self.assertRaises(UserError):
            plain.with_user(self.handler).action_record_site_visit()
        self.assertFalse(plain.date_site_visit)
        with freeze_time(RECEIVED + timedelta(days=1)):
            complaint.with_user(self.handler).action_record_site_visit()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_record_site_visit()
        self.assertEqual(complaint.date_site_visit, RECEIVED + timedelta(days=1))

    def test_bad_settings_refused(self):
        with self.assertRaises(ValidationError):
            self.env["complaint.policy"].create(
                {"name": "Negative T", "site_outside_days": -1}
            )
        with self.assertRaises(ValidationError):
            self.policy.site_remote_days = -3
        self.assertEqual(self.policy.site_remote_days, 10)
        # Remote regions are a manager's setting.
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.handler).create(
                {"complaint_remote_state_ids": [Command.set(self.zhejiang.ids)]}
            )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.company.with_user(self.handler).write(
                {"complaint_remote_state_ids": [Command.set(self.zhejiang.ids)]}
            )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.policy.with_user(self.handler).write({"site_province_days": 30})
        self.assertEqual(self.company.complaint_remote_state_ids, self.xinjiang)
        self.assertEqual(self.policy.site_province_days, 3)
