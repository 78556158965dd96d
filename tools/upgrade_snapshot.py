"""Snapshot of a complaint_center database before an upgrade, as JSON.

    python tools/upgrade_snapshot.py --db NAME --port 55432 --out snapshot.json

Plain SQL on the tables, so that it reads a database of any release; the
upgrade test (``complaint_center/tests/test_upgrade.py``, tag
``complaint_upgrade``) compares the upgraded database with it: every row
kept, every value of a column both releases have unchanged unless the test
says why.
"""

import argparse
import datetime
import decimal
import json

import psycopg2

TABLES = (
    "complaint_complaint",
    "complaint_penalty",
    "complaint_responsibility",
    "complaint_visit",
    "complaint_extension",
    "complaint_action",
    "complaint_category",
    "complaint_policy",
    "complaint_penalty_rule",
    "complaint_complaint_hr_employee_rel",
)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return (
            value.isoformat(sep=" ")
            if isinstance(value, datetime.datetime)
            else value.isoformat()
        )
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, memoryview):
        return value.hex()
    return value


def snapshot(cr):
    cr.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_name = ANY(%s)",
        [list(TABLES)],
    )
    tables = sorted(row[0] for row in cr.fetchall())
    data = {"tables": {}}
    for table in tables:
        cr.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from TABLES
        columns = [col.name for col in cr.description]
        rows = [
            dict(zip(columns, map(_plain, row), strict=True)) for row in cr.fetchall()
        ]
        data["tables"][table] = {"columns": columns, "rows": rows}
    cr.execute(
        "SELECT res_id, count(*) FROM mail_message "
        "WHERE model = 'complaint.complaint' GROUP BY res_id"
    )
    data["messages"] = {str(res_id): count for res_id, count in cr.fetchall()}
    cr.execute(
        "SELECT latest_version FROM ir_module_module WHERE name = 'complaint_center'"
    )
    data["version"] = cr.fetchone()[0]
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="odoo")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with (
        psycopg2.connect(
            dbname=args.db, host=args.host, port=args.port, user=args.user
        ) as conn,
        conn.cursor() as cr,
    ):
        data = snapshot(cr)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=0)
    counts = {table: len(v["rows"]) for table, v in data["tables"].items()}
    print(f"snapshot of {args.db} ({data['version']}): {counts}")


if __name__ == "__main__":
    main()
