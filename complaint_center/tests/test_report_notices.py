"""Issue 24, items 13 to 16: what the customer notices, the penalty notice,
the handling report and the scheduled summaries say, rendered as each user
renders them and searched."""

import base64
import io
import re

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

FORM = "complaint_center.complaint_report_form"
HANDLING = "complaint_center.complaint_report_handling"
ACCEPTANCE = "complaint_center.complaint_report_acceptance_notice"
FORWARDING = "complaint_center.complaint_report_forwarding_notice"
PENALTY = "complaint_center.complaint_report_penalty_notice"
RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")


def _cell(html, label):
    """The text of the cell right of the header cell ``label``."""
    match = re.search(
        rf"<th[^>]*>\s*{re.escape(label)}\s*</th>\s*<td[^>]*>(.*?)</td>", html, re.S
    )
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def _row(html, label):
    """The cells of the table row headed ``label`` (an empty string when
    there is none)."""
    match = re.search(rf"<th[^>]*>\s*{re.escape(label)}\s*</th>(.*?)</tr>", html, re.S)
    return match.group(1) if match else ""


def _table_labels(html, name):
    """The header cells of the table ``name``."""
    table = re.search(rf'<table[^>]*name="{name}"[^>]*>(.*?)</table>', html, re.S)
    return [
        label.strip()
        for label in re.findall(r"<th[^>]*>(.*?)</th>", table.group(1), re.S)
    ]


class NoticeCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )

    def _report(self, user):
        return (
            self.env["ir.actions.report"].with_user(user).with_context(lang=user.lang)
        )

    def _html(self, report, records, user):
        html = self._report(user)._render_qweb_html(report, records.ids)[0]
        return html.decode() if isinstance(html, bytes) else str(html)


