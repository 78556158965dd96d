"""One command for every benchmark: complaint_center against its peer, OCA
``helpdesk_mgmt`` + ``helpdesk_mgmt_sla`` 18.0, in the same database.

    .venv/bin/python benchmarks/run.py [-c .odoo.conf] [--count 100000]
    .venv/bin/python benchmarks/run.py --smoke       # a few seconds per measure
    .venv/bin/python benchmarks/run.py --load        # + benchmarks/load.py

Installs the peer wheels pinned in requirements-bench.txt when missing,
creates and fills the database when missing (``generate.py``), then prints
one table: each measure, the complaint figure, the peer figure and their
ratio (complaint / peer: below 1 the addon is faster). Every measure runs in
a transaction that is rolled back, so the run can be repeated.

Measures (each role's figures with its record rules):

- create: ``--create`` complaints as a clerk (tracking on) in batches of
  ``--batch`` against as many tickets as a helpdesk user; median of
  ``--rounds``; the ORM against a raw SQL insert of the same rows;
- one customer: ``--one-customer`` complaints all on one customer and its
  order, in batches of ``--batch``, for a new customer and for one with
  ``--history`` earlier complaints on that order, against as many tickets
  of that customer (the intake of a distributor or a group complaint);
- sweep: ``_cron_escalate_overdue`` until it returns 0 with ``--overdue``
  overdue complaints among ``--count`` open ones, against the same number of
  expired SLA rows among open tickets, flagged the way an SLA-expiry pass
  would (search ``expired``, set ``state``, a to-do and a note each);
- views per role: default list first page, kanban first page, pivot category
  x month, the overdue search (peer: ``sla_expired``), as the web client asks
  for them (``get_views``, ``web_search_read``, ``web_read_group``,
  ``read_group``), median of ``--repeat`` runs;
- reports (``reports.py``: register XLSX against Odoo's list export, PDF
  forms), unless ``--skip-reports``;
- the load test (``load.py``'s ``run_load``) with ``--load``.

``--smoke`` uses its own small database (complaint_center_bench_smoke) and
exits non-zero when a measure did not produce a number.
"""

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from _common import (
    DEFAULT_DB,
    SMOKE_DB,
    Meter,
    environment,
    log,
    registry,
)
from dateutil.relativedelta import relativedelta
from generate import (
    EN_TEMPLATES,
    ISSUES,
    PRODUCTS,
    REMEDIES,
    ZH_TEMPLATES,
    generate,
)
from lxml import etree
from psycopg2.extras import execute_values

