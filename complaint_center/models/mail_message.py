"""The chatter of the complaint center's records is evidence.

Odoo lets a message's author and recipients write it, and whoever may write
a record delete its messages: a customer rewrote the company's
acknowledgement, a manager re-attributed her cancellation, a handler deleted
the state changes. On the workflow records of this addon a message stays as
it was posted, in its poster's own name; only the superuser (the server's
own code, a data fix) changes or deletes it.

The sender of a message a complainant mailed in names him: on a complaint,
the sender of a message from outside the company is shown and searchable
only to those who may see the complainant (complaint.complaint
``_complainant_domain``)."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import email_normalize

COMPLAINT = "complaint.complaint"
# Models whose chatter is evidence besides the workflow models: records kept
# as they were recorded.
EVIDENCE_MODELS = frozenset({"complaint.visit", "complaint.responsibility"})
# What a user still changes on such a message: his own favourites (the star).
FREE_FIELDS = frozenset({"starred_partner_ids"})
# How far from now a caller may date a message (clock skew).
DATE_TOLERANCE_SECONDS = 60
# The fields that tell who sent a message.
SENDER_FIELDS = frozenset({"author_id", "author_avatar", "email_from", "reply_to"})


def _names_fields(specs, names):
    """Whether a domain's leaves, or group-by / aggregate / order specs,
    name one of ``names`` (a path or an aggregate counts by its first
    field)."""
    for spec in specs or ():
        if isinstance(spec, (list, tuple)):
            spec = spec[0] if spec and isinstance(spec[0], str) else None
        if not isinstance(spec, str):
            continue
        for part in spec.split(","):
            name = part.strip().split(" ")[0].split(":")[0].split(".")[0]
            if name in names:
                return True
    return False


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Which messages are evidence --------------------------------------------
    @api.model
    @tools.ormcache()
    def _complaint_evidence_models(self):
        """Models whose messages nobody but the superuser changes: the
        workflow models of the addon and the records kept as recorded."""
        registry = self.env.registry
        mixin = registry["complaint.workflow.mixin"]
        workflow = {
            name
            for name, model in registry.items()
            if issubclass(model, mixin) and not model._abstract
        }
        return frozenset(workflow | EVIDENCE_MODELS)

    def _complaint_evidence(self):
        """The messages of ``self`` on a record whose chatter is evidence."""
        models_ = self._complaint_evidence_models()
        return self.browse(
            message.id for message in self.sudo() if message.model in models_
        )

    def _complaint_refusal(self):
        return AccessError(
            self.env._(
                "The messages of complaints, penalties and corrective actions are "
                "a record of what happened: they are neither changed nor deleted, "
                "and each is posted in its author's own name."
            )
        )

    # CRUD ---------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # What the caller gave (create() pops the tracking values).
        given = [
            {
                "date": bool(vals.get("date")),
                "tracking": bool(vals.get("tracking_value_ids")),
            }
            for vals in vals_list
        ]
        messages = super().create(vals_list)
        if not self.env.su:
            messages._complaint_check_posted(given)
        return messages

    def _complaint_check_posted(self, given):
        """A user posts on evidence in his own name (or his company's, as the
        customer mails do), dated now, and logs no tracking of his own: the
        server tracks as superuser."""
        evidence = set(self._complaint_evidence()._ids)
        if not evidence:
            return
        user = self.env.user
        now = fields.Datetime.now()
        for message, caller in zip(self, given, strict=True):
            if message.id not in evidence:
                continue
            message = message.sudo()
            record = self.env[message.model].sudo().browse(message.res_id)
            authors = user.partner_id
            if "company_id" in record._fields:
                authors |= record.company_id.partner_id
            emails = {email_normalize(partner.email) for partner in authors}
            dated = abs((message.date - now).total_seconds()) > DATE_TOLERANCE_SECONDS
            if (
                not message.author_id
                or message.author_id not in authors
                or (
                    message.email_from
                    and email_normalize(message.email_from) not in emails
                )
                or (caller["date"] and dated)
                or caller["tracking"]
            ):
                raise self._complaint_refusal()

    def write(self, vals):
        if not self.env.su and set(vals) - FREE_FIELDS:
            moved_in = vals.get("model") in self._complaint_evidence_models()
            if moved_in or self._complaint_evidence():
                raise self._complaint_refusal()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._complaint_evidence():
            raise self._complaint_refusal()
        return super().unlink()

    # The complainant's confidentiality (保密) ----------------------------------
    @api.model
    def _complaint_staff_partners(self):
        """Partners whose messages never name a complainant: the user
        himself and the companies (the customer mails)."""
        return (
            self.env.user.partner_id
            | self.env["res.company"].sudo().search([]).partner_id
        )

    def _complaint_hidden_senders(self):
        """Messages of ``self`` whose sender the current user may not see:
        on a complaint whose complainant he may not see, from someone outside
        the company (no author, or an author without an internal user)."""
        user = self.env.user
        if self.env.su or not user._is_internal():
            return self.browse()
        staff = self._complaint_staff_partners()
        outside = self.browse(
            message.id
            for message in self.sudo()
            if message.model == COMPLAINT
            and message.res_id
            and message.author_id not in staff
            and (not message.author_id or message.author_id.partner_share)
        )
        if not outside:
            return outside
        complaints = (
            self.env[COMPLAINT]
            .with_context(active_test=False)
            .browse({message.res_id for message in outside.sudo()})
            .exists()
        )
        readers = set()
        if self.env["ir.model.access"].check(COMPLAINT, "read", raise_exception=False):
            readers = set(complaints._complainant_readers()._ids)
        return self.browse(
            message.id for message in outside.sudo() if message.res_id not in readers
        )

    @api.model
    def _complaint_hidden_senders_domain(self):
        """Domain leaving out the messages whose sender the current user may
        not see (see ``_complaint_hidden_senders``)."""
        complaints = self.env[COMPLAINT].with_context(active_test=False)
        readers = []
        if self.env["ir.model.access"].check(COMPLAINT, "read", raise_exception=False):
            readers = complaints._search(complaints._complainant_domain())
        staff = self._complaint_staff_partners()
        hidden = self.sudo()._search(
            [
                ("model", "=", COMPLAINT),
                ("res_id", "not in", readers),
                "|",
                ("author_id", "=", False),
                "&",
                ("author_id", "not in", staff.ids),
                ("author_id.partner_share", "=", True),
            ]
        )
        return [("id", "not in", hidden)]

    def _complaint_hides_senders(self):
        return not self.env.su and self.env.user._is_internal()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Nobody finds who mailed a complaint by searching on its sender.
        if self._complaint_hides_senders() and _names_fields(
            [*(domain or []), order], SENDER_FIELDS
        ):
            domain = expression.AND([domain, self._complaint_hidden_senders_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        if self._complaint_hides_senders() and _names_fields(
            [*groupby, *aggregates, *(having or []), order], SENDER_FIELDS
        ):
            domain = expression.AND([domain, self._complaint_hidden_senders_domain()])
        return super()._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    def _fetch_field(self, field):
        # Odoo fetches messages as superuser (mail.message fetch()), trusting
        # read() and search() to have checked: a field read straight from
        # the records, as ``mapped`` does over RPC, read any message. On the
        # complaint center's records, a field is fetched as read() shows it.
        if not self.env.su:
            evidence = self._complaint_evidence()
            forbidden = evidence - evidence._filtered_access("read")
            if forbidden:
                raise forbidden._make_access_error("read")
            if field.name in SENDER_FIELDS and self._complaint_hidden_senders():
                raise self._complaint_hidden_senders()._make_access_error("read")
        return super()._fetch_field(field)

    def _read_format(self, fnames, load="_classic_read"):
        shown = SENDER_FIELDS.intersection(fnames or ())
        hides = shown and self._complaint_hides_senders()
        if hides:
            # Fetched as read() does (not refused by _fetch_field), then
            # blanked.
            self.fetch(list(shown))
        result = super()._read_format(fnames, load=load)
        if hides:
            hidden = set(self._complaint_hidden_senders()._ids)
            for values in result:
                if values["id"] in hidden:
                    values.update(dict.fromkeys(shown & values.keys(), False))
        return result

    def _author_to_store(self, store):
        # The chatter calls this as superuser: hide for the real user.
        messages = self.sudo(False)
        hidden = messages.browse()
        if messages._complaint_hides_senders():
            hidden = messages._complaint_hidden_senders()
        res = super(MailMessage, self - hidden)._author_to_store(store)
        for message in hidden:
            store.add(message, {"author": False, "email_from": False})
        return res
