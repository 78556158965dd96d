"""Mail intake: complaints from the complaints@ alias.

A new mail sent to the alias creates a complaint (channel Email); replies to
the mails of a complaint land in its chatter through the standard
``mail.thread.message_update``, which only posts and never writes the
workflow fields.
"""

import logging

from markupsafe import Markup

from odoo import api, models
from odoo.tools import (
    email_split,
    html_sanitize,
    is_html_empty,
    parse_contact_from_email,
)

_logger = logging.getLogger(__name__)

# What an alias's default values may set on the complaints it creates: the
# mail gateway runs as superuser, past the workflow guard, so nothing else
# (state, reference, approvals...) is taken from there.
ALIAS_DEFAULT_FIELDS = {
    "channel",
    "category_id",
    "severity",
    "company_id",
    "user_id",
    "department_id",
    "customer_request",
}


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an incoming mail: the sender's contact when one
        matches their address, else a new contact (company setting) or the
        company's placeholder customer; the sender's name and address go to
        the complainant details, subject and body to the description."""
        values = self._mail_intake_defaults(custom_values)
        company = self._mail_intake_company(msg_dict, values)
        intake = self.with_company(company)
        partner = intake._mail_intake_partner(msg_dict, company)
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        values.update(
            {
                # Keeps mail.thread from naming the complaint after the
                # subject: the reference is given by create().
                "name": intake.env._("New"),
                "company_id": company.id,
                "partner_id": partner.id,
                "complainant_name": name or email or False,
                "complainant_email": email or False,
                "description": intake._mail_intake_description(msg_dict),
                "first_responder_id": intake._mail_intake_responder(company).id,
            }
        )
        values.setdefault("channel", "email")
        return super(ComplaintComplaint, intake).message_new(
            msg_dict, custom_values=values
        )

    @api.model
    def _mail_intake_defaults(self, custom_values):
        values = dict(custom_values or {})
        dropped = set(values) - ALIAS_DEFAULT_FIELDS
        if dropped:
            _logger.warning(
                "Complaint mail intake: ignored alias default values %s",
                ", ".join(sorted(dropped)),
            )
        return {key: val for key, val in values.items() if key not in dropped}

    @api.model
    def _mail_intake_company(self, msg_dict, values):
        """The company of a mailed complaint: the alias's default, else the
        company whose alias domain the mail was sent to, else the gateway
        user's."""
        companies = self.env["res.company"].sudo()
        if values.get("company_id"):
            return companies.browse(values["company_id"])
        domains = {
            address.rpartition("@")[2].lower()
            for address in email_split(msg_dict.get("to") or "")
        }
        if domains:
            companies = companies.search(
                [("alias_domain_id.name", "in", sorted(domains))]
            )
        if not companies or self.env.company in companies:
            return self.env.company
        return companies[0]

    @api.model
    def _mail_intake_partner(self, msg_dict, company):
        """The customer of a mailed complaint. Odoo's own finder matches the
        sender's address to a contact of the company (or shared); it creates
        one only when the company says so. An unknown sender is otherwise
        filed under the company's placeholder customer."""
        create = company.complaint_mail_create_partner
        partner = self._mail_find_partner_from_emails(
            [msg_dict.get("email_from") or ""],
            force_create=create,
            extra_domain=[("company_id", "in", [False, company.id])],
        )[0]
        if not partner:
            return company._complaint_unknown_partner()
        if not msg_dict.get("author_id"):
            # The incoming mail is posted as the contact, who then follows
            # the complaint and hears the replies.
            msg_dict["author_id"] = partner.id
        return partner

    @api.model
    def _mail_intake_description(self, msg_dict):
        parts = []
        subject = (msg_dict.get("subject") or "").strip()
        if subject:
            parts.append(Markup("<p><strong>%s</strong></p>") % subject)
        body = msg_dict.get("body") or ""
        if not is_html_empty(body):
            parts.append(html_sanitize(body))
        return Markup("").join(parts) or False

    @api.model
    def _mail_intake_responder(self, company):
        """The first responder of a mailed complaint: the company's complaint
        center director when they work for it, else OdooBot."""
        director = company.sudo().complaint_director_id
        if director and not director.share and company in director.company_ids:
            return director
        return self.env.ref("base.user_root")

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # Loop detection of the mail gateway: complaints recently mailed from
        # the same address (an auto-replier must not open complaints forever).
        return [("contact_email", "=ilike", email_from_normalized)]
