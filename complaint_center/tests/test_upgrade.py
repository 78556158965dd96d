"""An upgraded database against the release it came from and a fresh
install: nothing lost, the same rules, rights, crons and templates, stored
figures that recompute to themselves, and old complaints that still move
and print.

Not part of the standard run: ``./bin/test`` installs the oldest supported
release with demo data, snapshots it (``tools/upgrade_snapshot.py``),
upgrades it to the working tree and runs these tests on it (tag
``complaint_upgrade``), with ``CC_UPGRADE_SNAPSHOT`` (the snapshot file) and
``CC_UPGRADE_FRESH_DB`` (the database freshly installed for the other tests).
"""

import datetime
import decimal
import json
import os

from odoo import Command, sql_db
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase, make_user

# Columns whose values an upgrade changes on purpose, each with the reason.
# Anything else of a column both releases have must come through as it was.
CHANGED_ON_PURPOSE = {
    "*": {
        "write_date": "rows the migration fills are written",
        "write_uid": "rows the migration fills are written",
    },
    "complaint_category": {
        "company_id": "a category shared by the companies gets the company it "
        "routes to (post-category-company)",
    },
    "complaint_complaint": {
        "needs_executive": "recomputed from the approved figures the migration fills",
        "review_level": "stored compute of the reopen count, recomputed",
    },
}
# Stored computed fields deliberately not recomputed from scratch: they
# keep what was true when the step was taken.
KEPT_AT_THE_STEP = {
    "complaint.complaint": {
        "contact_name": "typed by the clerk; the customer's only by default",
        "contact_phone": "typed by the clerk; the customer's only by default",
        "contact_email": "typed by the clerk; the customer's only by default",
        "contact_address": "typed by the clerk; the customer's only by default",
    },
}
# Records of the addon compared with a fresh install.
COMPARED_MODELS = ("ir.rule", "ir.model.access", "ir.cron", "mail.template")


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _xmlids(table, column):
    """SQL for the sorted xml ids of the records ``column`` of ``table``
    points to (groups of a rule, reports of a template...)."""
    return f"""ARRAY(SELECT d.module || '.' || d.name FROM {table} x
                JOIN ir_model_data d ON d.res_id = x.{column}
                 AND d.model = %s
               WHERE x.{{owner}} = {{alias}}.id ORDER BY 1)"""


QUERIES = {
    "ir.rule": (
        """SELECT r.active, r.domain_force, r.perm_read, r.perm_write,
                  r.perm_create, r.perm_unlink, m.model, """
        + _xmlids("rule_group_rel", "group_id").format(owner="rule_group_id", alias="r")
        + """ FROM ir_rule r JOIN ir_model m ON m.id = r.model_id
             WHERE r.id = %s""",
        ["res.groups"],
    ),
    "ir.model.access": (
        """SELECT a.active, m.model, g.module || '.' || g.name, a.perm_read,
                  a.perm_write, a.perm_create, a.perm_unlink
             FROM ir_model_access a JOIN ir_model m ON m.id = a.model_id
             LEFT JOIN ir_model_data g ON g.model = 'res.groups'
                   AND g.res_id = a.group_id
            WHERE a.id = %s""",
        [],
    ),
    "ir.cron": (
        """SELECT c.active, c.interval_number, c.interval_type, s.code, m.model
             FROM ir_cron c JOIN ir_act_server s ON s.id = c.ir_actions_server_id
             JOIN ir_model m ON m.id = s.model_id
            WHERE c.id = %s""",
        [],
    ),
    "mail.template": (
        # The English source: the translations are those of the languages
        # each database has installed.
        """SELECT t.subject->>'en_US', t.body_html->>'en_US', t.email_from,
                  t.email_to, t.partner_to, t.lang, t.model, """
        + _xmlids("mail_template_ir_actions_report_rel", "ir_actions_report_id").format(
            owner="mail_template_id", alias="t"
        )
        + """ FROM mail_template t WHERE t.id = %s""",
        ["ir.actions.report"],
    ),
}


def _addon_records(cr):
    """The addon's rules, rights, crons and templates, by xml id, as plain
    values (models by name, groups and reports by xml id)."""
    cr.execute(
        """
        SELECT d.model, d.name, d.res_id FROM ir_model_data d
         WHERE d.module = 'complaint_center' AND d.model = ANY(%s)
        """,
        [list(COMPARED_MODELS)],
    )
    records = {}
    for model, name, res_id in cr.fetchall():
        query, params = QUERIES[model]
        cr.execute(query, [*params, res_id])
        row = cr.fetchone()
        records[model, name] = list(row) if row else "missing record"
    return records


