from lxml import etree

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

GROUPS = "complaint_center.group_complaint_"
# Activity types of the complaint's to-dos.
APPROVAL = "complaint_center.mail_activity_type_complaint_approval"
HANDLE = "complaint_center.mail_activity_type_complaint_handle"
REVIEW = "complaint_center.mail_activity_type_complaint_rating_review"
ESCALATION = "complaint_center.mail_activity_type_complaint_escalation"


def make_user(env, **values):
    """``new_test_user`` without the invitation Odoo's auth_signup renders
    and mails for every new user: the suite creates some 300 users, and
    none of its tests is about that mail."""
    return new_test_user(env, context={"no_reset_password": True}, **values)


def send_queued_mails(env):
    """Run the scheduled action that sends the customer mails the steps
    queued, as the cron worker does once the step has committed; what the
    test read before (a record's messages) is read again."""
    jobs = env["complaint.mail.job"]._cron_send(limit=1000)
    env.invalidate_all()
    return jobs


class ComplaintCase(TransactionCase):
    """Users per role, a customer with a contact, and a sale order.

    Nothing here relies on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        # Working hours are counted in the working calendar's time zone.
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"

        def user(login, role, **kw):
            # Complaint staff are sales staff too; finance is not.
            groups = f"{GROUPS}{role}"
            if role != "finance":
                groups += ",sales_team.group_sale_salesman_all_leads"
            return make_user(cls.env, login=login, groups=groups, **kw)

        cls.user = user("cc_t_user", "user")
        cls.user2 = user("cc_t_user2", "user")
        cls.handler = user("cc_t_handler", "handler")
        cls.handler2 = user("cc_t_handler2", "handler")  # in the Quality department
        cls.handler3 = user("cc_t_handler3", "handler")  # in no department
        cls.manager = user("cc_t_manager", "manager")
        cls.manager2 = user("cc_t_manager2", "manager")
        cls.finance = user("cc_t_finance", "finance")
        cls.executive = user("cc_t_executive", "executive")
        cls.employee = make_user(cls.env, login="cc_t_employee")

        cls.department = cls.env["hr.department"].create({"name": "Quality"})
        cls.other_department = cls.env["hr.department"].create({"name": "Logistics"})
        cls.env["hr.employee"].create(
            {
                "name": "Handler Two",
                "user_id": cls.handler2.id,
                "department_id": cls.department.id,
            }
        )
        cls.category = cls.env["complaint.category"].create(
            {
                "name": "Quality T",
                "code": "QT",
                "department_id": cls.department.id,
                "user_id": cls.handler.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Foods", "is_company": True, "email": "acme@example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Li Lei",
                "parent_id": cls.customer.id,
                "phone": "+86 21 5555 0101",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Co", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Soy Sauce 500ml", "type": "consu", "list_price": 12.0}
        )
        cls.product2 = cls.env["product.product"].create(
            {"name": "Vinegar 500ml", "type": "consu", "list_price": 9.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id}),
                    Command.create({"product_id": cls.product2.id}),
                ],
            }
        )
        cls.other_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.other_customer.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )

    def _complaint(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category.id,
            "description": "<p>The sauce was spoiled on delivery.</p>",
        }
        values.update(vals)
        env = self.env(user=user) if user else self.env
        return env["complaint.complaint"].create(values)

    def _flush_tracking(self):
        """Tracking values are written at commit time; tests never commit."""
        self.env.flush_all()
        self.cr.flush()

    def _to_state(self, complaint, state):
        """Walk ``complaint`` along the happy path up to ``state`` as the
        right roles."""
        path = ["new", "investigating", "proposed", "approved", "resolved", "closed"]
        steps = {
            "investigating": (self.handler, "action_accept"),
            "proposed": (self.handler, "action_propose"),
            "approved": (self.manager, "action_approve"),
            "resolved": (self.handler, "action_resolve"),
            "closed": (self.manager, "action_close"),
        }
        for target in path[path.index(complaint.state) + 1 : path.index(state) + 1]:
            if target == "proposed":
                # Fixture set-up, not a user's act: the plan is written as
                # the server would let its handler write it.
                complaint.sudo().write(
                    {"resolution_type": "refund", "resolution": "<p>Refund 12.</p>"}
                )
            if target == "closed":
                # Recorded by the handler, as the server demands.
                complaint.with_user(self.handler).satisfaction = "satisfied"
            user, method = steps[target]
            getattr(complaint.with_user(user), method)()
        self.assertEqual(complaint.state, state)
        self._send_queued_mails()
        return complaint

    def _send_queued_mails(self):
        return send_queued_mails(self.env)

    def _activities(self, complaint, xmlid=None):
        """Open activities of ``complaint``, everyone's."""
        domain = [
            ("res_model", "=", "complaint.complaint"),
            ("res_id", "=", complaint.id),
        ]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].sudo().search(domain)

    def _proposed(self, proposer=None, **vals):
        complaint = self._to_state(self._complaint(**vals), "investigating")
        complaint.write({"resolution_type": "refund", "resolution": "<p>Refund</p>"})
        complaint.with_user(proposer or self.handler).action_propose()
        return complaint

    def _note(self, complaint, user):
        return complaint.with_user(user).next_step_note or ""

    def _arch(self, user, view_type):
        views = (
            self.env["complaint.complaint"]
            .with_user(user)
            .get_views([(False, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    def _rate(self, complaint, value, feedback=None):
        token = complaint.rating_ids.access_token
        self.assertTrue(token)
        return complaint.sudo().rating_apply(value, token=token, feedback=feedback)