import odoo  # noqa: E402 (after _common put it on sys.path)
from odoo import Command  # noqa: E402
from odoo.tools import SQL  # noqa: E402
from odoo.tools import safe_eval as safe  # noqa: E402
from odoo.tools.safe_eval import safe_eval  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = {
    # complaint role: (complaint login, peer login)
    "clerk": ("bench_clerk", "bench_hd_user"),
    "handler": ("bench_handler", "bench_hd_user"),
    "manager": ("bench_manager", "bench_hd_manager"),
    "finance": ("bench_finance", "bench_hd_user"),
    "executive": ("bench_executive", "bench_hd_manager"),
}
COMPLAINT_ACTION = "complaint_center.complaint_complaint_action"
TICKET_ACTION = "helpdesk_mgmt.helpdesk_ticket_action"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, measure, ours=None, peer=None, unit="s", note="", info=False):
        """``ours``/``peer``: (seconds or value, queries or None), or None;
        ``info`` rows carry a note only and are not checked for a figure."""
        self.rows.append(
            {
                "measure": measure,
                "ours": ours,
                "peer": peer,
                "unit": unit,
                "note": note,
                "info": info,
            }
        )

    def failed(self, measure, error):
        self.rows.append(
            {"measure": measure, "ours": None, "peer": None, "unit": "", "note": error}
        )

    @staticmethod
    def _value(pair, unit):
        if pair is None:
            return "-", "-"
        value, queries = pair
        text = f"{value:,.3f}" if unit == "s" else f"{value:,.2f}"
        if unit not in ("s", ""):
            text = f"{text} {unit}"
        return text, "-" if queries is None else f"{queries:,}"

    def render(self):
        lines = [
            "| measure | complaint_center | queries | helpdesk_mgmt (peer) "
            "| queries | ratio | note |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in self.rows:
            ours, ours_q = self._value(row["ours"], row["unit"])
            peer, peer_q = self._value(row["peer"], row["unit"])
            ratio = "-"
            if row["ours"] and row["peer"] and row["peer"][0]:
                ratio = f"{row['ours'][0] / row['peer'][0]:.2f}"
            lines.append(
                f"| {row['measure']} | {ours} | {ours_q} | {peer} | {peer_q} "
                f"| {ratio} | {row['note']} |"
            )
        return "\n".join(lines)

    def missing(self):
        """Rows whose figure is not a number."""
        bad = []
        for row in self.rows:
            if row.get("info"):
                continue
            for side in ("ours", "peer"):
                pair = row[side]
                if pair is not None and not (
                    isinstance(pair[0], (int, float)) and math.isfinite(pair[0])
                ):
                    bad.append(row["measure"])
            if row["ours"] is None and row["peer"] is None:
                bad.append(row["measure"])
        return bad


@contextmanager
def rolled_back(reg):
    """A cursor whose work is always rolled back."""
    cr = reg.cursor()
    try:
        yield cr
    finally:
        cr.rollback()
        cr.close()


def median_pair(samples):
    return (
        statistics.median(s[0] for s in samples),
        int(statistics.median(s[1] for s in samples)),
    )


def user_env(cr, login):
    env = environment(cr)
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        raise RuntimeError(f"benchmark user {login} missing (generate.py makes it)")
    context = user.context_get()
    return odoo.api.Environment(cr, user.id, dict(context))


# --------------------------------------------------------------- create
def random_description(rnd):
    """One description in English or Chinese from the generator's templates,
    and the remedy it asks for: the same draw for complaints and tickets."""
    product = rnd.choice(PRODUCTS)
    issue = rnd.choice(rnd.choice(list(ISSUES.values())))
    remedy = rnd.choice(REMEDIES)
    lang = rnd.choice(("en", "zh"))
    template = rnd.choice(EN_TEMPLATES if lang == "en" else ZH_TEMPLATES)
    k = 0 if lang == "en" else 1
    body = template.format(
        product=product[k],
        batch=f"B{rnd.randint(1000, 9999)}",
        date=date.today().isoformat(),
        issue=issue[k],
        remedy=remedy[1 + k],
        order=f"S{rnd.randint(10000, 99999)}",
    )
    return body, remedy


def complaint_values(env, count, seed):
    """What a clerk types in: a customer with a confirmed order, its line,
    a category, a description; no reference, no receipt date (now)."""
    rnd = random.Random(seed)
    env.cr.execute(
        "SELECT o.id, o.partner_id, array_agg(l.id) FROM sale_order o "
        "JOIN sale_order_line l ON l.order_id = o.id WHERE o.state = 'sale' "
        "GROUP BY o.id ORDER BY o.id LIMIT 2000"
    )
    orders = env.cr.fetchall()
    categories = env["complaint.category"].search([]).ids
    partners = [row[1] for row in orders] or env["res.partner"].search(
        [("is_company", "=", True)], limit=200
    ).ids
    vals_list = []
    for _i in range(count):
        body, remedy = random_description(rnd)
        vals = {
            "partner_id": rnd.choice(partners),
            "category_id": rnd.choice(categories),
            "severity": rnd.choices(["general", "major", "critical"], [80, 17, 3])[0],
            "channel": rnd.choice(["phone", "email", "web", "visit"]),
            "description": f"<p>{body}</p>",
            "customer_request": remedy[0],
        }
        if orders and rnd.random() < 0.6:
            order_id, partner_id, lines = rnd.choice(orders)
            vals.update(
                partner_id=partner_id,
                sale_order_id=order_id,
                sale_line_ids=[Command.set(lines[:1])],
            )
        vals_list.append(vals)
    return vals_list


def ticket_values(env, count, seed):
    rnd = random.Random(seed)
    teams = env["helpdesk.ticket.team"].search([])
    categories = env["helpdesk.ticket.category"].search([]).ids
    channels = env["helpdesk.ticket.channel"].search([]).ids
    partners = env["res.partner"].search([("is_company", "=", True)], limit=2000).ids
    vals_list = []
    for _i in range(count):
        body, _remedy = random_description(rnd)
        vals_list.append(
            {
                "name": body[:60],
                "description": f"<p>{body}</p>",
                "partner_id": rnd.choice(partners),
                "team_id": rnd.choice(teams).id,
                "category_id": rnd.choice(categories),
                "channel_id": rnd.choice(channels),
                "priority": rnd.choice("0123"),
            }
        )
    return vals_list


def timed_create(reg, login, model, make_values, count, batch, profile=None):
    """One round: create ``count`` records in batches as ``login``; returns
    (seconds, queries, ids) — rolled back."""
    with rolled_back(reg) as cr:
        env = user_env(cr, login)
        vals_list = make_values(environment(cr), count, 7)
        Model = env[model]
        ids = []
        env.invalidate_all()
        if profile is not None:
            profile.enable()
        with Meter(env) as meter:
            for first in range(0, count, batch):
                records = Model.create(vals_list[first : first + batch])
                env.flush_all()
                ids += records.ids
        if profile is not None:
            profile.disable()
        floor = sql_floor(cr, env[model]._table, ids)
        return meter.seconds, meter.queries, floor


def sql_floor(cr, table, ids):
    """The physical floor: the same rows inserted again with one SQL
    statement per batch of 50 (columns as stored, new ids)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    columns = [row[0] for row in cr.fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    cr.execute(f'SELECT {names} FROM "{table}" WHERE id = ANY(%s)', [ids])  # noqa: S608
    rows = cr.fetchall()
    unique = {"name", "number", "access_token"}
    rows = [
        tuple(
            (f"{value}-floor" if columns[i] in unique and value else value)
            for i, value in enumerate(row)
        )
        for row in rows
    ]
    started = time.perf_counter()
    for first in range(0, len(rows), 50):
        execute_values(
            cr._obj,
            f'INSERT INTO "{table}" ({names}) VALUES %s',  # noqa: S608
            rows[first : first + 50],
            page_size=50,
        )
    return time.perf_counter() - started


def measure_create(reg, table, args):
    ours, peer, floors = [], [], {"ours": [], "peer": []}
    profile = cProfile.Profile() if args.profile else None
    for rnd in range(args.rounds):
        seconds, queries, floor = timed_create(
            reg,
            ROLES["clerk"][0],
            "complaint.complaint",
            complaint_values,
            args.create,
            args.batch,
            profile if rnd == 0 else None,
        )
        ours.append((seconds, queries))
        floors["ours"].append(floor)
        seconds, queries, floor = timed_create(
            reg,
            ROLES["clerk"][1],
            "helpdesk.ticket",
            ticket_values,
            args.create,
            args.batch,
        )
        peer.append((seconds, queries))
        floors["peer"].append(floor)
        log(f"  create round {rnd + 1}: {ours[-1]} vs {peer[-1]}")
    o, p = median_pair(ours), median_pair(peer)
    n = args.create
    table.add(
        f"create {n:,} as clerk / helpdesk user, batches of {args.batch}, "
        f"tracking on (median of {args.rounds})",
        o,
        p,
        note=f"{o[1] / n:.1f} vs {p[1] / n:.1f} queries/record; "
        f"{n / o[0]:.0f} vs {n / p[0]:.0f} records/s",
    )
    of, pf = statistics.median(floors["ours"]), statistics.median(floors["peer"])
    table.add(
        f"ORM create / raw SQL insert of the same {n:,} rows (physical floor)",
        (o[0] / of, None),
        (p[0] / pf, None),
        unit="x",
        note=f"SQL insert {of:.3f} s vs {pf:.3f} s",
    )
    if profile is not None:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        with open(args.profile, "w") as handle:
            handle.write(out.getvalue())
        log(f"cProfile of the first complaint create round: {args.profile}")


# ------------------------------------------------- create, one customer
def one_customer(env, history):
    """A customer of its own with a confirmed order (a copy of one of the
    generated orders) and, with ``history``, that many earlier complaints on
    that order received over the last days (SQL copies of generated
    complaints, within the repeat window): a distributor's, or a group
    complaint's, history."""
    order = env["sale.order"].search([("state", "=", "sale")], limit=1)
    partner = env["res.partner"].create(
        {"name": "Bench Big Customer", "is_company": True}
    )
    order = order.copy({"partner_id": partner.id})
    order.action_confirm()
    if history:
        env.flush_all()
        env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'complaint_complaint' AND column_name NOT IN "
            "('id', 'name', 'access_token', 'partner_id', 'commercial_partner_id',"
            " 'sale_order_id', 'date_received', 'state', 'active', 'company_id')"
        )
        columns = [row[0] for row in env.cr.fetchall()]
        names = ", ".join(f'"{c}"' for c in columns)
        env.cr.execute(
            f"""INSERT INTO complaint_complaint (name, partner_id,
                commercial_partner_id, sale_order_id, date_received, state,
                active, company_id, {names})
            SELECT 'BIG-' || n, %s, %s, %s,
                now() at time zone 'UTC' - (n || ' minutes')::interval,
                'closed', TRUE, %s, {names}
            FROM generate_series(1, %s) AS n
            CROSS JOIN (SELECT * FROM complaint_complaint
                        WHERE company_id = %s ORDER BY id LIMIT 1) AS c""",  # noqa: S608
            [
                partner.id,
                partner.id,
                order.id,
                order.company_id.id,
                history,
                order.company_id.id,
            ],
        )
        env.cr.execute("ANALYZE complaint_complaint")
    return partner, order


