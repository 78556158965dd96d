"""The customer's rating of a complaint (满意度调查, issue 22 hole 1).

Only the customer answers it, through the link mailed to them: staff do not
list another's complaint ratings, never read a rating token (not even in the
chatter's copy of the survey), and neither create, change nor delete a
complaint rating. Attacks as a plain employee, the person complained about
(recused), the handler, a manager and a user of another company."""

import re

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

COMPLAINT = "complaint.complaint"
VISIT = "complaint_center.mail_template_complaint_visit_request"
REFUSED = (AccessError, UserError)
# A rating link as the survey writes it.
RATE_LINK = re.compile(r"/rate/([^/\"'<>\s]+)/\d")


@tagged("post_install", "-at_install")
class TestRatingSecurity(ComplaintCase, HttpCase):
    """An HttpCase: the survey is answered over ``/rate/<token>/<value>``,
    the public page the customer's mail links to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        # Kept once sent, to read what left for the customer.
        cls.env.ref(VISIT).auto_delete = False
        # The person complained about: a handler of the same department.
        cls.accused = make_user(
            cls.env,
            login="cc_r_accused",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman",
        )
        cls.accused_employee = cls.env["hr.employee"].create(
            {
                "name": "Rated Accused",
                "user_id": cls.accused.id,
                "department_id": cls.department.id,
            }
        )
        cls.branch = cls.env["res.company"].create({"name": "Rating Branch Co"})
        cls.outsider = make_user(
            cls.env,
            login="cc_r_outsider",
            groups=f"{GROUPS}manager",
            company_id=cls.branch.id,
            company_ids=[cls.branch.id],
        )

    def setUp(self):
        super().setUp()
        complaint = self._complaint(
            subject_employee_ids=[Command.link(self.accused_employee.id)]
        )
        self.complaint = self._to_state(complaint, "resolved")
        self.rating = self.complaint.rating_ids
        self.token = self.rating.access_token

    # Helpers ----------------------------------------------------------------
    def _staff(self):
        return (
            self.employee,
            self.accused,
            self.outsider,
            self.user,
            self.handler,
            self.manager,
        )

    def _attempt(self, call):
        """What ``call()`` gives the attacker, or None when refused. The
        cache is emptied first, as for a request of his own: what the test
        read as superuser is not handed to him."""
        self.env.invalidate_all()
        try:
            with mute_logger("odoo.models", "odoo.sql_db", "odoo.addons.base"):
                return call()
        except REFUSED:
            return None

    def _complaint_ratings(self):
        return self.env["rating.rating"].search(
            [("res_model", "=", COMPLAINT), ("res_id", "=", self.complaint.id)]
        )

    def _survey(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", COMPLAINT),
                ("res_id", "=", self.complaint.id),
                ("body", "ilike", "/rate/"),
            ]
        )

    def _rating_state(self):
        self.env.invalidate_all()
        return [
            (r.id, r.rating, r.feedback, r.consumed, r.partner_id, r.access_token)
            for r in self._complaint_ratings()
        ]

    def _tokens_found_by(self, user):
        """Every rating token ``user`` can lay hands on: the ratings' token
        field through each read path, and the links in the chatter's copy of
        the survey."""
        Rating = self.env["rating.rating"].with_user(user)
        found = set()
        rows = self._attempt(
            lambda: Rating.search_read([("res_model", "=", COMPLAINT)], [])
        )
        found.update(row.get("access_token") for row in rows or [])
        rows = self._attempt(lambda: self.rating.with_user(user).read(["access_token"]))
        found.update(row.get("access_token") for row in rows or [])
        found.update(
            self._attempt(lambda: self.rating.with_user(user).mapped("access_token"))
            or []
        )
        groups = self._attempt(
            lambda: Rating.read_group([], ["access_token"], ["access_token"])
        )
        found.update(group.get("access_token") for group in groups or [])
        messages = self._attempt(
            lambda: (
                self.env["mail.message"]
                .with_user(user)
                .search_read(
                    [("model", "=", COMPLAINT), ("res_id", "=", self.complaint.id)],
                    ["body"],
                )
            )
        )
        for message in messages or []:
            found.update(RATE_LINK.findall(message["body"] or ""))
        return {token for token in found if token}

    # Reading ----------------------------------------------------------------
    def test_ratings_readable_only_with_the_complaint(self):
        """A plain employee, the person complained about and a user of
        another company do not list, count, group or read the rating (nor
        learn the customer from it)."""
        self.assertTrue(self.rating)
        for user in (self.employee, self.accused, self.outsider):
            with self.subTest(user=user.login):
                Rating = self.env["rating.rating"].with_user(user)
                self.assertNotIn(self.rating, Rating.search([]))
                self.assertNotIn(
                    self.rating, Rating.search([("res_model", "=", COMPLAINT)])
                )
                self.assertEqual(
                    Rating.search_count(
                        [("res_model", "=", COMPLAINT), ("partner_id", "!=", False)]
                    ),
                    0,
                )
                groups = Rating.read_group(
                    [("res_model", "=", COMPLAINT)], ["partner_id"], ["partner_id"]
                )
                self.assertNotIn(self.customer.name, str(groups))
                rows = self._attempt(
                    lambda u=user: self.rating.with_user(u).read(["partner_id"])
                )
                self.assertIsNone(rows)
                partner = self._attempt(
                    lambda u=user: self.rating.with_user(u).partner_id.name
                )
                self.assertIsNone(partner)
        # Who handles the complaint sees its rating (not its token).
        Rating = self.env["rating.rating"].with_user(self.handler)
        self.assertIn(self.rating, Rating.search([("res_model", "=", COMPLAINT)]))
        self.assertEqual(
            self.rating.with_user(self.handler).read(["partner_id"])[0]["partner_id"][
                0
            ],
            self.customer.id,
        )

    def test_token_never_read_by_staff(self):
        """No member of staff, the handler and the manager included, reads
        the token: not from the rating (read, search_read, mapped, group by,
        a search on it) nor from the chatter's copy of the survey."""
        for user in self._staff():
            with self.subTest(user=user.login):
                # The survey in the chatter links with a stand-in only.
                found = self._tokens_found_by(user)
                self.assertNotIn(self.token, found)
                self.assertFalse(found - {f"complaint-rating-{self.rating.id}-token"})
                Rating = self.env["rating.rating"].with_user(user)
                for domain in (
                    [("access_token", "=", self.token)],
                    [("access_token", "=like", self.token[:1] + "%")],
                ):
                    found = self._attempt(lambda d=domain, r=Rating: r.search(d))
                    self.assertNotIn(self.rating, found or Rating.browse())
                    # Nor a complaint found by its rating's token.
                    path = [(f"rating_ids.{d[0]}", *d[1:]) for d in domain]
                    found = self._attempt(
                        lambda p=path, u=user: (
                            self.env[COMPLAINT].with_user(u).search(p)
                        )
                    )
                    self.assertFalse(found)
        # The survey the customer was sent links with the token; the chatter
        # keeps the same survey without it.
        survey = self._survey()
        self.assertEqual(len(survey), 1)
        self.assertNotIn(self.token, survey.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", survey.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        for value in (5, 3, 1):
            self.assertIn(f"/rate/{self.token}/{value}", mail.body_html)

    # Writing ----------------------------------------------------------------
    def test_staff_neither_create_change_nor_delete_complaint_ratings(self):
        model_id = self.env["ir.model"]._get_id(COMPLAINT)
        before = self._rating_state()
        for user in self._staff():
            with self.subTest(user=user.login):
                Rating = self.env["rating.rating"].with_user(user)
                created = self._attempt(
                    lambda r=Rating, u=user: r.create(
                        {
                            "res_model_id": model_id,
                            "res_id": self.complaint.id,
                            "partner_id": self.customer.id,
                            "rated_partner_id": u.partner_id.id,
                        }
                    )
                )
                self.assertIsNone(created)
                rating = self.rating.with_user(user)
                for vals in (
                    {"rating": 5, "consumed": True, "feedback": "Perfect."},
                    {"partner_id": user.partner_id.id},
                    {"access_token": "chosen-by-staff"},
                    {"res_id": self.complaint.id},
                ):
                    self.assertIsNone(
                        self._attempt(lambda r=rating, v=vals: r.write(v)), vals
                    )
                self.assertIsNone(self._attempt(rating.reset))
                self.assertIsNone(self._attempt(rating.unlink))
                # Rating through the chatter: a post carrying a rating.
                posted = self._attempt(
                    lambda u=user: self.complaint.with_user(u).message_post(
                        body="Very satisfied.", rating_value=5
                    )
                )
                self.assertIsNone(posted)
                self.assertEqual(self._rating_state(), before)
        # Another record's rating is not moved onto the complaint.
        partner_model = self.env["ir.model"]._get_id("res.partner")
        elsewhere = (
            self.env["rating.rating"]
            .with_user(self.employee)
            .create(
                {
                    "res_model_id": partner_model,
                    "res_id": self.customer.id,
                    "partner_id": self.employee.partner_id.id,
                }
            )
        )
        self.assertIsNone(
            self._attempt(
                lambda: elsewhere.write(
                    {"res_model_id": model_id, "res_id": self.complaint.id}
                )
            )
        )
        self.assertEqual(elsewhere.sudo().res_model, "res.partner")
        self.assertEqual(self._rating_state(), before)
        self.assertFalse(self.complaint.satisfaction)

    # Answering --------------------------------------------------------------
    @mute_logger("odoo.http", "odoo.addons.rating.controllers.main")
    def test_forged_answer_does_not_rate_the_complaint(self):
        """Each attacker creates a rating where he may and collects every
        token he can read, then answers ``/rate/<token>/5`` over HTTP: the
        complaint is not rated."""
        model_id = self.env["ir.model"]._get_id(COMPLAINT)
        for user in (self.employee, self.accused, self.outsider, self.handler):
            created = self._attempt(
                lambda u=user: (
                    self.env["rating.rating"]
                    .with_user(u)
                    .create(
                        {
                            "res_model_id": model_id,
                            "res_id": self.complaint.id,
                            "partner_id": self.customer.id,
                        }
                    )
                    .access_token
                )
            )
            for token in self._tokens_found_by(user) | {created}:
                if token:
                    self.url_open(f"/rate/{token}/5")
        self.env.invalidate_all()
        self.assertFalse(self.complaint.satisfaction)
        self.assertFalse(self.complaint.date_feedback)
        self.assertFalse(self._complaint_ratings().filtered("consumed"))

    @mute_logger("odoo.http")
    def test_rpc_attacks_refused(self):
        """The same attacks over JSON-RPC, as a script would make them."""
        model_id = self.env["ir.model"]._get_id(COMPLAINT)
        calls = [
            ("search_read", [[("res_model", "=", COMPLAINT)], ["access_token"]]),
            ("mapped", [self.rating.ids, "access_token"]),
            ("read", [self.rating.ids, ["access_token"]]),
            (
                "create",
                [{"res_model_id": model_id, "res_id": self.complaint.id}],
            ),
            ("write", [self.rating.ids, {"rating": 5, "consumed": True}]),
        ]
        for login in ("cc_t_employee", "cc_t_handler", "cc_r_outsider"):
            self.authenticate(login, login)
            for method, args in calls:
                with self.subTest(login=login, method=method):
                    try:
                        result = self.make_jsonrpc_request(
                            f"/web/dataset/call_kw/rating.rating/{method}",
                            {
                                "model": "rating.rating",
                                "method": method,
                                "args": args,
                                "kwargs": {},
                            },
                        )
                    except JsonRpcException:
                        continue
                    self.assertNotIn(self.token, str(result))
                    self.assertIn(method, ("search_read",), "refused")
        self.assertEqual(len(self._complaint_ratings()), 1)
        self.assertFalse(self._complaint_ratings().consumed)

    @mute_logger("odoo.http")
    def test_customer_answers_through_the_mailed_link(self):
        """The legitimate path: the link of the mail the customer received."""
        survey = self._survey()
        mail = self.env["mail.mail"].search([("mail_message_id", "=", survey.id)])
        link = re.search(r"(/rate/[0-9a-f]+/5)", mail.body_html).group(1)
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.complaint.satisfaction, "satisfied")
        self.assertTrue(self.rating.consumed)
        self.assertEqual(self.rating.rating, 5)
