from markupsafe import Markup

from odoo import api, fields, models
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
# Rating value (faces 5/3/1 of the rating links) -> complaint satisfaction.
RATING_SATISFACTION = {5: "satisfied", 3: "neutral", 1: "unsatisfied"}


class ComplaintComplaint(models.Model):
    # rating.mixin is inherited by the main model (it must precede mail.thread).
    _inherit = "complaint.complaint"
    _name = "complaint.complaint"

    visit_ids = fields.One2many(
        "complaint.visit", "complaint_id", string="Return Visits"
    )
    visit_count = fields.Integer(compute="_compute_visit_count")

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        for rec in self:
            rec.visit_count = len(rec.visit_ids)

    # Mails ----------------------------------------------------------------
    def _after_transition(self, action):
        res = super()._after_transition(action)
        for xmlid in AUTO_TEMPLATES.get(action, ()):
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
            self.ids, ("subject", "body_html", "email_from")
        )[self.id]
        note = self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Sent by email to the address the complainant gave."),
            subject=values.get("subject"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
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

    # Return visits --------------------------------------------------------
    def action_record_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Return Visit"),
            "res_model": "complaint.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_visit_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    # Rating ---------------------------------------------------------------
    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        return (self.user_id or self.first_responder_id).partner_id

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        # The rating page first applies the face with a stock text
        # (notify_delay_send), then the customer's own words.
        self._apply_rating_satisfaction(rating, None if notify_delay_send else feedback)
        return rating

    def _apply_rating_satisfaction(self, rating, feedback):
        """The customer answered the survey: record their satisfaction on the
        resolved complaint the rating belongs to."""
        complaint = (
            self.browse(rating.res_id) if rating.res_model == self._name else self
        )
        complaint = complaint.exists()
        if len(complaint) != 1 or complaint.state != "resolved":
            return
        rate = int(rating.rating)
        satisfaction = RATING_SATISFACTION.get(rate) or (
            "satisfied" if rate > 3 else "neutral" if rate > 1 else False
        )
        if not satisfaction:
            return
        changed = complaint.satisfaction != satisfaction
        vals = {"satisfaction": satisfaction, "date_feedback": fields.Datetime.now()}
        if feedback:
            vals["feedback"] = feedback
        # sudo: the customer rates through a public token link.
        complaint.sudo().write(vals)
        complaint.sudo()._after_feedback()
        if not changed:
            return
        label = dict(
            complaint._fields["satisfaction"]._description_selection(self.env)
        )[satisfaction]
        complaint.sudo().message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "The customer rated the handling: %(satisfaction)s.",
                satisfaction=label,
            ),
            author_id=self.env.ref("base.partner_root").id,
            subtype_xmlid="mail.mt_note",
        )