def timed_create_one_customer(reg, login, model, count, batch, history):
    """``count`` complaints (or tickets) all naming one customer (and its
    order), in batches, as ``login``; the customer has ``history`` earlier
    complaints on that order. Returns (seconds, queries) — rolled back."""
    with rolled_back(reg) as cr:
        partner, order = one_customer(environment(cr), history)
        env = user_env(cr, login)
        if model == "complaint.complaint":
            vals_list = complaint_values(environment(cr), count, 7)
            for vals in vals_list:
                vals.update(
                    partner_id=partner.id,
                    sale_order_id=order.id,
                    sale_line_ids=[Command.set(order.order_line[:1].ids)],
                )
        else:
            vals_list = ticket_values(environment(cr), count, 7)
            for vals in vals_list:
                vals["partner_id"] = partner.id
        Model = env[model]
        env.invalidate_all()
        with Meter(env) as meter:
            for first in range(0, count, batch):
                Model.create(vals_list[first : first + batch])
                env.flush_all()
        return meter.seconds, meter.queries


def measure_create_one_customer(reg, table, args):
    """The intake of one big customer (issue 27): ``--one-customer``
    complaints on one customer and order, in batches of ``--batch``, for a
    new customer and for one with ``--history`` earlier complaints on that
    order, against as many tickets of that customer."""
    n = args.one_customer
    for history in (0, args.history):
        ours, peer = [], []
        for _round in range(args.rounds):
            ours.append(
                timed_create_one_customer(
                    reg,
                    ROLES["clerk"][0],
                    "complaint.complaint",
                    n,
                    args.batch,
                    history,
                )
            )
            peer.append(
                timed_create_one_customer(
                    reg, ROLES["clerk"][1], "helpdesk.ticket", n, args.batch, 0
                )
            )
            log(f"  one customer, history {history}: {ours[-1]} vs {peer[-1]}")
        o, p = median_pair(ours), median_pair(peer)
        who = (
            f"a customer with {history:,} earlier complaints on the order"
            if history
            else "a new customer"
        )
        table.add(
            f"create {n:,} on one customer and order, {who}, batches of "
            f"{args.batch} (median of {args.rounds})",
            o,
            p,
            note=f"{o[1] / n:.1f} vs {p[1] / n:.1f} queries/record",
        )


