from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.complaint_center.models.complaint_complaint import (
    ComplaintComplaint,
)

from .common import ComplaintCase

ACK = "complaint_center.mail_template_complaint_acknowledgement"
REJECTION = "complaint_center.mail_template_complaint_rejection"
CRON = "complaint_center.ir_cron_complaint_mail_jobs"


@tagged("post_install", "-at_install")
class TestMailJobs(ComplaintCase):
    """Issue 28: the customer mails and their PDF notices leave the request;
    the scheduled action sends them after the step commits, retries a
    failure and never sends one twice."""

    def _jobs(self, complaint):
        return (
            self.env["complaint.mail.job"]
            .sudo()
            .search([("complaint_id", "=", complaint.id)])
        )

    def _customer_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.attachment_ids
        )

    def _pdfs(self, complaint):
        # The notice the mail carries (rendered as HTML in test mode).
        return self._customer_messages(complaint).attachment_ids.filtered(
            lambda a: complaint.name in a.name
        )

    def _accepted(self, queues=True):
        complaint = self._complaint()
        triggers = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.env.ref(CRON).id)])
        )
        complaint.with_user(self.handler).action_accept()
        self.assertEqual(complaint.state, "investigating")
        woken = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.env.ref(CRON).id)])
        )
        self.assertEqual(woken > triggers, queues, "the step wakes the sender")
        return complaint

    def _make_due(self, jobs):
        # Fixture: the retry's wait is over.
        jobs.sudo().write({"date_next": fields.Datetime.now() - timedelta(seconds=1)})

    def test_accept_returns_before_the_notice_exists(self):
        self.company.complaint_auto_mail = True
        complaint = self._accepted()
        # The request has rendered nothing: no mail, no PDF, nothing stamped.
        self.assertFalse(self._customer_messages(complaint))
        self.assertFalse(self._pdfs(complaint))
        self.assertFalse(complaint.date_ack_sent)
        job = self._jobs(complaint)
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.template_id, self.env.ref(ACK))
        self.assertEqual(job.user_id, self.handler)

        self._send_queued_mails()
        message = self._customer_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertIn(self.customer, message.partner_ids)
        # Written as the handler who accepted, with the notice attached.
        self.assertEqual(message.create_uid, self.handler)
        self.assertEqual(len(self._pdfs(complaint)), 1)
        self.assertTrue(complaint.date_ack_sent)
        self.assertEqual(job.state, "sent")
        self.assertTrue(job.date_sent)

        # The scheduled action running again sends nothing more.
        self._send_queued_mails()
        self.assertEqual(len(self._customer_messages(complaint)), 1)

    def test_queued_twice_is_one_mail(self):
        self.company.complaint_auto_mail = True
        complaint = self._accepted()
        jobs = self.env["complaint.mail.job"]._enqueue(complaint, self.env.ref(ACK))
        self.assertEqual(len(self._jobs(complaint)), 1)
        self.assertEqual(jobs, self._jobs(complaint))
        self._send_queued_mails()
        self.assertEqual(len(self._customer_messages(complaint)), 1)

    def test_failure_is_retried_then_given_up(self):
        self.company.complaint_auto_mail = True
        complaint = self._accepted()
        job = self._jobs(complaint)
        with patch.object(
            ComplaintComplaint,
            "_send_customer_template",
            side_effect=OSError("wkhtmltopdf crashed"),
        ):
            self._send_queued_mails()
            self.assertEqual(job.state, "pending")
            self.assertEqual(job.attempts, 1)
            self.assertIn("wkhtmltopdf crashed", job.error)
            self.assertGreater(job.date_next, fields.Datetime.now())
            # Not due yet: the next run leaves it alone.
            self._send_queued_mails()
            self.assertEqual(job.attempts, 1)
            for _attempt in range(4):
                self._make_due(job)
                self._send_queued_mails()
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 5)
        self.assertFalse(self._customer_messages(complaint))
        self.assertFalse(complaint.date_ack_sent)
        note = complaint.message_ids.filtered(
            lambda m: "could not be sent" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        # The handler sends it by hand then.
        complaint.with_user(self.handler).action_send_acknowledgement()
        self._send_queued_mails()
        self.assertEqual(len(self._customer_messages(complaint)), 1)
        self.assertTrue(complaint.date_ack_sent)

    def test_failure_then_success_sends_once(self):
        self.company.complaint_auto_mail = True
        complaint = self._accepted()
        job = self._jobs(complaint)
        send = ComplaintComplaint._send_customer_template
        calls = []

        def flaky(records, template):
            if records.id == complaint.id:
                calls.append(template)
                if len(calls) == 1:
                    raise OSError("report server busy")
            return send(records, template)

        with patch.object(
            ComplaintComplaint,
            "_send_customer_template",
            autospec=True,
            side_effect=flaky,
        ):
            self._send_queued_mails()
            self.assertFalse(self._customer_messages(complaint))
            self._make_due(job)
            self._send_queued_mails()
        self.assertEqual(job.state, "sent")
        self.assertEqual(job.attempts, 1)
        self.assertEqual(len(self._customer_messages(complaint)), 1)
        self.assertEqual(len(self._pdfs(complaint)), 1)

    def test_one_failure_does_not_hold_the_others(self):
        self.company.complaint_auto_mail = True
        first = self._accepted()
        second = self._accepted()
        send = ComplaintComplaint._send_customer_template

        def fail_first(records, template):
            if records.id == first.id:
                raise OSError("broken")
            return send(records, template)

        with patch.object(
            ComplaintComplaint,
            "_send_customer_template",
            autospec=True,
            side_effect=fail_first,
        ):
            self._send_queued_mails()
        self.assertEqual(self._jobs(first).state, "pending")
        self.assertEqual(self._jobs(second).state, "sent")
        self.assertFalse(self._customer_messages(first))
        self.assertEqual(len(self._customer_messages(second)), 1)

    def test_rejection_mail_is_queued(self):
        self.company.complaint_auto_mail = True
        complaint = self._complaint(
            rejection_reason="Internal: flagged.",
            rejection_reply="The product was used after its expiry date.",
            validity="invalid",
        )
        complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.state, "rejected")
        self.assertFalse(self._customer_messages(complaint))
        job = self._jobs(complaint)
        self.assertEqual(job.template_id, self.env.ref(REJECTION))
        self._send_queued_mails()
        message = self._customer_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.create_uid, self.manager)
        self.assertIn("expiry date", message.body)

    def test_send_acknowledgement_by_hand_is_queued_once(self):
        self.company.complaint_auto_mail = False
        complaint = self._accepted(queues=False)
        self.assertFalse(self._jobs(complaint))
        complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertFalse(complaint.date_ack_sent)
        # A second click while it waits is refused, and queues nothing.
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertEqual(len(self._jobs(complaint)), 1)
        self._send_queued_mails()
        self.assertTrue(complaint.date_ack_sent)
        self.assertEqual(len(self._customer_messages(complaint)), 1)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertEqual(len(self._jobs(complaint)), 1)

    def test_the_queue_is_closed_to_users(self):
        self.company.complaint_auto_mail = True
        complaint = self._accepted()
        job = self._jobs(complaint)
        for user in (self.user, self.handler, self.manager):
            jobs = self.env["complaint.mail.job"].with_user(user)
            with self.assertRaises(AccessError):
                jobs.search([])
            with self.assertRaises(AccessError):
                jobs.create(
                    {
                        "complaint_id": complaint.id,
                        "template_id": job.template_id.id,
                        "user_id": user.id,
                    }
                )
            with self.assertRaises(AccessError):
                job.with_user(user).write({"state": "sent"})
        self.assertEqual(job.state, "pending")
        self.assertEqual(len(self._jobs(complaint)), 1)
