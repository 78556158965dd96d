"""Customer mails sent after the step that caused them has committed."""

from markupsafe import Markup

from odoo import api, fields, models

from .complaint_job_mixin import BATCH


class ComplaintMailJob(models.Model):
    """A customer mail waiting to be rendered and sent.

    The mails that carry a notice (acknowledgement, rejection, result,
    return-visit request) render a PDF with wkhtmltopdf, which takes a CPU
    for a second or more. The step only queues the mail, in its own
    transaction; the scheduled action sends it once that transaction has
    committed, retries it on failure and never sends it twice
    (``complaint.job.mixin``).
    """

    _name = "complaint.mail.job"
    _inherit = ["complaint.job.mixin"]
    _description = "Complaint Mail to Send"
    _job_cron = "complaint_center.ir_cron_complaint_mail_jobs"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    user_id = fields.Many2one(
        help="Who took the step; the mail is written in their name and with "
        "their rights.",
    )

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
        self._wake()
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
        return self._cron_run(limit=limit)

    def _do_job(self):
        complaint = self.complaint_id
        # With the rights of whoever took the step, in their company: the
        # customer notices follow the same confidentiality rules as a print
        # from the form.
        user = self.user_id
        as_user = (
            complaint.with_user(user)
            .with_company(complaint.company_id)
            .with_context(lang=user.lang, tz=user.tz)
        )
        if as_user._send_customer_template(self.template_id):
            return True
        # The customer's address was removed meanwhile: nothing to retry.
        self.write(
            {"state": "failed", "error": "No address of the customer to write to."}
        )
        return False

    def _job_now(self):
        return self.complaint_id._complaint_now()

    def _given_up(self):
        self.complaint_id.sudo().message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "The mail “%(mail)s” could not be sent to the customer after "
                "%(count)s attempts; send it from the form.",
                mail=self.template_id.name,
                count=self.attempts,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
