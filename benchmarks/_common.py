"""Shared by ``generate.py`` and ``run.py``: Odoo on ``sys.path``, the peer
wheels, the benchmark database and a few timing helpers.

Odoo must be importable: ODOO_PATH (default /opt/odoo18) is put on sys.path.
"""

import hashlib
import importlib.metadata
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402

REQUIREMENTS = REPO / "requirements-bench.txt"
ADDONS = "complaint_center,helpdesk_mgmt,helpdesk_mgmt_sla"
DEFAULT_DB = "complaint_center_bench"
SMOKE_DB = "complaint_center_bench_smoke"
DB_PREFIX = "complaint_center_bench"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pinned_wheels():
    """``{distribution: version}`` pinned in requirements-bench.txt."""
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


def ensure_peer_wheels():
    """Stop with a clear message when the pinned peer addons are missing or
    at another version. They are installed by the set-up step
    (``bin/lib.sh`` ``cc_ensure_venv``, run by ``./bin/bench``), never here:
    nothing is downloaded while a benchmark runs."""
    wrong = []
    for name, version in pinned_wheels().items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != version:
            wrong.append(f"{name}=={version} (found {have or 'none'})")
    if wrong:
        raise SystemExit(
            "the benchmarks' peer is not installed as pinned in "
            f"requirements-bench.txt: {', '.join(wrong)}; run ./bin/bench, "
            "whose set-up installs it"
        )


def parse_config(config_path):
    config.parse_config(["-c", config_path, "--log-level=warn"])


def check_database_name(database):
    if not database.startswith(DB_PREFIX):
        raise SystemExit(
            f"refusing database {database!r}: benchmark databases start with "
            f"{DB_PREFIX!r}"
        )


def database_exists(database):
    return database in odoo.service.db.list_dbs(force=True)


def modules_installed(database):
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module "
            "WHERE name = ANY(%s) AND state = 'installed'",
            [ADDONS.split(",")],
        )
        return cr.fetchone()[0] == len(ADDONS.split(","))


def addon_hash():
    """Digest of the complaint_center source Odoo loads (addons_path)."""
    from odoo.modules.module import get_module_path

    path = Path(get_module_path("complaint_center"))
    digest = hashlib.sha1()
    for file in sorted(path.rglob("*")):
        if file.suffix in (".py", ".xml", ".csv", ".po") and file.is_file():
            digest.update(str(file.relative_to(path)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _stored_hash(database):
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute("SELECT to_regclass('bench_addon')")
        if not cr.fetchone()[0]:
            return None
        cr.execute("SELECT hash FROM bench_addon")
        row = cr.fetchone()
        return row and row[0]


def _store_hash(database, value):
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute("CREATE TABLE IF NOT EXISTS bench_addon (hash varchar)")
        cr.execute("DELETE FROM bench_addon")
        cr.execute("INSERT INTO bench_addon VALUES (%s)", [value])
        cr.commit()


def _odoo_bin(config_path, database, *args):
    subprocess.run(
        [
            sys.executable,
            os.path.join(ODOO_PATH, "odoo-bin"),
            "-c",
            config_path,
            "-d",
            database,
            *args,
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        check=True,
    )


def ensure_database(config_path, database):
    """Create ``database`` with the addon and the peer installed, without
    demo data, when missing (in a child odoo-bin, as an operator would);
    update complaint_center when its source changed since (the addon's
    files are hashed into the table ``bench_addon``)."""
    check_database_name(database)
    current = addon_hash()
    if database_exists(database) and modules_installed(database):
        if _stored_hash(database) != current:
            log(f"complaint_center changed: updating it in {database}")
            started = time.perf_counter()
            _odoo_bin(config_path, database, "-u", "complaint_center")
            _store_hash(database, current)
            log(f"updated in {time.perf_counter() - started:.0f} s")
        return False
    log(f"creating database {database} with {ADDONS} (no demo data)")
    started = time.perf_counter()
    _odoo_bin(config_path, database, "-i", ADDONS, "--without-demo=all")
    _store_hash(database, current)
    log(f"database ready in {time.perf_counter() - started:.0f} s")
    return True


def registry(database):
    return odoo.modules.registry.Registry(database)


def environment(cr, uid=None, context=None):
    return odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, context or {})


class Meter:
    """Seconds and SQL queries of a block, on the cursor of ``env``."""

    def __init__(self, env):
        self.env = env
        self.seconds = 0.0
        self.queries = 0

    def __enter__(self):
        self._q = self.env.cr.sql_log_count
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._t
        self.queries = self.env.cr.sql_log_count - self._q
        return False