# ---------------------------------------------------------------- sweep
def measure_sweep(reg, table, args):
    overdue = args.overdue
    with rolled_back(reg) as cr:
        env = environment(cr)
        Complaint = env["complaint.complaint"]
        # Every complaint open with its next escalation ahead, except
        # ``overdue`` of them whose deadline passed a day ago.
        cr.execute(
            "SELECT id FROM complaint_complaint ORDER BY "
            "(state IN ('new','investigating','proposed','approved') "
            "AND next_deadline < now() at time zone 'utc') DESC, id DESC LIMIT %s",
            [overdue],
        )
        late = [row[0] for row in cr.fetchall()]
        cr.execute(
            "UPDATE complaint_complaint SET state = 'investigating', "
            "date_next_escalation = (now() at time zone 'utc') "
            "+ make_interval(days => 1 + id %% 30), escalation_level = 0 "
            "WHERE NOT id = ANY(%s)",
            [late],
        )
        cr.execute(
            "UPDATE complaint_complaint SET "
            "state = CASE WHEN state IN ('new','investigating','proposed','approved')"
            " THEN state ELSE 'investigating' END, "
            "date_resolve_deadline = coalesce(date_resolve_deadline, "
            "(now() at time zone 'utc') - interval '1 day'), "
            "next_deadline = (now() at time zone 'utc') - interval '1 day', "
            "date_next_escalation = (now() at time zone 'utc') - interval '1 hour', "
            "escalation_level = 0, escalated_deadline = NULL "
            "WHERE id = ANY(%s)",
            [late],
        )
        cr.execute("ANALYZE complaint_complaint")
        env.invalidate_all()
        open_count = Complaint.search_count(
            [("state", "in", ["new", "investigating", "proposed", "approved"])]
        )
        total = seconds = queries = batches = 0
        while True:
            env.invalidate_all()
            with Meter(env) as meter:
                done = Complaint._cron_escalate_overdue()
                env.flush_all()
            if not done:
                seconds += meter.seconds
                queries += meter.queries
                break
            total, batches = total + done, batches + 1
            seconds += meter.seconds
            queries += meter.queries
        ours = (seconds, queries, total, batches, open_count)

    with rolled_back(reg) as cr:
        env = environment(cr)
        Sla = env["helpdesk.ticket.sla"]
        cr.execute(
            "SELECT id FROM helpdesk_ticket_sla ORDER BY id DESC LIMIT %s", [overdue]
        )
        late = [row[0] for row in cr.fetchall()]
        cr.execute(
            "UPDATE helpdesk_ticket_sla SET state = 'in_progress', "
            "deadline = (now() at time zone 'utc') "
            "+ make_interval(days => 1 + id %% 30) "
            "WHERE NOT id = ANY(%s)",
            [late],
        )
        cr.execute(
            "UPDATE helpdesk_ticket_sla SET state = 'in_progress', "
            "deadline = (now() at time zone 'utc') - interval '1 day' "
            "WHERE id = ANY(%s)",
            [late],
        )
        cr.execute(
            "UPDATE helpdesk_ticket SET stage_id = %s WHERE id IN "
            "(SELECT ticket_id FROM helpdesk_ticket_sla)",
            [env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id],
        )
        cr.execute("ANALYZE helpdesk_ticket_sla")
        cr.execute("ANALYZE helpdesk_ticket")
        env.invalidate_all()
        open_peer = env["helpdesk.ticket"].search_count([])
        total_p = seconds_p = queries_p = batches_p = 0
        todo = env.ref("mail.mail_activity_data_todo")
        while True:
            env.invalidate_all()
            with Meter(env) as meter:
                slas = Sla.search(
                    [("expired", "=", True), ("state", "=", "in_progress")],
                    limit=200,
                    order="deadline, id",
                )
                for sla in slas:
                    ticket = sla.ticket_id
                    sla.state = "expired"
                    user = ticket.user_id or env.user
                    ticket.activity_schedule(
                        activity_type_id=todo.id,
                        summary=f"SLA {sla.name} expired on {ticket.number}",
                        user_id=user.id,
                        date_deadline=date.today(),
                    )
                    ticket.message_post(
                        body=f"SLA {sla.name} expired (deadline {sla.deadline}).",
                        partner_ids=user.partner_id.ids,
                        subtype_xmlid="mail.mt_note",
                    )
                env.flush_all()
            seconds_p += meter.seconds
            queries_p += meter.queries
            if not slas:
                break
            total_p, batches_p = total_p + len(slas), batches_p + 1
        peer = (seconds_p, queries_p, total_p, batches_p, open_peer)
    table.add(
        f"escalation sweep: {ours[2]:,} overdue among {ours[4]:,} open "
        f"(peer: {peer[2]:,} expired SLA rows, {peer[4]:,} open tickets), "
        "until nothing is left",
        ours[:2],
        peer[:2],
        note=f"{ours[3]} vs {peer[3]} batches; "
        f"{ours[1] / max(ours[3], 1):.0f} vs {peer[1] / max(peer[3], 1):.0f} "
        f"queries/batch; {ours[1] / max(ours[2], 1):.1f} vs "
        f"{peer[1] / max(peer[2], 1):.1f} queries/record",
    )
    if ours[2] == 0 or peer[2] == 0:
        table.failed("escalation sweep processed nothing", f"{ours[2]} / {peer[2]}")


