from odoo import api, fields, models


class ComplaintSettingsMixin(models.AbstractModel):
    """The complaint center's settings, declared once: each is a field of
    the company, shown here as a related field with ``complaint_role``, the
    lowest complaint role that changes it. Both settings forms inherit it:
    the administrators' (``res.config.settings``) and the director's
    (``complaint.settings``). The approval thresholds and the executive
    decide what the general manager signs off: the director, whose
    decisions they check, does not move them."""

    _name = "complaint.settings.mixin"
    _description = "Complaint Center Settings Fields"

    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one(related="company_id.currency_id")

    complaint_ref_prefix = fields.Char(
        related="company_id.complaint_ref_prefix",
        readonly=False,
        complaint_role="manager",
    )
    complaint_director_id = fields.Many2one(
        related="company_id.complaint_director_id",
        readonly=False,
        complaint_role="manager",
    )
    complaint_intake_department_id = fields.Many2one(
        related="company_id.complaint_intake_department_id",
        readonly=False,
        complaint_role="manager",
    )
    complaint_executive_id = fields.Many2one(
        related="company_id.complaint_executive_id",
        readonly=False,
        complaint_role="executive",
    )
    complaint_executive_threshold = fields.Monetary(
        related="company_id.complaint_executive_threshold",
        readonly=False,
        complaint_role="executive",
    )
    complaint_penalty_executive_threshold = fields.Monetary(
        related="company_id.complaint_penalty_executive_threshold",
        readonly=False,
        complaint_role="executive",
    )
    complaint_amount_limit = fields.Monetary(
        related="company_id.complaint_amount_limit",
        readonly=False,
        complaint_role="manager",
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days",
        readonly=False,
        complaint_role="manager",
    )
    complaint_reply_days = fields.Integer(
        related="company_id.complaint_reply_days",
        readonly=False,
        complaint_role="manager",
    )
    complaint_require_customer_agreement = fields.Boolean(
        related="company_id.complaint_require_customer_agreement",
        readonly=False,
        complaint_role="manager",
    )
    complaint_require_actions_done = fields.Boolean(
        related="company_id.complaint_require_actions_done",
        readonly=False,
        complaint_role="manager",
    )
    complaint_auto_mail = fields.Boolean(
        related="company_id.complaint_auto_mail",
        readonly=False,
        complaint_role="manager",
    )
    complaint_mail_create_partner = fields.Boolean(
        related="company_id.complaint_mail_create_partner",
        readonly=False,
        complaint_role="manager",
    )
    complaint_similar_days = fields.Integer(
        related="company_id.complaint_similar_days",
        readonly=False,
        complaint_role="manager",
    )
    complaint_circular_issuer = fields.Char(
        related="company_id.complaint_circular_issuer",
        readonly=False,
        complaint_role="executive",
    )
    complaint_penalty_feedback = fields.Boolean(
        related="company_id.complaint_penalty_feedback",
        readonly=False,
        complaint_role="manager",
    )
    complaint_retention_years = fields.Integer(
        related="company_id.complaint_retention_years",
        readonly=False,
        complaint_role="manager",
    )
    complaint_remote_state_ids = fields.Many2many(
        related="company_id.complaint_remote_state_ids",
        readonly=False,
        complaint_role="manager",
    )

    # What the deputy and the general manager sign off: the executive's.
    complaint_use_deputy = fields.Boolean(
        related="company_id.complaint_use_deputy",
        readonly=False,
        complaint_role="executive",
    )
    complaint_deputy_id = fields.Many2one(
        related="company_id.complaint_deputy_id",
        readonly=False,
        complaint_role="executive",
    )
    complaint_deputy_threshold = fields.Monetary(
        related="company_id.complaint_deputy_threshold",
        readonly=False,
        complaint_role="executive",
    )
    complaint_appeal_days = fields.Integer(
        related="company_id.complaint_appeal_days",
        readonly=False,
        complaint_role="manager",
    )
    complaint_similar_synonyms = fields.Text(
        related="company_id.complaint_similar_synonyms",
        readonly=False,
        complaint_role="manager",
    )

    def _valid_field_parameter(self, field, name):
        return name == "complaint_role" or super()._valid_field_parameter(field, name)

    @api.model
    def _complaint_setting_roles(self):
        """Setting -> the lowest complaint role that changes it."""
        return {
            name: field.complaint_role
            for name, field in self._fields.items()
            if getattr(field, "complaint_role", None)
        }
