from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

PARTY_TYPES = [
    ("employee", "Employee"),
    ("team", "Team"),
    ("department", "Department"),
    ("branch", "Branch / Store"),
    ("supplier", "Supplier"),
    ("carrier", "Carrier"),
    ("customer", "Customer (own fault)"),
    ("external", "External"),
]
# Which target each party type names (责任归属).
INTERNAL_UNITS = ("team", "department", "branch")
PARTNERS = ("supplier", "carrier", "external")
# Attribution is part of the plan: locked once the plan is proposed.
EDITABLE_STATES = ("new", "investigating")
# Worked out by the server from the line's person and unit (the penalty is
# charged to the attributed unit): nobody writes them.
SERVER_FIELDS = ("attributed_department_id", "is_fallback", "user_id", "company_id")


class ComplaintResponsibility(models.Model):
    """Who is responsible for a complaint, and for what share (责任归属)."""

    _name = "complaint.responsibility"
    _description = "Complaint Responsibility"
    _order = "complaint_id, is_primary desc, share desc, id"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    party_type = fields.Selection(PARTY_TYPES, required=True, default="employee")
    employee_id = fields.Many2one(
        "hr.employee",
        check_company=True,
        help="The directly responsible person. When nobody can be named "
        "for a service case, leave empty and give the branch or store instead.",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Unit",
        check_company=True,
        help="Team, department, branch or store. A production case with no "
        "team named is attributed to the whole plant: choose the plant.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Supplier, carrier or other outside party.",
    )
    attributed_department_id = fields.Many2one(
        "hr.department",
        compute="_compute_attributed",
        store=True,
        string="Attributed Unit",
        help="The unit answerable for this line: the person's department, or the "
        "unit named when no person could be.",
    )
    is_fallback = fields.Boolean(
        compute="_compute_attributed",
        store=True,
        string="Attributed to the Unit",
        help="No person was named, so the unit answers for the line.",
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", string="Responsible User", store=True
    )
    share = fields.Float(
        string="Share (%)", default=100.0, digits=(5, 2), required=True
    )
    is_primary = fields.Boolean(string="Primary")
    cause = fields.Text(required=True)

    _sql_constraints = [
        (
            "share_range",
            "CHECK(share > 0 AND share <= 100)",
            "A responsibility share is more than 0 % and at most 100 %.",
        ),
    ]

    @api.depends("party_type", "employee_id.department_id", "department_id")
    def _compute_attributed(self):
        for line in self:
            if line.party_type == "employee":
                line.attributed_department_id = (
                    line.employee_id.department_id or line.department_id
                )
                line.is_fallback = not line.employee_id
            elif line.party_type in INTERNAL_UNITS:
                line.attributed_department_id = line.department_id
                line.is_fallback = False
            else:
                line.attributed_department_id = False
                line.is_fallback = False

    @api.constrains("party_type", "employee_id", "department_id", "partner_id")
    def _check_target(self):
        for line in self:
            kind = dict(PARTY_TYPES)[line.party_type]
            if line.party_type == "employee" and not (
                line.employee_id or line.department_id
            ):
                raise ValidationError(
                    self.env._(
                        "Name the responsible employee, or the branch or store "
                        "when no person can be named."
                    )
                )
            if line.party_type in INTERNAL_UNITS and not line.department_id:
                raise ValidationError(
                    self.env._("Choose the %(kind)s responsible.", kind=kind)
                )
            if line.party_type in PARTNERS and not line.partner_id:
                raise ValidationError(
                    self.env._("Choose the %(kind)s responsible.", kind=kind)
                )

    @api.constrains("share", "is_primary", "complaint_id")
    def _check_shares(self):
        for complaint in self.complaint_id:
            lines = complaint.responsibility_ids
            total = sum(lines.mapped("share"))
            if float_compare(total, 100.0, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "The responsibility shares of complaint %(ref)s add up to "
                        "%(total)s %%; they may not exceed 100 %%.",
                        ref=complaint.name,
                        total=round(total, 2),
                    )
                )
            if len(lines.filtered("is_primary")) > 1:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s can have only one primary responsibility.",
                        ref=complaint.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_server_fields(vals)
        lines = super().create(vals_list)
        lines._check_editable()
        # The first line of a complaint is its primary one.
        for complaint in lines.complaint_id:
            if not complaint.responsibility_ids.filtered("is_primary"):
                complaint.responsibility_ids.sorted(
                    lambda line: (-line.share, line.id)
                )[:1].is_primary = True
        # Whoever is named responsible stops following the complaint.
        lines.complaint_id._unsubscribe_involved()
        return lines

    def write(self, vals):
        # A line stays on the complaint it was attributed on.
        self._check_server_fields(vals, frozen=("complaint_id",))
        self._check_editable()
        res = super().write(vals)
        self._check_editable()
        if "employee_id" in vals:
            self.complaint_id._unsubscribe_involved()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        self._check_editable()

    def _check_server_fields(self, vals, frozen=()):
        if self.env.su:
            return
        hits = [name for name in vals if name in SERVER_FIELDS or name in frozen]
        if hits:
            raise AccessError(
                self.env._(
                    "Responsibility: %(fields)s are set by the server.",
                    fields=", ".join(self._fields[name].string for name in hits),
                )
            )

    def _check_editable(self):
        """Attribution is settled before the plan is approved (penalties are
        proposed from it) and never by the people it names."""
        for complaint in self.complaint_id:
            if complaint.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "The responsibilities of complaint %(ref)s are settled; "
                        "reopen it to change them.",
                        ref=complaint.name,
                    )
                )
            if not self.env.su and self.env.user in complaint.involved_user_ids:
                raise AccessError(
                    self.env._(
                        "You are involved in complaint %(ref)s and may not change "
                        "its responsibilities.",
                        ref=complaint.name,
                    )
                )

    @api.depends("party_type", "employee_id", "department_id", "partner_id")
    def _compute_display_name(self):
        for line in self:
            target = (
                line.employee_id.name
                or line.department_id.name
                or line.partner_id.display_name
                or dict(PARTY_TYPES)[line.party_type]
            )
            line.display_name = f"{target} ({line.share:g} %)"
