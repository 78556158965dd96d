"""Approval of the plan (主管领导批示): a complaint manager approves, and
the general manager too for major and critical cases, large compensation or
the executive review level; never the proposer, never one person twice.
What the first approval saw is frozen: the executive check, the credit note
and the penalties read ``_plan_figures()``, never the live fields."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..core import lifecycle
from .complaint_selections import SEVERITIES

APPROVAL_ACTIVITY = "complaint_center.mail_activity_type_complaint_approval"


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    proposed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_proposed = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    date_approved = fields.Datetime(readonly=True, copy=False)
    executive_approved_by_id = fields.Many2one(
        "res.users",
        string="Executive Approval",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_executive_approved = fields.Datetime(readonly=True, copy=False)
    # What was approved, frozen at the first approval: the executive check,
    # the credit note and the penalties read these, never the live fields.
    approved_severity = fields.Selection(SEVERITIES, readonly=True, copy=False)
    approved_compensation_amount = fields.Monetary(
        string="Approved Compensation",
        currency_field="currency_id",
        readonly=True,
        copy=False,
    )
    needs_executive = fields.Boolean(
        string="Needs Executive Approval",
        compute="_compute_needs_executive",
        help="Major and critical complaints, compensation above the company "
        "threshold and complaints at the executive review level are approved "
        "by the general manager as well.",
    )

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "proposed_by_id",
            "date_proposed",
            "approved_by_id",
            "date_approved",
            "executive_approved_by_id",
            "date_executive_approved",
            "approved_severity",
            "approved_compensation_amount",
        }

    @api.depends("proposed_by_id", "approved_by_id")
    def _compute_can(self):
        return super()._compute_can()

    @api.depends(
        "severity",
        "compensation_amount",
        "currency_id",
        "review_level",
        "approved_by_id",
        "approved_severity",
        "approved_compensation_amount",
    )
    def _compute_needs_executive(self):
        for rec in self:
            severity, amount = rec._plan_figures()
            company = rec.company_id
            if rec.currency_id and amount:
                amount = rec.currency_id._convert(
                    amount,
                    company.currency_id,
                    company,
                    fields.Date.context_today(rec),
                )
            threshold = company.complaint_executive_threshold
            rec.needs_executive = bool(
                severity in ("major", "critical")
                or (threshold and amount > threshold)
                or rec.review_level == str(lifecycle.REVIEW_EXECUTIVE)
            )

    def _plan_figures(self):
        """``(severity, compensation)`` of the plan: as approved once the
        first approval froze them, else as proposed."""
        self.ensure_one()
        if self.approved_by_id:
            return self.approved_severity, self.approved_compensation_amount
        return self.severity, self.compensation_amount

    def action_approve(self):
        """Approve the plan: a complaint manager, plus the executive when
        ``needs_executive``; never the proposer, never someone involved. The
        first approval freezes the approved severity and compensation."""
        self._check_steps("approve")
        now = fields.Datetime.now()
        user = self.env.user
        done = self.browse()
        for rec in self:
            if not rec.approved_by_id:
                rec.sudo().write(
                    {
                        "approved_by_id": user.id,
                        "date_approved": now,
                        "approved_severity": rec.severity,
                        "approved_compensation_amount": rec.compensation_amount,
                    }
                )
                if rec.needs_executive:
                    rec._ask_executive_approval()
                    continue
            else:
                rec.sudo().write(
                    {
                        "executive_approved_by_id": user.id,
                        "date_executive_approved": now,
                    }
                )
            done |= rec
        done._write_step("approve")
        self._close_approval_activities()
        return True

    def _approval_reset_values(self):
        return {
            "approved_by_id": False,
            "date_approved": False,
            "executive_approved_by_id": False,
            "date_executive_approved": False,
            "approved_severity": False,
            "approved_compensation_amount": 0.0,
        }

    def _ask_executive_approval(self):
        self.ensure_one()
        executives = self.company_id._complaint_people("executive")
        for user in executives - self.env.user:
            # In the approver's language, not the first approver's.
            summary = self.with_context(lang=user.lang).env._(
                "Approve the plan of complaint %(ref)s", ref=self.name
            )
            self.activity_schedule(APPROVAL_ACTIVITY, summary=summary, user_id=user.id)
        self.message_post(
            body=self.env._(
                "Plan approved by %(user)s; waiting for the executive's approval.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _close_approval_activities(self):
        """Once the plan is approved, every approver's to-do is answered."""
        approved = self.filtered(lambda rec: rec.state != "proposed")
        approved.sudo().activity_feedback([APPROVAL_ACTIVITY])

    def _transition_values(self, step):
        values = super()._transition_values(step)
        if step == "propose":
            values.update(
                proposed_by_id=self.env.user.id,
                date_proposed=fields.Datetime.now(),
                **self._approval_reset_values(),
            )
        elif step == "send_back":
            values.update(self._approval_reset_values())
        return values

    def _reopen_values(self):
        return dict(super()._reopen_values(), **self._approval_reset_values())

    def _after_step(self, step):
        res = super()._after_step(step)
        if step in ("reject", "send_back", "cancel"):
            self.sudo().activity_unlink([APPROVAL_ACTIVITY])
        return res

    def _check_step(self, step):
        res = super()._check_step(step)
        if step == "approve":
            self._check_approver()
        return res

    def _check_approver(self):
        """Never the proposer; the second approval (executive) from another
        person than the first."""
        user = self.env.user
        if user == self.proposed_by_id:
            raise AccessError(
                self.env._(
                    "You proposed the plan of complaint %(ref)s; someone else "
                    "must approve it.",
                    ref=self.name,
                )
            )
        if not self.approved_by_id:
            return
        if "executive" not in self._current_roles():
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s was approved by the complaint manager and "
                    "now needs the executive's approval.",
                    ref=self.name,
                )
            )
        if user == self.approved_by_id:
            raise AccessError(
                self.env._(
                    "You already approved complaint %(ref)s; the second approval "
                    "must come from another person.",
                    ref=self.name,
                )
            )
