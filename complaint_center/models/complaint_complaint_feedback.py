"""The customer's feedback (反馈, 回访): return visits and the satisfaction
survey (rating links) record whether the customer accepts the result, which
decides whether the complaint closes or is reviewed again."""

from markupsafe import Markup

from odoo import api, fields, models

# Rating value (faces 5/3/1 of the rating links) -> complaint satisfaction.
RATING_SATISFACTION = {5: "satisfied", 3: "neutral", 1: "unsatisfied"}


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    visit_ids = fields.One2many(
        "complaint.visit", "complaint_id", string="Return Visits"
    )
    visit_count = fields.Integer(compute="_compute_visit_count")

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        for rec in self:
            rec.visit_count = len(rec.visit_ids)

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
