"""Demo data goes through the real actions: helpers for the demo files.

Every demo complaint is received by its first responder at its receipt time
and then moved by the real ``action_*`` methods, as the demo user who would
take each step, with the clock set to the moment of the step (so that
stamped dates, chatter, activities and mails carry demo-history dates).

The helpers are private (never reachable over RPC) and refuse anyone but
the data loader (the superuser). Short xml ids (without a module) are ids of
this addon.
"""

from contextlib import contextmanager, nullcontext

from freezegun import freeze_time

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

# Penalty action -> the states it starts from (complaint_penalty.py's
# PENALTY_TRANSITIONS): ``_demo_penalties`` moves the penalties of a
# complaint that are there.
PENALTY_STEP_STATES = {
    "action_confirm": ("draft",),
    "action_approve": ("confirmed",),
    "action_apply": ("approved",),
    "action_cancel": ("draft", "confirmed", "approved"),
}


class ComplaintDemo(models.AbstractModel):
    _name = "complaint.demo"
    _description = "Complaint Center Demo Loader"

    # Helpers ----------------------------------------------------------------
    @api.model
    def _demo_check_loader(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the data loader runs demo steps."))

    @api.model
    def _demo_ref(self, xmlid):
        return self.env.ref(xmlid if "." in xmlid else f"complaint_center.{xmlid}")

    @contextmanager
    def _demo_clock(self, when):
        """Run the block at ``when`` (a UTC datetime string, or nothing for
        the real clock). What the block left for the end of the transaction
        (tracking messages of the workflow fields, recomputations) is done
        inside it, so that it is dated ``when`` as well; what earlier steps
        left is done before the clock moves."""
        self.env.cr.flush()
        with freeze_time(when) if when else nullcontext():
            yield
            self.env.cr.flush()

    # Steps --------------------------------------------------------------------
    @api.model
    def _demo_act(self, user_xmlid, model, method, xmlids, when=False, args=None):
        """Run ``model.method`` on the records ``xmlids`` as the demo user
        ``user_xmlid``, with the clock set to ``when`` (a datetime string) so
        that stamped facts, chatter and activities carry demo-history dates.
        Only the data loader (the superuser) may call it; it is private, so
        never reachable over RPC."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        records = (
            self.env[model]
            .with_user(user)
            .browse([self._demo_ref(xmlid).id for xmlid in xmlids])
        )
        with self._demo_clock(when):
            result = getattr(records, method)(*(args or []))
        return result

    @api.model
    def _demo_create(self, user_xmlid, model, xmlid, vals, when=False):
        """Create a ``model`` record from ``vals`` as the demo user
        ``user_xmlid`` at ``when``, under the xml id ``xmlid`` of this addon
        (so that later demo steps can ``ref`` it)."""
        self._demo_check_loader()
        Model = self.env[model].with_user(self._demo_ref(user_xmlid))
        with self._demo_clock(when):
            record = Model.create(vals)
        self._demo_register(xmlid, record)
        return record.id

    @api.model
    def _demo_receive(self, user_xmlid, xmlid, **values):
        """A complaint received by the demo user ``user_xmlid`` (its first
        responder, unless ``first_responder_id`` says otherwise) at its
        ``date_received``, registered under the xml id ``xmlid``.

        The intake values are given as ``<value name="field">`` children of
        the ``<function>`` tag. Like a ``<record>``, the intake is written as
        superuser (a salesperson may log a complaint about an order she does
        not see), but in the user's name and at the receipt time: the
        creation note, its author and the followers are those of a real
        intake. A many2many value may be one id or a list of ids."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        Complaint = self.env["complaint.complaint"]
        vals = {}
        for name, value in values.items():
            if Complaint._fields[name].type == "many2many" and not (
                isinstance(value, list) and value and isinstance(value[0], tuple)
            ):
                ids = value if isinstance(value, list) else [value] if value else []
                value = [Command.set(ids)]
            vals[name] = value
        vals.setdefault("first_responder_id", user.id)
        with self._demo_clock(vals["date_received"]):
            complaint = Complaint.with_user(user).sudo().create(vals)
        self._demo_register(xmlid, complaint)
        return complaint.id

    @api.model
    def _demo_penalties(
        self, user_xmlid, complaint_xmlids, method, when=False, args=None
    ):
        """Run the penalty action ``method`` as the demo user ``user_xmlid``
        at ``when`` on the penalties of the complaints ``complaint_xmlids``
        that the action starts from (e.g. the draft ones for
        ``action_confirm``). The penalties themselves were proposed by the
        complaints' own workflow."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        complaints = [self._demo_ref(xmlid).id for xmlid in complaint_xmlids]
        penalties = (
            self.env["complaint.penalty"]
            .sudo()
            .search(
                [
                    ("complaint_id", "in", complaints),
                    ("state", "in", PENALTY_STEP_STATES[method]),
                ],
                order="id",
            )
        )
        if not penalties:
            raise UserError(
                self.env._(
                    "Demo data: no penalty of %(complaints)s to %(method)s.",
                    complaints=", ".join(complaint_xmlids),
                    method=method,
                )
            )
        with self._demo_clock(when):
            result = getattr(penalties.with_user(user), method)(*(args or []))
        return result

    @api.model
    def _demo_register(self, xmlid, record):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": xmlid if "." in xmlid else f"complaint_center.{xmlid}",
                    "record": record.sudo(),
                    "noupdate": True,
                }
            ]
        )
