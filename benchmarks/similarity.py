"""Benchmark: the similar-complaints lookup on a large table.

Times the lookup the complaint form runs for one new description (all its
criteria: text by trigrams, customer, order, products; target <= 50 ms),
prints the ``EXPLAIN ANALYZE`` plan of the text part (the GIN trigram index
of ``description_key`` in use), and the precision and recall of the text
match over the planted near-duplicate groups of
``bench_planted_duplicate(complaint_id, group_no)``. Everything runs in one
transaction that is rolled back.

    .venv/bin/python benchmarks/similarity.py -c .odoo.conf -d complaint_center_bench

``--copy-from DB`` first copies the complaints and planted groups of DB (a
busy benchmark database, read only) into a database of one's own (name
``complaint_center_sim*``, the addon installed; committed there).
``--generate N`` first fills a database of one's own (its name must start
with ``complaint_center_sim``; the addon installed) with N complaints in
SQL, English and Chinese descriptions from templates, and planted groups of
3-4 rewordings of one matter by different customers; that data is committed.

Odoo must be importable: ODOO_PATH (default /opt/odoo18) is put on sys.path.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))

from psycopg2.extras import execute_values  # noqa: E402

import odoo  # noqa: E402
from odoo.fields import Command  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402

SIM_PREFIX = "complaint_center_sim"

PRODUCTS_EN = [
    "soy sauce 500ml",
    "rice vinegar 1l",
    "chili oil 250ml",
    "sesame paste 300g",
    "oyster sauce 700g",
    "dried noodles 1kg",
    "jasmine rice 5kg",
    "green tea 200g",
    "plum juice 1l",
    "peanut oil 5l",
]
PRODUCTS_ZH = [
    "酱油500毫升",
    "米醋1升",
    "辣椒油250毫升",
    "芝麻酱300克",
    "蚝油700克",
    "挂面1千克",
    "茉莉香米5千克",
    "绿茶200克",
    "酸梅汁1升",
    "花生油5升",
]
ISSUES_EN = [
    "arrived with a broken seal",
    "smells sour and tastes off",
    "has foreign matter inside",
    "was delivered three days late",
    "came in a crushed carton",
    "is past its expiry date",
    "was short by two boxes",
    "leaked all over the pallet",
]
ISSUES_ZH = [
    "封口破损",
    "有酸味，口感变质",
    "里面有异物",
    "晚到了三天",
    "外箱被压坏",
    "已经过了保质期",
    "少了两箱",
    "漏得整个托盘都是",
]
REMEDIES_EN = ["a refund", "an exchange", "a replacement", "compensation"]
REMEDIES_ZH = ["退款", "换货", "补发", "赔偿"]
EN = [
    "The {product} of batch {batch} delivered on {date} {issue}. We want {remedy}.",
    "Order {order}: our {product} (batch {batch}) {issue}; please arrange {remedy}.",
    "Customer reports that the {product} received {date} {issue}. Asks for {remedy}.",
]
EN_REWORD = [
    "Hello, the {product} from batch {batch} that came on {date} {issue}. "
    "Could you arrange {remedy}?",
    "We have a problem with the {product} (batch {batch}, delivered {date}): "
    "it {issue}. We would like {remedy}.",
    "Regarding batch {batch}: our {product} received on {date} {issue}. "
    "Please offer {remedy}.",
    "The {product} delivered {date}, batch no. {batch}, {issue}. Requesting "
    "{remedy}, thank you.",
]
ZH = [
    "{date}收到的{product}（批号{batch}）{issue}，要求{remedy}。",
    "关于订单{order}：{product}{issue}。批号{batch}，客户要求{remedy}。",
    "客户反映：{date}送达的{product}{issue}，批次{batch}，请求{remedy}。",
]
ZH_REWORD = [
    "您好，{date}送来的{product}（批号{batch}）{issue}，能否安排{remedy}？",
    "我们的{product}有问题：批次{batch}，{date}送达，{issue}，希望{remedy}。",
    "关于批号{batch}：{date}收到的{product}{issue}，请给予{remedy}。",
    "{date}到货的{product}，批号{batch}，{issue}。请{remedy}，谢谢。",
]


def _matter(rnd, received):
    return {
        "index": rnd.randrange(len(PRODUCTS_EN)),
        "issue": rnd.randrange(len(ISSUES_EN)),
        "remedy": rnd.randrange(len(REMEDIES_EN)),
        "batch": f"{rnd.choice('ABCDEFGH')}{rnd.randint(1000, 9999)}",
        "date": received - timedelta(days=rnd.randint(1, 20)),
        "order": f"S{rnd.randint(10000, 99999)}",
    }


def _text(matter, lang, template):
    if lang == "en":
        values = {
            "product": PRODUCTS_EN[matter["index"]],
            "issue": ISSUES_EN[matter["issue"]],
            "remedy": REMEDIES_EN[matter["remedy"]],
            "date": matter["date"].strftime("%d %B %Y"),
        }
    else:
        values = {
            "product": PRODUCTS_ZH[matter["index"]],
            "issue": ISSUES_ZH[matter["issue"]],
            "remedy": REMEDIES_ZH[matter["remedy"]],
            "date": matter["date"].strftime("%Y年%m月%d日"),
        }
    return template.format(batch=matter["batch"], order=matter["order"], **values)


def generate(env, count, groups, seed):
    """``count`` complaints in SQL (``groups`` planted groups among them),
    received over 24 months, most closed; the normalised key computed by
    the addon's own function."""
    from odoo.addons.complaint_center.core.similarity import search_key

    rnd = random.Random(seed)
    cr = env.cr
    company = env.company
    partners = env["res.partner"].create(
        [{"name": f"Sim Customer {i}", "is_company": True} for i in range(2000)]
    )
    now = datetime.now().replace(microsecond=0)
    rows = []
    planted = []
    group_no = 0
    states = ["closed"] * 85 + ["new", "investigating", "proposed", "approved"] * 3
    states += ["rejected", "cancelled", "resolved"]
    while len(rows) < count:
        received = now - timedelta(minutes=rnd.randint(0, 24 * 30 * 24 * 60))
        lang = rnd.choices(("en", "zh"), weights=(45, 55))[0]
        matter = _matter(rnd, received)
        if group_no < groups and rnd.random() < groups * 4 / count:
            group_no += 1
            templates = EN_REWORD if lang == "en" else ZH_REWORD
            size = rnd.choice((3, 4))
            members = rnd.sample(partners.ids, size)
            for number, partner_id in enumerate(members):
                at = received + timedelta(hours=rnd.randint(0, 96))
                text = _text(matter, lang, templates[number % len(templates)])
                rows.append((partner_id, at, text, rnd.choice(states)))
                planted.append((len(rows) - 1, group_no))
            continue
        template = rnd.choice(EN if lang == "en" else ZH)
        rows.append(
            (
                rnd.choice(partners.ids),
                received,
                _text(matter, lang, template),
                rnd.choice(states),
            )
        )
    values = [
        (
            f"SIM-{index:07d}",
            company.id,
            partner_id,
            partner_id,
            company.currency_id.id,
            "phone",
            "general",
            state,
            received,
            env.uid,
            f"<p>{text}</p>",
            search_key(text),
            True,
        )
        for index, (partner_id, received, text, state) in enumerate(rows)
    ]
    ids = execute_values(
        cr._obj,
        """INSERT INTO complaint_complaint (name, company_id, partner_id,
            commercial_partner_id, currency_id, channel, severity, state,
            date_received, first_responder_id, description, description_key,
            active) VALUES %s RETURNING id""",
        values,
        page_size=5000,
        fetch=True,
    )
    ids = [row[0] for row in ids]
    cr.execute(
        "CREATE TABLE IF NOT EXISTS bench_planted_duplicate ("
        "complaint_id integer PRIMARY KEY REFERENCES complaint_complaint(id) "
        "ON DELETE CASCADE, group_no integer NOT NULL)"
    )
    execute_values(
        cr._obj,
        "INSERT INTO bench_planted_duplicate (complaint_id, group_no) VALUES %s",
        [(ids[index], number) for index, number in planted],
    )
    cr.execute("ANALYZE complaint_complaint")
    return len(ids), group_no


