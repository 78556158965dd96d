"""Compare two logs of Odoo's own tests: one run on the apps the addon
extends without it (the baseline), one with it installed.

    python tools/odoo_suites_diff.py BASELINE.log ADDON.log

A test fails in a log when Odoo's runner logged ``FAIL:`` or ``ERROR:`` for
it (a failed subTest counts for its test method, an error in setUpClass for
its class). The exit status is 1 when a test fails only with the addon, or
when either run ended without Odoo's summary line (a crash) or ran no test;
failures the baseline shows too are Odoo's (or its test ordering's), listed
but not counted. The last line is ``total: N passed, M failed``: the tests
of the run with the addon, M being those that fail only there.
"""

import re
import sys

# "2026-12-07 10:48:17,105 21828 ERROR db odoo.addons.x.tests.y: FAIL: ..."
RESULT = re.compile(
    r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) \S+ (?P<logger>\S+): "
    r"(?P<kind>FAIL|ERROR): (?P<what>.*)$"
)
SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)


def test_id(logger, what):
    """The failing test: ``module.tests.file.Class.method``, or the class
    for an error in its set-up (``setUpClass (odoo.addons...Class)``)."""
    what = what.strip()
    match = re.match(r"(setUpClass|tearDownClass) \((?:odoo\.addons\.)?([^)]+)\)", what)
    if match:
        return f"{match.group(2)} ({match.group(1)})"
    if what.startswith("Subtest "):
        what = what[len("Subtest ") :]
    name = what.split(" ", 1)[0]
    module = logger.removeprefix("odoo.addons.")
    return f"{module}.{name}"


def parse(text):
    """(set of failing test ids, total tests or None when no summary line)."""
    failing = set()
    total = None
    for line in text.splitlines():
        match = RESULT.match(line)
        if match:
            failing.add(test_id(match["logger"], match["what"]))
        summary = SUMMARY.search(line)
        if summary:
            total = int(summary.group(3))
    return failing, total


def compare(baseline_text, addon_text):
    """Report lines and the exit status of a comparison."""
    base_failing, base_total = parse(baseline_text)
    addon_failing, addon_total = parse(addon_text)
    only_addon = sorted(addon_failing - base_failing)
    both = sorted(addon_failing & base_failing)
    only_base = sorted(base_failing - addon_failing)
    lines = []
    status = 0
    for label, total, failing in (
        ("without the addon", base_total, base_failing),
        ("with the addon", addon_total, addon_failing),
    ):
        if total is None:
            lines.append(f"{label}: no test summary in the log (crash?)")
            status = 1
        elif total == 0:
            lines.append(f"{label}: no test ran")
            status = 1
        else:
            lines.append(f"{label}: {total} tests, {len(failing)} failing")
    if base_total and addon_total and base_total != addon_total:
        lines.append(
            f"note: {addon_total - base_total:+d} tests with the addon "
            "(a class whose set-up failed counts as one)"
        )
    for title, ids in (
        ("failing only with the addon (the addon's fault)", only_addon),
        ("failing without the addon too (Odoo's, not counted)", both),
        ("failing only without the addon (not counted)", only_base),
    ):
        lines.append(f"{title}: {len(ids)}")
        lines.extend(f"    {test}" for test in ids)
    if only_addon:
        status = 1
    failed = len(only_addon)
    passed = max((addon_total or 0) - len(addon_failing), 0)
    if status and not failed:
        failed = 1
    lines.append(f"total: {passed} passed, {failed} failed")
    return lines, status


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8", errors="replace") as base:
        baseline_text = base.read()
    with open(argv[2], encoding="utf-8", errors="replace") as addon:
        addon_text = addon.read()
    lines, status = compare(baseline_text, addon_text)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
