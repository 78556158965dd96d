"""Benchmark: similar complaints, on a labelled evaluation set among a large
table of complaints.

    .venv/bin/python benchmarks/similarity.py -c .odoo.conf -d complaint_center_bench

The evaluation set (``benchmarks/data/similar_pairs_zh.txt`` and
``similar_pairs_en.txt``) holds pairs of descriptions labelled by hand: the
same matter told in other words (``reword``), with a synonym (``synonym``),
at another length (``length``), or a near miss that is NOT the same matter
(``near_miss``: the same product or the same kind of words, another
problem). Both texts of every pair are added as complaints of the company
among the database's complaints (100,000 from ``generate.py``, furniture
complaints in English and Chinese), in a transaction that is rolled back.
Then each text of each pair looks for similar complaints among all of them
(no date window), and each method reports, per language:

- recall@8: the share of the labelled rewordings found among the 8 shown,
  both ways (a finds b, b finds a);
- near misses shown: the share of near misses found among the 8 shown;
- precision: of the evaluation set's complaints shown, the share that are
  labelled the same matter (the background complaints are not labelled);
- the text lookup's median and p95 (ms).

Methods: the addon's (words: jieba for Chinese, English stems; two shared
words through the GIN index of their tsvector; Dice ranking from a floor;
the company's synonyms), the same without synonyms, and the trigram method
of 18.0.1.3.0 (Chinese character-bigram hashes, ``pg_trgm`` similarity
from 0.45), rebuilt here in a temporary table with its own trigram index.

Also timed: the lookup as the complaint form runs it (a new record with a
customer, its order and products, and a description of the set: every
criterion in one query, the window applied), median and p95.

The stored keys must be the addon's current ones: ``--rekey`` recomputes
stale keys and commits them; ``--fill N`` first adds complaints from
``generate.py``'s templates up to N in all (SQL, committed), to bring a
smaller generated database to 100,000 (benchmark databases only). Odoo must be
importable: ODOO_PATH (default /opt/odoo18) is put on sys.path.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))

from psycopg2.extras import execute_values  # noqa: E402

import odoo  # noqa: E402
from odoo.fields import Command  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
SHOWN = 8
BENCH_PREFIX = "complaint_center_"


def load_pairs(directory=DATA, suffix=""):
    """[(lang, kind, a, b)] from the evaluation files (``suffix``
    ``_heldout``: the held-out pairs)."""
    pairs = []
    for lang in ("zh", "en"):
        path = os.path.join(directory, f"similar_pairs_{lang}{suffix}.txt")
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip() or line.startswith("#"):
                    continue
                kind, first, second = (part.strip() for part in line.split("|"))
                pairs.append((lang, kind, first, second))
    return pairs


# The key of 18.0.1.3.0, for the comparison: ASCII words, Chinese runs as
# one word of character-bigram hashes, compared by pg_trgm.
TRGM_RUN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\W_]+")
TRGM_STOP = frozenset(
    """a an and are as at be but by can could for from had has have hello hi i
    in is it its me my no not of on or our please so that the their them then
    there they this to us was we were which will with would you your""".split()
)
TRGM_THRESHOLD = 0.45


def _trgm_token(chars):
    digest = hashlib.blake2b(chars.encode("utf-8"), digest_size=4).digest()
    number = int.from_bytes(digest, "big")
    token = ""
    for _index in range(4):
        number, digit = divmod(number, 36)
        token += "0123456789abcdefghijklmnopqrstuvwxyz"[digit]
    return token


def trigram_key(value):
    from odoo.addons.complaint_center.core.similarity import plain_text

    words = []
    for run in TRGM_RUN.findall(plain_text(value)):
        if run.isascii():
            if run in TRGM_STOP or (run.isdigit() and len(run) <= 4):
                continue
            words.append(run)
        elif len(run) == 1:
            words.append(_trgm_token(run))
        else:
            words.append(
                "".join(_trgm_token(run[i : i + 2]) for i in range(len(run) - 1))
            )
    return " ".join(words)


def check_keys(env, rekey):
    """The stored keys must be the addon's current ones; ``rekey``
    recomputes the stale ones and commits."""
    from odoo.addons.complaint_center.core.similarity import search_key

    cr = env.cr
    cr.execute(
        "SELECT id, description, description_key FROM complaint_complaint "
        "ORDER BY id DESC LIMIT 300"
    )
    stale = sum(
        1 for _id, html, key in cr.fetchall() if (search_key(html) or None) != key
    )
    if not stale:
        return
    if not rekey:
        raise SystemExit(
            f"{stale} of the last 300 complaints have a stale description_key: "
            "pass --rekey (recomputed and committed)"
        )
    start = time.perf_counter()
    cr.execute("SELECT id, description FROM complaint_complaint ORDER BY id")
    rows = [(cid, search_key(html) or None) for cid, html in cr.fetchall()]
    for first in range(0, len(rows), 5000):
        execute_values(
            cr._obj,
            "UPDATE complaint_complaint c SET description_key = v.key "
            "FROM (VALUES %s) AS v(id, key) WHERE c.id = v.id",
            rows[first : first + 5000],
            page_size=5000,
        )
    # The updated entries wait in the GIN pending list: merge them, as
    # autovacuum would, so that lookups read the index as it will be.
    cr.execute(
        "SELECT gin_clean_pending_list('complaint_complaint_description_words_index')"
    )
    cr.execute("ANALYZE complaint_complaint")
    cr.commit()
    print(f"recomputed {len(rows)} keys in {time.perf_counter() - start:.1f} s")


def fill(env, total, seed=20261207):
    """Complaints up to ``total`` in the table: SQL copies of one complaint
    with descriptions from ``generate.py``'s templates (furniture, English
    45 %, Chinese 55 %), the database's customers, closed, received over 24
    months; keys by the addon. Committed (benchmark databases only)."""
    import random
    from datetime import date, timedelta

    from generate import EN_TEMPLATES, ISSUES, PRODUCTS, REMEDIES, ZH_TEMPLATES

    from odoo.addons.complaint_center.core.similarity import search_key

    cr = env.cr
    cr.execute("SELECT count(*) FROM complaint_complaint")
    missing = total - cr.fetchone()[0]
    if missing <= 0:
        return 0
    start = time.perf_counter()
    rnd = random.Random(seed)
    company = env.company
    partners = (
        env["res.partner"]
        .search([("is_company", "=", True), ("customer_rank", ">", 0)], limit=2000)
        .ids
        or env["res.partner"].search([("is_company", "=", True)]).ids
    )
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaint_complaint' AND column_name NOT IN "
        "('id', 'name', 'access_token', 'partner_id', 'commercial_partner_id',"
        " 'sale_order_id', 'date_received', 'state', 'active', 'company_id',"
        " 'description', 'description_key')"
    )
    columns = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT id FROM complaint_complaint WHERE company_id = %s ORDER BY id LIMIT 1",
        [company.id],
    )
    template = cr.fetchone()[0]
    issues = [issue for values in ISSUES.values() for issue in values]
    today = date.today()
    values = []
    for index in range(missing):
        k = 0 if rnd.random() < 0.45 else 1
        day = today - timedelta(days=rnd.randint(0, 730))
        text = rnd.choice(EN_TEMPLATES if k == 0 else ZH_TEMPLATES).format(
            product=rnd.choice(PRODUCTS)[k],
            batch=f"B{rnd.randint(1000, 9999)}",
            date=day.isoformat() if k == 0 else day.strftime("%Y年%m月%d日"),
            issue=rnd.choice(issues)[k],
            remedy=rnd.choice(REMEDIES)[1 + k],
            order=f"S{rnd.randint(10000, 99999)}",
        )
        partner = rnd.choice(partners)
        values.append(
            (f"FILL-{index:07d}", partner, day, f"<p>{text}</p>", search_key(text))
        )
    for first in range(0, len(values), 5000):
        execute_values(
            cr._obj,
            f"""INSERT INTO complaint_complaint (name, partner_id,
                commercial_partner_id, date_received, description,
                description_key, state, active, company_id, {", ".join(columns)})
            SELECT v.name, v.partner_id, v.partner_id, v.day, v.description, v.key,
                'closed', TRUE, c.company_id,
                {", ".join(f'c."{col}"' for col in columns)}
            FROM (VALUES %s) AS v(name, partner_id, day, description, key)
            CROSS JOIN (SELECT * FROM complaint_complaint WHERE id = {template}) c
            """,  # noqa: S608
            values[first : first + 5000],
            page_size=5000,
        )
    cr.execute(
        "SELECT gin_clean_pending_list('complaint_complaint_description_words_index')"
    )
    cr.execute("ANALYZE complaint_complaint")
    cr.commit()
    print(f"filled {missing:,} complaints in {time.perf_counter() - start:.1f} s")
    return missing


def insert_evaluation(env, pairs):
    """Both texts of every pair as complaints of the company (SQL copies of
    one complaint, open, received today); {text: id}."""
    from odoo.addons.complaint_center.core.similarity import search_key

    cr = env.cr
    company = env.company
    texts = list(dict.fromkeys(text for pair in pairs for text in pair[2:]))
    partners = env["res.partner"].create(
        [{"name": f"Eval Customer {i}", "is_company": True} for i in range(40)]
    )
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaint_complaint' AND column_name NOT IN "
        "('id', 'name', 'access_token', 'partner_id', 'commercial_partner_id',"
        " 'sale_order_id', 'date_received', 'state', 'active', 'company_id',"
        " 'description', 'description_key')"
    )
    columns = [row[0] for row in cr.fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    cr.execute(
        "SELECT id FROM complaint_complaint WHERE company_id = %s ORDER BY id LIMIT 1",
        [company.id],
    )
    template = cr.fetchone()[0]
    values = [
        (
            f"EVAL-{index:05d}",
            partners[index % len(partners)].id,
            f"<p>{text}</p>",
            search_key(text) or None,
        )
        for index, text in enumerate(texts)
    ]
    rows = execute_values(
        cr._obj,
        f"""INSERT INTO complaint_complaint (name, partner_id,
            commercial_partner_id, description, description_key, state,
            active, company_id, date_received, {names})
        SELECT v.name, v.partner_id, v.partner_id, v.description, v.key,
            'investigating', TRUE, c.company_id, now() at time zone 'UTC',
            {", ".join(f'c."{col}"' for col in columns)}
        FROM (VALUES %s) AS v(name, partner_id, description, key)
        CROSS JOIN (SELECT * FROM complaint_complaint WHERE id = {template}) c
        RETURNING id""",  # noqa: S608
        values,
        page_size=1000,
        fetch=True,
    )
    cr.execute("ANALYZE complaint_complaint")
    return dict(zip(texts, [row[0] for row in rows], strict=True))


def words_lookup(env, groups, window=False):
    """The addon's text lookup for one description: among all the
    complaints, or with ``window`` among those the form offers (open, or
    received within the company's window)."""
    from odoo.addons.complaint_center.core import lifecycle, similarity

    Complaint = env["complaint.complaint"]
    eligible = SQL("c.company_id = o.company_id AND c.id != o.self_id")
    if window:
        eligible = SQL(
            "%s AND c.active AND c.state != 'cancelled' AND (c.state = ANY(%s)"
            " OR c.date_received >= now() at time zone 'UTC' - %s * interval '1 day')",
            eligible,
            list(lifecycle.OPEN_STATES),
            env.company.complaint_similar_days,
        )
    text = Complaint._similar_text_query(eligible)
    company_id = env.company.id

    def lookup(description, self_id):
        slots = similarity.query_slots(similarity.terms(description), groups)
        env.cr.execute(
            SQL(
                "SELECT m.id FROM (VALUES (%s, %s, %s::tsquery, %s::tsquery[],"
                " %s::text[])) AS o(self_id, company_id, query, slots, codes)"
                " CROSS JOIN LATERAL (%s) AS m LIMIT %s",
                self_id,
                company_id,
                similarity.quorum_query(slots),
                [similarity.slot_query(slot) for slot in slots],
                similarity.codes(description),
                text,
                SHOWN,
            )
        )
        return [row[0] for row in env.cr.fetchall()]

    return lookup


def trigram_lookup(env):
    """The lookup of 18.0.1.3.0 over a temporary copy of the keys."""
    cr = env.cr
    start = time.perf_counter()
    cr.execute("SELECT id, company_id, description FROM complaint_complaint")
    rows = [(cid, company, trigram_key(html)) for cid, company, html in cr.fetchall()]
    cr.execute(
        "CREATE TEMP TABLE bench_trgm (id int PRIMARY KEY, company_id int, key text)"
    )
    execute_values(cr._obj, "INSERT INTO bench_trgm VALUES %s", rows, page_size=5000)
    cr.execute("CREATE INDEX ON bench_trgm USING gin (key gin_trgm_ops)")
    cr.execute("ANALYZE bench_trgm")
    print(f"trigram keys and index (18.0.1.3.0) in {time.perf_counter() - start:.1f} s")
    cr.execute(
        "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
        [str(TRGM_THRESHOLD)],
    )
    company_id = env.company.id

    def lookup(description, self_id):
        from odoo.addons.complaint_center.core.similarity import codes

        key = trigram_key(description)
        cr.execute(
            """SELECT t.id FROM bench_trgm t
            WHERE t.key %% %s AND t.company_id = %s AND t.id != %s
            ORDER BY similarity(t.key, %s) + CASE WHEN EXISTS (
                SELECT 1 FROM unnest(%s::text[]) AS code
                WHERE ' ' || t.key || ' ' LIKE '%%%% ' || code || ' %%%%')
                THEN 0.3 ELSE 0 END DESC, t.id DESC
            LIMIT %s""",
            [key, company_id, self_id, key, codes(description), SHOWN],
        )
        return [row[0] for row in cr.fetchall()]

    return lookup


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def evaluate(name, lookup, pairs, ids, label=""):
    """Recall@8, near misses shown, precision and timings per language."""
    evaluation = set(ids.values())
    same = {}
    for _lang, kind, first, second in pairs:
        if kind != "near_miss":
            same.setdefault(ids[first], set()).add(ids[second])
            same.setdefault(ids[second], set()).add(ids[first])
    rows = []
    for lang in ("zh", "en"):
        found_same = total_same = found_miss = total_miss = 0
        shown_labelled = shown_right = 0
        timings = []
        for pair_lang, kind, first, second in pairs:
            if pair_lang != lang:
                continue
            for query, other in ((first, second), (second, first)):
                start = time.perf_counter()
                found = lookup(query, ids[query])
                timings.append((time.perf_counter() - start) * 1000)
                hit = ids[other] in found
                if kind == "near_miss":
                    total_miss += 1
                    found_miss += hit
                else:
                    total_same += 1
                    found_same += hit
                labelled = [cid for cid in found if cid in evaluation]
                shown_labelled += len(labelled)
                shown_right += sum(
                    1 for cid in labelled if cid in same.get(ids[query], ())
                )
        rows.append(
            {
                "method": name,
                "set": label,
                "lang": lang,
                "recall": found_same / max(total_same, 1),
                "found": f"{found_same}/{total_same}",
                "near_miss": found_miss / max(total_miss, 1),
                "precision": shown_right / max(shown_labelled, 1),
                "median": statistics.median(timings),
                "p95": _percentile(timings, 0.95),
            }
        )
    return rows


def form_lookup(env, pairs, runs):
    """The lookup as the form runs it (every criterion, the window): a new
    record with a customer, its order and products and a description."""
    Complaint = env["complaint.complaint"]
    order = env["sale.order"].search([("state", "=", "sale")], limit=1)
    texts = [text for pair in pairs for text in pair[2:]][:runs]
    timings = []
    for text in texts:
        draft = Complaint.new(
            {
                "company_id": env.company.id,
                "partner_id": order.partner_id.id,
                "sale_order_id": order.id,
                "product_ids": [Command.set(order.order_line.product_id.ids)],
                "description": f"<p>{text}</p>",
            }
        )
        start = time.perf_counter()
        draft._similar_matches()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), _percentile(timings, 0.95), len(timings)


