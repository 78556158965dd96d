"""bin/test-odoo-suites fails on a test of Odoo's that fails only with the
addon installed (tools/odoo_suites_diff.py compares the two logs)."""

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "odoo_suites_diff.py"
_spec = importlib.util.spec_from_file_location("odoo_suites_diff", TOOL)
diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(diff)

HEAD = "2026-12-07 10:48:17,105 21828"
SALE = "odoo.addons.sale.tests.test_access_rights"
PORTAL_WIZARD = (
    "setUpClass (odoo.addons.portal.tests.test_portal_wizard.TestPortalWizard)"
)


def log(total, *failures):
    lines = [f"{HEAD} INFO db {SALE}: Starting TestAccessRights.test_x ..."]
    lines += [f"{HEAD} ERROR db {logger}: {what}" for logger, what in failures]
    errors = len(failures)
    lines.append(
        f"{HEAD} ERROR db odoo.tests.result: 0 failed, {errors} error(s) of "
        f"{total} tests when loading database 'db'"
    )
    return "\n".join(lines)


def test_a_failure_only_with_the_addon_fails():
    base = log(10, ("odoo.tests.suite", f"ERROR: {PORTAL_WIZARD}"))
    addon = log(
        10,
        ("odoo.tests.suite", f"ERROR: {PORTAL_WIZARD}"),
        (SALE, "ERROR: TestAccessRights.test_access_sales_manager"),
        (SALE, "FAIL: Subtest TestAccessRights.test_access_sales_person (x=1)"),
        (SALE, "FAIL: TestAccessRights.test_access_sales_person"),
    )
    lines, status = diff.compare(base, addon)
    assert status == 1
    assert lines[-1] == "total: 7 passed, 2 failed"
    rights = "    sale.tests.test_access_rights.TestAccessRights"
    assert f"{rights}.test_access_sales_manager" in lines
    assert f"{rights}.test_access_sales_person" in lines
    assert "    portal.tests.test_portal_wizard.TestPortalWizard (setUpClass)" in lines


def test_failures_without_the_addon_too_are_not_counted():
    failure = ("odoo.tests.suite", f"ERROR: {PORTAL_WIZARD}")
    lines, status = diff.compare(log(10, failure), log(10, failure))
    assert status == 0
    assert lines[-1] == "total: 9 passed, 0 failed"
    assert "failing without the addon too (Odoo's, not counted): 1" in lines


def test_a_run_without_summary_fails():
    crashed = f"{HEAD} INFO db {SALE}: Starting TestAccessRights.test_x ..."
    lines, status = diff.compare(log(10), crashed)
    assert status == 1
    assert "with the addon: no test summary in the log (crash?)" in lines
    assert lines[-1] == "total: 0 passed, 1 failed"
    lines, status = diff.compare(crashed, log(10))
    assert status == 1


def test_no_test_ran_fails():
    lines, status = diff.compare(log(0), log(0))
    assert status == 1
    assert lines[-1] == "total: 0 passed, 1 failed"