def copy_from(env, source):
    """The complaints (description, state, receipt, customer mapped onto
    local customers) and planted groups of database ``source``, read only,
    into this one; keys computed by the addon's current normalisation."""
    from odoo.addons.complaint_center.core.similarity import search_key

    cr = env.cr
    company = env.company
    partners = env["res.partner"].create(
        [{"name": f"Copied Customer {i}", "is_company": True} for i in range(2000)]
    )
    with odoo.sql_db.db_connect(source).cursor() as src:
        src.execute(
            "SELECT id, partner_id, state, date_received, description "
            "FROM complaint_complaint ORDER BY id"
        )
        source_rows = src.fetchall()
        src.execute("SELECT complaint_id, group_no FROM bench_planted_duplicate")
        planted = src.fetchall()
        src.rollback()
    values = [
        (
            f"COPY-{index:07d}",
            company.id,
            partners[partner_id % len(partners)].id,
            partners[partner_id % len(partners)].id,
            company.currency_id.id,
            "phone",
            "general",
            state,
            received,
            env.uid,
            html,
            search_key(html) or None,
            True,
        )
        for index, (_id, partner_id, state, received, html) in enumerate(source_rows)
    ]
    ids = execute_values(
        cr._obj,
        """INSERT INTO complaint_complaint (name, company_id, partner_id,
            commercial_partner_id, currency_id, channel, severity, state,
            date_received, first_responder_id, description, description_key,
            active) VALUES %s RETURNING id""",
        values,
        page_size=5000,
        fetch=True,
    )
    local = {row[0]: new[0] for row, new in zip(source_rows, ids, strict=True)}
    cr.execute(
        "CREATE TABLE IF NOT EXISTS bench_planted_duplicate ("
        "complaint_id integer PRIMARY KEY REFERENCES complaint_complaint(id) "
        "ON DELETE CASCADE, group_no integer NOT NULL)"
    )
    execute_values(
        cr._obj,
        "INSERT INTO bench_planted_duplicate (complaint_id, group_no) VALUES %s",
        [(local[cid], number) for cid, number in planted if cid in local],
    )
    cr.execute(
        "SELECT gin_clean_pending_list('complaint_complaint__description_key_index')"
    )
    cr.execute("ANALYZE complaint_complaint")
    return len(values), len({number for _cid, number in planted})


