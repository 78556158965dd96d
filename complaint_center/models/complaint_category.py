from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintCategory(models.Model):
    _name = "complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code used in statistics, e.g. PQ for product quality.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    # A category routes to the departments and handlers of one company: each
    # company has its own (a shared one would route one company's complaints
    # to another's departments).
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the category between companies; a shared "
        "category routes to no handler and only to departments shared too.",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Default Department",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Department a new complaint of this category is routed to "
        "(e.g. logistics for delivery complaints).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Handler",
        domain="[('share', '=', False)]",
        check_company=True,
        help="Handler a new complaint of this category is assigned to.",
    )
    portal_visible = fields.Boolean(
        string="Offered on the Portal",
        default=True,
        help="Customers may choose this category when they submit a complaint "
        "on the portal. Clear it for categories only staff decide on (e.g. "
        "staff conduct, customer misunderstanding).",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    is_quality = fields.Boolean(
        string="Product Quality",
        compute="_compute_is_quality",
        store=True,
        readonly=False,
        help="Complaints of this category are product quality complaints: "
        "received within 15 days of delivery, they are eligible for an "
        "unconditional return after quality verification.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A category code must be unique per company.",
        ),
    ]

    @api.constrains("company_id", "department_id", "user_id")
    def _check_routing_company(self):
        for category in self:
            department = category.department_id
            if department.company_id and department.company_id != category.company_id:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s routes to department %(department)s "
                        "of %(company)s: a category routes only to the departments "
                        "of its own company. Set its company, or create the "
                        "category in each company.",
                        category=category.display_name,
                        department=department.display_name,
                        company=department.company_id.display_name,
                    )
                )
            if category.user_id and not category.company_id:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s is shared between companies: set "
                        "its company before giving it a default handler.",
                        category=category.display_name,
                    )
                )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

    @api.depends("code")
    def _compute_is_quality(self):
        # The regulations' quality category (code PQ); set by hand otherwise.
        for category in self:
            code = (category.code or "").upper()
            category.is_quality = category.is_quality or code == "PQ"
