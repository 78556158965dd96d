import base64

from markupsafe import Markup

from odoo import models
from odoo.tools import email_normalize

# Lifecycle action -> templates posted to the customer after it.
AUTO_TEMPLATES = {
    "accept": ("complaint_center.mail_template_complaint_acknowledgement",),
    "reject": ("complaint_center.mail_template_complaint_rejection",),
    "resolve": (
        "complaint_center.mail_template_complaint_result",
        "complaint_center.mail_template_complaint_visit_request",
    ),
}


class ComplaintComplaint(models.Model):
    """Customer mails (受理/结果/回访 notices) sent after lifecycle steps."""

    _inherit = "complaint.complaint"

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
        if email:
            self._mail_template_to_address(template, email)
            return True
        if not partner:
            return False
        # A comment (the customer reads it on the portal too) addressed to the
        # customer only: the complaint's followers, its staff, are not sent
        # the customer's mail (see _notify_get_recipients).
        self.with_context(complaint_customer_mail=True).message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partner.ids,
        )
        return True

    def _mail_template_to_address(self, template, email):
        """Mail ``template`` to ``email`` alone and log a short note of it in
        the chatter, without the address or the complainant's name; replies
        to the mail come back to the complaint."""
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
        mail = self.env["mail.mail"].sudo().create(mail_values)
        mail.send_after_commit()
        return mail

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if not self.env.context.get("complaint_customer_mail"):
            return recipients
        # A customer mail goes to the partners it addresses, not to the
        # complaint's followers.
        if msg_vals and "partner_ids" in msg_vals:
            addressed = set(msg_vals["partner_ids"])
        else:
            addressed = set(message.sudo().partner_ids.ids)
        return [data for data in recipients if data["id"] in addressed]

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
        return self._action_send_template(
            "complaint_center.mail_template_complaint_acknowledgement"
        )

    def action_send_result(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_result"
        )

    def action_send_visit_request(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_visit_request"
        )
