"""Benchmark: the deadline sweep on a large number of open complaints.

Creates ``--count`` open complaints that are not overdue and ``--overdue``
that are, in one transaction, then times one escalation sweep callback (one
batch) and a full drain, counting SQL queries, and rolls everything back.

    .venv/bin/python benchmarks/sweep.py -c .odoo.conf -d complaint_center_demo \
        --count 100000 --overdue 1000

Odoo must be importable: ODOO_PATH (default /opt/odoo18) is put on sys.path.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402

CHUNK = 5000


def _create(env, partner, count, received):
    Complaint = env["complaint.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        Complaint.create(
            [
                {"partner_id": partner.id, "date_received": received}
                for _i in range(size)
            ]
        )
        env.flush_all()
        env.invalidate_all()
        done += size


def _timed(env, func):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--overdue", type=int, default=1000)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Complaint = env["complaint.complaint"]
        # Leave the database's own complaints out of the measurement.
        cr.execute("UPDATE complaint_complaint SET date_next_escalation = NULL")
        partner = env["res.partner"].create({"name": "Benchmark Customer"})
        now = datetime.now()
        started = time.perf_counter()
        _create(env, partner, args.count, now)
        _create(env, partner, args.overdue, now - timedelta(days=30))
        created = time.perf_counter() - started
        cr.execute("ANALYZE complaint_complaint")
        open_total = Complaint.search_count([("state", "=", "new")])
        print(f"created {args.count + args.overdue} complaints in {created:.1f} s")
        print(f"open complaints in the table: {open_total}")

        # Warm the caches on a sweep that finds nothing to do.
        cr.execute(
            "UPDATE complaint_complaint SET date_next_escalation = "
            "date_next_escalation + interval '1000 days' "
            "WHERE date_next_escalation IS NOT NULL"
        )
        env.invalidate_all()
        _nothing, t_cold, q_cold = _timed(env, Complaint._cron_escalate_overdue)
        print(f"sweep with nothing due: {t_cold * 1000:.1f} ms, {q_cold} queries")
        cr.execute(
            "UPDATE complaint_complaint SET date_next_escalation = "
            "date_next_escalation - interval '1000 days' "
            "WHERE date_next_escalation IS NOT NULL"
        )
        done, t_batch, q_batch = _timed(env, Complaint._cron_escalate_overdue)
        print(f"one batch: {done} escalated in {t_batch:.3f} s, {q_batch} queries")
        total, t_all, q_all = done, t_batch, q_batch
        while True:
            step, seconds, queries = _timed(env, Complaint._cron_escalate_overdue)
            if not step:
                break
            total, t_all, q_all = total + step, t_all + seconds, q_all + queries
        print(
            f"all overdue: {total} escalated in {t_all:.2f} s, {q_all} queries "
            f"({q_all / max(total, 1):.1f} per complaint)"
        )
        _nothing, t_idle, q_idle = _timed(env, Complaint._cron_escalate_overdue)
        print(f"second sweep (all done): {t_idle * 1000:.1f} ms, {q_idle} queries")
        cr.execute(
            "EXPLAIN ANALYZE SELECT id FROM complaint_complaint "
            "WHERE date_next_escalation <= now() at time zone 'utc' "
            "ORDER BY date_next_escalation, id LIMIT 200"
        )
        print("\n".join(row[0] for row in cr.fetchall()))
        cr.rollback()
        print("rolled back")


if __name__ == "__main__":
    main()
