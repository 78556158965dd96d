import base64
import io
from datetime import datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from .common import ComplaintCase


class TestReportSummary(ComplaintCase):
    """The scheduled summaries: who gets which report, once."""

    def setUp(self):
        super().setUp()
        self.Summary = self.env["complaint.summary"]
        self.Mail = self.env["mail.mail"]

    def _mails(self, subject_part):
        # This company's summaries: the demo data holds a second company
        # (demo/complaint_center_demo_cn.xml) that gets its own.
        return self.Mail.search(
            [
                ("subject", "ilike", subject_part),
                ("subject", "ilike", self.company.name),
            ]
        )

    def _cells(self, attachment):
        book = load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        return {
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        }

    def test_monthly_statistics_to_managers_once(self):
        with freeze_time("2026-10-15 03:00:00"):
            self._complaint()
        with freeze_time("2026-11-01 01:00:00"):
            self.Summary._cron_send_monthly_statistics()
            mails = self._mails("2026-10")
            self.assertEqual(len(mails), 1, "one language, one mail")
            partners = mails.recipient_ids
            for user in (self.manager, self.manager2, self.executive):
                self.assertIn(user.partner_id, partners)
            for user in (self.user, self.handler, self.finance, self.employee):
                self.assertNotIn(user.partner_id, partners)
            self.assertEqual(len(mails.attachment_ids), 1)
            self.assertTrue(mails.attachment_ids.name.endswith(".pdf"))
            # A second run (or a second server) sends nothing again.
            self.Summary._cron_send_monthly_statistics()
            self.assertEqual(self._mails("2026-10"), mails)

    def test_quarterly_summary_of_previous_quarter(self):
        with freeze_time("2026-12-01 03:00:00"):
            self._complaint()
        with freeze_time("2027-01-01 01:05:00"):
            self.Summary._cron_send_quarterly_statistics()
        mails = self._mails("2026 Q4")
        self.assertEqual(len(mails), 1)
        self.assertIn(self.executive.partner_id, mails.recipient_ids)

    def test_recipients_by_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager2.lang = "zh_CN"
        with freeze_time("2026-10-15 03:00:00"):
            self._complaint()
        with freeze_time("2026-11-02 01:00:00"):
            self.Summary._cron_send_monthly_statistics()
        mails = self._mails("2026-10")
        self.assertEqual(len(mails), 2, "one mail per recipients' language")
        zh = mails.filtered(lambda m: self.manager2.partner_id in m.recipient_ids)
        self.assertEqual(zh.recipient_ids, self.manager2.partner_id)

    def test_weekly_register_to_department_head(self):
        head = self.env["hr.employee"].search([("user_id", "=", self.handler2.id)])
        self.department.manager_id = head
        with freeze_time("2026-11-10 03:00:00"):  # last week, Tuesday
            last_week = self._complaint()
        with freeze_time("2026-11-04 03:00:00"):  # the week before
            older = self._complaint()
        with freeze_time("2026-11-11 03:00:00"):
            other = self._complaint()
            other.department_id = self.other_department
        self.assertEqual(last_week.department_id, self.department)
        with freeze_time("2026-11-16 01:10:00"):  # Monday
            self.Summary._cron_send_weekly_registers()
            mails = self.Mail.search(
                [("recipient_ids", "in", head.user_id.partner_id.ids)]
            )
            self.assertEqual(len(mails), 1)
            self.assertIn("Quality", mails.subject)
            cells = self._cells(mails.attachment_ids)
            self.assertIn(last_week.name, cells)
            self.assertNotIn(older.name, cells)
            self.assertNotIn(other.name, cells)
            self.Summary._cron_send_weekly_registers()
            self.assertEqual(
                self.Mail.search(
                    [("recipient_ids", "in", head.user_id.partner_id.ids)]
                ),
                mails,
            )

    def test_weekly_register_skips_head_without_complaint_role(self):
        head = self.env["hr.employee"].create(
            {"name": "Plain Employee", "user_id": self.employee.id}
        )
        self.other_department.manager_id = head
        with freeze_time("2026-11-16 01:10:00"):
            self.Summary._cron_send_weekly_registers()
        self.assertFalse(
            self.Mail.search([("recipient_ids", "in", self.employee.partner_id.ids)])
        )

    def test_crons_are_scheduled(self):
        for xmlid, interval in (
            ("ir_cron_complaint_summary_monthly", (1, "months")),
            ("ir_cron_complaint_summary_quarterly", (3, "months")),
            ("ir_cron_complaint_summary_weekly", (1, "weeks")),
        ):
            cron = self.env.ref(f"complaint_center.{xmlid}")
            self.assertEqual((cron.interval_number, cron.interval_type), interval)
            self.assertTrue(cron.active)
        monthly = self.env.ref("complaint_center.ir_cron_complaint_summary_monthly")
        self.assertEqual(monthly.nextcall.day, 1)
        weekly = self.env.ref("complaint_center.ir_cron_complaint_summary_weekly")
        self.assertEqual(weekly.nextcall.weekday(), 0)
        self.assertGreater(weekly.nextcall, datetime(2000, 1, 1))
