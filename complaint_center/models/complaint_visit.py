from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from .complaint_selections import SATISFACTION

# Minutes a visit's time may run ahead of the server's clock.
VISIT_CLOCK_SKEW = 5

VISIT_METHODS = [
    ("phone", "Phone"),
    ("visit", "On Site"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("other", "Other"),
]


class ComplaintVisit(models.Model):
    """回访: the handler asks the customer about the result of a resolved
    complaint. Visits are kept as they were recorded."""

    _name = "complaint.visit"
    _inherit = ["complaint.clock.mixin"]
    _description = "Complaint Return Visit"
    _order = "date desc, id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="complaint_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="complaint_id.partner_id")
    date = fields.Datetime(required=True, default=lambda self: self._complaint_now())
    method = fields.Selection(VISIT_METHODS, required=True, default="phone")
    user_id = fields.Many2one(
        "res.users",
        string="Visited By",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        check_company=True,
    )
    result = fields.Text(
        required=True, help="What the customer said about the handling and its result."
    )
    satisfaction = fields.Selection(SATISFACTION, required=True)

    @api.model_create_multi
    def create(self, vals_list):
        complaints = self.env["complaint.complaint"].browse(
            [vals.get("complaint_id") for vals in vals_list if vals.get("complaint_id")]
        )
        for complaint in complaints:
            self._check_may_visit(complaint)
        if not self.env.su:
            self._check_visit_values(vals_list)
        visits = super().create(vals_list)
        for visit in visits:
            visit._apply_to_complaint()
        return visits

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "A return visit cannot be changed; record a new one instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A return visit cannot be deleted, so that nothing is lost.")
        )

    @api.model
    def _check_visit_values(self, vals_list):
        """A visit is recorded by who made it: none in a colleague's name (a
        manager may record one). When it happened is _check_date's."""
        is_manager = "manager" in self.env.user._complaint_roles()
        for vals in vals_list:
            visitor = vals.get("user_id")
            if visitor and visitor != self.env.uid and not is_manager:
                raise AccessError(
                    self.env._("Record the return visits you made yourself.")
                )

    @api.constrains("date", "complaint_id")
    def _check_date(self):
        """A visit asks the customer about the result: it happened after the
        complaint was received and resolved, and not in the future. Its date
        becomes the complaint's feedback date, which the visit deadline is
        measured by."""
        latest = self._complaint_now() + timedelta(minutes=VISIT_CLOCK_SKEW)
        for visit in self:
            complaint = visit.complaint_id.sudo()
            if visit.date > latest:
                raise ValidationError(
                    self.env._("A return visit cannot be dated in the future.")
                )
            earliest = max(
                filter(None, (complaint.date_received, complaint.date_resolved)),
                default=None,
            )
            if earliest and visit.date < earliest:
                raise ValidationError(
                    self.env._(
                        "A return visit of complaint %(ref)s is dated between its "
                        "resolution (%(date)s) and now.",
                        ref=complaint.name,
                        date=format_datetime(self.env, earliest),
                    )
                )

    @api.model
    def _check_may_visit(self, complaint):
        if complaint.state != "resolved":
            raise UserError(
                self.env._(
                    "A return visit is recorded on a resolved complaint; "
                    "complaint %(ref)s is not resolved.",
                    ref=complaint.name,
                )
            )
        if self.env.su:
            return
        if not complaint._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s may record its return "
                    "visit.",
                    ref=complaint.name,
                )
            )

    def _apply_to_complaint(self):
        """The visit's answer becomes the complaint's recorded feedback."""
        self.ensure_one()
        complaint = self.complaint_id
        # The visit was checked (_check_may_visit): its answer is written by
        # the server, as the feedback fields are guarded.
        complaint.sudo().write(
            {
                "satisfaction": self.satisfaction,
                "feedback": self.result,
                "date_feedback": self.date,
            }
        )
        # The visit deadline is met: the escalation ladder starts again.
        complaint._reset_escalation()
        methods = dict(self._fields["method"]._description_selection(self.env))
        levels = dict(self._fields["satisfaction"]._description_selection(self.env))
        complaint.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Return visit (%(method)s) by %(user)s: %(satisfaction)s.",
                    method=methods[self.method],
                    user=self.user_id.name,
                    satisfaction=levels[self.satisfaction],
                ),
                self.result,
            ),
            subtype_xmlid="mail.mt_note",
        )
