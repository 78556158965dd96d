"""Work that leaves the request: claimed, retried and never done twice."""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Attempts before a job is given up; the waits between them, in minutes.
RETRY_MINUTES = (1, 5, 30, 120)
# Jobs per transaction of the scheduled action, which runs again at once
# while some are due: a PDF takes seconds on a busy machine, and a batch
# that outlives the cron worker's time limit is rolled back whole.
BATCH = 5


class ComplaintJobMixin(models.AbstractModel):
    """A job the scheduled action ``_job_cron`` runs once the transaction
    that queued it has committed.

    Rendering a PDF or a workbook takes a CPU for a second or more; the
    request only queues the job. A job is claimed with ``FOR NO KEY UPDATE
    SKIP LOCKED`` and marked done in the transaction that does its work, so
    two cron workers never do it twice; a failure is retried after
    ``RETRY_MINUTES`` in a savepoint, without holding back the other jobs.
    """

    _name = "complaint.job.mixin"
    _description = "Complaint Background Job"
    _order = "id"

    # The xmlid of the scheduled action that runs the jobs.
    _job_cron = None

    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        help="Who asked for it; the work is done in their name and with their rights.",
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

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    def _wake(self, at=None):
        """Run the scheduled action once the transaction commits (or at
        ``at``)."""
        self.env.ref(self._job_cron).sudo()._trigger(at=at)

    # ------------------------------------------------------------
    # SCHEDULED ACTION
    # ------------------------------------------------------------

    @api.model
    def _cron_run(self, limit=BATCH):
        """Run the jobs that are due, ``limit`` at a time; the scheduled
        action runs again at once while some remain."""
        jobs = self._claim(limit)
        for job in jobs:
            job._run_one()
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
            SQL(
                """
                SELECT id FROM %s
                 WHERE state = 'pending' AND date_next <= %s
                 ORDER BY id
                 LIMIT %s
                 FOR NO KEY UPDATE SKIP LOCKED
                """,
                SQL.identifier(self._table),
                fields.Datetime.now(),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _run_one(self):
        """Do the job in a savepoint; ``True`` when it is done."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                done = self._do_job()
        except Exception as error:  # noqa: BLE001 - any failure is retried
            _logger.warning("%s %s failed: %s", self._description, self.id, error)
            self._failed(str(error), final=self._is_final_failure(error))
            return False
        if not done:
            return False
        self.write({"state": "sent", "date_sent": self._job_now()})
        return True

    def _job_now(self):
        return fields.Datetime.now()

    def _do_job(self):
        """The work itself, as ``self.user_id``; returns whether it was done
        (a job that cannot be done any more marks itself failed)."""
        raise NotImplementedError

    def _is_final_failure(self, error):
        """Whether retrying ``error`` is pointless."""
        return False

    def _failed(self, error, final=False):
        attempts = self.attempts + 1
        values = {"attempts": attempts, "error": error}
        if final or attempts > len(RETRY_MINUTES):
            values["state"] = "failed"
            self.write(values)
            self._given_up()
            return
        values["date_next"] = fields.Datetime.now() + timedelta(
            minutes=RETRY_MINUTES[attempts - 1]
        )
        self.write(values)
        self._wake(at=values["date_next"])

    def _given_up(self):
        """Tell whoever must act that the job was given up."""
