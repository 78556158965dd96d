"""Retention (资料保存一年,重要的资料长期保存, 001 篇五): the retention date
from the closing day, the long-term flag, archive-only before the date and
the purge of personal data after it, by an administrator only."""

import ast
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user

# 10 March 2025 at 23:30 in Shanghai (15:30 UTC): closed on the 10th.
CLOSED_LATE = datetime(2025, 3, 10, 15, 30)
# 11 March 2025 at 00:30 in Shanghai (16:30 UTC the 10th): closed on the 11th.
CLOSED_AFTER_MIDNIGHT = datetime(2025, 3, 10, 16, 30)
PURGED_TEXT = "[Personal data purged after the retention period]"


@tagged("post_install", "-at_install")
class TestRetention(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = make_user(
            cls.env,
            login="cc_t_purge_admin",
            groups="base.group_system,complaint_center.group_complaint_manager",
        )

    def _closed(self, when=CLOSED_LATE, severity="general", **vals):
        values = {
            "complainant_name": "Li Lei",
            "complainant_phone": "+86 21 5555 0101",
            "complainant_email": "li.lei@example.com",
            "description": "<p>Li Lei found the sauce spoiled.</p>",
            "severity": severity,
        }
        values.update(vals)
        with freeze_time(when):
            complaint = self._complaint(**values)
            complaint.message_post(
                body="Li Lei called again about the sauce.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            self.env["ir.attachment"].create(
                {
                    "name": "photo.txt",
                    "raw": b"photo of Li Lei's bottle",
                    "res_model": complaint._name,
                    "res_id": complaint.id,
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

    # The retention date --------------------------------------------------------
    def test_retention_date_from_the_closing_day(self):
        open_one = self._complaint()
        self.assertFalse(open_one.retention_date)
        late = self._closed(CLOSED_LATE)
        self.assertEqual(late.retention_date, date(2026, 3, 10))
        after_midnight = self._closed(CLOSED_AFTER_MIDNIGHT)
        self.assertEqual(after_midnight.retention_date, date(2026, 3, 11))
        # The company keeps its records three years: every date moves.
        self.company.complaint_retention_years = 3
        self.assertEqual(late.retention_date, date(2028, 3, 10))
        self.assertEqual(after_midnight.retention_date, date(2028, 3, 11))
        # The company's time zone decides the closing day: in UTC, 16:30 on
        # the 10th is still the 10th (an upgrade sets a zone after the dates
        # were first computed).
        self.company.partner_id.tz = "UTC"
        self.company.resource_calendar_id.tz = "UTC"
        self.assertEqual(late.retention_date, date(2028, 3, 10))
        self.assertEqual(after_midnight.retention_date, date(2028, 3, 10))

    def test_a_rejected_complaint_is_kept_from_its_rejection(self):
        complaint = self._complaint(
            complainant_name="Li Lei", complainant_phone="+86 21 5555 0101"
        )
        complaint.write({"validity": "invalid", "rejection_reason": "Not ours."})
        # 11 March 2025 at 00:30 in Shanghai.
        with freeze_time(CLOSED_AFTER_MIDNIGHT):
            complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.state, "rejected")
        self.assertEqual(complaint.retention_date, date(2026, 3, 11))
        with freeze_time("2026-03-11 17:00:00"):  # 12 March in Shanghai
            self.assertTrue(complaint.with_user(self.admin).can_purge)
        # Handled again (an appeal): kept as long as it is handled.
        complaint.with_user(self.manager).action_reopen()
        self.assertFalse(complaint.retention_date)
        self.assertFalse(complaint.with_user(self.admin).can_purge)
        with self.assertRaises(UserError):
            complaint.with_user(self.admin).action_purge()
        self.assertEqual(complaint.sudo().contact_name, "Li Lei")

    def test_leap_day_and_reopening(self):
        # 29 February 2024, 10:00 in Shanghai.
        leap = self._closed(datetime(2024, 2, 29, 2, 0))
        self.assertEqual(leap.retention_date, date(2025, 2, 28))
        # Handled again: open, no retention date until closed again.
        leap.with_user(self.manager).action_reopen()
        self.assertFalse(leap.retention_date)

    def test_at_least_one_year(self):
        with self.assertRaises(ValidationError):
            self.company.complaint_retention_years = 0
        self.assertEqual(self.company.complaint_retention_years, 1)

    # Long-term -----------------------------------------------------------------
    def test_major_and_critical_kept_long_term_at_closing(self):
        self.assertTrue(self._closed(severity="major").is_long_term)
        self.assertTrue(self._closed(severity="critical").is_long_term)
        general = self._closed(severity="general")
        self.assertFalse(general.is_long_term)
        self.assertFalse(self._complaint(severity="major").is_long_term)
        # A manager keeps a general one long-term, and releases it.
        general.with_user(self.manager).action_keep_long_term()
        self.assertTrue(general.is_long_term)
        general.with_user(self.manager).action_release_long_term()
        self.assertFalse(general.is_long_term)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_long_term_set_by_managers_only(self):
        general = self._closed()
        major = self._closed(severity="major")
        for user in (self.user, self.handler, self.finance):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    general.with_user(user).action_keep_long_term()
                with self.assertRaises(AccessError):
                    major.with_user(user).action_release_long_term()
        # Nobody writes the flag itself, nor sets it at intake: the actions
        # do, for managers.
        for user in (self.user, self.handler, self.manager, self.executive):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    general.with_user(user).write({"is_long_term": True})
                with self.assertRaises(AccessError):
                    self._complaint(user=user, is_long_term=True)
                with self.assertRaises(AccessError):
                    general.with_user(user).write({"retention_date": "2099-01-01"})
        self.env.invalidate_all()
        self.assertFalse(general.is_long_term)
        self.assertTrue(major.is_long_term)
        self.assertEqual(general.retention_date, date(2026, 3, 10))

    # Archive before, purge after -------------------------------------------------
    def test_archived_before_its_date_never_deleted(self):
        with freeze_time("2025-06-01"):
            complaint = self._closed()
            complaint.with_user(self.manager).active = False
            self.assertFalse(complaint.active)
            for user in (self.manager, self.admin):
                with self.assertRaises(UserError):
                    complaint.with_user(user).unlink()
            self.assertTrue(complaint.exists())

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_purge_refused_to_non_administrators(self):
        complaint = self._closed()
        for user in (self.user, self.handler, self.manager, self.executive):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    complaint.with_user(user).action_purge()
        self.env.invalidate_all()
        self.assertFalse(complaint.date_purged)
        self.assertEqual(complaint.sudo().contact_name, "Li Lei")
        self.assertIn("spoiled", complaint.description)

    def test_purge_refused_before_the_date_and_for_long_term(self):
        # 9 March 2025 at 23:30 in Shanghai: kept until 9 March 2026.
        early = self._closed(datetime(2025, 3, 9, 15, 30))
        fresh = self._closed(datetime(2026, 11, 1, 2, 0))
        long_term = self._closed(severity="major")
        kept_by_hand = self._closed()
        kept_by_hand.with_user(self.manager).action_keep_long_term()
        open_one = self._complaint()
        self.assertEqual(early.retention_date, date(2026, 3, 9))
        with freeze_time("2026-03-09 15:00:00"):  # 23:00 on the last day kept
            self.assertFalse(early.with_user(self.admin).can_purge)
            with self.assertRaises(UserError):
                early.with_user(self.admin).action_purge()
        for complaint in (fresh, long_term, kept_by_hand, open_one):
            with self.subTest(ref=complaint.name):
                self.assertFalse(complaint.with_user(self.admin).can_purge)
                with self.assertRaises(UserError):
                    complaint.with_user(self.admin).action_purge()
        # One refused in a batch: none is purged.
        with self.assertRaises(UserError):
            (early | fresh).with_user(self.admin).action_purge()
        self.env.invalidate_all()
        for complaint in (early, fresh, long_term, kept_by_hand, open_one):
            self.assertFalse(complaint.date_purged)
            self.assertIn("spoiled", complaint.description)
        for complaint in (early, fresh, long_term, kept_by_hand):
            self.assertEqual(complaint.sudo().contact_name, "Li Lei")

    def test_purge_anonymises_and_keeps_the_register_row(self):
        complaint = self._closed()
        name, closed = complaint.name, complaint.date_closed
        self.assertTrue(complaint.with_user(self.admin).can_purge)
        with freeze_time("2026-12-01 02:00:00"):
            complaint.with_user(self.admin).action_purge()
        self.env.invalidate_all()
        row = complaint.sudo()
        self.assertTrue(row.exists())
        self.assertEqual(row.name, name)
        self.assertEqual(row.state, "closed")
        self.assertEqual(row.date_closed, closed)
        self.assertEqual(row.category_id, self.category)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.date_purged, datetime(2026, 12, 1, 2, 0))
        for column in ("contact_name", "contact_phone", "contact_email"):
            self.assertFalse(row[column], column)
        self.assertIn(PURGED_TEXT, row.description)
        self.assertNotIn("Li Lei", row.description)
        bodies = " ".join(row.message_ids.mapped("body"))
        self.assertNotIn("Li Lei", bodies)
        self.assertNotIn("5555 0101", bodies)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", row._name), ("res_id", "=", row.id)]
            )
        )
        self.assertFalse(row.with_user(self.admin).can_purge)
        # Once.
        with self.assertRaises(UserError):
            complaint.with_user(self.admin).action_purge()

    def test_list_of_what_may_be_purged(self):
        expired = self._closed()
        self._closed(severity="major")
        self._closed(datetime(2026, 11, 1, 2, 0))
        archived = self._closed()
        archived.with_user(self.manager).active = False
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_complaint_action_purgeable"
        )
        domain = action["domain"].replace(
            "context_today().strftime('%Y-%m-%d')", "'2026-12-07'"
        )
        found = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .with_context(active_test=False)
            .search(ast.literal_eval(domain))
        )
        mine = found.filtered(lambda c: c.sudo().contact_name == "Li Lei")
        self.assertEqual(mine, expired | archived)