# ---------------------------------------------------------------- views
def _eval_context(env):
    today = date.today()
    return {
        "uid": env.uid,
        "context": dict(env.context),
        "context_today": lambda: today,
        "datetime": safe.datetime,
        "relativedelta": relativedelta,
        "timedelta": timedelta,
        "time": safe.time,
        "current_date": today.isoformat(),
        "allowed_company_ids": env.companies.ids,
    }


def action_defaults(env, xmlid, search_arch):
    """(domain, groupby, context) of the action's default search filters."""
    action = env.ref(xmlid).sudo()
    evalctx = _eval_context(env)
    context = safe_eval(action.context or "{}", evalctx)
    domain = safe_eval(action.domain or "[]", evalctx)
    groupby = list(context.get("group_by") or [])
    arch = etree.fromstring(search_arch)
    for key, value in context.items():
        if not (key.startswith("search_default_") and value):
            continue
        name = key[len("search_default_") :]
        for node in arch.iter("filter"):
            if node.get("name") != name:
                continue
            if node.get("domain"):
                domain = (
                    ["&", *domain, *safe_eval(node.get("domain"), evalctx)]
                    if (domain)
                    else safe_eval(node.get("domain"), evalctx)
                )
            if node.get("context"):
                group = safe_eval(node.get("context"), evalctx).get("group_by")
                if group:
                    groupby += [group] if isinstance(group, str) else list(group)
    return domain, groupby, action


