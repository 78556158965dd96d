from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user


@tagged("post_install", "-at_install")
class TestSecurity(ComplaintCase):
    def test_group_chain(self):
        self.assertTrue(
            self.executive.has_group("complaint_center.group_complaint_manager")
        )
        self.assertTrue(
            self.manager.has_group("complaint_center.group_complaint_handler")
        )
        self.assertTrue(self.handler.has_group("complaint_center.group_complaint_user"))
        self.assertFalse(
            self.finance.has_group("complaint_center.group_complaint_user")
        )
        self.assertFalse(
            self.finance.has_group("complaint_center.group_complaint_handler")
        )
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("complaint_center.group_complaint_executive"))

    def test_every_model_has_acl_rows_per_group(self):
        groups = self.env["res.groups"].browse(
            self.env.ref(f"complaint_center.group_complaint_{role}").id
            for role in ("user", "handler", "manager", "finance", "executive")
        )
        for model in ("complaint.complaint", "complaint.category"):
            acls = self.env["ir.model.access"].search([("model_id.model", "=", model)])
            self.assertEqual(acls.group_id, groups, model)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_employee_without_group_cannot_read(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["complaint.complaint"].with_user(self.employee).create(
                {"partner_id": self.customer.id}
            )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_finance_reads_but_does_not_write(self):
        complaint = self._complaint(compensation_amount=80.0)
        # Finance reads complaints carrying compensation or penalties only.
        complaint.with_user(self.finance).read(["name", "claimed_amount"])
        with self.assertRaises(AccessError):
            self._complaint().with_user(self.finance).read(["name"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.finance).write({"severity": "major"})
        with self.assertRaises(AccessError):
            self._complaint(user=self.finance)
        self.assertEqual(complaint.severity, "general")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_only_manager_configures_categories(self):
        with self.assertRaises(AccessError):
            self.category.with_user(self.handler).write({"name": "X"})
        self.category.with_user(self.manager).write({"name": "Quality (renamed)"})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Branch Co"})
        outsider = make_user(
            self.env,
            login="cc_t_outsider",
            groups="complaint_center.group_complaint_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(outsider).read(["name"])
        visible = self.env["complaint.complaint"].with_user(outsider).search([])
        self.assertNotIn(complaint, visible)
        # A back-office intake names its category and what happened.
        category = self.env["complaint.category"].create(
            {"name": "Branch Quality", "code": "BQ", "company_id": other_company.id}
        )
        theirs = (
            self.env["complaint.complaint"]
            .with_user(outsider)
            .with_company(other_company)
            .create(
                {
                    "partner_id": self.other_customer.id,
                    "category_id": category.id,
                    "description": "<p>Broken.</p>",
                }
            )
        )
        self.assertEqual(theirs.company_id, other_company)
        self.assertIn(
            theirs, self.env["complaint.complaint"].with_user(outsider).search([])
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_director_changes_complaint_settings(self):
        Settings = self.env["complaint.settings"]
        settings = Settings.with_user(self.manager).create({"complaint_repeat_days": 7})
        settings.action_save()
        self.assertEqual(self.company.complaint_repeat_days, 7)
        # What the general manager signs off stays his to set.
        with self.assertRaises(AccessError):
            Settings.with_user(self.manager).create(
                {"complaint_executive_threshold": 1.0}
            )
        self.assertEqual(self.company.complaint_executive_threshold, 5000.0)
        Settings.with_user(self.executive).create(
            {"complaint_executive_threshold": 800.0}
        )
        self.assertEqual(self.company.complaint_executive_threshold, 800.0)
        # Handlers do not configure; managers get no other system setting.
        with self.assertRaises(AccessError):
            Settings.with_user(self.handler).create({"complaint_repeat_days": 1})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create({})
        self.assertEqual(self.company.complaint_repeat_days, 7)
        menu = self.env.ref("complaint_center.complaint_menu_settings")
        self.assertEqual(
            menu.action, self.env.ref("complaint_center.complaint_settings_action")
        )
        self.assertIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids(),
        )

    def test_each_setting_declared_once_with_its_role(self):
        # Who changes which setting, as the regulations' approvals put it:
        # what the general manager signs off is his.
        expected = {
            "complaint_ref_prefix": "manager",
            "complaint_director_id": "manager",
            "complaint_repeat_days": "manager",
            "complaint_require_actions_done": "manager",
            "complaint_auto_mail": "manager",
            "complaint_mail_create_partner": "manager",
            "complaint_similar_days": "manager",
            "complaint_amount_limit": "manager",
            "complaint_executive_id": "executive",
            "complaint_executive_threshold": "executive",
            "complaint_penalty_executive_threshold": "executive",
        }
        for model in ("complaint.settings", "res.config.settings"):
            self.assertEqual(
                self.env[model]._complaint_setting_roles(), expected, model
            )
        # Every complaint setting of the company is on both forms (the
        # counter and the placeholder customer are bookkeeping, not settings).
        company_settings = {
            name
            for name in self.env["res.company"]._fields
            if name.startswith("complaint_")
        } - {"complaint_sequence_id", "complaint_unknown_partner_id"}
        self.assertEqual(company_settings, set(expected))
        # The similar-complaints window was the one setting without a role.
        with self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.handler).create(
                {"complaint_similar_days": 1}
            )
        self.assertEqual(self.company.complaint_similar_days, 90)
