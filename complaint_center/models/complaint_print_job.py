"""Bulk prints and workbooks made after the request, delivered to the inbox."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .complaint_job_mixin import BATCH


class ComplaintPrintJob(models.Model):
    """A report to render for a user once the request that asked for it has
    committed; the file reaches the user's inbox (Discuss), as a message
    only they are notified of.

    Printing a hundred complaints takes wkhtmltopdf a minute; a worker that
    spends it in the request keeps everybody behind it waiting. The job is
    rendered with the rights, company and language of the user who asked
    for it, as the print from the screen would be.
    """

    _name = "complaint.print.job"
    _inherit = ["complaint.job.mixin"]
    _description = "Complaint Print to Deliver"
    _job_cron = "complaint_center.ir_cron_complaint_print_jobs"

    report_id = fields.Many2one("ir.actions.report", required=True, ondelete="cascade")
    res_ids = fields.Json(
        string="Records", help="The ids of the records to print, in order."
    )
    data = fields.Json(help="The criteria of a report that searches itself.")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    @api.model
    def _enqueue(self, report, records=None, data=None):
        """Queue ``report`` on ``records`` (or on ``data``) for the current
        user, who must be able to read them now; the scheduled action renders
        it once the transaction commits."""
        report = report.sudo()
        if not report.model.startswith("complaint."):
            raise UserError(
                self.env._("Only the complaint center's documents print here.")
            )
        if records is not None:
            if records._name != report.model:
                raise UserError(
                    self.env._(
                        "The document “%(report)s” does not print %(model)s.",
                        report=report.name,
                        model=records._description,
                    )
                )
            # In the asking user's environment, whatever the caller's.
            records = self.env[report.model].browse(records.ids).exists()
            if not records:
                raise UserError(self.env._("Select the records to print."))
            # As the asking user: what they may not read is refused now, not
            # an hour later in the inbox.
            records.check_access("read")
        job = self.sudo().create(
            {
                "report_id": report.id,
                "res_ids": records.ids if records is not None else [],
                "data": data or None,
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
            }
        )
        job._wake()
        return job

    def _queued_action(self):
        """The client action telling the user where the document will be."""
        self.ensure_one()
        count = len(self.res_ids or [])
        document = self.report_id.name
        message = (
            self.env._(
                "%(document)s of %(count)s records is being made; it will be in "
                "your inbox.",
                document=document,
                count=count,
            )
            if count
            else self.env._(
                "%(document)s is being made; it will be in your inbox.",
                document=document,
            )
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # SCHEDULED ACTION
    # ------------------------------------------------------------

    @api.model
    def _cron_print(self, limit=BATCH):
        return self._cron_run(limit=limit)

    def _do_job(self):
        user = self.user_id
        reports = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_company(self.company_id)
            .with_context(lang=user.lang, tz=user.tz)
        )
        content, extension = reports._render(
            self.report_id.report_name, self.res_ids or [], data=self.data
        )
        self._deliver(content, extension)
        return True

    def _deliver(self, content, extension):
        user = self.user_id
        job = self.with_context(lang=user.lang)
        count = len(self.res_ids or [])
        name = job.report_id.name
        filename = f"{name} ({count}).{extension}" if count else f"{name}.{extension}"
        body = (
            job.env._(
                "%(document)s of %(count)s records, as you asked.",
                document=name,
                count=count,
            )
            if count
            else job.env._("%(document)s, as you asked.", document=name)
        )
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            author_id=self.env.ref("base.partner_root").id,
            subject=job.env._("Ready: %(document)s", document=name),
            body=Markup("<p>%s</p>") % body,
            attachments=[(filename, content)],
        )

    def _is_final_failure(self, error):
        # A refusal does not change by waiting.
        return isinstance(error, AccessError | UserError)

    def _given_up(self):
        job = self.with_context(lang=self.user_id.lang)
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=self.user_id.partner_id.ids,
            author_id=self.env.ref("base.partner_root").id,
            subject=job.env._(
                "Not printed: %(document)s", document=self.report_id.name
            ),
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                job.env._("The document you asked for could not be made."),
                self.error or "",
            ),
        )
