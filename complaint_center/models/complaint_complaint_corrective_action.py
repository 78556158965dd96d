from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

REPORT_FIELDS = ("report_cause", "report_result", "report_improvement")
REPORT_EDIT_FIELDS = {*REPORT_FIELDS, "no_standard"}


class ComplaintComplaint(models.Model):
    """Corrective/preventive actions and the handling report
    (顾客投诉处理报告表) for cases no written standard or training covered."""

    _inherit = "complaint.complaint"

    action_ids = fields.One2many(
        "complaint.action", "complaint_id", string="Corrective/Preventive Actions"
    )
    action_count = fields.Integer(compute="_compute_action_count")
    action_open_count = fields.Integer(compute="_compute_action_count")

    no_standard = fields.Boolean(
        string="No standard or training covered this case",
        tracking=True,
        copy=False,
        help="The case was not covered by a written standard or by training: a "
        "handling report must be written and signed by the head of the "
        "responsible department before the complaint is closed.",
    )
    report_cause = fields.Text(string="Cause Analysis", copy=False)
    report_result = fields.Text(string="Handling Result", copy=False)
    report_improvement = fields.Text(
        string="Standard or Training to Add",
        copy=False,
        help="Which written standard or training must be added so that the "
        "case is covered next time.",
    )
    report_signed_by_id = fields.Many2one(
        "res.users", string="Signed By", readonly=True, copy=False, tracking=True
    )
    date_report_signed = fields.Datetime(
        string="Report Signed On", readonly=True, copy=False
    )
    can_sign_report = fields.Boolean(compute="_compute_can_sign_report")

    @api.depends("action_ids", "action_ids.state")
    def _compute_action_count(self):
        counts = {
            (complaint.id, state): count
            for complaint, state, count in self.env["complaint.action"]._read_group(
                [("complaint_id", "in", self.ids)],
                ["complaint_id", "state"],
                ["__count"],
            )
        }
        for rec in self:
            rec.action_count = sum(
                counts.get((rec.id, state), 0) for state in ("open", "done", "verified")
            )
            rec.action_open_count = counts.get((rec.id, "open"), 0)

    @api.depends(
        "no_standard",
        "report_signed_by_id",
        "user_id",
        "department_id.manager_id.user_id",
        *REPORT_FIELDS,
    )
    @api.depends_context("uid")
    def _compute_can_sign_report(self):
        for rec in self:
            rec.can_sign_report = bool(
                rec.no_standard
                and not rec.report_signed_by_id
                and rec._may_sign_report()
            )

    # Workflow guard ---------------------------------------------------------
    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "report_signed_by_id",
            "date_report_signed",
        }

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        for state in ("new", "investigating", "proposed", "approved", "resolved"):
            editable[state] = editable[state] | REPORT_EDIT_FIELDS
        return editable

    def _write_watched(self):
        return super()._write_watched() | REPORT_EDIT_FIELDS

    def _after_write(self, vals, before):
        res = super()._after_write(vals, before)
        # A signed report is final: changing it (or whether it is needed)
        # clears the signature, so that it is signed again.
        watched = REPORT_EDIT_FIELDS & set(vals)
        if watched:
            unsign = self.filtered(
                lambda rec: (
                    rec.report_signed_by_id
                    and any(
                        (rec[name] or False) != (before[rec][name] or False)
                        for name in watched
                    )
                )
            )
            unsign.sudo().write(
                {"report_signed_by_id": False, "date_report_signed": False}
            )
        return res

    def _unlink_blockers(self):
        blockers = super()._unlink_blockers()
        if self.sudo().with_context(active_test=False).action_ids:
            blockers.append(self.env._("corrective or preventive actions"))
        return blockers

    def action_sign_report(self):
        for rec in self:
            rec._check_sign_report()
        self.sudo().write(
            {
                "report_signed_by_id": self.env.user.id,
                "date_report_signed": fields.Datetime.now(),
            }
        )
        for rec in self:
            rec.message_post(
                body=self.env._(
                    "Handling report signed by %(user)s.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_sign_report(self):
        """The guard of the Sign button and of its action."""
        self.ensure_one()
        if not self.no_standard:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s does not need a handling report: it "
                    "was covered by a standard or by training.",
                    ref=self.name,
                )
            )
        if self.report_signed_by_id:
            raise UserError(
                self.env._(
                    "The handling report of complaint %(ref)s is already "
                    "signed by %(user)s.",
                    ref=self.name,
                    user=self.report_signed_by_id.name,
                )
            )
        if self.user_id and self.user_id == self.env.user:
            raise AccessError(
                self.env._(
                    "You handle complaint %(ref)s: the head of the "
                    "responsible department or a complaint manager must sign "
                    "its handling report.",
                    ref=self.name,
                )
            )
        if not self._may_sign_report():
            raise AccessError(
                self.env._(
                    "Only the head of the responsible department or a "
                    "complaint manager may sign the handling report of "
                    "complaint %(ref)s.",
                    ref=self.name,
                )
            )
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in REPORT_FIELDS
            if not (self[name] or "").strip()
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Fill in the handling report of complaint %(ref)s before "
                    "signing it: %(fields)s.",
                    ref=self.name,
                    fields=", ".join(missing),
                )
            )

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_corrective_action_action"
        )
        action.update(
            {
                "domain": [("complaint_id", "=", self.id)],
                "context": {
                    "default_complaint_id": self.id,
                    "search_default_filter_open": 0,
                },
            }
        )
        return action

    def _may_sign_report(self):
        self.ensure_one()
        user = self.env.user
        if self.user_id and self.user_id == user:
            return False
        return (
            user.has_group("complaint_center.group_complaint_manager")
            or self.department_id.manager_id.user_id == user
        )

    def _check_can_close(self, force=False):
        res = super()._check_can_close(force=force)
        for rec in self:
            if rec.company_id.complaint_require_actions_done:
                # Archived actions count too: archiving is no way around it.
                open_actions = rec.sudo().with_context(active_test=False).action_ids
                open_actions = open_actions.filtered(
                    lambda action: action.state == "open"
                )
                if open_actions:
                    raise UserError(
                        self.env._(
                            "Complaint %(ref)s still has open corrective or "
                            "preventive actions: %(actions)s. Mark them done "
                            "before closing it.",
                            ref=rec.name,
                            actions=", ".join(open_actions.mapped("name")),
                        )
                    )
            if rec.no_standard and not rec.report_signed_by_id:
                raise UserError(
                    self.env._(
                        "No standard or training covered complaint %(ref)s: "
                        "the head of the responsible department must sign its "
                        "handling report before it is closed.",
                        ref=rec.name,
                    )
                )
        return res
