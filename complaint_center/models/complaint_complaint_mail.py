from markupsafe import Markup

from odoo import api, fields, models

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

    def _customer_email(self):
        self.ensure_one()
        return self.complainant_email or self.partner_id.email

    def _post_customer_template(self, xmlid):
        """Post template ``xmlid`` to the customer of each complaint with an
        email address, when the company sends complaint mails automatically."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for rec in self:
            if rec.company_id.complaint_auto_mail and rec._customer_email():
                rec.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def _action_send_template(self, xmlid):
        """The mail composer on the complaint with template ``xmlid`` chosen."""
        self.ensure_one()
        template = self.env.ref(xmlid, raise_if_not_found=False)
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
