"""Customer portal: My Complaints.

Portal users have no access rights on the complaint models: every record is
read here with ``sudo()``, and only after checking that the complaint belongs
to the visitor's commercial partner or that the visitor holds its access
token. The pages show the customer-facing fields only; the chatter is the
standard portal chatter (public messages only), given the token.
"""

import math
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import SQL, consteq, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Session key of the complaints last listed (record pager).
HISTORY_KEY = "my_complaints_history"
FORM_FIELDS = (
    "description",
    "category_id",
    "customer_request",
    "claimed_amount",
    "sale_order_id",
)


class ComplaintCustomerPortal(CustomerPortal):
    # Home -------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            values["complaint_count"] = (
                request.env["complaint.complaint"]
                .sudo()
                .search_count(self._complaint_domain())
            )
        return values

    # Helpers ----------------------------------------------------------------
    def _complaint_customer(self):
        """The commercial partner whose complaints the visitor sees."""
        return request.env.user.partner_id.commercial_partner_id

    def _complaint_domain(self):
        return [("commercial_partner_id", "=", self._complaint_customer().id)]

    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint ``complaint_id`` as superuser, when the visitor may
        see it: a user of its customer, or the holder of its token.

        Portal users cannot read complaints through the ORM, so portal's
        ``_document_check_access`` (which tries the ORM first) does not
        apply; this is its equivalent for complaints.

        :raise MissingError: no such complaint
        :raise AccessError: neither the customer nor a valid token
        """
        complaint_sudo = (
            request.env["complaint.complaint"].sudo().browse(complaint_id).exists()
        )
        if not complaint_sudo:
            raise MissingError(request.env._("This document does not exist."))
        user = request.env.user
        if (
            not user._is_public()
            and complaint_sudo.commercial_partner_id == self._complaint_customer()
        ):
            return complaint_sudo
        token = complaint_sudo.access_token
        if access_token and token and consteq(token, access_token):
            return complaint_sudo
        raise AccessError(request.env._("You cannot see this complaint."))

    def _complaint_searchbar_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": _("Reference"), "order": "name, id"},
            "state": {"label": _("Status"), "order": "state, date_received desc"},
            "reply": {"label": _("Expected Reply"), "order": None},
        }

    def _complaint_search(self, domain, order, limit, offset):
        """Complaints of ``domain``; ``order`` None sorts them by expected
        reply date (the promised reply, else the resolution deadline)."""
        Complaint = request.env["complaint.complaint"].sudo()
        if order:
            return Complaint.search(domain, order=order, limit=limit, offset=offset)
        query = Complaint._search(domain, offset=offset, limit=limit, order="id")
        query.order = SQL(
            "COALESCE(%s, %s) ASC NULLS LAST, %s DESC",
            Complaint._field_to_sql(query.table, "date_promised_reply", query),
            Complaint._field_to_sql(query.table, "date_resolve_deadline", query),
            Complaint._field_to_sql(query.table, "id", query),
        )
        return Complaint.browse(query)

    # List -------------------------------------------------------------------
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, **kw):
        values = self._prepare_portal_layout_values()
        sortings = self._complaint_searchbar_sortings()
        if sortby not in sortings:
            sortby = "date"
        domain = self._complaint_domain()
        Complaint = request.env["complaint.complaint"].sudo()
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby},
            total=Complaint.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = self._complaint_search(
            domain, sortings[sortby]["order"], self._items_per_page, pager["offset"]
        )
        request.session[HISTORY_KEY] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
            }
        )
        return request.render("complaint_center.portal_my_complaints", values)

    # Record -----------------------------------------------------------------
    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        if request.env.user._is_public() and not access_token:
            return request.redirect(
                f"/web/login?redirect=/my/complaints/{int(complaint_id)}"
            )
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError) as err:
            # The same answer whether the complaint exists or not.
            raise NotFound() from err
        values = {
            "complaint": complaint_sudo,
            "page_name": "complaint",
            "submitted": kw.get("submitted"),
            "agreed": kw.get("agreed"),
            "appealed": kw.get("appealed"),
        }
        return self._complaint_page(complaint_sudo, access_token, values, **kw)

    def _complaint_page(self, complaint_sudo, access_token, values, **kw):
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, HISTORY_KEY, False, **kw
        )
        # The portal chatter reads and posts through the token: the visitor
        # has no access rights on the complaint (public messages only).
        values["token"] = complaint_sudo._portal_ensure_token()
        # 申诉: offered to the complaint's own customer only, logged in.
        user = request.env.user
        if not user._is_public() and complaint_sudo.state in ("closed", "rejected"):
            values.setdefault(
                "appeal_refusal", complaint_sudo._appeal_refusal(user.partner_id)
            )
            values["appeal_open"] = not values["appeal_refusal"]
        return request.render("complaint_center.portal_my_complaint", values)

    # The customer appeals the outcome (申诉) -------------------------------
    @http.route(
        ["/my/complaints/<int:complaint_id>/appeal"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_appeal(self, complaint_id, reason=None, **kw):
        """Only a user of the complaint's customer appeals (never a token
        holder); the model checks the state, the level and the window."""
        try:
            complaint_sudo = self._complaint_check_access(complaint_id)
        except (AccessError, MissingError) as err:
            raise NotFound() from err
        try:
            complaint_sudo._portal_appeal(request.env.user.partner_id, reason)
        except UserError as err:
            values = {
                "complaint": complaint_sudo,
                "page_name": "complaint",
                "appeal_error": err.args[0],
                "appeal_reason": reason or "",
            }
            return self._complaint_page(complaint_sudo, None, values)
        return request.redirect(f"/my/complaints/{complaint_sudo.id}?appealed=1")

    # The customer agrees to the plan (征得顾客同意后执行) -------------------
    @http.route(
        ["/my/complaints/<int:complaint_id>/agree"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_agree(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError) as err:
            raise NotFound() from err
        user = request.env.user
        partner = complaint_sudo.partner_id if user._is_public() else user.partner_id
        query = {"agreed": 1}
        try:
            complaint_sudo._portal_agree_to_plan(partner)
        except UserError:
            # Agreed already, or the plan was sent back meanwhile: the page
            # shows the complaint as it is now.
            query = {}
        if access_token:
            query["access_token"] = access_token
        return request.redirect(
            f"/my/complaints/{complaint_sudo.id}?{urlencode(query)}"
        )

    # New complaint ----------------------------------------------------------
    def _complaint_orders_domain(self):
        """Confirmed sale orders of the visitor's customer."""
        return [
            ("partner_id", "child_of", self._complaint_customer().id),
            ("state", "=", "sale"),
        ]

    def _complaint_orders(self):
        """The orders offered in the form, latest first."""
        return (
            request.env["sale.order"]
            .sudo()
            .search(
                self._complaint_orders_domain(),
                order="date_order desc, id desc",
                limit=200,
            )
        )

    def _complaint_categories(self, company, portal_only=True):
        """Active categories of ``company``; those offered to customers only
        unless ``portal_only`` is False."""
        domain = [("company_id", "in", [False, company.id])]
        if portal_only:
            domain.append(("portal_visible", "=", True))
        return request.env["complaint.category"].sudo().search(domain)

    def _complaint_form_values(self, form=None, error=None):
        Complaint = request.env["complaint.complaint"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint",
                "complaint_form": True,
                "categories": self._complaint_categories(request.env.company),
                "remedies": Complaint._fields[
                    "customer_request"
                ]._description_selection(request.env),
                "orders": self._complaint_orders(),
                "currency": request.env.company.currency_id,
                "form": form or {},
                "error": error or {},
            }
        )
        return values

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_complaint_new(self, **post):
        if request.httprequest.method != "POST":
            values = self._complaint_form_values()
            return request.render("complaint_center.portal_complaint_new", values)
        form = {name: (post.get(name) or "").strip() for name in FORM_FIELDS}
        line_ids = request.httprequest.form.getlist("sale_line_ids")
        vals, error = self._complaint_form_validate(form, line_ids)
        if error:
            form["sale_line_ids"] = line_ids
            values = self._complaint_form_values(form, error)
            return request.render("complaint_center.portal_complaint_new", values)
        # sudo: portal users have no access rights on complaints; the values
        # were checked above. Not a follower: the customer follows the
        # complaint on the portal and gets the mails sent to them.
        complaint = (
            request.env["complaint.complaint"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(vals)
        )
        return request.redirect(f"{complaint.access_url}?submitted=1")

    def _complaint_amount_too_large(self, amount, company):
        """Above the company's largest complaint amount (a typing error),
        the amount being in the currency the form shows."""
        company = company.sudo()
        amount = request.env.company.currency_id._convert(
            amount, company.currency_id, company, fields.Date.context_today(company)
        )
        return (
            company.currency_id.compare_amounts(amount, company.complaint_amount_limit)
            > 0
        )

    def _complaint_form_validate(self, form, line_ids):
        """Complaint values from the submitted form, and the errors
        (field -> message) to show. An order or order line that is not the
        customer's is not an input error but an attack: 404."""
        _ = request.env._
        error = {}
        order = self._complaint_form_order(form["sale_order_id"], line_ids)
        lines = self._complaint_form_lines(order, line_ids)
        company = order.company_id or request.env.company
        if not form["description"]:
            error["description"] = _("Tell us what happened.")
        category = request.env["complaint.category"]
        if form["category_id"]:
            category = self._complaint_categories(company, portal_only=False).filtered(
                lambda c: str(c.id) == form["category_id"]
            )
            if not category:
                error["category_id"] = _("Choose one of the categories listed.")
            elif not category.portal_visible:
                # Staff decide on these (e.g. staff conduct): a crafted form
                # must not pick one.
                category = category.browse()
                error["category_id"] = _(
                    "Our staff assign this category themselves: choose one of "
                    'the categories listed, or "I do not know".'
                )
        remedies = dict(
            request.env["complaint.complaint"]
            ._fields["customer_request"]
            ._description_selection(request.env)
        )
        if form["customer_request"] and form["customer_request"] not in remedies:
            error["customer_request"] = _("Choose one of the remedies listed.")
        amount = 0.0
        if form["claimed_amount"]:
            try:
                amount = float(form["claimed_amount"].replace(",", ""))
            except ValueError:
                amount = -1.0
            if not math.isfinite(amount) or amount < 0:
                error["claimed_amount"] = _("Enter a positive amount, or nothing.")
            elif self._complaint_amount_too_large(amount, company):
                error["claimed_amount"] = _(
                    "This amount is larger than any we handle: check the figure."
                )
        if error:
            return {}, error
        partner = request.env.user.partner_id
        vals = {
            "partner_id": self._complaint_customer().id,
            "company_id": company.id,
            "channel": "portal",
            "description": plaintext2html(form["description"]),
            "category_id": category.id,
            "customer_request": form["customer_request"] or False,
            "claimed_amount": amount,
            # The currency the form showed the amount in.
            "currency_id": request.env.company.currency_id.id,
            "sale_order_id": order.id,
            "sale_line_ids": [Command.set(lines.ids)],
            "complainant_name": partner.name,
            "complainant_email": partner.email or False,
            "complainant_phone": partner.phone or partner.mobile or False,
            # An internal user stays accountable for the follow-up (首问负责).
            "first_responder_id": (
                company.complaint_director_id or request.env.ref("base.user_root")
            ).id,
        }
        return vals, {}

    def _complaint_form_order(self, order_id, line_ids):
        """The customer's confirmed order ``order_id``; NotFound for any other
        order (or for order lines without an order)."""
        order = request.env["sale.order"].sudo()
        if not order_id:
            if line_ids:
                raise NotFound()
            return order
        if not order_id.isdigit():
            raise NotFound()
        order = order.search(
            [("id", "=", int(order_id)), *self._complaint_orders_domain()], limit=1
        )
        if not order:
            raise NotFound()
        return order

    def _complaint_form_lines(self, order, line_ids):
        """Product lines of ``order`` among ``line_ids``; NotFound for a line
        of another order."""
        if not all(line_id.isdigit() for line_id in line_ids):
            raise NotFound()
        wanted = {int(line_id) for line_id in line_ids}
        lines = order.order_line.filtered(
            lambda line: line.id in wanted and not line.display_type
        )
        if len(lines) != len(wanted):
            raise NotFound()
        return lines