def _groups(cr, limit, rnd):
    cr.execute("SELECT complaint_id, group_no FROM bench_planted_duplicate")
    groups = {}
    for complaint_id, group_no in cr.fetchall():
        groups.setdefault(group_no, []).append(complaint_id)
    chosen = sorted(groups)
    rnd.shuffle(chosen)
    return {number: groups[number] for number in chosen[:limit]}


def check_keys(env, rekey):
    """The stored keys must be the addon's current normalisation; with
    ``rekey`` they are recomputed here (rolled back with the rest)."""
    from odoo.addons.complaint_center.core.similarity import search_key

    cr = env.cr
    cr.execute(
        "SELECT id, description, description_key FROM complaint_complaint "
        "ORDER BY id DESC LIMIT 500"
    )
    stale = sum(1 for _id, html, key in cr.fetchall() if search_key(html) != key)
    if not stale:
        return
    if not rekey:
        raise SystemExit(
            f"{stale} of the last 500 complaints have a stale description_key: "
            "update the addon, or pass --rekey (recomputed in this transaction)"
        )
    start = time.perf_counter()
    cr.execute("SELECT id, description FROM complaint_complaint")
    rows = [(cid, search_key(html) or None) for cid, html in cr.fetchall()]
    execute_values(
        cr._obj,
        "UPDATE complaint_complaint c SET description_key = v.key "
        "FROM (VALUES %s) AS v(id, key) WHERE c.id = v.id",
        rows,
        page_size=5000,
    )
    # The updated entries wait in the GIN pending list: merge them, as
    # autovacuum would, so that lookups read the index as it will be.
    cr.execute(
        "SELECT gin_clean_pending_list('complaint_complaint__description_key_index')"
    )
    cr.execute("ANALYZE complaint_complaint")
    print(f"recomputed {len(rows)} keys in {time.perf_counter() - start:.1f} s")


