from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_ref_prefix = fields.Char(
        related="company_id.complaint_ref_prefix", readonly=False
    )
    complaint_director_id = fields.Many2one(
        related="company_id.complaint_director_id", readonly=False
    )
    complaint_executive_id = fields.Many2one(
        related="company_id.complaint_executive_id", readonly=False
    )
    complaint_executive_threshold = fields.Monetary(
        related="company_id.complaint_executive_threshold", readonly=False
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False
    )
    complaint_require_actions_done = fields.Boolean(
        related="company_id.complaint_require_actions_done", readonly=False
    )
    complaint_auto_mail = fields.Boolean(
        related="company_id.complaint_auto_mail", readonly=False
    )
    complaint_penalty_executive_threshold = fields.Monetary(
        related="company_id.complaint_penalty_executive_threshold", readonly=False
    )
    complaint_mail_create_partner = fields.Boolean(
        related="company_id.complaint_mail_create_partner", readonly=False
    )
    complaint_similar_days = fields.Integer(
        related="company_id.complaint_similar_days", readonly=False
    )
    complaint_intake_department_id = fields.Many2one(
        related="company_id.complaint_intake_department_id", readonly=False
    )
    complaint_mail_alias = fields.Char(
        string="Complaint Mailbox",
        compute="_compute_complaint_mail_alias",
        help="Mails sent to this address are registered as complaints.",
    )

    def _compute_complaint_mail_alias(self):
        alias = self.env.ref(
            "complaint_center.mail_alias_complaints", raise_if_not_found=False
        )
        self.complaint_mail_alias = alias.sudo().display_name if alias else False


# Complaint settings -> the lowest complaint role that changes them. The
# approval thresholds and the executive decide what the general manager
# signs off: the director, whose decisions they check, does not move them.
COMPLAINT_SETTINGS = {
    "complaint_ref_prefix": "manager",
    "complaint_director_id": "manager",
    "complaint_intake_department_id": "manager",
    "complaint_repeat_days": "manager",
    "complaint_require_actions_done": "manager",
    "complaint_auto_mail": "manager",
    "complaint_mail_create_partner": "manager",
    "complaint_executive_id": "executive",
    "complaint_executive_threshold": "executive",
    "complaint_penalty_executive_threshold": "executive",
}


class ComplaintSettings(models.TransientModel):
    """The complaint center's settings of the current company, for its
    director: res.config.settings holds every setting of the system and is
    the administrators'; this form holds only the complaint center's."""

    _name = "complaint.settings"
    _description = "Complaint Center Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_executive = fields.Boolean(compute="_compute_is_executive")
    complaint_ref_prefix = fields.Char(
        related="company_id.complaint_ref_prefix", readonly=False
    )
    complaint_director_id = fields.Many2one(
        related="company_id.complaint_director_id", readonly=False
    )
    complaint_executive_id = fields.Many2one(
        related="company_id.complaint_executive_id", readonly=False
    )
    complaint_executive_threshold = fields.Monetary(
        related="company_id.complaint_executive_threshold", readonly=False
    )
    complaint_penalty_executive_threshold = fields.Monetary(
        related="company_id.complaint_penalty_executive_threshold", readonly=False
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False
    )
    complaint_require_actions_done = fields.Boolean(
        related="company_id.complaint_require_actions_done", readonly=False
    )
    complaint_auto_mail = fields.Boolean(
        related="company_id.complaint_auto_mail", readonly=False
    )
    complaint_mail_create_partner = fields.Boolean(
        related="company_id.complaint_mail_create_partner", readonly=False
    )
    complaint_similar_days = fields.Integer(
        related="company_id.complaint_similar_days", readonly=False
    )
    complaint_intake_department_id = fields.Many2one(
        related="company_id.complaint_intake_department_id", readonly=False
    )

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
        changed = [
            name
            for name, value in vals.items()
            if COMPLAINT_SETTINGS.get(name) == "executive"
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
