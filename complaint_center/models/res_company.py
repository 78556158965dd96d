from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import reference, similarity, statistics

# Amounts are floats: beyond 10^13 their cents are no longer exact.
COMPLAINT_AMOUNT_CEILING = 10.0**13


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_ref_prefix = fields.Char(
        string="Complaint Reference Prefix",
        default=reference.DEFAULT_PREFIX,
        help="Printed before YYMM-NNNN in complaint references, e.g. CC2611-0001. "
        "Letters, digits and underscores, at most 10.",
    )
    complaint_sequence_id = fields.Many2one(
        "ir.sequence",
        copy=False,
        help="Serial counter of complaint references; restarts every month.",
    )
    complaint_director_id = fields.Many2one(
        "res.users",
        string="Complaint Center Director",
        domain="[('share', '=', False)]",
        help="Told at escalation level 2. Empty: every complaint manager.",
    )
    complaint_executive_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Told at escalation level 3 (general manager). Empty: every "
        "complaint executive.",
    )
    complaint_executive_threshold = fields.Monetary(
        string="Executive Approval Above",
        currency_field="currency_id",
        default=5000.0,
        help="Compensation above this amount also needs the executive's "
        "approval. 0: only major and critical complaints do.",
    )
    complaint_penalty_executive_threshold = fields.Monetary(
        string="Penalty Executive Approval Above",
        currency_field="currency_id",
        default=2000.0,
        help="Penalties above this amount are also approved by the executive.",
    )
    # A claim or a compensation above it is a typing error (a few zeros too
    # many), not a complaint to register; a company setting, as what is
    # plausible depends on the currency (10^9 VND is some USD 40,000).
    complaint_amount_limit = fields.Monetary(
        string="Largest Complaint Amount",
        currency_field="currency_id",
        default=1_000_000_000.0,
        help="Claimed amounts and compensations above this amount (in the "
        "company's currency) are refused as typing errors. Raise it for "
        "currencies with small units.",
    )
    complaint_repeat_days = fields.Integer(
        string="Repeat Complaint Window (Days)",
        default=30,
        help="A complaint from the same customer about the same sale order or "
        "product received within this many days after an earlier one is a "
        "repeat complaint and is linked to it. 0 disables the check.",
    )
    complaint_reply_days = fields.Integer(
        string="Reply Within (Working Days)",
        default=3,
        help="A complaint not answered on the spot is promised a reply this "
        "many working days after its acceptance, unless another time is agreed "
        "with the customer and recorded. 0: no reply time by default.",
    )
    complaint_require_customer_agreement = fields.Boolean(
        string="Customer Agrees to the Plan First",
        help="An approved plan is carried out (the complaint resolved) only "
        "once the customer's agreement to it is recorded, by the handler or by "
        "the customer on the portal.",
    )
    complaint_require_actions_done = fields.Boolean(
        string="Close Only When Actions Are Done",
        default=True,
        help="A complaint cannot be closed while one of its corrective or "
        "preventive actions is still open.",
    )
    complaint_auto_mail = fields.Boolean(
        string="Automatic Complaint Mails",
        default=True,
        help="Send the customer the acknowledgement, the rejection answer, the "
        "result and the return-visit survey when a complaint moves.",
    )
    complaint_mail_create_partner = fields.Boolean(
        string="Create Contacts for Unknown Senders",
        help="A complaint mailed from an address that matches no contact creates "
        "a contact for the sender. Off: it is filed under the placeholder "
        "customer Unidentified Email Sender, and the sender's name and address "
        "are kept only in the complainant details of the complaint.",
    )
    complaint_unknown_partner_id = fields.Many2one(
        "res.partner",
        string="Placeholder Customer for Unknown Senders",
        copy=False,
        help="Customer of the complaints mailed from addresses that match no "
        "contact; created on first use.",
    )
    complaint_intake_department_id = fields.Many2one(
        "hr.department",
        string="Intake Department",
        check_company=True,
        help="The complaint center's own department: its complaint handlers "
        "see and route the complaints that have neither a department nor a "
        "handler yet, and are asked to. Empty: only complaint managers do.",
    )
    complaint_similar_days = fields.Integer(
        string="Similar Complaints Window (Days)",
        default=90,
        help="Besides the open complaints, closed ones received within this "
        "many days are suggested as similar to a new complaint.",
    )
    # Publication of severe cases (通报批评) and retention (资料保存), 001 篇五/八.
    complaint_circular_issuer = fields.Char(
        string="Circulars Issued By",
        default="总经理办公室",
        help="The office printed as the issuer of the circulars on severe "
        "complaint cases (by default the general manager's office).",
    )
    complaint_penalty_feedback = fields.Boolean(
        string="Tell the Customer the Matter Was Dealt With",
        help="When a penalty on a complaint is approved, mail the customer that "
        "the responsible staff were dealt with according to the company's "
        "regulations (once per complaint, with the automatic mails on). The "
        "mail never names the person nor the penalty.",
    )
    complaint_retention_years = fields.Integer(
        string="Keep Complaint Records (Years)",
        default=1,
        help="A closed complaint is kept at least this many years after its "
        "closing; after that, unless kept long-term, an administrator may "
        "purge the complainant's personal data from it.",
    )
    # 边远地区 (004 篇3 e): technicians have the longest limit to get there.
    complaint_remote_state_ids = fields.Many2many(
        "res.country.state",
        "res_company_complaint_remote_state_rel",
        "company_id",
        "state_id",
        string="Remote Regions",
        help="Provinces (states) where a technician is given the policy's "
        "remote-area days to be on site. The company's own province always "
        "counts as the province.",
    )

    # 主管副总经理 (001 篇七/八/九): a level between the center director and
    # the general manager, in escalation and plan approval.
    complaint_use_deputy = fields.Boolean(
        string="Deputy General Manager Level",
        help="Overdue complaints climb to the deputy general manager in charge "
        "before the general manager, and major plans or compensation above "
        "the deputy threshold are approved by the deputy after the center "
        "director; critical plans and compensation above the executive "
        "threshold by the general manager as well. Off: the director, then "
        "the general manager.",
    )
    complaint_deputy_id = fields.Many2one(
        "res.users",
        string="Deputy General Manager in Charge",
        domain="[('share', '=', False)]",
        help="Told at escalation level 3 and asked to approve, where the "
        "company uses the deputy level. Empty: every deputy general manager.",
    )
    complaint_deputy_threshold = fields.Monetary(
        string="Deputy Approval Above",
        currency_field="currency_id",
        default=2000.0,
        help="Where the company uses the deputy level, compensation above this "
        "amount also needs the deputy general manager's approval. 0: only "
        "major and critical complaints do.",
    )
    # 申诉: how long after closing or rejection the customer may appeal on
    # the portal.
    complaint_appeal_days = fields.Integer(
        string="Customer Appeal Window (Days)",
        default=30,
        help="The customer may appeal a closed or rejected complaint from the "
        "portal within this many days after it was closed or rejected. 0: "
        "no appeals from the portal.",
    )
    complaint_similar_synonyms = fields.Text(
        string="Similar Complaints Synonyms",
        default=lambda self: similarity.DEFAULT_SYNONYMS,
        help="Words that mean the same in the company's complaints, one group "
        "a line, separated by commas (合页, 铰链 / driver, delivery man): a "
        "new complaint's description also finds the complaints that use "
        "another word of the group.",
    )

    @api.constrains("complaint_ref_prefix")
    def _check_complaint_ref_prefix(self):
        for company in self:
            try:
                reference.check_prefix(company.complaint_ref_prefix)
            except ValueError as err:
                raise ValidationError(
                    self.env._(
                        "The complaint reference prefix %(prefix)s may hold only "
                        "letters, digits and underscores, at most 10.",
                        prefix=company.complaint_ref_prefix,
                    )
                ) from err

    @api.constrains("complaint_amount_limit")
    def _check_complaint_amount_limit(self):
        for company in self:
            if not 0 < company.complaint_amount_limit <= COMPLAINT_AMOUNT_CEILING:
                ceiling = f"{COMPLAINT_AMOUNT_CEILING:,.0f}"
                raise ValidationError(
                    self.env._(
                        "The largest complaint amount must be positive and at "
                        "most %(ceiling)s.",
                        ceiling=ceiling,
                    )
                )

    @api.constrains("complaint_repeat_days")
    def _check_complaint_repeat_days(self):
        if any(company.complaint_repeat_days < 0 for company in self):
            raise ValidationError(
                self.env._("The repeat complaint window cannot be negative.")
            )

    @api.constrains("complaint_similar_days")
    def _check_complaint_similar_days(self):
        if any(company.complaint_similar_days < 0 for company in self):
            raise ValidationError(
                self.env._("The similar complaints window cannot be negative.")
            )

    @api.constrains("complaint_reply_days")
    def _check_complaint_reply_days(self):
        if any(company.complaint_reply_days < 0 for company in self):
            raise ValidationError(
                self.env._("The reply time to the customer cannot be negative.")
            )

    @api.constrains("complaint_appeal_days", "complaint_deputy_threshold")
    def _check_complaint_appeal_deputy(self):
        if any(company.complaint_appeal_days < 0 for company in self):
            raise ValidationError(
                self.env._("The customer appeal window cannot be negative.")
            )
        if any(company.complaint_deputy_threshold < 0 for company in self):
            raise ValidationError(
                self.env._("The deputy approval threshold cannot be negative.")
            )

    def _complaint_tz(self):
        """The company's time zone, the one place it is decided: references,
        periods, registers and statistics are counted in it. Its address's,
        else its working calendar's, else UTC. (Deadlines are counted in the
        time zone of the calendar they are counted on.)"""
        self.ensure_one()
        company = self.sudo()
        return company.partner_id.tz or company.resource_calendar_id.tz or "UTC"

    def _complaint_today(self):
        """Today in the company's time zone: the day its registers, periods
        and payroll months are counted in, whatever the user's own zone."""
        self.ensure_one()
        return statistics.local_date(fields.Datetime.now(), self._complaint_tz())

    def _complaint_above_threshold(self, fname, amount, currency, date=None):
        """Whether ``amount`` of ``currency`` passes the company's approval
        threshold ``fname`` (0: none). The one place thresholds are compared,
        for complaint plans and penalties alike: in the company's currency,
        at the rate of ``date`` (default: today)."""
        self.ensure_one()
        threshold = self[fname]
        if not threshold or not amount:
            return False
        if currency and currency != self.currency_id:
            amount = currency._convert(
                amount,
                self.currency_id,
                self,
                date or fields.Date.context_today(self),
            )
        return abs(amount) > threshold

    def _complaint_people(self, role):
        """Internal users told or asked at a role's level: the company's
        named director / deputy / executive, else every user of that
        complaint group in the company (directors exclude deputies and
        executives, deputies exclude executives)."""
        self.ensure_one()
        named = {
            "director": self.complaint_director_id,
            "deputy": self.complaint_deputy_id,
            "executive": self.complaint_executive_id,
        }[role]
        if named:
            return named
        group = self.env.ref(
            "complaint_center.group_complaint_"
            + ("manager" if role == "director" else role)
        )
        users = group.sudo().users
        above = {"director": "deputy", "deputy": "executive"}.get(role)
        if above:
            users -= (
                self.env.ref(f"complaint_center.group_complaint_{above}").sudo().users
            )
        return users.filtered(
            lambda u: self in u.company_ids and u.active and not u.share and u.id != 1
        )

    def _complaint_unknown_partner(self):
        """The company's placeholder customer of complaints mailed by unknown
        senders, created on first use (named in the company's language)."""
        self.ensure_one()
        company = self.sudo()
        if not company.complaint_unknown_partner_id:
            lang = company.partner_id.lang
            name = self.with_context(lang=lang).env._("Unidentified Email Sender")
            company.complaint_unknown_partner_id = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "company_id": company.id,
                        "type": "contact",
                        "lang": lang,
                    }
                )
            )
        return company.complaint_unknown_partner_id.sudo(False)

    @api.constrains("complaint_retention_years")
    def _check_complaint_retention_years(self):
        # 001 篇五: records are kept at least one year.
        if any(company.complaint_retention_years < 1 for company in self):
            raise ValidationError(
                self.env._("Complaint records are kept at least one year.")
            )
