import io
from unittest.mock import patch

from openpyxl import load_workbook
from PyPDF2 import PdfFileReader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase

CRON = "complaint_center.ir_cron_complaint_print_jobs"
FORM = "complaint_center.complaint_report_form"


@tagged("post_install", "-at_install")
class TestPrintJobs(ComplaintCase, HttpCase):
    """Issue 28: bulk prints and workbooks leave the request; the scheduled
    action makes them once the request has committed, with the rights of
    who asked, and sends them to that person's inbox, once.

    An HttpCase: wkhtmltopdf loads the report assets from the test server."""

    def _wizard(self, user, records, report=FORM):
        return (
            self.env["complaint.print.wizard"]
            .with_user(user)
            .with_context(default_res_model=records._name, default_res_ids=records.ids)
            .create({"report_id": self.env.ref(report).id})
        )

    def _jobs(self, user):
        return (
            self.env["complaint.print.job"].sudo().search([("user_id", "=", user.id)])
        )

    def _inbox(self, user):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("partner_ids", "in", user.partner_id.ids),
                    ("author_id", "=", self.env.ref("base.partner_root").id),
                    ("model", "=", False),
                ]
            )
        )

    def _triggers(self):
        return (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.env.ref(CRON).id)])
        )

    def _run(self, pdf=False):
        jobs = (
            self.env["complaint.print.job"]
            .with_context(force_report_rendering=pdf)
            ._cron_print(limit=100)
        )
        self.env.invalidate_all()
        return jobs

    def test_bulk_print_leaves_the_request_and_reaches_the_inbox(self):
        complaints = self._complaint() | self._complaint() | self._complaint()
        triggers = self._triggers()
        action = self._wizard(self.handler, complaints).action_print()
        self.assertEqual(action["tag"], "display_notification")
        # Nothing was rendered in the request: the job waits, the cron is woken.
        job = self._jobs(self.handler)
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.res_ids, complaints.ids)
        self.assertEqual(job.report_id, self.env.ref(FORM))
        self.assertFalse(self._inbox(self.handler))
        self.assertGreater(self._triggers(), triggers)

        self._run(pdf=True)
        self.assertEqual(job.state, "sent")
        message = self._inbox(self.handler)
        self.assertEqual(len(message), 1)
        attachment = message.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith("(3).pdf"), attachment.name)
        reader = PdfFileReader(io.BytesIO(attachment.raw))
        text = "".join(page.extractText() for page in reader.pages)
        for complaint in complaints:
            self.assertIn(complaint.name, text)
        # Only the one who asked is told.
        self.assertEqual(message.partner_ids, self.handler.partner_id)

        # Never twice.
        self.assertFalse(self._run())
        self.assertEqual(len(self._inbox(self.handler)), 1)

    def test_what_the_user_may_not_read_is_refused_when_asked(self):
        theirs = self._complaint(user=self.user2)
        mine = self._complaint(user=self.user)
        with self.assertRaises(AccessError):
            self._wizard(self.user, mine | theirs).action_print()
        self.assertFalse(self._jobs(self.user))

    def test_rights_lost_before_the_print_fail_it_without_retry(self):
        complaint = self._complaint(user=self.user)
        self._wizard(self.user, complaint).action_print()
        job = self._jobs(self.user)
        # The clerk leaves the complaint center before the cron runs.
        self.user.sudo().groups_id = [
            Command.unlink(self.env.ref("complaint_center.group_complaint_user").id)
        ]
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).check_access("read")
        self._run()
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 1)
        message = self._inbox(self.user)
        self.assertEqual(len(message), 1)
        self.assertFalse(message.attachment_ids, "nothing of the complaint leaks")
        self.assertIn("Not printed", message.subject)

    def test_a_crash_is_retried(self):
        complaint = self._complaint()
        self._wizard(self.handler, complaint).action_print()
        job = self._jobs(self.handler)
        with patch.object(
            type(self.env["ir.actions.report"]),
            "_render",
            side_effect=RuntimeError("wkhtmltopdf crashed"),
        ):
            self._run()
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.attempts, 1)
        self.assertIn("wkhtmltopdf crashed", job.error)
        self.assertFalse(self._inbox(self.handler))

    def test_the_document_defaults_to_one_of_the_list(self):
        complaint = self._complaint()
        wizard = (
            self.env["complaint.print.wizard"]
            .with_user(self.handler)
            .with_context(
                default_res_model="complaint.complaint", default_res_ids=complaint.ids
            )
            .create({})
        )
        self.assertEqual(wizard.report_id.model, "complaint.complaint")
        self.assertEqual(wizard.record_count, 1)

    def test_forged_documents_are_refused(self):
        complaint = self._complaint()
        # Another model's records, named by a forged default.
        partner_report = self.env["ir.actions.report"].search(
            [("model", "=", "res.partner")], limit=1
        )
        forged = (
            self.env["complaint.print.wizard"]
            .with_user(self.handler)
            .with_context(
                default_res_model="res.partner", default_res_ids=self.customer.ids
            )
            .create({"report_id": partner_report.id})
        )
        with self.assertRaises(UserError):
            forged.action_print()
        invoice_report = self.env["ir.actions.report"].search(
            [("model", "=", "account.move")], limit=1
        )
        wizard = self._wizard(self.handler, complaint)
        wizard.report_id = invoice_report
        with self.assertRaises(UserError):
            wizard.action_print()
        with self.assertRaises(UserError):
            self.env["complaint.print.job"].with_user(self.handler)._enqueue(
                invoice_report, self.env["account.move"]
            )
        self.assertFalse(self._jobs(self.handler))

    def test_the_queue_is_closed_to_every_role(self):
        complaint = self._complaint()
        self._wizard(self.handler, complaint).action_print()
        job = self._jobs(self.handler)
        for user in (self.user, self.handler, self.manager, self.executive):
            jobs = self.env["complaint.print.job"].with_user(user)
            with self.assertRaises(AccessError):
                jobs.create(
                    {
                        "report_id": self.env.ref(FORM).id,
                        "res_ids": complaint.ids,
                        "user_id": self.manager.id,
                        "company_id": self.company.id,
                    }
                )
            with self.assertRaises(AccessError):
                jobs.browse(job.id).write({"user_id": user.id})
            with self.assertRaises(AccessError):
                jobs.browse(job.id).read(["res_ids"])
        self.assertEqual(job.user_id, self.handler)

    def test_register_in_the_background(self):
        complaint = self._complaint()
        wizard = (
            self.env["complaint.register.wizard"]
            .with_user(self.manager)
            .create({"in_background": True})
        )
        action = wizard.action_print_register()
        self.assertEqual(action["tag"], "display_notification")
        self.assertFalse(self._inbox(self.manager))
        self._run()
        message = self._inbox(self.manager)
        self.assertEqual(len(message), 1)
        attachment = message.attachment_ids
        self.assertTrue(attachment.name.endswith(".xlsx"), attachment.name)
        book = load_workbook(io.BytesIO(attachment.raw), read_only=True)
        cells = {
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        }
        self.assertIn(complaint.name, cells)
