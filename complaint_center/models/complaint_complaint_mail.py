from datetime import time

import babel.dates
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import babel_locale_parse, email_normalize, format_date, get_lang

from ..core import lifecycle

ACK_TEMPLATE = "complaint_center.mail_template_complaint_acknowledgement"
# Lifecycle action -> templates posted to the customer after it.
AUTO_TEMPLATES = {
    "accept": (ACK_TEMPLATE,),
    "reject": ("complaint_center.mail_template_complaint_rejection",),
    "resolve": (
        "complaint_center.mail_template_complaint_result",
        "complaint_center.mail_template_complaint_visit_request",
    ),
}


class ComplaintComplaint(models.Model):
    """Customer mails (受理/结果/回访 notices) sent after lifecycle steps."""

    _inherit = "complaint.complaint"

    date_ack_sent = fields.Datetime(
        string="Acknowledgement Sent",
        readonly=True,
        copy=False,
        help="When the acknowledgement (受理通知) was sent to the customer; it "
        "is sent once.",
    )

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {"date_ack_sent"}

    # Mails ----------------------------------------------------------------
    def _after_step(self, step):
        res = super()._after_step(step)
        for xmlid in AUTO_TEMPLATES.get(step, ()):
            self._post_customer_template(xmlid)
        return res

    def _customer_mail_recipient(self):
        """Where the customer mails of the complaint go: ``(partner, email)``.

        The customer partner when the complainant gave no address of their
        own, or the customer's; else the address the complainant gave, which
        is never turned into a contact (``partner`` is then empty). Both are
        empty when there is nowhere to write to."""
        self.ensure_one()
        partner = self.partner_id
        partner_email = email_normalize(partner.email)
        # sudo: the complainant's contact is stored in system-only columns.
        typed = email_normalize(self.sudo().contact_email)
        if typed and typed != partner_email:
            return partner.browse(), typed
        return (partner if partner_email else partner.browse()), False

    def _customer_mail_partner(self):
        """The customer partner the mail templates address (``partner_to``);
        empty when the mails go to the complainant's own address."""
        self.ensure_one()
        return self._customer_mail_recipient()[0]

    def _post_customer_template(self, xmlid):
        """Send template ``xmlid`` to the customer of each complaint that has
        somewhere to write to, when the company sends complaint mails
        automatically."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for rec in self:
            if rec.company_id.complaint_auto_mail:
                rec._send_customer_template(template)

    def _send_customer_template(self, template):
        """Send ``template`` to the customer: posted to the customer partner
        (a public message, shown on the portal), or mailed to the address the
        complainant gave, without creating a contact for it. Returns whether
        a mail left."""
        self.ensure_one()
        partner, email = self._customer_mail_recipient()
        if not (email or partner):
            return False
        if template == self.env.ref(ACK_TEMPLATE, raise_if_not_found=False):
            self.sudo().date_ack_sent = fields.Datetime.now()
        if email:
            self._mail_template_to_address(template, email)
            return True
        # A comment (the customer reads it on the portal too) addressed to the
        # customer only: the complaint's followers, its staff, are not sent
        # the customer's mail.
        self._post_template_to_customer(template, partner)
        return True

    def _action_send_template(self, xmlid):
        """The mail composer on the complaint with template ``xmlid`` chosen;
        when the mails go to the address the complainant gave, the mail is
        sent at once instead (the composer would turn it into a contact)."""
        self.ensure_one()
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if template and self._customer_mail_recipient()[1]:
            self._send_customer_template(template)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "The mail was sent to the address the complainant gave."
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send to the Customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "view_id": False,
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def action_send_acknowledgement(self):
        """Send the acknowledgement at once, and once only: it was sent at
        acceptance already when the company mails automatically."""
        self.ensure_one()
        self._check_send_acknowledgement()
        if not self._send_customer_template(self.env.ref(ACK_TEMPLATE)):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s has no email address of the customer to "
                    "send the acknowledgement to.",
                    ref=self.name,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The acknowledgement was sent to the customer."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _check_send_acknowledgement(self):
        self.ensure_one()
        if not self.env.su and not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s sends its acknowledgement.",
                    ref=self.name,
                )
            )
        if self.date_ack_sent:
            raise UserError(
                self.env._(
                    "The acknowledgement of complaint %(ref)s was already sent on "
                    "%(date)s.",
                    ref=self.name,
                    date=self._customer_datetime(self.date_ack_sent),
                )
            )
        if not self.date_acknowledged or self.state not in lifecycle.OPEN_STATES:
            raise UserError(
                self.env._(
                    "The acknowledgement is sent once complaint %(ref)s is "
                    "accepted, while it is open.",
                    ref=self.name,
                )
            )

    def _customer_datetime(self, value):
        """``value`` (UTC) as the customer's mails write it: in the customer's
        language and the time zone of the company's working calendar, the
        date in words, and the time unless it is the end of the day."""
        self.ensure_one()
        if not value:
            return ""
        company = self.company_id
        tz = company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        local = pytz.utc.localize(value).astimezone(pytz.timezone(tz))
        lang = get_lang(self.env, self.partner_id.lang or self.env.lang).code
        day = format_date(self.env, local, lang_code=lang, date_format="long")
        if local.time() >= time(23, 59):
            return day
        locale = babel_locale_parse(lang)
        hour = babel.dates.format_time(local, format="short", locale=locale)
        return babel.dates.get_datetime_format("medium", locale=locale).format(
            hour, day
        )

    def action_send_result(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_result"
        )

    def action_send_visit_request(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_visit_request"
        )
