"""The customer's feedback (反馈, 回访): return visits and the satisfaction
survey (rating links) record whether the customer accepts the result, which
decides whether the complaint closes or is reviewed again."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.rating.models import rating_data

# Rating text (top: 4-5 stars, ok: 3, ko: 1-2) -> complaint satisfaction.
RATING_SATISFACTION = {"top": "satisfied", "ok": "neutral", "ko": "unsatisfied"}
RATING_REVIEW_ACTIVITY = "complaint_center.mail_activity_type_complaint_rating_review"


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    visit_ids = fields.One2many(
        "complaint.visit", "complaint_id", string="Return Visits"
    )
    visit_count = fields.Integer(compute="_compute_visit_count")
    rating_alert = fields.Boolean(
        string="Customer Dissatisfied After Closing",
        readonly=True,
        copy=False,
        tracking=True,
        help="The customer rated the handling as dissatisfied after the "
        "complaint was closed: a complaint manager reopens it or keeps it "
        "closed.",
    )

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {"rating_alert"}

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
        # The customer rates through the public /rate link, which runs as
        # superuser; staff who can read the token do not answer for them.
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the customer rates a complaint, through the link of "
                    "the satisfaction mail."
                )
            )
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
        """The customer answered the survey: on a resolved complaint, their
        satisfaction is recorded as by a return visit (a dissatisfied one
        sends it back for review when a manager closes); on a closed one, a
        dissatisfied rating flags it for a manager (closed only with the
        customer's agreement)."""
        complaint = (
            self.browse(rating.res_id) if rating.res_model == self._name else self
        )
        complaint = complaint.exists()
        if len(complaint) != 1:
            return
        satisfaction = RATING_SATISFACTION.get(
            rating_data._rating_to_text(rating.rating)
        )
        if not satisfaction:
            return
        # sudo: the customer rates through a public token link.
        complaint = complaint.sudo()
        if complaint.state == "closed":
            complaint._flag_rating_after_closing(satisfaction == "unsatisfied")
            return
        if complaint.state != "resolved":
            return
        changed = complaint.satisfaction != satisfaction
        vals = {"satisfaction": satisfaction, "date_feedback": fields.Datetime.now()}
        if feedback:
            vals["feedback"] = feedback
        complaint.write(vals)
        complaint._after_feedback()
        if not changed:
            return
        label = dict(
            complaint._fields["satisfaction"]._description_selection(self.env)
        )[satisfaction]
        complaint._post_rating_note(
            self.env._(
                "The customer rated the handling: %(satisfaction)s.",
                satisfaction=label,
            )
        )

    def _post_rating_note(self, text):
        self.message_post(
            body=Markup("<p>%s</p>") % text,
            author_id=self.env.ref("base.partner_root").id,
            subtype_xmlid="mail.mt_note",
        )

    def _flag_rating_after_closing(self, dissatisfied):
        """A rating after closing: flag a dissatisfied one for the center's
        director, who reopens the complaint or keeps it closed; the customer
        taking it back (a better rating) lifts the flag."""
        self.ensure_one()
        if dissatisfied == self.rating_alert:
            return
        self.write({"rating_alert": dissatisfied})
        if not dissatisfied:
            self.activity_unlink([RATING_REVIEW_ACTIVITY])
            self._post_rating_note(
                self.env._("The customer changed their rating: no longer dissatisfied.")
            )
            return
        self._post_rating_note(
            self.env._(
                "The customer rated the closed complaint as dissatisfied: a "
                "complaint manager reviews it and reopens it or keeps it closed."
            )
        )
        company = self.company_id
        reviewers = company._complaint_people("director") or company._complaint_people(
            "executive"
        )
        for user in reviewers - self.involved_user_ids:
            self.activity_schedule(
                RATING_REVIEW_ACTIVITY,
                summary=self._activity_summary(RATING_REVIEW_ACTIVITY, user),
                user_id=user.id,
            )

    def action_keep_closed(self):
        """Keep a flagged complaint closed despite the customer's rating:
        decided by whoever could reopen it instead (the same guard)."""
        self._check_steps("reopen")
        for rec in self:
            if rec.state != "closed" or not rec.rating_alert:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no dissatisfied rating after "
                        "closing to review.",
                        ref=rec.name,
                    )
                )
        self.sudo().write({"rating_alert": False})
        self.sudo().activity_feedback([RATING_REVIEW_ACTIVITY])
        for rec in self:
            rec.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s reviewed the customer's dissatisfied rating and "
                    "keeps the complaint closed.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _reopen_values(self):
        return dict(super()._reopen_values(), rating_alert=False)

    def _after_step(self, step):
        res = super()._after_step(step)
        if step == "reopen":
            # Reopening answers the review of a dissatisfied rating.
            self.sudo().activity_feedback([RATING_REVIEW_ACTIVITY])
        return res
