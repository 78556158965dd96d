"""Who handles a complaint, and who must stay out of it (回避): handlers act
on what is assigned to them or to their department, managers on all; the
people complained about or held responsible decide nothing in their case,
and nobody takes a colleague's case or themselves off the list."""

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

from .complaint_complaint import FEEDBACK_FIELDS

# Actions a handler may only take on complaints assigned to them or to
# their department; managers act on any complaint of their companies.
HANDLER_ACTIONS = ("accept", "propose", "resolve")
# People complained about or responsible may not decide their own case (回避).
RECUSED_ACTIONS = (
    "accept",
    "reject",
    "propose",
    "send_back",
    "approve",
    "resolve",
    "close",
    "force_close",
    "review",
    "reopen",
)


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    @api.constrains("user_id", "involved_user_ids")
    def _check_handler_not_involved(self):
        for rec in self:
            if rec.user_id and rec.user_id in rec.involved_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is complained about or responsible in complaint "
                        "%(ref)s and must not handle it.",
                        user=rec.user_id.name,
                        ref=rec.name,
                    )
                )

    def _check_write(self, vals):
        res = super()._check_write(vals)
        if "subject_employee_ids" in vals:
            self._check_subjects_editor()
        if "user_id" in vals:
            self._check_handler_change(vals["user_id"])
        if FEEDBACK_FIELDS & set(vals):
            self._check_feedback_recorder()
        return res

    def _check_subjects_editor(self):
        """Who is complained about is set at intake, then only by the people
        handling the complaint: nobody takes themselves off the list."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s or a complaint "
                        "manager changes who is complained about.",
                        ref=rec.name,
                    )
                )

    def _check_feedback_recorder(self):
        """The customer's feedback decides whether the complaint may close:
        recorded by its handler (or a manager), by a return visit, or by the
        customer's own rating, never by anyone else."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s records the "
                        "customer's feedback.",
                        ref=rec.name,
                    )
                )

    def _check_handler_change(self, new_handler_id):
        """A complaint changes hands through a complaint manager, or its
        handler handing it over; nobody takes over a colleague's case."""
        if "manager" in self._current_roles():
            return
        for rec in self:
            if rec.user_id and rec.user_id.id != new_handler_id:
                if rec.user_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Complaint %(ref)s is handled by %(handler)s; only a "
                            "complaint manager or the handler reassigns it.",
                            ref=rec.name,
                            handler=rec.user_id.name,
                        )
                    )

    def _may_act(self, action, roles):
        """Record-level part of the rule: a handler (not a manager) acts only on
        complaints assigned to them or to their department, or still
        unassigned; a plain user cancels only what they received; nobody
        involved decides their own case; a second appeal goes to the
        executive."""
        self.ensure_one()
        user = self.env.user
        if action in RECUSED_ACTIONS and user in self.involved_user_ids:
            return False
        if action == "reopen" and self.reopen_count:
            return "executive" in roles
        if "manager" in roles:
            return True
        if action in HANDLER_ACTIONS:
            if not self.user_id or self.user_id == user:
                return True
            departments = user.employee_ids.department_id
            return bool(self.department_id and self.department_id in departments)
        if action == "cancel":
            return user in (self.first_responder_id | self.create_uid)
        return True

    def _is_handler(self):
        """Whether the current user handles this complaint: a handler it is
        assigned to (or to whose department), or a manager; never someone
        involved in it. Extensions, replies, visits and actions use it."""
        self.ensure_one()
        roles = self._current_roles()
        return "handler" in roles and self._may_act("resolve", roles)

    # The chatter keeps the people involved out --------------------------------
    def _after_write(self, vals, before):
        res = super()._after_write(vals, before)
        if "subject_employee_ids" in vals:
            self._unsubscribe_involved()
        return res

    def _unsubscribe_involved(self):
        """Someone who followed a complaint before being named in it stops
        receiving its messages (they carry the complainant's words)."""
        for rec in self.sudo():
            partners = rec.message_partner_ids & rec.involved_user_ids.partner_id
            if partners:
                rec.message_unsubscribe(partner_ids=partners.ids)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if partner_ids:
            involved = self.sudo().involved_user_ids.partner_id.ids
            partner_ids = [pid for pid in partner_ids if pid not in involved]
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # Addressing someone involved would let him read the message.
        if kwargs.get("partner_ids") and len(self) == 1:
            involved = self.sudo().involved_user_ids.partner_id.ids
            kwargs["partner_ids"] = [
                pid for pid in kwargs["partner_ids"] if pid not in involved
            ]
        return super().message_post(**kwargs)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        involved = set(self.sudo().involved_user_ids.partner_id.ids)
        return [data for data in recipients if data["id"] not in involved]
