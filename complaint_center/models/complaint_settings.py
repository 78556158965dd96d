from odoo import api, fields, models
from odoo.exceptions import AccessError


class ComplaintSettings(models.TransientModel):
    """The complaint center's settings of the current company, for its
    director: res.config.settings holds every setting of the system and is
    the administrators'; this form holds only the complaint center's."""

    _name = "complaint.settings"
    _inherit = ["complaint.settings.mixin"]
    _description = "Complaint Center Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    is_executive = fields.Boolean(compute="_compute_is_executive")

    @api.depends_context("uid")
    def _compute_is_executive(self):
        self.is_executive = "executive" in self._settings_roles()

    @api.model
    def _settings_roles(self):
        return self.env["complaint.complaint"]._current_roles()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            self._check_settings_change(company, vals)
        # Checked: written through to the company as superuser, as a
        # director may not write companies.
        return super(ComplaintSettings, self.sudo()).create(vals_list).sudo(False)

    def write(self, vals):
        if "company_id" in vals:
            raise AccessError(self.env._("The settings are those of your company."))
        for rec in self:
            rec._check_settings_change(rec.company_id, vals)
        return super(ComplaintSettings, self.sudo()).write(vals)

    @api.model
    def _check_settings_change(self, company, vals):
        """Complaint managers change their companies' settings; the
        executive's only the executive."""
        if self.env.su:
            return
        roles = self._settings_roles()
        if "manager" not in roles or company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "Only a complaint manager of %(company)s changes its "
                    "complaint settings.",
                    company=company.name,
                )
            )
        if "executive" in roles:
            return
        role_of = self._complaint_setting_roles()
        changed = [
            name
            for name, value in vals.items()
            if role_of.get(name) == "executive"
            and not self._same_setting(company, name, value)
        ]
        if changed:
            raise AccessError(
                self.env._(
                    "Only the executive changes %(settings)s.",
                    settings=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in changed
                    ),
                )
            )

    @api.model
    def _same_setting(self, company, name, value):
        current = company[name]
        field = company._fields[name]
        if field.type == "many2one":
            return current.id == (value or False)
        if field.type == "monetary":
            return not company.currency_id.compare_amounts(current, value or 0.0)
        return current == value

    def action_save(self):
        """The values were written when the form saved: say so, and show
        the settings as they now are."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_settings_action"
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The complaint settings are saved."),
                "next": action,
            },
        }
