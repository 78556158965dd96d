from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command

from .complaint_complaint import REDACTED

# Severe cases (重大投诉): what a circular lists when filled from a period.
SEVERE = ("major", "critical")
# Penalties a circular publishes: decided, on a person or unit, not undone.
PUBLISHED_KINDS = ("deduction", "points")
CIRCULAR_STATES = [("draft", "Draft"), ("issued", "Issued")]
# step -> {from_state: (to_state, roles)}: complaint managers and the
# executive issue a circular; once issued it is what was published.
CIRCULAR_TRANSITIONS = {"issue": {"draft": ("issued", ("manager", "executive"))}}
SEQUENCE_CODE = "complaint.circular"


class ComplaintCircular(models.Model):
    """A circular (通报批评, 001 篇五/八): severe complaint cases and the
    penalties decided on them, published by the general manager's office.

    It names the cases by reference, category and facts, who was
    responsible and the penalty; never the complainant nor the customer's
    contact. Issued (numbered, by whom and when), it is frozen: the record
    and the PDF kept at issue are what was published.
    """

    _name = "complaint.circular"
    _description = "Complaint Circular"
    _inherit = ["complaint.workflow.mixin", "mail.thread"]
    _workflow_transitions = CIRCULAR_TRANSITIONS
    _workflow_fields = frozenset(
        {"name", "issued_by_id", "date_issued", "issuer", "state"}
    )
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("Draft"),
        help="Given from a sequence when the circular is issued.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", tracking=True)
    date_to = fields.Date(string="To", tracking=True)
    complaint_ids = fields.Many2many(
        "complaint.complaint",
        string="Complaints",
        check_company=True,
        domain="[('state', '=', 'closed'), ('validity', '=', 'valid')]",
        help="Closed, valid complaints published in the circular.",
    )
    note = fields.Text(
        string="Remarks", help="Printed under the cases, e.g. what all units learn."
    )
    state = fields.Selection(
        CIRCULAR_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    issuer = fields.Char(
        string="Issued In the Name Of",
        readonly=True,
        copy=False,
        help="The company's issuer line when the circular was issued.",
    )
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_issued = fields.Date(string="Issued On", readonly=True, copy=False)
    can_issue = fields.Boolean(compute="_compute_can_issue")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_issue(self):
        self._workflow_set_flags(("issue",))

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for circular in self:
            if (
                circular.date_from
                and circular.date_to
                and circular.date_from > circular.date_to
            ):
                raise ValidationError(
                    self.env._("The period of a circular ends after it starts.")
                )

    @api.constrains("complaint_ids")
    def _check_complaints(self):
        for circular in self:
            wrong = circular.sudo().complaint_ids.filtered(
                lambda c: c.state != "closed" or c.validity != "valid"
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A circular publishes closed, valid complaints only: "
                        "%(refs)s is not.",
                        refs=", ".join(wrong.mapped("name")),
                    )
                )

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model
    def _workflow_editable_fields(self):
        # Issued: what was published, frozen.
        return {
            "draft": {"company_id", "date_from", "date_to", "complaint_ids", "note"}
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_circular_author()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_circular_author()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(circular.state != "draft" for circular in self):
            raise UserError(self.env._("An issued circular was published: it is kept."))

    @api.model
    def _check_circular_author(self):
        """Only complaint managers and the executive write circulars (the
        access rights say so too: this says it in words)."""
        if self.env.su:
            return
        if not {"manager", "executive"} & self._current_roles():
            raise AccessError(
                self.env._(
                    "Only complaint managers and the general manager prepare "
                    "and issue circulars."
                )
            )

    # Actions ----------------------------------------------------------------
    def action_fill(self):
        """The severe cases of the period: valid, major or critical, closed
        between its days (the company's time zone) and not in another issued
        circular; those already listed stay."""
        self._check_circular_author()
        for circular in self:
            if circular.state != "draft":
                raise UserError(
                    self.env._("An issued circular can no longer be changed.")
                )
            if not (circular.date_from and circular.date_to):
                raise UserError(self.env._("Give the period of the circular first."))
            circular.write(
                {
                    "complaint_ids": [
                        Command.link(complaint.id)
                        for complaint in circular._severe_cases()
                    ]
                }
            )
        return True

    def _severe_cases(self):
        self.ensure_one()
        company = self.company_id
        start, stop = self._period_bounds()
        published = self.search(
            [("state", "=", "issued"), ("company_id", "=", company.id)]
        ).complaint_ids
        return (
            self.env["complaint.complaint"].search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "closed"),
                    ("validity", "=", "valid"),
                    ("severity", "in", SEVERE),
                    ("date_closed", ">=", start),
                    ("date_closed", "<", stop),
                ],
                order="date_closed, id",
            )
            - published
        )

    def _period_bounds(self):
        """The period's first and last days as UTC datetimes bounding the
        closings of those days in the company's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id._complaint_tz())

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(self.date_from), utc(self.date_to + timedelta(days=1))

    def action_issue(self):
        """Number the circular, name who issued it and when and in the name
        of which office; from then on it is frozen."""
        for circular in self:
            circular._check_step("issue")
            if not circular.complaint_ids:
                raise UserError(
                    self.env._("A circular publishes at least one complaint.")
                )
            circular._check_issuer_recusal()
        for circular in self:
            sequence = self.env["ir.sequence"].sudo().with_company(circular.company_id)
            circular._write_step(
                "issue",
                {
                    "name": sequence.next_by_code(SEQUENCE_CODE),
                    "issuer": circular.company_id.complaint_circular_issuer
                    or self.env._("General Manager's Office"),
                    "issued_by_id": self.env.uid,
                    "date_issued": self._complaint_today(),
                },
            )
        return True

    def _check_issuer_recusal(self):
        """Nobody issues a circular on a case they are involved in (回避):
        neither one it lists nor a severe case of its period it leaves out.
        Read as superuser: the people involved may not read those cases."""
        self.ensure_one()
        cases = self.sudo().complaint_ids | self.sudo()._severe_cases()
        involved = cases.filtered(lambda case: case._is_recused(self.env.user))
        if involved:
            raise AccessError(
                self.env._(
                    "You are complained about or responsible in complaint "
                    "%(refs)s: another complaint manager or the general manager "
                    "issues this circular.",
                    refs=", ".join(involved.mapped("name")),
                )
            )

    def action_print(self):
        return self.env.ref("complaint_center.complaint_report_circular").report_action(
            self
        )

    # Printing ---------------------------------------------------------------
    @api.model
    def _without_complainant(self, complaint, text):
        """``text`` with every occurrence of what identifies the complainant
        replaced, whoever prints it: a circular is published."""
        for value in complaint._complainant_identifiers():
            text = text.replace(value, REDACTED)
        return text or REDACTED

    @api.model
    def _responsible_name(self, line):
        """Who a responsibility line holds responsible, as published: staff
        and units by name, suppliers and carriers by company; the customer
        (own fault) and external parties are never named."""
        if line.party_type == "customer" or line.party_type == "external":
            return ""
        if line.employee_id:
            return line.employee_id.name
        if line.department_id:
            return line.department_id.name
        return line.partner_id.commercial_partner_id.name or ""

    def _circular_rows(self):
        """One row per complaint, in the order closed: what the circular
        publishes of it. Read as superuser for a circular the user may read
        (checked by the report): the cases, who was responsible and the
        penalties; the facts with the complainant's details taken out."""
        self.ensure_one()
        rows = []
        for complaint in self.sudo().complaint_ids.sorted(
            lambda c: (c.date_closed, c.id)
        ):
            lines = complaint.responsibility_ids
            facts = "\n".join(line.cause for line in lines if line.cause)
            penalties = complaint.penalty_ids.filtered(
                lambda p: (
                    p.state in ("approved", "applied")
                    and p.kind in PUBLISHED_KINDS
                    and not p.reversed_penalty_id
                    and not p.reversal_ids.filtered(lambda r: r.state != "cancelled")
                )
            )
            rows.append(
                {
                    "reference": complaint.name,
                    "category": complaint.category_id.name or "",
                    "severity": dict(
                        complaint._fields["severity"]._description_selection(self.env)
                    ).get(complaint.severity, ""),
                    "facts": self._without_complainant(complaint, facts),
                    "responsible": ", ".join(
                        name for name in map(self._responsible_name, lines) if name
                    ),
                    "penalties": [
                        {
                            "party": p.employee_id.name or p.department_id.name or "",
                            "kind": dict(
                                p._fields["kind"]._description_selection(self.env)
                            )[p.kind],
                            "points": p.points,
                            "amount": p.amount,
                            "currency": p.currency_id,
                        }
                        for p in penalties
                    ],
                }
            )
        return rows
