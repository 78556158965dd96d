"""The complainant's details are confidential (保密): stored in system-only
columns, shown and searchable through the ``complainant_*`` fields only for
the people handling the complaint, never for anyone involved in it."""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

# Shown field -> its system-only column (the complainant's contact).
CONTACT_FIELDS = {
    "complainant_name": "contact_name",
    "complainant_phone": "contact_phone",
    "complainant_email": "contact_email",
    "complainant_address": "contact_address",
}


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"
    _rec_names_search = ["name", "partner_id.name", "complainant_name"]

    # The complainant's contact is stored in system-only columns and shown
    # through the complainant_* fields only to the people handling the
    # complaint (保密: the complainant's identity is not disclosed).
    contact_name = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_phone = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_email = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_address = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    complainant_name = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        exportable=False,
        search="_search_complainant_name",
        help="Person who made the complaint, when not the customer itself. "
        "Seen only by the people handling the complaint.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        exportable=False,
        search="_search_complainant_phone",
    )
    complainant_email = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        exportable=False,
        search="_search_complainant_email",
    )
    complainant_address = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        exportable=False,
    )

    def export_data(self, fields_to_export):
        # Not in any export, even for those who may read them on the form.
        secret = set(CONTACT_FIELDS) | set(CONTACT_FIELDS.values())
        for path in fields_to_export:
            if path.split("/")[0] in secret:
                raise AccessError(
                    self.env._(
                        "The complainant's details are never exported: remove "
                        "%(field)s from the export.",
                        field=path,
                    )
                )
        return super().export_data(fields_to_export)

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | set(CONTACT_FIELDS.values())

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        for state in ("new", "investigating"):
            editable[state] = editable[state] | set(CONTACT_FIELDS)
        return editable

    @api.depends("partner_id")
    def _compute_contact(self):
        # Prefilled from the customer contact at intake; stored on the
        # complaint only, never written back to a partner.
        for rec in self:
            partner = rec.partner_id
            rec.contact_name = partner.name or False
            rec.contact_phone = partner.phone or partner.mobile or False
            rec.contact_email = partner.email or False
            rec.contact_address = (partner.contact_address or "").strip() or False

    @api.depends(
        *CONTACT_FIELDS.values(),
        "involved_user_ids",
        "user_id",
        "department_id",
        "first_responder_id",
    )
    @api.depends_context("uid")
    def _compute_complainant(self):
        allowed = self._complainant_readers()
        for rec in self:
            contact = rec.sudo() if rec in allowed else rec.browse()
            for shown, stored in CONTACT_FIELDS.items():
                rec[shown] = contact[stored] if contact else False

    def _inverse_complainant(self):
        allowed = self._complainant_readers()
        for rec in self:
            if rec not in allowed:
                raise AccessError(
                    self.env._(
                        "Only the people handling complaint %(ref)s see or change "
                        "the complainant's details.",
                        ref=rec.name,
                    )
                )
            rec.sudo().write(
                {stored: rec[shown] for shown, stored in CONTACT_FIELDS.items()}
            )

    def _search_complainant(self, operator, value, stored):
        """Search the confidential column among the complaints whose
        complainant the user may see only: nobody else finds a complaint by
        who made it."""
        domain = [(stored, operator, value)]
        if not self.env.su:
            domain = expression.AND([domain, self._complainant_domain()])
        return [("id", "in", self.sudo()._search(domain))]

    def _search_complainant_name(self, operator, value):
        return self._search_complainant(operator, value, "contact_name")

    def _search_complainant_phone(self, operator, value):
        return self._search_complainant(operator, value, "contact_phone")

    def _search_complainant_email(self, operator, value):
        return self._search_complainant(operator, value, "contact_email")

    @api.model
    def _complainant_domain(self):
        """Complaints whose complainant the current user may see: those they
        handle (assigned, their department's, or any for managers), logged
        or first received; never one they are involved in (保密, 回避)."""
        user = self.env.user
        roles = self._current_roles()
        not_involved = [("involved_user_ids", "not in", [user.id])]
        if "manager" in roles:
            return not_involved
        mine = [
            [("user_id", "=", user.id)],
            [("first_responder_id", "=", user.id)],
            [("create_uid", "=", user.id)],
        ]
        departments = user.employee_ids.department_id
        if "handler" in roles and departments:
            mine.append([("department_id", "in", departments.ids)])
        return expression.AND([not_involved, expression.OR(mine)])

    def _complainant_readers(self):
        """The complaints of ``self`` whose complainant the user may see."""
        if self.env.su:
            return self
        records = self.filtered("id")
        new = self - records
        if not records:
            return new
        return (
            records.sudo()
            .filtered_domain(self._complainant_domain())
            .sudo(False)
            .with_env(self.env)
            | new
        )

    def copy_data(self, default=None):
        # A duplicate is a fresh intake: new reference, received now by the
        # user, and the complainant's details copied only for those who see
        # them (the stored columns are system-only).
        vals_list = super().copy_data(default=default)
        for rec, vals in zip(self, vals_list, strict=True):
            if rec in rec._complainant_readers():
                contact = rec.sudo()
                vals.update(
                    {shown: contact[stored] for shown, stored in CONTACT_FIELDS.items()}
                )
        return vals_list
