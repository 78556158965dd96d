from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

COMPLAINT = "complaint.complaint"


class RatingRating(models.Model):
    """The customer's rating of a complaint (满意度调查).

    Odoo gives every employee read, write and create on every rating: a
    clerk listed the ratings of complaints, read the token and answered the
    survey as the customer. A complaint's rating is read only with the
    complaint, and made or changed only by the server: the survey mail
    (``_rating_get_access_token``, as superuser) and the customer's answer
    on the public ``/rate`` page (as superuser, with the token)."""

    _inherit = "rating.rating"

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

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._complaint_visible_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or operation != "read" or not self:
            return result
        ratings = self - result[0] if result else self
        hidden = ratings - ratings.search([("id", "in", ratings.ids)])
        if not hidden:
            return result
        if result:
            return result[0] | hidden, result[1]
        return hidden, lambda: self.env["ir.rule"]._make_access_error("read", hidden)

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
