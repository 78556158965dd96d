"""Similar complaints while typing: shared customer, order or product, or a
description that shares its words (English stems, Chinese words, the
company's synonyms); only what the user may read, never a case they are
involved in."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from ..core import similarity
from .common import ComplaintCase

EN_FIRST = (
    "<p>The glass bottles of plum vinegar arrived shattered and leaked all "
    "over the carton; we demand a replacement shipment.</p>"
)
EN_NEAR = (
    "<p>Plum vinegar glass bottles arrived <b>shattered</b>, leaked all over "
    "the carton. We demand a replacement shipment!</p>"
)
EN_OTHER = (
    "<p>The invoice charged the wrong discount for the January promotion and "
    "nobody answers our emails.</p>"
)
ZH_FIRST = "<p>收到的梅子醋玻璃瓶全部碎裂，醋漏满了整个纸箱，要求重新发货。</p>"
ZH_NEAR = "<p>收到的梅子醋玻璃瓶碎裂了，醋漏满整个纸箱，要求尽快重新发货。</p>"
ZH_OTHER = "<p>一月促销的发票折扣算错了，发邮件也没有人回复我们。</p>"


@tagged("post_install", "-at_install")
class TestSimilarComplaints(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.buyers = [
            Partner.create({"name": f"Similar Buyer {index}", "is_company": True})
            for index in range(6)
        ]

    def _draft(self, user=None, **vals):
        """A complaint being typed in (not saved), as ``user``."""
        env = self.env(user=user) if user else self.env
        values = {
            "partner_id": self.buyers[5].id,
            "company_id": self.company.id,
            "category_id": self.category.id,
        }
        values.update(vals)
        return env["complaint.complaint"].new(values)

    def _text_pair(self, first, other):
        found = self._complaint(partner_id=self.buyers[0].id, description=first)
        unrelated = self._complaint(partner_id=self.buyers[1].id, description=other)
        return found, unrelated

    def test_english_near_duplicate(self):
        found, unrelated = self._text_pair(EN_FIRST, EN_OTHER)
        draft = self._draft(self.manager, description=EN_NEAR)
        self.assertIn(found, draft.similar_complaint_ids._origin)
        self.assertNotIn(unrelated, draft.similar_complaint_ids._origin)
        match = draft.similar_complaint_ids.filtered(lambda c: c._origin == found)
        self.assertGreater(match.similar_score, 0.3)

    def test_chinese_near_duplicate(self):
        found, unrelated = self._text_pair(ZH_FIRST, ZH_OTHER)
        # Stored as Chinese words (jieba), not hashes of character pairs.
        self.assertIn("玻璃瓶", found.description_key.split())
        draft = self._draft(self.manager, description=ZH_NEAR)
        self.assertIn(found, draft.similar_complaint_ids._origin)
        self.assertNotIn(unrelated, draft.similar_complaint_ids._origin)
        self.assertGreater(
            draft.similar_complaint_ids.filtered(
                lambda c: c._origin == found
            ).similar_score,
            0.3,
        )

    def test_chinese_telling_that_names_the_thing_otherwise(self):
        # No word in common: 柜子 / 五斗柜, 发霉 / 霉点 meet by their heads.
        long_one = self._complaint(
            partner_id=self.buyers[0].id,
            description="<p>放在卧室的五斗柜背板和抽屉里面长了霉点，买了才三周。</p>",
        )
        unrelated = self._complaint(
            partner_id=self.buyers[1].id,
            description="<p>五斗柜的抽屉拉手掉了。</p>",
        )
        draft = self._draft(self.manager, description="<p>柜子发霉</p>")
        similar = draft.similar_complaint_ids
        self.assertIn(long_one, similar._origin)
        self.assertNotIn(unrelated, similar._origin, "one shared head is not enough")
        # Heads are not counted among the long one's words: 2 x 2 / (2 + 12).
        match = similar.filtered(lambda c: c._origin == long_one)
        self.assertAlmostEqual(match.similar_score, 4 / 14, places=2)

    def test_ranked_by_score(self):
        same_order = self._complaint(
            partner_id=self.contact.id,
            sale_order_id=self.order.id,
            description="<p>Late delivery of the order.</p>",
        )
        text_only = self._complaint(partner_id=self.buyers[2].id, description=EN_FIRST)
        draft = self._draft(
            self.manager,
            partner_id=self.contact.id,
            sale_order_id=self.order.id,
            description=EN_NEAR,
        )
        similar = draft.similar_complaint_ids
        self.assertIn(same_order, similar._origin)
        self.assertIn(text_only, similar._origin)
        scores = similar.mapped("similar_score")
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_a_shared_lot_number_ranks_first(self):
        other_lot = self._complaint(
            partner_id=self.buyers[0].id,
            description="<p>Plum vinegar of lot PV20931 arrived shattered, leaked "
            "all over the carton; we demand a replacement shipment.</p>",
        )
        same_lot = self._complaint(
            partner_id=self.buyers[1].id,
            description="<p>Plum vinegar (lot PV77120) arrived broken and "
            "leaked all over the box; replacement please.</p>",
        )
        draft = self._draft(
            self.manager,
            description="<p>Plum vinegar of lot PV77120 arrived shattered, leaked "
            "all over the carton; we demand a replacement shipment.</p>",
        )
        similar = draft.similar_complaint_ids._origin
        self.assertIn(other_lot, similar, "reads alike")
        self.assertIn(same_lot, similar)
        self.assertLess(
            list(similar).index(same_lot),
            list(similar).index(other_lot),
            "the same lot number outranks a closer wording",
        )

    def test_shared_customer_order_or_product(self):
        by_customer = self._complaint(partner_id=self.buyers[3].id)
        by_product = self._complaint(
            partner_id=self.buyers[4].id,
            product_ids=[Command.set(self.product2.ids)],
            description="<p>Nothing alike.</p>",
        )
        draft = self._draft(
            self.manager,
            partner_id=self.buyers[3].id,
            product_ids=[Command.set(self.product2.ids)],
            description="<p>Zzz qqq.</p>",
        )
        self.assertIn(by_customer, draft.similar_complaint_ids._origin)
        self.assertIn(by_product, draft.similar_complaint_ids._origin)

    def test_window_company_and_self(self):
        recent = self._complaint(partner_id=self.buyers[0].id, description=EN_FIRST)
        old = self._complaint(
            partner_id=self.buyers[1].id,
            description=EN_FIRST,
            date_received=fields.Datetime.now() - timedelta(days=120),
        )
        # Fixture set-up: both over, received long ago or lately.
        (recent | old).sudo().write({"state": "closed"})
        other_company = self.env["res.company"].create({"name": "Other Similar Co"})
        elsewhere = self._complaint(
            partner_id=self.buyers[2].id,
            description=EN_FIRST,
            company_id=other_company.id,
            category_id=False,
        )
        draft = self._draft(description=EN_NEAR)
        self.assertIn(recent, draft.similar_complaint_ids._origin)
        self.assertNotIn(old, draft.similar_complaint_ids, "closed, outside 90 days")
        self.assertNotIn(elsewhere, draft.similar_complaint_ids._origin)
        self.company.complaint_similar_days = 200
        draft = self._draft(description=EN_NEAR)
        self.assertIn(old, draft.similar_complaint_ids._origin)
        self.assertNotIn(recent, recent.similar_complaint_ids, "never itself")

    def test_suggestions_follow_read_access(self):
        mine = self._complaint(
            user=self.user, partner_id=self.buyers[0].id, description=EN_FIRST
        )
        theirs = self._complaint(
            user=self.user2, partner_id=self.buyers[1].id, description=EN_FIRST
        )
        draft = self._draft(self.user, description=EN_NEAR)
        self.assertIn(mine, draft.similar_complaint_ids._origin)
        self.assertNotIn(theirs, draft.similar_complaint_ids, "user cannot read it")
        draft = self._draft(self.manager, description=EN_NEAR)
        self.assertIn(theirs, draft.similar_complaint_ids._origin)

    def test_person_complained_about_never_sees_the_case(self):
        employee = self.env["hr.employee"].create(
            {"name": "Manager Two", "user_id": self.manager2.id}
        )
        about_him = self._complaint(
            partner_id=self.buyers[0].id,
            description=EN_FIRST,
            subject_employee_ids=[Command.set(employee.ids)],
        )
        draft = self._draft(self.manager2, description=EN_NEAR)
        self.assertNotIn(about_him, draft.similar_complaint_ids._origin)
        draft = self._draft(self.manager, description=EN_NEAR)
        self.assertIn(about_him, draft.similar_complaint_ids._origin)

    def test_form_shows_them_while_typing_and_links_a_repeat(self):
        earlier = self._complaint(
            user=self.user, partner_id=self.buyers[0].id, description=ZH_FIRST
        )
        form = Form(self.env["complaint.complaint"].with_user(self.user))
        form.partner_id = self.buyers[1]
        form.category_id = self.category
        form.description = ZH_NEAR
        self.assertIn(earlier, form.similar_complaint_ids)
        complaint = form.save()
        earlier.with_user(self.user).with_context(
            default_similar_origin_id=complaint.id
        ).action_link_as_repeat()
        self.assertEqual(complaint.parent_id, earlier)
        # Once the plan is proposed, the link is frozen.
        self._to_state(complaint, "proposed")
        with mute_logger("odoo.models"), self.assertRaises(UserError):
            self._complaint().with_user(self.handler).with_context(
                default_similar_origin_id=complaint.id
            ).action_link_as_repeat()
        self.assertEqual(complaint.parent_id, earlier)

    def test_text_lookup_uses_the_words_index(self):
        self._complaint(partner_id=self.buyers[0].id, description=EN_FIRST)
        Complaint = self.env["complaint.complaint"]
        text = Complaint._similar_text_query(SQL("TRUE"))
        slots = similarity.query_slots(similarity.terms(EN_NEAR))
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            SQL(
                "EXPLAIN SELECT * FROM (VALUES (%s::tsquery, %s::tsquery[],"
                " %s::text[])) AS o(query, slots, codes) CROSS JOIN LATERAL (%s) AS m",
                similarity.quorum_query(slots),
                [similarity.slot_query(slot) for slot in slots],
                [],
                text,
            )
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("complaint_complaint_description_words_index", plan)

    def test_third_complaint_about_one_batch_makes_a_major_group(self):
        """The issue's scenario: a clerk logging the third complaint about
        one batch sees the first two suggested, links each in one click, and
        the group is major."""
        texts = (
            "<p>Batch LOT-2611-07: the plum vinegar bottles arrived shattered "
            "and leaked all over the carton.</p>",
            "<p>Plum vinegar from batch LOT-2611-07 arrived with shattered "
            "bottles, leaked all over the carton.</p>",
            "<p>Our plum vinegar, batch LOT-2611-07, arrived shattered; the "
            "bottles leaked all over the carton.</p>",
        )
        first = self._complaint(
            user=self.user, partner_id=self.buyers[0].id, description=texts[0]
        )
        second = self._complaint(
            user=self.user, partner_id=self.buyers[1].id, description=texts[1]
        )
        form = Form(self.env["complaint.complaint"].with_user(self.user))
        form.partner_id = self.buyers[2]
        form.category_id = self.category
        form.description = texts[2]
        suggested = form.similar_complaint_ids
        self.assertIn(first, suggested)
        self.assertIn(second, suggested)
        third = form.save()
        self.assertEqual(third.severity, "general")
        for earlier in (first, second):
            earlier.with_user(self.user).with_context(
                default_similar_origin_id=third.id
            ).action_join_group()
        self.assertEqual(third.customer_count, 3)
        self.assertEqual(third.severity, "major")
        self.assertTrue(third.severity_reason)


# The issue's pairs (issue 27): the same matter told by two customers.
ISSUE_PAIRS = (
    ("沙发坐垫塌陷，坐下去就陷进去了", "沙发的坐垫塌了，一坐就陷下去"),
    ("衣柜门关不上，合页好像装歪了", "衣柜的门合不上，铰链安装歪了"),
    ("收到的办公椅靠背断裂,无法正常使用", "办公椅靠背断裂了,刚用两天"),
    (
        "Delivery driver was rude and dented the door frame",
        "The delivery man was very rude and damaged our door frame while carrying",
    ),
)


@tagged("post_install", "-at_install")
class TestSimilarWords(ComplaintCase):
    """Rewordings, synonyms and short texts (issue 27)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyers = cls.env["res.partner"].create(
            [{"name": f"Words Buyer {index}", "is_company": True} for index in range(4)]
        )

    def _draft(self, description, user=None):
        env = self.env(user=user) if user else self.env
        return env["complaint.complaint"].new(
            {
                "partner_id": self.buyers[3].id,
                "company_id": self.company.id,
                "category_id": self.category.id,
                "description": description,
            }
        )

    def test_the_issues_rewordings_are_found(self):
        earlier = [
            self._complaint(partner_id=self.buyers[0].id, description=first)
            for first, _second in ISSUE_PAIRS
        ]
        for (_first, second), complaint in zip(ISSUE_PAIRS, earlier, strict=True):
            similar = self._draft(second, self.manager).similar_complaint_ids._origin
            self.assertIn(complaint, similar, second)
            # And none of the other matters.
            others = self.env["complaint.complaint"].union(*earlier) - complaint
            self.assertFalse(similar & others, second)

    def test_a_near_miss_sharing_one_word_is_not_suggested(self):
        near_miss = self._complaint(
            partner_id=self.buyers[0].id,
            description="<p>沙发扶手掉漆，颜色也不均匀</p>",
        )
        other_product = self._complaint(
            partner_id=self.buyers[1].id,
            description="<p>Delivery driver was polite but arrived three hours "
            "late</p>",
        )
        self.assertNotIn(
            near_miss,
            self._draft(ISSUE_PAIRS[0][1], self.manager).similar_complaint_ids._origin,
        )
        self.assertNotIn(
            other_product,
            self._draft(ISSUE_PAIRS[3][1], self.manager).similar_complaint_ids._origin,
        )

    def test_the_company_maintains_its_synonyms(self):
        earlier = self._complaint(
            partner_id=self.buyers[0].id, description="<p>床垫凹陷严重</p>"
        )
        # Only the mattress in common (塌 and 凹陷 share no character).
        draft = "<p>床垫塌了一块</p>"
        self.assertNotIn(
            earlier, self._draft(draft, self.manager).similar_complaint_ids._origin
        )
        self.env["complaint.settings"].with_user(self.manager).create(
            {
                "complaint_similar_synonyms": self.company.complaint_similar_synonyms
                + "\n凹陷, 塌"
            }
        )
        self.assertIn(
            earlier, self._draft(draft, self.manager).similar_complaint_ids._origin
        )

    def test_only_a_manager_changes_the_synonyms(self):
        before = self.company.complaint_similar_synonyms
        self.assertIn("合页, 铰链", before, "seeded")
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.handler).create(
                {"complaint_similar_synonyms": "退款, 不退"}
            )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.company.with_user(self.handler).write(
                {"complaint_similar_synonyms": "退款, 不退"}
            )
        self.company.invalidate_recordset()
        self.assertEqual(self.company.complaint_similar_synonyms, before)

    def test_suggestions_of_words_follow_read_access_and_involvement(self):
        first, second = ISSUE_PAIRS[1]
        theirs = self._complaint(
            user=self.user2, partner_id=self.buyers[0].id, description=first
        )
        self.assertNotIn(
            theirs,
            self._draft(second, self.user).similar_complaint_ids,
            "user cannot read it",
        )
        employee = self.env["hr.employee"].create(
            {"name": "Words Manager Two", "user_id": self.manager2.id}
        )
        theirs.sudo().subject_employee_ids = [Command.set(employee.ids)]
        self.assertNotIn(
            theirs, self._draft(second, self.manager2).similar_complaint_ids._origin
        )
        self.assertIn(
            theirs, self._draft(second, self.manager).similar_complaint_ids._origin
        )
