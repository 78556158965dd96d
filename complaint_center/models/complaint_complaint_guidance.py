"""What the complaint tells the person looking at it: who acts next and,
when it is not them, why (the lifecycle's own guard says it, there is no
second rule table); the order lines for whoever may read the complaint but
not the sale orders; a calendar title; the creation note in the staff's
language."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import formatLang

from ..core import lifecycle

# The path the next step moves a complaint along; rejection, cancellation
# and reopening are side steps of the table.
FORWARD_STATES = lifecycle.STATE_KEYS[: lifecycle.STATE_KEYS.index("closed") + 1]


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    next_step_note = fields.Char(
        string="Next Step",
        compute="_compute_next_step_note",
        help="Who acts next on the complaint and, when it is not you, why.",
    )
    sale_line_summary = fields.Text(
        string="Ordered Lines",
        compute="_compute_sale_line_summary",
        help="The order lines the complaint is about, for whoever may read "
        "the complaint.",
    )
    calendar_label = fields.Char(compute="_compute_calendar_label")

    @api.depends(
        "state",
        "user_id",
        "department_id",
        "involved_user_ids",
        "reopen_count",
        "first_responder_id",
        "proposed_by_id",
        "approved_by_id",
        "severity",
        "compensation_amount",
        "satisfaction",
        "rating_alert",
    )
    @api.depends_context("uid")
    def _compute_next_step_note(self):
        readable = self._filtered_access("read")
        for rec in self:
            rec.next_step_note = rec in readable and rec._next_step_note() or False

    def _next_step_note(self):
        """Who acts next, then what the guard of that step says to the
        current user: that they may take it, or why not (unless they simply
        lack the role the first sentence names)."""
        self.ensure_one()
        step = self._forward_step()
        if not step:
            return self._ended_note()
        waiting = self._waiting_note()
        if step == "close" and not self.satisfaction:
            # action_close asks for the customer's feedback first.
            return waiting
        try:
            self._check_step(step)
        except (AccessError, UserError) as err:
            if self._lacks_step_role(step):
                return waiting
            return f"{waiting} {err.args[0]}"
        return "{} {}".format(
            waiting,
            self.env._("You may %(action)s it now.", action=self._action_label(step)),
        )

    def _forward_step(self):
        """The step of the lifecycle table that moves the complaint on."""
        self.ensure_one()
        if self.state not in FORWARD_STATES[:-1]:
            return False
        target = FORWARD_STATES[FORWARD_STATES.index(self.state) + 1]
        for step, moves in lifecycle.TRANSITIONS.items():
            if moves.get(self.state, (None,))[0] == target:
                return step
        return False

    def _lacks_step_role(self, step):
        try:
            lifecycle.target_state(step, self.state, self._current_roles())
        except lifecycle.TransitionError as err:
            return err.reason == "role"
        return False

    def _waiting_note(self):
        """Whole sentences, so that each language words them its own way."""
        self.ensure_one()
        _ = self.env._
        if self.state == "new":
            return _(
                "A complaint handler accepts this complaint, or a complaint "
                "manager rejects it."
            )
        if self.state == "investigating":
            return _(
                "The handler investigates and proposes a resolution plan for approval."
            )
        if self.state == "proposed":
            if self.approved_by_id:
                return _(
                    "Waiting for the general manager's approval (plan over the "
                    "threshold or major case)."
                )
            if self.needs_executive:
                return _(
                    "Waiting for the approval of a complaint manager other than "
                    "the proposer, then of the general manager (plan over the "
                    "threshold or major case)."
                )
            return _(
                "Waiting for the approval of a complaint manager other than the "
                "proposer."
            )
        if self.state == "approved":
            return _(
                "The handler carries out the approved plan and marks the "
                "complaint resolved."
            )
        if not self.satisfaction:
            return _(
                "Waiting for the customer's feedback or a return visit; then a "
                "complaint manager closes the complaint."
            )
        if self.satisfaction == "unsatisfied":
            return _(
                "The customer is not satisfied: closing sends the complaint "
                "back for review."
            )
        return _(
            "The customer's feedback is recorded; a complaint manager closes "
            "the complaint."
        )

    def _ended_note(self):
        self.ensure_one()
        if self.state == "closed" and self.rating_alert:
            return self.env._(
                "The customer rated the closed complaint as dissatisfied: a "
                "complaint manager reopens it or keeps it closed."
            )
        return False

    # Order lines ----------------------------------------------------------
    @api.depends("sale_line_ids")
    @api.depends_context("uid")
    def _compute_sale_line_summary(self):
        readable = self._filtered_access("read")
        for rec in self:
            # sudo: the lines of a complaint the user may read, without
            # opening the sale orders to them.
            lines = rec.sudo().sale_line_ids if rec in readable else []
            rec.sale_line_summary = (
                "\n".join(
                    "{} × {} {}".format(
                        line.product_id.display_name or line.name,
                        formatLang(
                            self.env,
                            line.product_uom_qty,
                            dp="Product Unit of Measure",
                        ),
                        line.product_uom.name or "",
                    ).strip()
                    for line in lines
                )
                or False
            )

    # Calendar -------------------------------------------------------------
    @api.depends("name", "partner_id", "category_id", "severity")
    def _compute_calendar_label(self):
        severities = dict(self._fields["severity"]._description_selection(self.env))
        for rec in self:
            # sudo: names, as a many2one shows them.
            parts = (
                rec.name,
                rec.partner_id.sudo().display_name,
                rec.category_id.sudo().display_name,
                severities.get(rec.severity),
            )
            rec.calendar_label = " · ".join(part for part in parts if part)

    # Chatter --------------------------------------------------------------
    def _creation_message(self):
        # Logged once and read by the staff: in their language, not in that
        # of whoever created the complaint (a customer on the portal, the
        # mail gateway, a scheduled action).
        lang = self._staff_lang()
        return super(
            ComplaintComplaint, self.with_context(lang=lang)
        )._creation_message()

    def _staff_lang(self):
        """The language of the complaint's staff: the current user's when
        an employee acts, else its handler's or first responder's, else
        the company's."""
        self.ensure_one()
        user = self.env.user
        if user._is_internal() and not user._is_superuser():
            return self.env.lang or user.lang
        staff = (self.user_id or self.first_responder_id).filtered(
            lambda u: not u.share
        )
        return staff.lang or self.company_id.partner_id.lang or self.env.lang