def specification(env, model, arch):
    fields = env[model]._fields
    spec = {}
    root = etree.fromstring(arch)
    for node in root.iter("field"):
        # Fields of an embedded sub-view belong to another model.
        parent = node.getparent()
        nested = False
        while parent is not None and parent is not root:
            if parent.tag in ("list", "tree", "form", "kanban"):
                nested = True
                break
            parent = parent.getparent()
        name = node.get("name")
        if nested or name not in fields:
            continue
        field = fields[name]
        if field.type in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def view_calls(env, model, action_xmlid, date_field, overdue_domain):
    """The callables of the four measured views for ``env``'s user."""
    Model = env[model]
    views = Model.get_views(
        [(False, "list"), (False, "kanban"), (False, "search")],
        {"load_filters": True, "toolbar": True},
    )
    domain, groupby, action = action_defaults(
        env, action_xmlid, views["views"]["search"]["arch"]
    )
    ctx = safe_eval(action.context or "{}", _eval_context(env))
    ctx = {k: v for k, v in ctx.items() if not k.startswith("search_default_")}
    Model = Model.with_context(**ctx)
    list_spec = specification(env, model, views["views"]["list"]["arch"])
    kanban_arch = views["views"]["kanban"]["arch"]
    kanban_spec = specification(env, model, kanban_arch)
    kanban_group = etree.fromstring(kanban_arch).get("default_group_by")

    def list_page():
        if groupby:
            return Model.web_read_group(domain, [], groupby[:1], limit=80)
        return Model.web_search_read(
            domain, list_spec, offset=0, limit=80, count_limit=10001
        )

    def kanban_page():
        if kanban_group:
            groups = Model.web_read_group(domain, [], [kanban_group], limit=10)
            for group in groups["groups"][:10]:
                if group.get("__fold"):
                    continue
                Model.web_search_read(group["__domain"], kanban_spec, limit=40)
            return groups
        return Model.web_search_read(domain, kanban_spec, limit=40)

    def pivot():
        return Model.read_group(
            [],
            ["__count"],
            ["category_id", f"{date_field}:month"],
            lazy=False,
        )

    def overdue():
        return Model.web_search_read(
            overdue_domain, list_spec, limit=80, count_limit=10001
        )

    return {
        "list": list_page,
        "kanban": kanban_page,
        "pivot": pivot,
        "overdue": overdue,
    }


def repeat(env, func, times):
    samples = []
    for _i in range(times):
        env.invalidate_all()
        with Meter(env) as meter:
            func()
        samples.append((meter.seconds, meter.queries))
    return median_pair(samples)


VIEW_LABELS = {
    "list": "list, first page (action's default filter)",
    "kanban": "kanban, first page (grouped, 40 per column)",
    "pivot": "pivot category x month (read_group, all records)",
    "overdue": "search is_overdue = True (peer: sla_expired = True), first page",
}