@tagged("post_install", "-at_install")
class TestReportNotices(NoticeCase, HttpCase):
    """An HttpCase: wkhtmltopdf loads the report assets from the test
    server, which serves them only in test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.worker = cls.env["hr.employee"].create(
            {
                "name": "Worker Wu",
                "user_id": cls.employee.id,
                "department_id": cls.other_department.id,
            }
        )

    def _pdf(self, report, records, user):
        content, report_type = (
            self._report(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return content

    # 13. Customer notices: what they print and when -------------------------
    def test_acceptance_notice_refused_while_new(self):
        complaint = self._complaint()
        for user in (self.handler, self.manager):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(
                    UserError, rf"Complaint {re.escape(complaint.name)} is not accepted"
                ),
            ):
                self._html(ACCEPTANCE, complaint, user=user)
        # Nor as a PDF, and printing changed nothing.
        with self.assertRaisesRegex(UserError, "not accepted yet"):
            self._pdf(ACCEPTANCE, complaint, user=self.manager)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.date_ack_sent)
        # Accepted, it prints.
        self._to_state(complaint, "investigating")
        html = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertIn("Complaint Acceptance Notice", html)

    def test_deadlines_print_day_and_minute_never_seconds(self):
        """ "23时59分59秒": a deadline printed to the second."""
        complaint = self._to_state(self._complaint(), "investigating")
        # 23:59:59 in Shanghai: the deadline is the end of 4 March.
        complaint.with_user(self.handler).date_promised_reply = "2031-03-04 15:59:59"
        html = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertEqual(_cell(html, "We Will Answer By"), "03/04/2031")
        self.assertNotRegex(html, r"\d\d:\d\d:\d\d")
        self.customer.lang = "zh_CN"
        html = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertIn("2031年03月04日", html)
        self.assertNotIn("23时59分", html)
        self.assertNotIn("秒", html)
        # Within the day: date, hour and minute, and the time zone named.
        complaint.with_user(self.handler).date_promised_reply = "2031-03-04 02:30:45"
        html = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertIn("2031年03月04日 10:30 (Asia/Shanghai)", html)
        self.assertNotIn("秒", html)
        self.customer.lang = "en_US"
        html = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertEqual(
            _cell(html, "We Will Answer By"), "03/04/2031 10:30 (Asia/Shanghai)"
        )
        # The internal form neither, in Chinese or English.
        self.handler.lang = "zh_CN"
        form = self._html(FORM, complaint, user=self.handler)
        self.assertIn("年", form)
        self.assertNotIn("秒", form)
        self.handler.lang = "en_US"
        self.assertNotRegex(
            self._html(FORM, complaint, user=self.handler), r"\d\d:\d\d:\d\d"
        )

    def test_times_print_in_one_named_zone(self):
        """00:50:59 on the form, 08:50:59 on the notice for the same
        receipt: the form printed in the user's time zone."""
        self.handler.tz = "UTC"
        complaint = self._complaint(date_received="2026-09-30 00:50:59")
        self._to_state(complaint, "investigating")
        shanghai = "09/30/2026 08:50 (Asia/Shanghai)"
        form = self._html(FORM, complaint, user=self.handler)
        self.assertEqual(_cell(form, "Received"), shanghai)
        self.assertNotIn("00:50", form)
        notice = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertEqual(_cell(notice, "Received"), shanghai)
        # A customer in another time zone reads his; the form stays the
        # company's.
        self.customer.tz = "Europe/Paris"
        notice = self._html(ACCEPTANCE, complaint, user=self.handler)
        self.assertEqual(_cell(notice, "Received"), "09/30/2026 02:50 (Europe/Paris)")
        form = self._html(FORM, complaint, user=self.handler)
        self.assertEqual(_cell(form, "Received"), shanghai)

    # 14. The penalty notice -------------------------------------------------
    def _penalty(self, complaint=None, points=2, amount=80.0, kind="deduction"):
        if not complaint:
            complaint = self._to_state(self._complaint(), "investigating")
            complaint.with_user(self.handler).validity = "valid"
            self.env["complaint.responsibility"].create(
                {
                    "complaint_id": complaint.id,
                    "party_type": "employee",
                    "employee_id": self.worker.id,
                    "share": 100.0,
                    "cause": "Stored next to the heater.",
                }
            )
        return (
            self.env["complaint.penalty"]
            .with_user(self.manager)
            .create(
                {
                    "complaint_id": complaint.id,
                    "kind": kind,
                    "employee_id": self.worker.id,
                    "department_id": self.worker.department_id.id,
                    "points": points,
                    "amount": amount,
                    "reason": "Storage rule broken.",
                    "responsibility_id": complaint.responsibility_ids[:1].id,
                }
            )
        )

    @mute_logger(*RULE_LOGGERS)
    def test_penalty_notice_only_once_approved(self):
        penalty = self._penalty()
        for step in (None, "action_confirm"):
            if step:
                getattr(penalty.with_user(self.manager), step)()
            for user in (self.employee, self.manager, self.finance):
                with (
                    self.subTest(state=penalty.state, user=user.login),
                    self.assertRaisesRegex(
                        UserError, "its notice is issued once the penalty is approved"
                    ),
                ):
                    self._html(PENALTY, penalty, user=user)
        with self.assertRaisesRegex(UserError, "once the penalty is approved"):
            self._pdf(PENALTY, penalty, user=self.manager)
        self.assertEqual(penalty.state, "confirmed")
        self.assertFalse(penalty.notice_number)
        penalty.with_user(self.finance).action_approve()
        html = self._html(PENALTY, penalty, user=self.employee)
        self.assertEqual(_cell(html, "Status"), "Approved")
        penalty.with_user(self.finance).action_apply("2031-03")
        html = self._html(PENALTY, penalty, user=self.employee)
        self.assertEqual(_cell(html, "Status"), "Applied")
        self._pdf(PENALTY, penalty, user=self.employee)
        # Approved, then cancelled: nothing to notify any more.
        cancelled = self._penalty(complaint=penalty.complaint_id, amount=30.0)
        cancelled.with_user(self.manager).action_confirm()
        cancelled.with_user(self.finance).action_approve()
        cancelled.with_user(self.finance).action_cancel()
        with self.assertRaisesRegex(UserError, "once the penalty is approved"):
            self._html(PENALTY, cancelled, user=self.manager)
        # Nor hidden in a batch.
        with self.assertRaisesRegex(UserError, "once the penalty is approved"):
            self._html(PENALTY, penalty | cancelled, user=self.manager)

    @mute_logger(*RULE_LOGGERS)
    def test_penalty_notice_same_for_every_reader(self):
        """The employee's copy had no amount to acknowledge; the signer was
        whoever printed: the approver for finance, the confirmer for the
        employee."""
        penalty = self._penalty()
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        for user in (self.employee, self.manager, self.finance):
            with self.subTest(user=user.login):
                html = self._html(PENALTY, penalty, user=user)
                self.assertIn("80.00", _cell(html, "Amount"))
                self.assertEqual(_cell(html, "Issued By"), self.finance.name)
                self.assertEqual(_cell(html, "Acknowledged By"), "Worker Wu")
        # Reading it never let the employee write it.
        with self.assertRaises(UserError):
            penalty.with_user(self.employee).write({"amount": 1.0})
        self.assertEqual(penalty.sudo().amount, 80.0)

    def test_penalty_notice_rows_are_labelled_apart(self):
        """Two rows both labelled 原因: the grounds of the penalty and the
        cause found for the complaint."""
        penalty = self._penalty()
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        html = self._html(PENALTY, penalty, user=self.manager)
        self.assertEqual(_cell(html, "Grounds for the Penalty"), "Storage rule broken.")
        self.assertEqual(_cell(html, "Cause Found"), "Stored next to the heater.")
        self.manager.lang = "zh_CN"
        html = self._html(PENALTY, penalty, user=self.manager)
        labels = _table_labels(html, "penalty")
        self.assertEqual(len(labels), len(set(labels)), labels)
        self.assertEqual(_cell(html, "处罚依据"), "Storage rule broken.")
        self.assertIn("通知单编号", labels)

    @mute_logger(*RULE_LOGGERS)
    def test_penalty_notice_number_given_at_approval_and_kept(self):
        first = self._penalty()
        complaint = first.complaint_id
        second = self._penalty(complaint=complaint, points=1, amount=30.0)
        (first | second).with_user(self.manager).action_confirm()
        self.assertFalse(first.notice_number or second.notice_number)
        # Numbered in the order approved, from the complaint's reference.
        second.with_user(self.finance).action_approve()
        first.with_user(self.finance).action_approve()
        self.assertEqual(second.notice_number, f"{complaint.name}-01")
        self.assertEqual(first.notice_number, f"{complaint.name}-02")
        html = self._html(PENALTY, first, user=self.employee)
        self.assertEqual(_cell(html, "Notice No."), f"{complaint.name}-02")
        # Nobody writes it, whatever their role.
        for user in (self.manager, self.finance, self.executive):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                first.with_user(user).write({"notice_number": "FAKE-1"})
        first.invalidate_recordset()
        self.assertEqual(first.sudo().notice_number, f"{complaint.name}-02")
        # A reprint once applied carries the same; a reversal its own.
        first.with_user(self.finance).action_apply("2031-03")
        html = self._html(PENALTY, first, user=self.manager)
        self.assertEqual(_cell(html, "Notice No."), f"{complaint.name}-02")
        reversal = first.with_user(self.finance).action_reverse()
        self.assertEqual(reversal.notice_number, f"{complaint.name}-03")
        self.assertEqual(first.notice_number, f"{complaint.name}-02")

    # 15. The handling report --------------------------------------------------
    def _written_report(self):
        complaint = self._to_state(self._complaint(), "investigating")
        complaint.with_user(self.handler).write(
            {
                "no_standard": True,
                "report_cause": "Heat in the storage room.",
                "report_result": "Refund and new shelving.",
                "report_improvement": "Storage temperature standard ST-12.",
            }
        )
        return complaint

    def test_handling_report_names_the_department_head_not_the_signer(self):
        head = self.env["hr.employee"].search([("user_id", "=", self.handler2.id)])
        self.department.manager_id = head
        complaint = self._written_report()
        self.assertEqual(complaint.department_id, self.department)
        # Signed in the system by the center director.
        complaint.with_user(self.manager).action_sign_report()
        html = self._html(HANDLING, complaint, user=self.handler)
        head_row = _row(html, "Head of the Responsible Department")
        self.assertIn("Handler Two", head_row)
        self.assertNotIn(self.manager.name, head_row)
        self.assertNotIn("Signed in the system", head_row)
        center_row = _row(html, "Complaint Center")
        self.assertIn(self.manager.name, center_row)
        self.assertIn("Signed in the system", center_row)
        # Signed by the head himself: on his row.
        complaint.with_user(self.handler).report_result = "Refund, new shelving."
        self.assertFalse(complaint.report_signed_by_id)
        complaint.with_user(self.handler2).action_sign_report()
        html = self._html(HANDLING, complaint, user=self.manager)
        head_row = _row(html, "Head of the Responsible Department")
        self.assertIn("Handler Two", head_row)
        self.assertIn("Signed in the system", head_row)
        self.assertIn("(Asia/Shanghai)", head_row)
        self.assertNotIn("Signed in the system", _row(html, "Complaint Center"))

    def test_demo_companies_have_a_handling_report_that_prints(self):
        """None of the 39 demo complaints had a handling report."""
        cn = self.env.ref("complaint_center.res_company_cn_demo", False)
        if not cn:
            self.skipTest("no demo data")
        for company, login in (
            (self.env.ref("base.main_company"), "cc_manager"),
            (cn, "cn_manager"),
        ):
            with self.subTest(company=company.name):
                manager = self.env["res.users"].search([("login", "=", login)])
                complaints = self.env["complaint.complaint"].search(
                    [
                        ("company_id", "=", company.id),
                        ("no_standard", "=", True),
                        ("report_cause", "!=", False),
                        ("report_signed_by_id", "!=", False),
                    ]
                )
                self.assertTrue(complaints)
                complaint = complaints[0]
                html = self._html(HANDLING, complaint, user=manager)
                self.assertIn(complaint.report_improvement.split("。")[0][:20], html)
                head = complaint.department_id.manager_id
                self.assertTrue(head)
                self.assertIn(
                    head.name,
                    _row(html, "Head of the Responsible Department")
                    or _row(html, "责任部门负责人"),
                )
                self._pdf(HANDLING, complaint, user=manager)


