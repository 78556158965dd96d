"""Mails to a record's customer that its followers (the staff) do not get."""

import base64

from markupsafe import Markup

from odoo import models


class ComplaintCustomerMailMixin(models.AbstractModel):
    """Write to a record's customer, not to its followers.

    Contract: the model inherits ``mail.thread`` and lists this mixin before
    it. ``_post_template_to_customer(template, partners)`` posts a mail
    template as a public comment (shown on the portal) notified to
    ``partners`` only; ``_mail_template_to_address(template, email)`` mails
    it to an address that is never turned into a contact, with a short note
    in the chatter that names neither the address nor the person.

    What only the customer may hold (the rating token of the satisfaction
    survey) is written as a stand-in in the mail's body, which staff read in
    the chatter and the composer; ``_customer_mail_reveal`` puts the secrets
    back only into the mail that leaves for that customer.
    """

    _name = "complaint.customer.mail.mixin"
    _description = "Complaint Center Customer Mails"

    def _post_template_to_customer(self, template, partners):
        """Post ``template`` as a comment addressed to ``partners`` only: the
        record's followers are not sent the customer's mail (see
        ``_notify_get_recipients``)."""
        self.ensure_one()
        self.with_context(complaint_customer_mail=True).message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partners.ids,
        )

    def _mail_template_to_address(self, template, email):
        """Mail ``template`` to ``email`` alone and log a short note of it in
        the chatter, without the address or the complainant's name; replies
        to the mail come back to the record."""
        self.ensure_one()
        values = template._generate_template(
            self.ids, ("subject", "body_html", "email_from", "report_template_ids")
        )[self.id]
        # The template's notices (acceptance, non-acceptance) go with the
        # mail, which sends the attachments of its message.
        note = self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Sent by email to the address the complainant gave."),
            subject=values.get("subject"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[
                (name, base64.b64decode(content))
                for name, content in values.get("attachments", [])
            ],
        )
        mail_values = self._notify_by_email_get_base_mail_values(note)
        mail_values.update(
            body_html=values.get("body_html") or "",
            email_to=email,
            auto_delete=template.auto_delete,
            is_notification=True,
        )
        if values.get("email_from"):
            mail_values["email_from"] = values["email_from"]
        # To the record's customer, at the address the complainant gave.
        mail_values["body_html"] = self._customer_mail_reveal(
            mail_values["body_html"], self.env["res.partner"]
        )
        mail = self.env["mail.mail"].sudo().create(mail_values)
        mail.send_after_commit()
        return mail

    def _customer_mail_reveal(self, body, partners):
        """``body`` of a mail leaving for ``partners`` (empty: the record's
        customer, at an address of their own) with its stand-ins replaced
        by that customer's secrets."""
        return body

    def _notify_by_email_get_final_mail_values(
        self, recipient_ids, mail_values, additional_values=None
    ):
        values = super()._notify_by_email_get_final_mail_values(
            recipient_ids, mail_values, additional_values=additional_values
        )
        # A mail to one partner alone carries that partner's secrets.
        if values.get("body_html") and len(recipient_ids) == 1:
            values["body_html"] = self._customer_mail_reveal(
                values["body_html"], self.env["res.partner"].browse(recipient_ids)
            )
        return values

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if not self.env.context.get("complaint_customer_mail"):
            return recipients
        # A customer mail goes to the partners it addresses, not to the
        # record's followers.
        if msg_vals and "partner_ids" in msg_vals:
            addressed = set(msg_vals["partner_ids"])
        else:
            addressed = set(message.sudo().partner_ids.ids)
        return [data for data in recipients if data["id"] in addressed]