def settle(reg):
    """VACUUM (ANALYZE) both tables: the rounds before (5,000 creates three
    times, the sweep) were rolled back, leaving dead rows and pages no longer
    all-visible that autovacuum has not reached yet. A database in use
    between such bursts is vacuumed; the views are measured in that state,
    for both sides alike."""
    with reg.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute("VACUUM (ANALYZE) complaint_complaint, helpdesk_ticket")
        finally:
            cr._cnx.autocommit = False


def pivot_plan(env, func):
    """The top scan of the pivot's grouping query in ``env``'s user's plan,
    as PostgreSQL chooses it on this table (nothing forced)."""
    statements = []
    execute = type(env.cr).execute

    def spy(cr, query, params=None, log_exceptions=True):
        statements.append((query, params))
        return execute(cr, query, params, log_exceptions)

    with patch.object(type(env.cr), "execute", spy):
        func()
    grouping = [
        (query, params)
        for query, params in statements
        if "GROUP BY" in str(query) and "complaint_complaint" in str(query)
    ]
    if not grouping:
        return "no grouping query seen"
    query, params = grouping[-1]
    if isinstance(query, SQL):
        env.cr.execute(SQL("EXPLAIN %s", query))
    else:
        env.cr.execute("EXPLAIN " + query, params)
    plan = [row[0] for row in env.cr.fetchall()]
    scans = [
        line.strip().lstrip("-> ").split("  (")[0]
        for line in plan
        if " Scan " in f" {line.strip().lstrip('-> ')}"
    ]
    return "; ".join(scans) or plan[0]


def measure_views(reg, table, args):
    """Each role's list, kanban, pivot and overdue search, both sides; and,
    as a note row per role, the scan PostgreSQL picks for the pivot: at this
    size the statistics index (complaint_complaint_statistics_index) should
    answer it by an index-only scan, which unit tests on a few rows cannot
    show."""
    settle(reg)
    for role, (login, peer_login) in ROLES.items():
        results = {}
        for side, user, model, action, date_field, overdue in (
            (
                "ours",
                login,
                "complaint.complaint",
                COMPLAINT_ACTION,
                "date_received",
                [("is_overdue", "=", True)],
            ),
            (
                "peer",
                peer_login,
                "helpdesk.ticket",
                TICKET_ACTION,
                "create_date",
                [("sla_expired", "=", True)],
            ),
        ):
            with rolled_back(reg) as cr:
                env = user_env(cr, user)
                try:
                    calls = view_calls(env, model, action, date_field, overdue)
                    for key, func in calls.items():
                        func()  # warm the registry caches for this user
                        results[(side, key)] = repeat(env, func, args.repeat)
                    if side == "ours":
                        results[(side, "plan")] = pivot_plan(env, calls["pivot"])
                except Exception as exc:  # noqa: BLE001 - reported in the table
                    traceback.print_exc()
                    results[(side, "error")] = f"{type(exc).__name__}: {exc}"[:120]
        for key, label in VIEW_LABELS.items():
            ours, peer = results.get(("ours", key)), results.get(("peer", key))
            note = (
                results.get(("ours", "error")) or results.get(("peer", "error")) or ""
            )
            if ours is None and peer is None:
                table.failed(f"{role}: {label}", note or "no figure")
                continue
            table.add(
                f"{role} ({login} vs {peer_login}): {label}",
                ours,
                peer,
                note=note,
            )
            if ours is None or peer is None:
                table.failed(f"{role}: {label} (one side missing)", note)
        if ("ours", "plan") in results:
            table.add(
                f"{role} ({login}): pivot plan",
                note=results[("ours", "plan")],
                info=True,
            )
        log(f"  views measured for {role}")