@tagged("post_install", "-at_install")
class TestSummaryMails(NoticeCase):
    """16. The scheduled summaries of each company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cn = cls.env["res.company"].create(
            {"name": "华信测试家具", "email": "kefu@huaxin-test.example"}
        )
        cls.cn.partner_id.tz = "Asia/Shanghai"
        cls.cn_manager = make_user(
            cls.env,
            login="cc_t_cn_manager",
            groups=f"{GROUPS}manager",
            company_id=cls.cn.id,
            company_ids=[Command.set(cls.cn.ids)],
            lang="zh_CN",
        )
        cls.company.email = "complaints@yourcompany-test.example"
        cls.Summary = cls.env["complaint.summary"]

    def setUp(self):
        super().setUp()
        # Mails of the demo data are not the summaries.
        self.last_mail = self.env["mail.mail"].search([], order="id desc", limit=1)

    def _mails(self, company, partner=None):
        """The summaries sent by the test of ``company``: their subject names
        it, or they go to ``partner``."""
        if partner:
            domain = [("recipient_ids", "in", partner.ids)]
        else:
            domain = [("subject", "ilike", company.name)]
        domain.append(("id", ">", self.last_mail.id))
        return self.env["mail.mail"].search(domain)

    def _cn_complaint(self):
        return (
            self.env["complaint.complaint"]
            .with_company(self.cn)
            .create({"partner_id": self.other_customer.id})
        )

    def _assert_from(self, mails, company, other):
        self.assertTrue(mails)
        for mail in mails:
            self.assertIn(company.email, mail.email_from)
            self.assertIn(company.name, mail.email_from)
            self.assertNotIn(other.name, mail.email_from)
            self.assertNotIn(other.email, mail.email_from)
            self.assertEqual(mail.author_id, company.partner_id)

    def test_statistics_mails_come_from_their_company(self):
        """华信's monthly and quarterly mails came from YourCompany."""
        with freeze_time("2026-10-15 03:00:00"):
            self._cn_complaint()
            self._complaint()
        with freeze_time("2026-11-01 01:00:00"):
            self.Summary._cron_send_monthly_statistics()
        with freeze_time("2027-01-01 01:05:00"):
            self.Summary._cron_send_quarterly_statistics()
        cn_mails = self._mails(self.cn)
        self.assertEqual(len(cn_mails), 2)
        self._assert_from(cn_mails, self.cn, self.company)
        self._assert_from(self._mails(self.company), self.company, self.cn)

    def test_mailed_statistics_are_not_signed_by_odoobot(self):
        """The mailed PDF said 制表人：OdooBot."""
        with freeze_time("2026-10-15 03:00:00"):
            self._cn_complaint()
            self._complaint()
        with freeze_time("2026-11-01 01:00:00"):
            self.Summary._cron_send_monthly_statistics()
        for recipient, text in (
            (self.cn_manager, "制表人：系统自动生成（定期报表）"),
            (self.manager, "Prepared by: Generated by the system (scheduled report)"),
        ):
            with self.subTest(recipient=recipient.login):
                attachments = self._mails(None, recipient.partner_id).attachment_ids
                self.assertEqual(len(attachments), 1)
                # Tests render the PDF reports as HTML.
                content = base64.b64decode(attachments.datas).decode()
                self.assertNotIn("OdooBot", content)
                flat = re.sub(r"<[^>]+>|\s+", "", content)
                self.assertIn(text.replace(" ", ""), flat)

    def _cells(self, attachment):
        book = load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        return [
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]

    def test_weekly_register_counts_sub_departments(self):
        """The head of 总经办 got "no complaints" every week: the
        complaints of its sub-departments were not counted."""
        office = self.env["hr.department"].create({"name": "General Office T"})
        self.department.parent_id = office
        office.manager_id = self.env["hr.employee"].create(
            {"name": "General Manager T", "user_id": self.executive.id}
        )
        with freeze_time("2026-11-10 03:00:00"):  # last week, in Quality
            complaint = self._complaint()
        self.assertEqual(complaint.department_id, self.department)
        with freeze_time("2026-11-16 01:10:00"):  # Monday
            self.Summary._cron_send_weekly_registers()
        mails = self._mails(self.company, self.executive.partner_id)
        self.assertEqual(len(mails), 1)
        self.assertNotIn("No complaint", mails.body_html)
        self.assertIn("1 complaint(s)", mails.body_html)
        cells = self._cells(mails.attachment_ids)
        self.assertIn(complaint.name, cells)
        # The subtitle names the department and the week.
        subtitle = cells[1]
        for expected in (
            "General Office T",
            "2026-11-09",
            "2026-11-15",
            "week 46 of 2026",
        ):
            self.assertIn(expected, subtitle)
        self._assert_from(mails, self.company, self.cn)

    def test_weekly_register_of_the_other_company(self):
        service = self.env["hr.department"].create(
            {"name": "客服部T", "company_id": self.cn.id}
        )
        service.manager_id = self.env["hr.employee"].create(
            {
                "name": "陈主任T",
                "user_id": self.cn_manager.id,
                "company_id": self.cn.id,
            }
        )
        with freeze_time("2026-11-10 03:00:00"):
            complaint = self._cn_complaint()
            complaint.department_id = service
        with freeze_time("2026-11-16 01:10:00"):
            self.Summary._cron_send_weekly_registers()
        mails = self._mails(self.cn, self.cn_manager.partner_id)
        self.assertEqual(len(mails), 1)
        self._assert_from(mails, self.cn, self.company)
        cells = self._cells(mails.attachment_ids)
        self.assertIn(complaint.name, cells)
        self.assertIn("客服部T", cells[1])
        self.assertIn("2026年第46周", cells[1])
