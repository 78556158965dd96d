"""Customer mails sent after the step that caused them has committed."""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

CRON = "complaint_center.ir_cron_complaint_mail_jobs"
# Attempts before a mail is given up; the waits between them, in minutes.
RETRY_MINUTES = (1, 5, 30, 120)
BATCH = 20


class ComplaintMailJob(models.Model):
    """A customer mail waiting to be rendered and sent.

    The mails that carry a notice (acknowledgement, rejection, result,
    return-visit request) render a PDF with wkhtmltopdf, which takes a CPU
    for a second or more. The step only queues the mail, in its own
    transaction; the scheduled action sends it once that transaction has
    committed, retries it on failure and never sends it twice: a job is
    claimed with ``FOR UPDATE SKIP LOCKED`` and marked sent in the
    transaction that posts the mail.
    """

    _name = "complaint.mail.job"
    _description = "Complaint Mail to Send"
    _order = "id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        help="Who took the step; the mail is written in their name and with "
        "their rights.",
    )
    state = fields.Selection(
        [("pending", "Waiting"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer(default=0)
    date_next = fields.Datetime(
        string="Next Attempt", default=fields.Datetime.now, required=True
    )
    date_sent = fields.Datetime(string="Sent On")
    error = fields.Text()

    def init(self):
        # One waiting mail per complaint and template: queuing it again
        # while it waits is the same mail.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS complaint_mail_job_pending_uniq "
            "ON complaint_mail_job (complaint_id, template_id) "
            "WHERE state = 'pending'"
        )

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    @api.model
    def _enqueue(self, complaints, template):
        """Queue ``template`` for each of ``complaints`` and wake the
        scheduled action once the transaction commits."""
        if not complaints:
            return self.browse()
        waiting = self.sudo().search(
            [
                ("complaint_id", "in", complaints.ids),
                ("template_id", "=", template.id),
                ("state", "=", "pending"),
            ]
        )
        todo = complaints - waiting.complaint_id
        jobs = self.sudo().create(
            [
                {
                    "complaint_id": complaint.id,
                    "template_id": template.id,
                    "user_id": self.env.uid,
                }
                for complaint in todo
            ]
        )
        self.env.ref(CRON).sudo()._trigger()
        return jobs | waiting

    @api.model
    def _is_waiting(self, complaint, template):
        return bool(
            self.sudo().search_count(
                [
                    ("complaint_id", "=", complaint.id),
                    ("template_id", "=", template.id),
                    ("state", "=", "pending"),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------
    # SCHEDULED ACTION
    # ------------------------------------------------------------

    @api.model
    def _cron_send(self, limit=BATCH):
        """Send the mails that are due, ``limit`` at a time; the scheduled
        action runs again at once while some remain."""
        jobs = self._claim(limit)
        for job in jobs:
            job._send_one()
        remaining = self.sudo().search_count(
            [("state", "=", "pending"), ("date_next", "<=", fields.Datetime.now())]
        )
        self.env["ir.cron"]._notify_progress(done=len(jobs), remaining=remaining)
        return jobs

    def _claim(self, limit):
        """Due jobs no other worker holds, locked until this transaction
        ends."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM complaint_mail_job
             WHERE state = 'pending' AND date_next <= %s
             ORDER BY id
             LIMIT %s
             FOR NO KEY UPDATE SKIP LOCKED
            """,
            (fields.Datetime.now(), limit),
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _send_one(self):
        self.ensure_one()
        complaint = self.complaint_id
        try:
            with self.env.cr.savepoint():
                # With the rights of whoever took the step, in their company:
                # the customer notices follow the same confidentiality rules
                # as a print from the form.
                user = self.user_id
                as_user = (
                    complaint.with_user(user)
                    .with_company(complaint.company_id)
                    .with_context(lang=user.lang, tz=user.tz)
                )
                sent = as_user._send_customer_template(self.template_id)
        except Exception as error:  # noqa: BLE001 - any failure is retried
            _logger.warning(
                "Complaint mail %s (%s) failed: %s",
                self.id,
                self.template_id.name,
                error,
            )
            self._failed(str(error))
            return False
        if not sent:
            # The customer's address was removed meanwhile: nothing to retry.
            self.write(
                {"state": "failed", "error": "No address of the customer to write to."}
            )
            return False
        self.write({"state": "sent", "date_sent": complaint._complaint_now()})
        return True

    def _failed(self, error):
        attempts = self.attempts + 1
        values = {"attempts": attempts, "error": error}
        if attempts > len(RETRY_MINUTES):
            values["state"] = "failed"
            self.write(values)
            self.complaint_id.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "The mail “%(mail)s” could not be sent to the customer after "
                    "%(count)s attempts; send it from the form.",
                    mail=self.template_id.name,
                    count=attempts,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
            return
        values["date_next"] = fields.Datetime.now() + timedelta(
            minutes=RETRY_MINUTES[attempts - 1]
        )
        self.write(values)
        self.env.ref(CRON).sudo()._trigger(at=values["date_next"])
