from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.models import MAGIC_COLUMNS
from odoo.tools import formataddr

from ..core import workflow

# Odoo's keys that silence the chatter. A caller may send them with any call;
# the audit trail of a workflow record is kept whatever they say.
AUDIT_CONTEXT = {
    "tracking_disable": False,
    "mail_notrack": False,
    "mail_create_nolog": False,
}


class ComplaintWorkflowMixin(models.AbstractModel):
    """The server is the only authority over a workflow model.

    ``create``/``write`` refuse, from anyone but the superuser and whatever
    the context:

    * guarded fields (``_workflow_guarded_fields``): written only by the
      model's actions, which check role and state first and then write them
      with ``sudo()``; computed read-only fields are always guarded;
    * any other field of the model outside the whitelist of the record's
      state (``_workflow_editable_fields``): what was proposed, approved or
      applied is frozen.

    Fields of the inherited mixins (mail.thread, portal.mixin...) and
    one2many lines (guarded by their own model) are out of scope.

    One state-machine pattern for every workflow model:
    ``_workflow_transitions`` is the table ``{step: {from_state: (to_state,
    roles)}}`` (``core/workflow.py``); ``_check_step(step)`` is the guard of
    a step, shared by its action and its ``can_<step>`` button: here the
    table (state and role), in the models their own rules after
    ``super()``; ``_step(step, values)`` checks every record, then writes
    the new state and the step's workflow fields as superuser and returns
    the records, on which
    the action then runs the step's effects itself.
    """

    _name = "complaint.workflow.mixin"
    _inherit = ["complaint.clock.mixin"]
    _description = "Complaint Center Workflow Guard"
    _workflow_state_field = "state"
    # Fields the model's actions write (as superuser); nobody else.
    _workflow_fields = frozenset()
    # step -> {from_state: (to_state, roles)}
    _workflow_transitions = {}

    @api.model
    def _workflow_scope(self):
        """Fields of this model the guard covers: those the addons of this
        model declare (not the mail/portal mixins'), one2many excepted."""
        scope = set()
        for name, field in self._fields.items():
            if name in MAGIC_COLUMNS or field.type == "one2many":
                continue
            if field._module and field._module.startswith("complaint_center"):
                scope.add(name)
        return scope

    @api.model
    def _workflow_guarded_fields(self):
        """Fields only the workflow writes: ``_workflow_fields``, the state
        and every computed read-only field."""
        return (
            {
                name
                for name in self._workflow_scope()
                if self._fields[name].compute
                and self._fields[name].readonly
                and not self._fields[name].inverse
            }
            | {self._workflow_state_field}
            | set(self._workflow_fields)
        )

    @api.model
    def _workflow_initial_values(self):
        """Guarded fields a new record may carry, with their only value."""
        state = self._fields[self._workflow_state_field]
        return {self._workflow_state_field: state.default(self)}

    @api.model
    def _workflow_editable_fields(self):
        """State -> fields a user may change in that state."""
        return {}

    # CRUD -------------------------------------------------------------------
    def _audited(self):
        """``self`` with the chatter on, whatever the caller's context."""
        return self.with_context(**AUDIT_CONTEXT)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self = self._audited()
            # Access rights first: who may not create hears so.
            self.browse().check_access("create")
            guarded = self._workflow_guarded_fields()
            initial = self._workflow_initial_values()
            for vals in vals_list:
                hits = workflow.forbidden_create_values(vals, guarded, initial)
                if hits:
                    raise AccessError(
                        self.env._(
                            "%(model)s: %(fields)s are set by the workflow, not "
                            "when a record is created.",
                            model=self._description,
                            fields=self._workflow_labels(hits),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self = self._audited()
            self._workflow_check_write(vals)
        return super().write(vals)

    def _workflow_check_write(self, vals):
        names = set(vals) & self._workflow_scope()
        if not names:
            return
        # Access rights and record rules first: who may not write hears so.
        self.check_access("write")
        guarded = self._workflow_guarded_fields()
        editable = self._workflow_editable_fields()
        state_field = self._workflow_state_field
        for state in set(self.mapped(state_field)):
            rec = self.filtered(lambda r, s=state: r[state_field] == s)[:1]
            guarded_hits, frozen_hits = workflow.forbidden_fields(
                names, state, guarded, editable
            )
            if guarded_hits:
                raise AccessError(
                    self.env._(
                        "%(record)s: %(fields)s change only through the workflow "
                        "buttons.",
                        record=rec.display_name,
                        fields=self._workflow_labels(guarded_hits),
                    )
                )
            if frozen_hits:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s: %(fields)s can no longer be changed.",
                        record=rec.display_name,
                        state=rec._workflow_state_label(),
                        fields=self._workflow_labels(frozen_hits),
                    )
                )

    # State machine ----------------------------------------------------------
    def _workflow_next_state(self, step):
        """State ``step`` leads to from this record's state for the current
        user (raises ``workflow.TransitionError`` when the table refuses)."""
        self.ensure_one()
        return workflow.next_state(
            self._workflow_transitions,
            step,
            self[self._workflow_state_field],
            self._current_roles(),
        )

    def _check_step(self, step):
        """The guard of ``step`` on one record, shared by its action and its
        ``can_*`` button: here the table, state and role; models add their
        own rules after ``super()``."""
        self.ensure_one()
        try:
            self._workflow_next_state(step)
        except workflow.TransitionError as err:
            if err.reason == "role":
                raise AccessError(self._role_refusal(step, err)) from err
            raise UserError(self._step_refusal(step, err)) from err

    def _step_refusal(self, step, err):
        """Message for a step the table refuses from the record's state."""
        field = self._fields[self._workflow_state_field]
        labels = dict(field._description_selection(self.env))
        return self.env._(
            "%(record)s is %(state)s; this step needs it %(allowed)s.",
            record=self.display_name,
            state=self._workflow_state_label(),
            allowed=", ".join(labels[state] for state in err.allowed),
        )

    def _role_refusal(self, step, err):
        """Message for a step the table refuses to the user's roles."""
        return self.env._(
            "You are not allowed to take this step on %(record)s.",
            record=self.display_name,
        )

    def _check_steps(self, step):
        for rec in self:
            rec._check_step(step)

    def _step(self, step, values=None):
        """Check ``step`` on every record first, then take it; returns the
        records as ``_write_step`` does."""
        self._check_steps(step)
        return self._write_step(step, values)

    def _write_step(self, step, values=None):
        """Take a checked ``step``: the new state from the table (unless
        ``values`` give one) and ``values`` (a dict, or a function of the
        record), written as superuser: the guard refuses them to anyone.
        Tracked in the chatter, whatever the caller's context. Returns the
        records with the chatter on, for the step's effects to be tracked
        too."""
        self = self._audited()
        for rec in self:
            vals = dict((values(rec) if callable(values) else values) or {})
            vals.setdefault(self._workflow_state_field, rec._workflow_next_state(step))
            rec.sudo().write(vals)
        return self

    def _workflow_allows(self, step):
        """Whether ``_check_step`` lets ``step`` through."""
        self.ensure_one()
        try:
            self._check_step(step)
        except (AccessError, UserError):
            return False
        return True

    def _workflow_set_flags(self, steps):
        """Set ``can_<step>`` for each of ``steps`` from the guard; all False
        on records the user may not read."""
        readable = self._filtered_access("read")
        for rec in self:
            for step in steps:
                rec[f"can_{step}"] = rec in readable and rec._workflow_allows(step)

    # Chatter (evidence: see mail_message.py) --------------------------------
    # For the models that also inherit mail.thread, listed after this mixin.
    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # Odoo's chatter posts a rating with a message, as superuser: a
        # workflow record is rated only through its customer's survey link
        # (rating_apply, which links its own rating as superuser).
        if kwargs.get("rating_value") or (kwargs.get("rating_id") and not self.env.su):
            raise AccessError(
                self.env._(
                    "%(model)s: ratings come only from the customer's "
                    "satisfaction survey, not with a message.",
                    model=self._description,
                )
            )
        return super().message_post(**kwargs)

    def _message_compute_author(self, author_id=None, email_from=None, **kwargs):
        # Staff without an address of their own still take their steps: what
        # they post, and the to-dos they give, leave in their name from the
        # company's address (its default sender, else its e-mail) instead of
        # Odoo's "configure the sender's email address".
        user = self.env.user
        if author_id is None and not email_from and not user.email:
            company = self.env.company
            sender = company.default_from_email or company.email
            if sender:
                author_id = user.partner_id.id
                email_from = formataddr((user.name, sender))
        return super()._message_compute_author(author_id, email_from, **kwargs)

    def _check_can_update_message_content(self, messages):
        # The chatter's edit and delete of a posted message (run on the
        # message as superuser, hence checked here).
        if not self.env.su:
            raise self.env["mail.message"]._complaint_refusal()
        return super()._check_can_update_message_content(messages)

    # Roles ------------------------------------------------------------------
    @api.model
    def _current_roles(self):
        """Complaint roles of the current user (``res.users``)."""
        return self.env.user._complaint_roles()

    # Helpers ----------------------------------------------------------------
    def _workflow_state_label(self):
        self.ensure_one()
        field = self._fields[self._workflow_state_field]
        return dict(field._description_selection(self.env))[
            self[self._workflow_state_field]
        ]

    @api.model
    def _workflow_labels(self, names):
        return ", ".join(
            self._fields[name].get_description(self.env)["string"] for name in names
        )