@tagged("-standard", "-at_install", "post_install", "complaint_upgrade")
class TestUpgrade(ComplaintCase, HttpCase):
    # An HttpCase: wkhtmltopdf loads the report assets from the test server.
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = os.environ.get("CC_UPGRADE_SNAPSHOT")
        cls.fresh_db = os.environ.get("CC_UPGRADE_FRESH_DB")
        if not path or not cls.fresh_db:
            raise RuntimeError(
                "CC_UPGRADE_SNAPSHOT and CC_UPGRADE_FRESH_DB must name the "
                "snapshot taken before the upgrade and a freshly installed database"
            )
        with open(path, encoding="utf-8") as snapshot:
            cls.snapshot = json.load(snapshot)

    # Nothing lost ----------------------------------------------------------
    def test_every_row_and_value_kept(self):
        cr = self.env.cr
        lost, changed = [], []
        for table, saved in self.snapshot["tables"].items():
            cr.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s",
                [table],
            )
            now_columns = {row[0] for row in cr.fetchall()}
            skip = set(CHANGED_ON_PURPOSE["*"]) | set(CHANGED_ON_PURPOSE.get(table, ()))
            columns = [
                c for c in saved["columns"] if c in now_columns and c not in skip
            ]
            key = "id" if "id" in columns else None
            cr.execute(f'SELECT {", ".join(columns)} FROM "{table}"')  # noqa: S608
            rows = [
                dict(zip(columns, map(_plain, row), strict=True))
                for row in cr.fetchall()
            ]
            if key:
                now = {row["id"]: row for row in rows}
                for old in saved["rows"]:
                    new = now.get(old["id"])
                    if new is None:
                        lost.append((table, old["id"]))
                        continue
                    for column in columns:
                        if old[column] != new[column]:
                            changed.append(
                                (table, old["id"], column, old[column], new[column])
                            )
            else:
                old_rows = sorted(
                    tuple(row[c] for c in columns) for row in saved["rows"]
                )
                new_rows = sorted(tuple(row[c] for c in columns) for row in rows)
                if old_rows != new_rows:
                    lost.append((table, "rows differ"))
        self.assertEqual(lost, [])
        self.assertEqual(changed, [])
        cr.execute(
            "SELECT res_id, count(*) FROM mail_message "
            "WHERE model = 'complaint.complaint' GROUP BY res_id"
        )
        messages = dict(cr.fetchall())
        for res_id, count in self.snapshot["messages"].items():
            self.assertGreaterEqual(messages.get(int(res_id), 0), count, res_id)

    def test_approval_figures_and_acknowledgements_filled(self):
        approved = (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search([("approved_by_id", "!=", False)])
        )
        self.assertTrue(approved)
        for complaint in approved:
            self.assertEqual(complaint.approved_severity, complaint.severity)
            self.assertFalse(
                complaint.currency_id.compare_amounts(
                    complaint.approved_compensation_amount,
                    complaint.compensation_amount,
                )
            )
        acknowledged = (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search([("date_acknowledged", "!=", False)])
        )
        self.assertTrue(acknowledged)
        self.assertFalse(acknowledged.filtered(lambda c: not c.date_ack_sent))

    # The same rules as a fresh install ----------------------------------------
    def test_rules_rights_crons_and_templates_as_a_fresh_install(self):
        with sql_db.db_connect(self.fresh_db).cursor() as fresh_cr:
            fresh = _addon_records(fresh_cr)
        upgraded = _addon_records(self.env.cr)
        self.assertEqual(sorted(set(upgraded) - set(fresh)), [], "left over")
        self.assertEqual(sorted(set(fresh) - set(upgraded)), [], "missing")
        differ = [
            (key, fresh[key], upgraded[key])
            for key in sorted(fresh)
            if fresh[key] != upgraded[key]
        ]
        self.assertEqual(differ, [], "differ from a fresh install")

    def test_stored_computed_fields_recompute_to_themselves(self):
        for model_name in ("complaint.complaint", "complaint.penalty"):
            Model = self.env[model_name].with_context(active_test=False)
            records = Model.search([])
            names = [
                name
                for name, field in Model._fields.items()
                if field.store
                and field.compute
                and name not in KEPT_AT_THE_STEP.get(model_name, {})
                and field.type not in ("one2many",)
            ]
            stored = {name: records.mapped(name) for name in names}
            for name in names:
                self.env.add_to_compute(Model._fields[name], records)
            records.invalidate_recordset(names)
            wrong = [name for name in names if records.mapped(name) != stored[name]]
            self.assertEqual(wrong, [], model_name)

    # Old complaints still move and print ----------------------------------------
    def test_old_complaints_move_and_print(self):
        Complaint = self.env["complaint.complaint"]
        saved_ids = [
            row["id"] for row in self.snapshot["tables"]["complaint_complaint"]["rows"]
        ]
        old = Complaint.browse(saved_ids).exists()
        new = old.filtered(lambda c: c.state == "new")[:1]
        self.assertTrue(new, "the old release's demo has a new complaint")
        company = new.company_id
        handler = make_user(
            self.env,
            login="cc_t_upgrade_handler",
            groups="complaint_center.group_complaint_handler",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        manager = make_user(
            self.env,
            login="cc_t_upgrade_manager",
            groups="complaint_center.group_complaint_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        new.sudo().user_id = handler
        new.with_user(handler).action_accept()
        self.assertEqual(new.state, "investigating")
        new.with_user(handler).write(
            {"resolution_type": "apology", "resolution": "<p>Apology.</p>"}
        )
        new.with_user(handler).action_propose()
        new.with_user(manager).action_approve()
        if new.needs_executive:
            executive = make_user(
                self.env,
                login="cc_t_upgrade_executive",
                groups="complaint_center.group_complaint_executive",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            new.with_user(executive).action_approve()
        self.assertEqual(new.state, "approved")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report._render_qweb_pdf(
            "complaint_center.complaint_report_acceptance_notice", new.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # A plan approved before the upgrade keeps what was approved.
        waiting = old.filtered(
            lambda c: c.state == "proposed" and c.approved_by_id and c.needs_executive
        )
        for complaint in waiting:
            self.assertTrue(complaint.approved_severity)
