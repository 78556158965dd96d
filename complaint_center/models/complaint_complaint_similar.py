"""Similar complaints (二次投诉, 集体投诉): while a complaint is typed in,
the open and recent complaints of its company that share its customer, its
sale order or a product, or whose description reads alike, ranked by score,
with one click to link it as a repeat or to join them as a group complaint.

The text is compared by PostgreSQL trigrams (pg_trgm) on a stored,
normalised copy of the description (``core/similarity.py``: Chinese is
compared on character bigrams, as pg_trgm drops non-ASCII letters under the
``C`` locale), through its GIN trigram index: one query per batch. The user
is suggested only what they may read, never a case they are involved in.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.modules.db import FunctionStatus
from odoo.tools import SQL

from ..core import lifecycle, similarity

# Suggestions shown per complaint, and candidates fetched per criterion.
SIMILAR_LIMIT = 8
CANDIDATE_LIMIT = 40
# Added to the text similarity for each shared fact.
SHARED_WEIGHTS = {"order": 0.5, "customer": 0.3, "product": 0.2}
# Added to the text similarity when the descriptions share a code (lot,
# batch, order number): ranks rewordings of one matter above complaints
# that only tell the same kind of defect.
CODE_WEIGHT = 0.3


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    description_key = fields.Text(
        string="Description (Normalised)",
        compute="_compute_description_key",
        store=True,
        index="trigram",
        copy=False,
        help="The description as plain lowercase text, compared by trigrams "
        "to find similar complaints.",
    )
    similar_complaint_ids = fields.Many2many(
        "complaint.complaint",
        string="Similar Complaints",
        compute="_compute_similar_complaint_ids",
        help="Open and recent complaints of the company with the same "
        "customer, order or product, or a description that reads alike; the "
        "best match first.",
    )
    similar_score = fields.Float(
        string="Similarity",
        compute="_compute_similar_score",
        digits=(3, 2),
        help="How close this complaint is to the one being registered: text "
        "similarity, plus shared order, customer and products.",
    )

    @api.depends("description")
    def _compute_description_key(self):
        for rec in self:
            rec.description_key = similarity.search_key(rec.description) or False

    def _compute_similar_score(self):
        # Set by _compute_similar_complaint_ids on the suggestions it lists;
        # a new complaint lists them as new records of the same origin.
        field = self._fields["similar_score"]
        for rec in self:
            origin = rec._origin
            score = 0.0
            if origin and origin.id != rec.id:
                score = self.env.cache.get(origin, field, 0.0)
            rec.similar_score = score

    @api.depends(
        "description",
        "partner_id",
        "sale_order_id",
        "product_ids",
        "company_id",
    )
    @api.depends_context("uid")
    def _compute_similar_complaint_ids(self):
        found = self._similar_matches()
        score_field = self._fields["similar_score"]
        for rec in self:
            scored = found.get(rec, [])
            suggestions = self.browse([cid for cid, _score in scored])
            readable = suggestions._similar_readable()
            kept = [(cid, score) for cid, score in scored if cid in readable.ids]
            kept = kept[:SIMILAR_LIMIT]
            shown = self.browse([cid for cid, _score in kept])
            rec.similar_complaint_ids = shown
            # The score of each suggestion for this complaint, in the cache
            # the list of the form reads.
            self.env.cache.update(shown, score_field, [score for _c, score in kept])

    def _similar_readable(self):
        """What of ``self`` the user may be suggested: records they may read,
        never a case they are complained about or responsible in."""
        readable = self._filtered_access("read")
        user = self.env.user
        return readable.filtered(lambda rec: user not in rec.sudo().involved_user_ids)

    def _similar_facts(self):
        """The facts of each complaint of ``self`` (new records too) that
        suggestions are looked up by."""
        facts = []
        for rec in self:
            key = similarity.search_key(rec.description)
            if not (
                key or rec.partner_id or rec.sale_order_id or rec.product_ids
            ) or not (rec.company_id):
                continue
            facts.append(
                {
                    "rec": rec,
                    "self_id": rec._origin.id or 0,
                    "company_id": rec.company_id.id,
                    "key": key,
                    "codes": similarity.codes(rec.description),
                    "partner_id": rec.partner_id.commercial_partner_id.id or 0,
                    "order_id": rec.sale_order_id._origin.id or 0,
                    "product_ids": rec.product_ids._origin.ids,
                    "since": fields.Datetime.now()
                    - timedelta(days=rec.company_id.complaint_similar_days),
                }
            )
        return facts

    def _similar_matches(self):
        """``{complaint: [(id, score)]}`` best first, for every complaint of
        ``self``: one query for the batch, as superuser (what the user may
        read is filtered after)."""
        facts = self._similar_facts()
        if not facts:
            return {}
        self.env["complaint.complaint"].flush_model()
        self._similar_set_threshold()
        self.env.cr.execute(self._similar_query(facts))
        found = {}
        for index, complaint_id, score in self.env.cr.fetchall():
            found.setdefault(facts[index]["rec"], []).append(
                (complaint_id, round(min(score, 1.0), 2))
            )
        return found

    @api.model
    def _similar_set_threshold(self):
        """What the trigram ``%`` operator deems similar, for this
        transaction only."""
        if self.env.registry.has_trigram:
            self.env.cr.execute(
                SQL(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                    str(similarity.THRESHOLD),
                )
            )

    def _similar_query(self, facts):
        """One SQL query over a batch: per complaint, the candidates found
        by each criterion through its index (the trigram ``%`` operator on
        the GIN index for the text), grouped and ranked."""
        text_search = self.env.registry.has_trigram
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s::text, %s::text[], %s, %s, %s::int[], %s::timestamp)",
                index,
                fact["self_id"],
                fact["company_id"],
                fact["key"] or "",
                fact["codes"],
                fact["partner_id"],
                fact["order_id"],
                fact["product_ids"],
                fact["since"],
            )
            for index, fact in enumerate(facts)
        )
        open_states = list(lifecycle.OPEN_STATES)
        eligible = SQL(
            """c.company_id = o.company_id AND c.id != o.self_id AND c.active
            AND c.state != 'cancelled'
            AND (c.state = ANY(%s) OR c.date_received >= o.since)""",
            open_states,
        )
        parts = [
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'customer' AS hit
                FROM complaint_complaint c
                WHERE c.commercial_partner_id = o.partner_id AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'order' AS hit
                FROM complaint_complaint c
                WHERE c.sale_order_id = o.order_id AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'product' AS hit
                FROM complaint_complaint c
                JOIN complaint_complaint_product_product_rel r
                  ON r.complaint_complaint_id = c.id
                WHERE r.product_product_id = ANY(o.product_ids) AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
        ]
        if text_search:
            parts.append(self._similar_text_query(eligible))
        weights = SQL(
            " + ".join(
                f"CASE WHEN bool_or(m.hit = '{hit}') THEN {weight}::float8 ELSE 0 END"
                for hit, weight in SHARED_WEIGHTS.items()
            )
        )
        return SQL(
            """SELECT o.idx, m.id, max(m.score) + %s AS score
            FROM (VALUES %s) AS o(idx, self_id, company_id, key, codes,
                                  partner_id, order_id, product_ids, since)
            CROSS JOIN LATERAL (%s) AS m
            GROUP BY o.idx, m.id
            ORDER BY o.idx, score DESC, m.id DESC""",
            weights,
            rows,
            SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
        )

    @api.model
    def _similar_text_query(self, eligible):
        """Candidates whose description reads like ``o.key``: the ``%``
        operator (threshold ``pg_trgm.similarity_threshold``) uses the GIN
        trigram index of ``description_key``."""
        # "%%%%" is the trigram operator once rendered for psycopg2.
        column = SQL("c.description_key")
        if self.env.registry.has_unaccent == FunctionStatus.INDEXABLE:
            # Odoo then indexes unaccent(column); the key is ASCII anyway.
            column = self.env.registry.unaccent(column)
        return SQL(
            """SELECT c.id, similarity(%s, o.key)::float8
                   + CASE WHEN EXISTS (
                       SELECT 1 FROM unnest(o.codes) AS code
                       WHERE ' ' || c.description_key || ' '
                             LIKE '%%%% ' || code || ' %%%%'
                   ) THEN %s ELSE 0 END AS score, 'text' AS hit
            FROM complaint_complaint c
            WHERE o.key != '' AND %s %%%% o.key AND %s
            ORDER BY score DESC, c.id DESC LIMIT %s""",
            column,
            CODE_WEIGHT,
            column,
            eligible,
            CANDIDATE_LIMIT,
        )

    # Actions --------------------------------------------------------------
    # The suggestions of a complaint are listed on its form; their buttons
    # run on the suggestion, and the complaint being registered comes as
    # the default of the link wizard (complaint.similar.link), which checks
    # and applies it as the user.
    def action_link_as_repeat(self):
        """The complaint being registered repeats this one (二次投诉)."""
        return self._similar_link("repeat")

    def action_join_group(self):
        """The complaint being registered and this one form a group."""
        return self._similar_link("group")

    def _similar_link(self, mode):
        self.ensure_one()
        link = self.env["complaint.similar.link"].create(
            {"similar_target_id": self.id, "mode": mode}
        )
        link.action_apply()
        return True
