"""The nature of a complaint decides its severity (投诉性质): group
complaints of three or more customers (集体投诉), media exposure and safety
incidents are major cases, reported at once (001 篇六, 003); safety
incidents are dispatched the same day (004).

Severity stays the clerk's choice, but the server raises it to at least
major when the facts say so, with the reason tracked in the chatter; it
never lowers it (a manager lowers it by correcting the intake, in writing).
The raise is the server's act, written as superuser inside the hooks: no
context key lets a user past the workflow guard. The escalation ladder and
the policy follow from the severity. The arithmetic is ``core/nature.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..core import nature

# Facts that may make a complaint major.
NATURE_FIELDS = {"affected_partner_ids", "is_safety", "is_media_exposure"}
NATURE_TRIGGERS = NATURE_FIELDS | {"partner_id", "channel"}
# States in which the facts are still gathered (and the server raises).
NATURE_STATES = ("new", "investigating")


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    affected_partner_ids = fields.Many2many(
        "res.partner",
        "complaint_complaint_affected_partner_rel",
        "complaint_id",
        "partner_id",
        string="Other Customers Affected",
        help="Other customers complaining about the same matter (group "
        "complaint). With three or more distinct customers, this one "
        "included, the complaint is at least major.",
    )
    customer_count = fields.Integer(
        string="Customers Complaining",
        compute="_compute_customer_count",
        store=True,
        help="Distinct customers (companies) complaining about this matter, "
        "the complaint's own customer included.",
    )
    is_group_complaint = fields.Boolean(
        string="Group Complaint",
        compute="_compute_customer_count",
        store=True,
        index=True,
    )
    is_media_exposure = fields.Boolean(
        string="Media Exposure",
        tracking=True,
        help="The matter was reported or is threatened to be reported by the "
        "press or media (also implied by the Media / Press channel): a major "
        "case.",
    )
    is_safety = fields.Boolean(
        string="Safety Incident",
        tracking=True,
        index=True,
        help="Personal injury, property damage or failure of key equipment: a "
        "major case, dispatched the same day.",
    )
    severity_reason = fields.Char(
        string="Severity Raised Because",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the system raised the severity from what was chosen at intake.",
    )

    # Workflow guard ---------------------------------------------------------
    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {"severity_reason"}

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        for state in NATURE_STATES:
            editable[state] = editable[state] | NATURE_FIELDS
        return editable

    # Computes -------------------------------------------------------------
    @api.depends(
        "partner_id.commercial_partner_id",
        "affected_partner_ids.commercial_partner_id",
    )
    def _compute_customer_count(self):
        for rec in self:
            partners = rec.partner_id | rec.affected_partner_ids
            count = nature.distinct_customers(partners.commercial_partner_id.ids)
            rec.customer_count = count
            rec.is_group_complaint = count >= nature.GROUP_THRESHOLD

    @api.depends("is_safety")
    def _compute_policy_id(self):
        # Safety incidents get the policies made for them (same day).
        return super()._compute_policy_id()

    def _policy_facts(self):
        facts = super()._policy_facts()
        facts["is_safety"] = self.is_safety
        return facts

    # Hooks of the base ------------------------------------------------------
    def _after_create(self):
        res = super()._after_create()
        self._raise_severity_by_nature()
        return res

    def _after_write(self, vals, before):
        res = super()._after_write(vals, before)
        # _raise_severity_by_nature writes no trigger: no recursion.
        if NATURE_TRIGGERS & set(vals):
            self._raise_severity_by_nature()
        return res

    def _nature_reasons(self):
        self.ensure_one()
        return nature.nature_reasons(
            self.customer_count,
            self.channel == "media" or self.is_media_exposure,
            self.is_safety,
        )

    def _nature_reason_labels(self, reasons):
        labels = {
            "group": self.env._(
                "group complaint of %(count)s customers", count=self.customer_count
            ),
            "media": self.env._("media exposure"),
            "safety": self.env._("safety incident"),
        }
        return ", ".join(labels[reason] for reason in reasons)

    def _raise_severity_by_nature(self):
        """Raise to major what the facts make major; never lower. The
        server's act: written as superuser once the user's own write (or
        create) passed the guard."""
        for rec in self.filtered(lambda r: r.state in NATURE_STATES):
            reasons = rec._nature_reasons()
            severity = nature.raised_severity(rec.severity, reasons)
            if severity == rec.severity:
                continue
            rec.sudo().write(
                {
                    "severity": severity,
                    "severity_reason": rec._nature_reason_labels(reasons),
                }
            )

    # Group complaints -------------------------------------------------------
    def _group_customers(self):
        """The customers of ``self`` as a group: their own and affected."""
        return (self.partner_id | self.affected_partner_ids).commercial_partner_id

    def _join_group(self, other):
        """Join the complaints ``self`` and ``other`` (one each) as one group
        complaint: each lists the other's customers. ``self`` is written as
        the user (the guard applies); ``other`` gets the customers from the
        server when it is still being investigated, since it complains of
        the same matter."""
        self.ensure_one()
        other.ensure_one()
        if other == self or other.company_id != self.company_id:
            raise UserError(
                self.env._("Only two complaints of the same company form a group.")
            )
        customers = (self | other.sudo())._group_customers()
        for rec, env_rec in ((self, self), (other, other.sudo())):
            missing = customers - rec.sudo()._group_customers()
            if not missing:
                continue
            if rec != self and rec.state not in NATURE_STATES:
                continue
            env_rec.write(
                {"affected_partner_ids": [Command.link(pid) for pid in missing.ids]}
            )
            if rec != self:
                rec.sudo().message_post(
                    body=self.env._(
                        "Joined to group complaint %(ref)s by %(user)s.",
                        ref=self.name,
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
