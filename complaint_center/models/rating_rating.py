from odoo import api, fields, models
from odoo.exceptions import AccessError

COMPLAINT = "complaint.complaint"


class RatingRating(models.Model):
    """The customer's rating of a complaint (满意度调查).

    Odoo gives every employee read, write and create on every rating: a
    clerk listed the ratings of complaints, read the token and answered the
    survey as the customer. A complaint's rating is read only with the
    complaint, and made or changed only by the server: the survey mail
    (``_rating_get_access_token``, as superuser) and the customer's answer
    on the public ``/rate`` page (as superuser, with the token)."""

    _name = "rating.rating"
    _inherit = ["rating.rating", "complaint.visibility.mixin"]

    # The token answers the survey in the customer's name: Odoo reads it as
    # superuser only (the /rate page, the survey mail), staff never.
    access_token = fields.Char(groups="base.group_system")

    # Reading ----------------------------------------------------------------
    @api.model
    def _complaint_visible_domain(self):
        access = self.env["ir.model.access"]
        if not access.check(COMPLAINT, "read", raise_exception=False):
            return [("res_model", "!=", COMPLAINT)]
        complaints = self.env[COMPLAINT].with_context(active_test=False)
        return [
            "|",
            ("res_model", "!=", COMPLAINT),
            ("res_id", "in", complaints._search([])),
        ]

    # Writing ----------------------------------------------------------------
    def _complaint_ratings(self):
        return self.browse(
            rating.id for rating in self.sudo() if rating.res_model == COMPLAINT
        )

    @api.model
    def _complaint_targeted(self, vals):
        """Whether ``vals`` put a rating on a complaint."""
        model_id = self.env["ir.model"]._get_id(COMPLAINT)
        return (
            vals.get("res_model_id") == model_id or vals.get("res_model") == COMPLAINT
        )

    def _complaint_refusal(self):
        return AccessError(
            self.env._(
                "A complaint is rated only by its customer, through the link of "
                "the satisfaction survey: its ratings are not made, changed or "
                "deleted by hand."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(map(self._complaint_targeted, vals_list)):
            raise self._complaint_refusal()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            self._complaint_targeted(vals) or self._complaint_ratings()
        ):
            raise self._complaint_refusal()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._complaint_ratings():
            raise self._complaint_refusal()
        return super().unlink()
