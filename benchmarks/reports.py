"""Benchmark: the complaint register (投诉台账) export and the PDF forms.

    .venv/bin/python benchmarks/reports.py -c .run/odoo.conf -d complaint_center_bench \
        --count 100000 --forms 500

Measures, each in a fresh process so that one's caches and memory do not
colour the next, as a complaint manager (record rules applied):

- the register XLSX of ``--count`` complaints (this addon, ``report_xlsx``,
  streamed in chunks): seconds and peak memory growth (VmHWM);
- the same rows through Odoo's own list export (``export_data`` +
  ``ExportXlsxWriter``, what "Export" in the list view runs);
- ``--forms`` complaint record/handling forms as one PDF (wkhtmltopdf):
  seconds per form.

The database is seeded once: 500 complaints through the ORM (varied
categories, channels, severities, states), then cloned in SQL up to
``--count`` rows (the export reads stored columns; how the rows were made
does not matter to it). Odoo must be importable: ODOO_PATH (default
/opt/odoo18) is put on sys.path.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import types

sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402

REGISTER = "complaint_center.complaint_register_xlsx"
FORM = "complaint_center.report_complaint_form"
SEED = 500
BENCH_LOGIN = "bench_report_manager"
# What the register shows, as Odoo's export would be asked for it.
EXPORT_FIELDS = [
    "name",
    "date_received",
    "channel",
    "partner_id",
    "sale_order_id",
    "category_id",
    "severity",
    "state",
    "validity",
    "user_id",
    "department_id",
    "date_ack_deadline",
    "date_resolve_deadline",
    "ack_on_time",
    "resolve_on_time",
    "date_resolved",
    "date_closed",
    "resolution_type",
    "compensation_amount",
    "satisfaction",
    "is_repeat",
    "escalation_level",
]


def _manager(env):
    user = env["res.users"].search([("login", "=", BENCH_LOGIN)])
    if not user:
        user = env["res.users"].create(
            {"name": "Benchmark Manager", "login": BENCH_LOGIN}
        )
    # Export rights and sales rights, as a real manager has.
    user.groups_id = [
        odoo.Command.link(env.ref(xmlid).id)
        for xmlid in (
            "complaint_center.group_complaint_manager",
            "sales_team.group_sale_salesman_all_leads",
            "base.group_allow_export",
        )
    ]
    return user


def _seed(env, count):
    """ORM-made complaints, then SQL clones of them up to ``count`` rows."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM complaint_complaint")
    have = cr.fetchone()[0]
    if have >= count:
        return have
    rnd = random.Random(11)
    Complaint = env["complaint.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench Customer {i}", "is_company": True} for i in range(50)]
    )
    categories = env["complaint.category"].search([])
    channels = [key for key, _label in Complaint._fields["channel"].selection]
    severities = [key for key, _label in Complaint._fields["severity"].selection]
    Complaint.create(
        [
            {
                "partner_id": rnd.choice(partners).id,
                "category_id": rnd.choice(categories).id,
                "channel": rnd.choice(channels),
                "severity": rnd.choice(severities),
                "description": "<p>基准测试 benchmark complaint</p>",
            }
            for _i in range(SEED)
        ]
    )
    env.flush_all()
    # Spread the states (the register shows every kind of row).
    cr.execute(
        "UPDATE complaint_complaint SET state = (ARRAY['new','investigating',"
        "'proposed','approved','resolved','closed','rejected'])[1 + id % 7]"
    )
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaint_complaint' AND column_name NOT IN ('id', 'name')"
    )
    columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
    cr.execute("SELECT array_agg(id ORDER BY id) FROM complaint_complaint")
    seeds = cr.fetchone()[0]
    # Each clone copies a seed row (cycling) with a new reference.
    cr.execute(
        f"""
        INSERT INTO complaint_complaint (name, {columns})
        SELECT 'BENCH-' || lpad(gs::text, 7, '0'), {columns}
          FROM generate_series(1, %s) gs
          JOIN complaint_complaint src ON src.id = (%s::int[])[1 + gs %% %s]
        """,
        (count - len(seeds), seeds, len(seeds)),
    )
    cr.execute("ANALYZE complaint_complaint")
    cr.commit()
    return count


def _reset_peak():
    # Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _memory():
    values = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) / 1024.0
    return values


def _measure(env, kind, count, forms):
    user = _manager(env)
    uenv = env(user=user.id, su=False)
    Complaint = uenv["complaint.complaint"]
    ids = Complaint.search([], limit=count, order="id").ids
    Report = uenv["ir.actions.report"]
    uenv.invalidate_all()
    _reset_peak()
    before = _memory()["VmRSS"]
    start = time.perf_counter()
    if kind == "register":
        content, _fmt = Report._render(REGISTER, ids)
        rows = len(ids)
    elif kind == "odoo_export":
        from odoo.addons.web.controllers import export

        # The writer reads the currency precision from the request's env.
        export.request = types.SimpleNamespace(env=uenv)
        records = Complaint.browse(ids)
        data = records.export_data(EXPORT_FIELDS)["datas"]
        fields = [Complaint._fields[name] for name in EXPORT_FIELDS]
        specs = [{"name": field.name, "type": field.type} for field in fields]
        headers = [field.string for field in fields]
        with export.ExportXlsxWriter(specs, headers, len(data)) as writer:
            for row_index, row in enumerate(data):
                for cell_index, value in enumerate(row):
                    writer.write_cell(row_index + 1, cell_index, value)
        content = writer.value
        rows = len(data)
    else:
        content, _fmt = Report._render_qweb_pdf(FORM, ids[:forms])
        rows = min(forms, len(ids))
    seconds = time.perf_counter() - start
    memory = _memory()
    return {
        "kind": kind,
        "rows": rows,
        "seconds": seconds,
        "peak_mb": memory["VmHWM"] - before,
        "bytes": len(content),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--forms", type=int, default=500)
    parser.add_argument("--only", choices=["register", "odoo_export", "pdf"])
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.only:
            print(json.dumps(_measure(env, args.only, args.count, args.forms)))
            cr.rollback()
            return
        started = time.perf_counter()
        rows = _seed(env, args.count)
        _manager(env)
        cr.commit()
        print(
            f"complaints in the database: {rows} "
            f"({time.perf_counter() - started:.0f} s to seed)"
        )
    results = {}
    for kind in ("register", "odoo_export", "pdf"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "-c",
                args.config,
                "-d",
                args.database,
                "--count",
                str(args.count),
                "--forms",
                str(args.forms),
                "--only",
                kind,
            ],
            check=False,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.exit(f"{kind} failed:\n{out.stderr[-3000:]}")
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    reg, exp, pdf = results["register"], results["odoo_export"], results["pdf"]
    print("| measure | rows | seconds | peak memory growth (MB) |")
    print("|---|---:|---:|---:|")
    for name, res in (
        ("register XLSX (complaint_center)", reg),
        ("Odoo list export XLSX", exp),
    ):
        print(
            f"| {name} | {res['rows']} | {res['seconds']:.1f} | {res['peak_mb']:.0f} |"
        )
    print(
        f"| complaint forms, one PDF | {pdf['rows']} | {pdf['seconds']:.1f} "
        f"({pdf['seconds'] / max(pdf['rows'], 1):.3f} s/form) | {pdf['peak_mb']:.0f} |"
    )
    print(
        f"register / Odoo export: time {reg['seconds'] / exp['seconds']:.2f}x, "
        f"memory {reg['peak_mb'] / max(exp['peak_mb'], 1):.2f}x"
    )


if __name__ == "__main__":
    main()