def print_plan(env, pairs):
    from odoo.addons.complaint_center.core import similarity

    Complaint = env["complaint.complaint"]
    text = Complaint._similar_text_query(
        SQL("c.company_id = o.company_id AND c.id != o.self_id")
    )
    description = pairs[0][2]
    slots = similarity.query_slots(
        similarity.terms(description),
        similarity.parse_synonyms(env.company.complaint_similar_synonyms),
    )
    env.cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM (VALUES (0, %s, %s::tsquery,"
            " %s::tsquery[], %s::text[])) AS o(self_id, company_id, query, slots,"
            " codes) CROSS JOIN LATERAL (%s) AS m",
            env.company.id,
            similarity.quorum_query(slots),
            [similarity.slot_query(slot) for slot in slots],
            similarity.codes(description),
            text,
        )
    )
    print(f"plan of the text lookup for {description!r}:")
    for (line,) in env.cr.fetchall():
        print("   ", line)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=200, help="form lookups timed")
    parser.add_argument("--data", default=DATA, help="directory of the pairs")
    parser.add_argument(
        "--rekey", action="store_true", help="recompute stale keys (committed)"
    )
    parser.add_argument(
        "--skip-trigram", action="store_true", help="leave out 18.0.1.3.0's method"
    )
    parser.add_argument(
        "--fill",
        type=int,
        default=0,
        metavar="N",
        help="first add complaints up to N in all (committed)",
    )
    args = parser.parse_args()
    if not args.database.startswith(BENCH_PREFIX):
        raise SystemExit(f"benchmark databases only ({BENCH_PREFIX}*)")
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    pairs = load_pairs(args.data)
    heldout = load_pairs(args.data, "_heldout")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        check_keys(env, args.rekey)
        if args.fill:
            fill(env, args.fill)
    from odoo.addons.complaint_center.core import lifecycle, similarity

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            cr.execute("SELECT count(*) FROM complaint_complaint")
            total = cr.fetchone()[0]
            ids = insert_evaluation(env, pairs + heldout)
            positives = sum(1 for pair in pairs if pair[1] != "near_miss")
            print(
                f"complaints: {total:,} + {len(ids)} of the evaluation set "
                f"({len(pairs)} pairs: {positives} the same matter, "
                f"{len(pairs) - positives} near misses; {len(heldout)} held-out "
                "pairs)"
            )
            groups = similarity.parse_synonyms(env.company.complaint_similar_synonyms)
            days = env.company.complaint_similar_days
            cr.execute(
                "SELECT count(*) FROM complaint_complaint WHERE active AND "
                "state != 'cancelled' AND (state IN %s OR date_received >= "
                "now() at time zone 'UTC' - %s * interval '1 day')",
                [tuple(lifecycle.OPEN_STATES), days],
            )
            print(
                f"offered by the form (open, or received within {days} days): "
                f"{cr.fetchone()[0]:,}"
            )
            methods = [
                ("words + synonyms (addon), all complaints", words_lookup(env, groups)),
                (
                    f"words + synonyms (addon), as the form: open or {days} days",
                    words_lookup(env, groups, window=True),
                ),
                ("words, no synonyms, all complaints", words_lookup(env, [])),
            ]
            if not args.skip_trigram:
                methods.append(
                    (
                        f"trigrams {TRGM_THRESHOLD} (18.0.1.3.0), all complaints",
                        trigram_lookup(env),
                    )
                )
            rows = []
            for name, lookup in methods:
                lookup(pairs[0][2], 0)  # warm-up
                rows += evaluate(name, lookup, pairs, ids, "set")
                rows += evaluate(name, lookup, heldout, ids, "held out")
            print()
            print(
                "| method | pairs | lang | recall@8 | found | near misses shown | "
                "precision | median ms | p95 ms |"
            )
            print("|---|---|---|---:|---:|---:|---:|---:|---:|")
            for row in rows:
                print(
                    f"| {row['method']} | {row['set']} | {row['lang']} | "
                    f"{row['recall']:.3f} | "
                    f"{row['found']} | {row['near_miss']:.3f} | "
                    f"{row['precision']:.3f} | {row['median']:.1f} | "
                    f"{row['p95']:.1f} |"
                )
            median, p95, count = form_lookup(env, pairs, args.runs)
            print()
            print(
                f"lookup as the form runs it (every criterion, {count} runs): "
                f"median {median:.1f} ms, p95 {p95:.1f} ms"
            )
            print_plan(env, pairs)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