def measure(env, runs, limit, seed):
    from odoo.addons.complaint_center.core.similarity import codes, search_key
    from odoo.addons.complaint_center.models.complaint_complaint import (
        CANDIDATE_LIMIT,
        SIMILAR_LIMIT,
    )

    cr = env.cr
    Complaint = env["complaint.complaint"]
    rnd = random.Random(seed)
    cr.execute("SELECT count(*), count(description_key) FROM complaint_complaint")
    total, keyed = cr.fetchone()
    print(f"complaints: {total} ({keyed} with a normalised description)")
    groups = _groups(cr, limit, rnd)
    members = [cid for ids in groups.values() for cid in ids]
    print(f"planted groups used: {len(groups)} ({len(members)} complaints)")
    if not groups:
        raise SystemExit("no planted groups: bench_planted_duplicate is empty")

    # 1. The form's lookup for one new description, as the form runs it:
    # a new record (customer, order, products, description of a planted
    # complaint), its text normalised, every criterion in one query.
    probes = Complaint.browse([ids[0] for ids in groups.values()][:runs])
    timings = []
    Complaint._similar_set_threshold()
    for probe in probes:
        draft = Complaint.new(
            {
                "company_id": probe.company_id.id,
                "partner_id": probe.partner_id.id,
                "sale_order_id": probe.sale_order_id.id,
                "product_ids": [Command.set(probe.product_ids.ids)],
                "description": probe.description,
            }
        )
        start = time.perf_counter()
        draft._similar_matches()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"lookup (all criteria, {len(timings)} runs): median "
        f"{statistics.median(timings):.1f} ms, p95 "
        f"{timings[max(int(len(timings) * 0.95) - 1, 0)]:.1f} ms, "
        f"max {timings[-1]:.1f} ms"
    )

    # 2. The plan of the text part (EXPLAIN ANALYZE).
    probe = probes[0]
    text = Complaint._similar_text_query(
        SQL("c.company_id = o.company_id AND c.id != o.self_id")
    )
    query = SQL(
        "SELECT * FROM (VALUES (%s, %s, %s::text, %s::text[])) "
        "AS o(self_id, company_id, key, codes) CROSS JOIN LATERAL (%s) AS m",
        probe.id,
        probe.company_id.id,
        search_key(probe.description),
        codes(probe.description),
        text,
    )
    cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
    print("plan of the text lookup:")
    for (line,) in cr.fetchall():
        print("   ", line)

    # 3. Precision and recall of the text match over the planted groups:
    # each member looks for the rest of its group, whatever their dates,
    # among all the complaints. The form shows the best SIMILAR_LIMIT.
    shown = SIMILAR_LIMIT
    hits = {"shown": 0, "r": 0, "all": 0}
    retrieved = {"shown": 0, "all": 0}
    expected_all = 0
    text_timings = []
    for ids in groups.values():
        for complaint in Complaint.browse(ids):
            start = time.perf_counter()
            cr.execute(
                SQL(
                    "SELECT m.id FROM (VALUES (%s, %s, %s::text, %s::text[])) "
                    "AS o(self_id, company_id, key, codes) "
                    "CROSS JOIN LATERAL (%s) AS m",
                    complaint.id,
                    complaint.company_id.id,
                    search_key(complaint.description),
                    codes(complaint.description),
                    text,
                )
            )
            found = [row[0] for row in cr.fetchall()]
            text_timings.append((time.perf_counter() - start) * 1000)
            expected = set(ids) - {complaint.id}
            expected_all += len(expected)
            hits["shown"] += len(set(found[:shown]) & expected)
            hits["r"] += len(set(found[: len(expected)]) & expected)
            hits["all"] += len(set(found) & expected)
            retrieved["shown"] += len(found[:shown])
            retrieved["all"] += len(found)
    print(
        f"text lookup over all complaints ({len(text_timings)} runs): median "
        f"{statistics.median(text_timings):.1f} ms, threshold "
        f"pg_trgm.similarity_threshold = {_threshold(cr)}"
    )
    print(
        f"R-precision (best |group|-1): {hits['r'] / expected_all:.3f} "
        f"({hits['r']}/{expected_all})"
    )
    print(
        f"the {shown} shown: precision {hits['shown'] / max(retrieved['shown'], 1):.3f}"
        f" ({hits['shown']}/{retrieved['shown']}), recall "
        f"{hits['shown'] / expected_all:.3f} ({hits['shown']}/{expected_all})"
    )
    print(
        f"all {CANDIDATE_LIMIT} candidates: precision "
        f"{hits['all'] / max(retrieved['all'], 1):.3f} "
        f"({hits['all']}/{retrieved['all']}), recall "
        f"{hits['all'] / expected_all:.3f} ({hits['all']}/{expected_all})"
    )


def _threshold(cr):
    cr.execute("SHOW pg_trgm.similarity_threshold")
    return cr.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=50, help="timed lookups")
    parser.add_argument("--groups", type=int, default=200, help="groups scored")
    parser.add_argument("--generate", type=int, default=0, metavar="N")
    parser.add_argument("--planted", type=int, default=500, help="groups generated")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument(
        "--copy-from",
        metavar="DB",
        help="copy the complaints and planted groups of DB (read only) first",
    )
    parser.add_argument(
        "--rekey",
        action="store_true",
        help="recompute stale description keys (in the rolled-back transaction)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="pg_trgm.similarity_threshold to try instead of the addon's",
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    if args.threshold:
        from odoo.addons.complaint_center.core import similarity

        similarity.THRESHOLD = args.threshold
    registry = odoo.modules.registry.Registry(args.database)
    if args.generate or args.copy_from:
        if not args.database.startswith(SIM_PREFIX):
            raise SystemExit(f"data is made only in databases named {SIM_PREFIX}*")
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            start = time.perf_counter()
            if args.copy_from:
                count, groups = copy_from(env, args.copy_from)
            else:
                count, groups = generate(env, args.generate, args.planted, args.seed)
            cr.commit()
            print(
                f"generated {count} complaints ({groups} planted groups) in "
                f"{time.perf_counter() - start:.1f} s"
            )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            check_keys(env, args.rekey)
            measure(env, args.runs, args.groups, args.seed)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