# -------------------------------------------------------------- reports
def measure_reports(table, args, config_path, database):
    results = {}
    for kind in ("register", "odoo_export", "pdf"):
        cmd = [
            sys.executable,
            os.path.join(HERE, "reports.py"),
            "-c",
            config_path,
            "-d",
            database,
            "--count",
            str(args.count),
            "--forms",
            str(args.forms),
            "--only",
            kind,
        ]
        out = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if out.returncode:
            sys.stderr.write(out.stderr[-3000:])
            results[kind] = None
            continue
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    reg, exp, pdf = results["register"], results["odoo_export"], results["pdf"]
    if reg and exp:
        table.add(
            f"register XLSX of {reg['rows']:,} complaints (peer: Odoo's list export "
            "of the same 22 columns)",
            (reg["seconds"], None),
            (exp["seconds"], None),
            note=f"peak memory growth {reg['peak_mb']:.0f} MB "
            f"vs {exp['peak_mb']:.0f} MB",
        )
    else:
        table.failed("register XLSX", "reports.py failed (see stderr)")
    if pdf:
        table.add(
            f"complaint forms as one PDF ({pdf['rows']} forms)",
            (pdf["seconds"], None),
            None,
            note=f"{pdf['seconds'] / max(pdf['rows'], 1):.3f} s/form; "
            f"peak memory growth {pdf['peak_mb']:.0f} MB; no peer report",
        )
    else:
        table.failed("complaint forms PDF", "reports.py failed (see stderr)")


# ----------------------------------------------------------------- load
def measure_load(table, args, config_path, database):
    try:
        sys.path.insert(0, HERE)
        from load import run_load  # noqa: PLC0415 (written beside this file)
    except ImportError as exc:
        print(f"load test skipped: benchmarks/load.py has no run_load ({exc})")
        table.add("load test", None, None, note="skipped: load.py missing", info=True)
        return
    result = run_load(
        config_path,
        database,
        clients=args.clients,
        seconds=args.load_seconds,
        think=args.think,
    )
    if not result:
        table.failed("load test", "run_load returned nothing")
        return
    for key, value in sorted(result.items()):
        if key.startswith("_") or value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            table.add(
                f"load ({args.clients} clients, {args.load_seconds} s, "
                f"think {args.think} s): {key}",
                (float(value), None),
                None,
                unit="",
            )
        else:
            table.add(f"load: {key}", None, None, note=str(value)[:160], info=True)


# ----------------------------------------------------------------- main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", default=".odoo.conf")
    parser.add_argument("-d", "--database")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--create", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument(
        "--one-customer", type=int, default=300, help="creates on one customer"
    )
    parser.add_argument(
        "--history", type=int, default=3000, help="its earlier complaints"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--overdue", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--forms", type=int, default=500)
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument(
        "--only",
        choices=["create", "one_customer", "sweep", "views", "reports", "load"],
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the create")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument(
        "--think", type=float, default=0.0, help="load clients' pause (load.py)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.database = args.database or SMOKE_DB
        args.count = min(args.count, 300)
        args.create, args.rounds, args.repeat = 100, 1, 1
        args.one_customer, args.history = 50, 100
        args.overdue, args.forms = 10, 3
    args.database = args.database or DEFAULT_DB
    return args


def main(argv=None):
    args = parse_args(argv)
    config_path = os.path.abspath(args.config)
    started = time.perf_counter()
    small = {}
    if args.smoke:
        # The smoke database is the runner's own: remade when stale.
        small = {
            "customers": 60,
            "orders": 300,
            "duplicate_groups": 5,
            "replace": True,
        }
    generate(config_path, args.database, args.count, **small)
    reg = registry(args.database)
    table = Table()
    steps = {
        "create": lambda: measure_create(reg, table, args),
        "one_customer": lambda: measure_create_one_customer(reg, table, args),
        "sweep": lambda: measure_sweep(reg, table, args),
        "views": lambda: measure_views(reg, table, args),
        "reports": lambda: measure_reports(table, args, config_path, args.database),
    }
    for name, step in steps.items():
        if args.only and name != args.only:
            continue
        if name == "reports" and args.skip_reports:
            continue
        log(f"measuring: {name}")
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a failed measure is a row
            traceback.print_exc()
            table.failed(name, f"{type(exc).__name__}: {exc}"[:160])
    if args.load or args.only == "load":
        log("measuring: load (benchmarks/load.py)")
        try:
            measure_load(table, args, config_path, args.database)
        except Exception as exc:  # noqa: BLE001 - a failed measure is a row
            traceback.print_exc()
            table.failed("load", f"{type(exc).__name__}: {exc}"[:160])
    odoo.sql_db.close_all()
    print()
    print(
        f"database {args.database}: {args.count:,} complaints and {args.count:,} "
        f"tickets; ratio = complaint_center / peer (below 1: the addon is faster)"
    )
    print(table.render())
    log(f"benchmarks done in {time.perf_counter() - started:.0f} s")
    missing = table.missing()
    if missing:
        print("measures without a figure: " + "; ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
