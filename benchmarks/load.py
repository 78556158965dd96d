"""Load and scale-out test: two Odoo servers on one database, many clients.

Prepares ``complaint_center_load*`` (role users per client, a category routed
to each client's handler, complaints whose deadlines are already missed, the
escalation and follow-up crons due every minute), starts two independent
Odoo servers on 127.0.0.1 against it (A prefork with ``--workers``, B
threaded, each with one cron thread), then runs JSON-RPC clients (the web
client's ``/web/session/authenticate`` and ``/web/dataset/call_kw``), half on
each server, that log complaints and move them through their lifecycle as
the role that owns each step (clerk creates, handler accepts, proposes,
resolves and records the feedback, manager approves and closes) and accept
overdue complaints while the sweep escalates them. A single-client run of the
same scenario first gives the latency baseline; afterwards two managers, one
per server, press approve and then close on the same complaints at once.
The database is updated (or installed) first; ``report.url`` points at the
threaded server while the servers run (wkhtmltopdf fetches its assets there).

Clients never retry: Odoo retries serialization failures server-side, and
whatever error still comes back is counted, by kind. Afterwards, in SQL: no
duplicate reference per company, no gap in the month's references (counted
from 1), no complaint of the run without one, no complaint escalated twice
at the same level for the same deadline, no lost record (each complaint a
client touched exists in the state it last moved it to, with the facts of
that state), no state change tracked twice in a race, and the crons ran on
both servers (their logs).

    .venv/bin/python benchmarks/load.py -c .odoo.conf -d complaint_center_load \
        --clients 20 --seconds 60

``run_load(config_path, database, clients=20, seconds=60)`` returns the same
figures as a dict. Servers are always stopped, crons always restored.
"""

import argparse
import configparser
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime, timedelta

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
HOST = "127.0.0.1"
PORT_RANGE = range(8310, 8320)
DB_PREFIX = "complaint_center_load"
LOG_DIR = "/tmp/complaint_center_load"
PASSWORD_SUFFIX = ""  # password = login
GROUP = "complaint_center.group_complaint_"
CRONS = (
    "complaint_center.ir_cron_complaint_escalate",
    "complaint_center.ir_cron_complaint_followup",
)
SIGNALS = (signal.SIGINT, signal.SIGTERM)
REQUEST_TIMEOUT = 180
STARTUP_TIMEOUT = 300
# Lifecycle steps, in order: (operation, role, method, state reached).
STEPS = (
    ("accept", "handler", "action_accept", "investigating"),
    ("propose", "handler", "action_propose", "proposed"),
    ("approve", "manager", "action_approve", "approved"),
    ("resolve", "handler", "action_resolve", "resolved"),
    ("feedback", "handler", "action_record_feedback", "resolved"),
    ("close", "manager", "action_close", "closed"),
)
ESCALATION_RE = re.compile(
    r"escalated to level (\d+): the deadline of (.+?) was missed"
)
REFERENCE_RE = re.compile(r"^(.*?)(\d{4})-(\d+)$")


# Preparation (runs in a child process that imports Odoo) ------------------
def _prepare(config_path, database, clients, overdue, customers):
    """Users, categories, customer and overdue complaints, as the superuser,
    in one transaction. Returns what the clients need (JSON-able)."""
    sys.path.insert(0, ODOO_PATH)
    import odoo
    from odoo.fields import Command
    from odoo.tools import config

    config.parse_config(["-c", config_path, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        company = env.ref("base.main_company")
        Users = env["res.users"].with_context(no_reset_password=True)
        roles = {"clerk": "user", "handler": "handler", "manager": "manager"}
        groups = {role: env.ref(GROUP + group) for role, group in roles.items()}
        teams = []
        for i in range(clients):
            team = {}
            for role, group in groups.items():
                login = f"cc_load_{role}_{i}"
                user = Users.with_context(active_test=False).search(
                    [("login", "=", login)]
                )
                values = {
                    "active": True,
                    # Staff have an address: Odoo notifies an activity's
                    # assignee in the name of whoever schedules it.
                    "email": f"{login}@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.link(group.id)],
                    "tz": "UTC",
                    "lang": "en_US",
                }
                if not user:
                    user = Users.create(
                        dict(
                            values, name=f"Load {role} {i}", login=login, password=login
                        )
                    )
                else:
                    user.write(values)
                team[role] = {"login": login, "id": user.id}
            category = env["complaint.category"].with_context(active_test=False)
            category = category.search([("name", "=", f"Load {i}")], limit=1)
            values = {"user_id": team["handler"]["id"], "active": True}
            if category:
                category.write(values)
            else:
                category = category.create(
                    dict(values, name=f"Load {i}", code=f"LD{i}")
                )
            team["category_id"] = category.id
            teams.append(team)
        # Customers: each client's team serves one (round robin). Two
        # handlers acting on complaints of one customer at once is the case
        # ``--customers 1`` measures.
        partners = env["res.partner"]
        for k in range(max(customers, 1)):
            name = "Load Customer" if k == 0 else f"Load Customer {k}"
            partner = partners.search([("name", "=", name)], limit=1)
            if not partner:
                partner = partners.create(
                    {"name": name, "is_company": True, "email": f"load{k}@example.com"}
                )
            partners |= partner
        for i, team in enumerate(teams):
            team["partner_id"] = partners[i % len(partners)].id
        # Received ten days ago: acknowledgement and resolution deadlines
        # missed, follow-ups due. Each client's handler gets its share.
        received = datetime.now() - timedelta(days=10)
        complaints = env["complaint.complaint"].create(
            [
                {
                    "partner_id": teams[n % clients]["partner_id"],
                    "category_id": teams[n % clients]["category_id"],
                    "date_received": received,
                    "description": "<p>Load test: overdue on arrival.</p>",
                }
                for n in range(overdue)
            ]
        )
        for n, complaint in enumerate(complaints):
            teams[n % clients].setdefault("overdue", []).append(complaint.id)
        crons = {xmlid: env.ref(xmlid).id for xmlid in CRONS}
        cr.commit()
        return {
            "teams": teams,
            "customers": partners.ids,
            "crons": crons,
            "overdue": complaints.ids,
        }


# Database access for the checks (psycopg2 from Odoo's virtualenv) -----------
def _db_options(config_path):
    parser = configparser.ConfigParser()
    parser.read(config_path)
    options = parser["options"] if parser.has_section("options") else {}

    def value(key, default=None):
        found = options.get(key, default)
        return None if found in (None, "False", "") else found

    return {
        "host": value("db_host") or HOST,
        "port": int(value("db_port") or 5432),
        "user": value("db_user"),
        "password": value("db_password"),
    }


def _connect(config_path, database):
    import psycopg2

    options = {k: v for k, v in _db_options(config_path).items() if v is not None}
    conn = psycopg2.connect(dbname=database, **options)
    conn.autocommit = True
    return conn


def _sql(conn, query, params=None):
    with conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else []


# Servers --------------------------------------------------------------------
class Server:
    """One Odoo server process group started and stopped by this script."""

    def __init__(self, label, config_path, database, http_port, workers, log_dir):
        self.label = label
        self.port = http_port
        self.log = os.path.join(log_dir, f"server_{label}.log")
        self.args = [
            sys.executable,
            os.path.join(ODOO_PATH, "odoo-bin"),
            "-c",
            config_path,
            "-d",
            database,
            f"--db-filter=^{re.escape(database)}$",
            f"--http-interface={HOST}",
            f"--http-port={http_port}",
            f"--gevent-port={http_port + 1}",
            f"--workers={workers}",
            "--max-cron-threads=1",
            "--log-level=info",
            f"--logfile={self.log}",
            "--no-database-list",
        ]
        self.proc = None
        self.env = dict(os.environ)
        shim = _gevent_shim(log_dir)
        if shim:
            self.env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [shim, self.env.get("PYTHONPATH")])
            )

    def start(self):
        if _answers(self.port) or _answers(self.port + 1):
            raise RuntimeError(f"port {self.port} or {self.port + 1} is already in use")
        if os.path.exists(self.log):
            os.unlink(self.log)
        self.proc = subprocess.Popen(
            self.args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log + ".stderr", "w"),  # noqa: SIM115
            start_new_session=True,
            env=self.env,
        )

    def wait_ready(self, timeout=STARTUP_TIMEOUT):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server {self.label} exited, see {self.log}")
            try:
                with urllib.request.urlopen(
                    f"http://{HOST}:{self.port}/web/health", timeout=5
                ) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(1)
        raise RuntimeError(f"server {self.label} did not answer in {timeout} s")

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # its own session: group id = its pid
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait)
                # Prefork workers exit with their master; make sure.
                time.sleep(0.5)
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue
            return


def _gevent_shim(log_dir):
    """Prefork spawns a gevent process whose ``monkey.patch_all()`` asks
    pkg_resources for gevent's requirements; an old setuptools does not find
    ``zope.interface``/``zope.event`` installed under their normalised
    dist-info names, the process dies and the master respawns it every
    second. Give the servers (only) a directory naming them, if needed."""
    check = "import pkg_resources; pkg_resources.require('gevent')"
    if subprocess.run([sys.executable, "-c", check], capture_output=True).returncode:
        from importlib import metadata

        shim = os.path.join(log_dir, "pkg-shim")
        for name in ("zope.interface", "zope.event"):
            version = metadata.version(name)
            folder = os.path.join(shim, f"{name}-{version}.dist-info")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "METADATA"), "w") as meta:
                meta.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        return shim
    return None


def _answers(port):
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


# JSON-RPC client ------------------------------------------------------------
class RpcError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        # Transport errors leave the outcome unknown; JSON-RPC errors mean
        # the server rolled back.
        self.uncertain = kind.startswith("transport")


def _kind(error):
    data = error.get("data") or {}
    name = (data.get("name") or error.get("message") or "?").rsplit(".", 1)[-1]
    message = (data.get("message") or error.get("message") or "").strip()
    message = message.splitlines()[0] if message else ""
    message = re.sub(r"\d+", "#", message)[:100]
    return f"{name}: {message}"


class Session:
    """A logged-in web session (the ``session_id`` cookie), as the web
    client holds it."""

    def __init__(self, port, database, login):
        self.base = f"http://{HOST}:{port}"
        self.database = database
        self.login_name = login
        self.cookie = None
        self.uid = None
        self.ids = 0

    def _post(self, path, params):
        self.ids += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": self.ids, "params": params}
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = f"session_id={self.cookie}"
        request = urllib.request.Request(self.base + path, body, headers)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                for header in response.headers.get_all("Set-Cookie") or ():
                    found = re.match(r"session_id=([^;]*)", header)
                    if found:
                        self.cookie = found.group(1)
                payload = json.loads(response.read())
        except urllib.error.HTTPError as err:
            raise RpcError(f"transport: HTTP {err.code}", str(err)) from err
        except (OSError, ValueError) as err:
            raise RpcError(f"transport: {type(err).__name__}", str(err)) from err
        if payload.get("error"):
            error = payload["error"]
            data = error.get("data") or {}
            # The end of the server's traceback says where it failed.
            detail = (data.get("debug") or data.get("message") or str(error))[-3000:]
            raise RpcError(_kind(error), detail)
        return payload.get("result")

    def login(self):
        result = self._post(
            "/web/session/authenticate",
            {
                "db": self.database,
                "login": self.login_name,
                "password": self.login_name,
            },
        )
        self.uid = result["uid"]
        return self

    def call(self, model, method, args, **kwargs):
        kwargs.setdefault("context", {"lang": "en_US", "tz": "UTC"})
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )


class Recorder:
    """Every request of a phase: operation, server, seconds, error kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []
        self.errors = []

    def add(self, op, server, seconds, kind=None, detail=None):
        with self.lock:
            self.samples.append((op, server, seconds, kind))
            if kind and len(self.errors) < 200:
                self.errors.append((op, server, kind, detail))


class Client(threading.Thread):
    """One person at a desk: logs complaints for its team and moves them
    through their lifecycle, as the role owning each step."""

    def __init__(self, index, server, team, database, recorder, plan):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.server = server
        self.team = team
        self.partner_id = team["partner_id"]
        self.database = database
        self.recorder = recorder
        self.plan = plan  # start, stop (monotonic), max_requests, stop_event
        self.sessions = {}
        self.requests = 0
        # complaint id -> states it may be in (more than one after a
        # transport error: the outcome is unknown).
        self.expected = {}
        # Shared by the phases: a complaint is accepted once.
        self.overdue = team.setdefault("overdue", [])
        self.rng = random.Random(index)
        self.login_error = None

    def login(self):
        try:
            for role in ("clerk", "handler", "manager"):
                session = Session(
                    self.server.port, self.database, self.team[role]["login"]
                )
                self.sessions[role] = session.login()
        except RpcError as err:
            self.login_error = err

    def _more(self):
        return (
            not self.plan["stop_event"].is_set()
            and time.monotonic() < self.plan["stop"]
            and self.requests < self.plan["max_requests"]
        )

    def _timed(self, op, role, model, method, args, **kwargs):
        # A person reads the screen before the next click (--think).
        if self.requests and self.plan["think"]:
            pause = self.rng.uniform(0.5, 1.5) * self.plan["think"]
            self.plan["stop_event"].wait(pause)
        self.requests += 1
        started = time.perf_counter()
        try:
            result = self.sessions[role].call(model, method, args, **kwargs)
        except RpcError as err:
            self.recorder.add(
                op, self.server.label, time.perf_counter() - started, err.kind, str(err)
            )
            raise
        self.recorder.add(op, self.server.label, time.perf_counter() - started)
        return result

    def _move(self, op, role, method, cid, state, before):
        try:
            self._timed(op, role, "complaint.complaint", method, [[cid]])
        except RpcError as err:
            if err.uncertain:
                self.expected[cid] = {before, state}
            return False
        self.expected[cid] = {state}
        return True

    def _lifecycle(self):
        cx = "complaint.complaint"
        try:
            cid = self._timed(
                "create",
                "clerk",
                cx,
                "create",
                [
                    {
                        "partner_id": self.partner_id,
                        "category_id": self.team["category_id"],
                        "channel": self.rng.choice(["phone", "letter", "email"]),
                        "description": f"<p>Load client {self.index}: damaged.</p>",
                    }
                ],
            )
        except RpcError:
            return
        cid = cid[0] if isinstance(cid, list) else cid
        self.expected[cid] = {"new"}
        state = "new"
        for op, role, method, reached in STEPS:
            if not self._more():
                return
            if op == "propose":
                try:
                    self._timed(
                        "write_plan",
                        "handler",
                        cx,
                        "write",
                        [
                            [cid],
                            {
                                "resolution_type": "refund",
                                "resolution": "<p>Refund the order.</p>",
                            },
                        ],
                    )
                except RpcError:
                    return
            elif op == "feedback":
                try:
                    self._timed(
                        "write_feedback",
                        "handler",
                        cx,
                        "write",
                        [[cid], {"satisfaction": "satisfied", "feedback": "Fine."}],
                    )
                except RpcError:
                    return
            if not self._move(op, role, method, cid, reached, state):
                return
            state = reached
            if op == "accept" and self._more():
                # The handler's list, as the web client loads it.
                try:
                    self._timed(
                        "list",
                        "handler",
                        cx,
                        "web_search_read",
                        [[("state", "in", ["new", "investigating", "proposed"])]],
                        specification={
                            "name": {},
                            "state": {},
                            "partner_id": {"fields": {"display_name": {}}},
                            "date_next_escalation": {},
                        },
                        limit=80,
                    )
                except RpcError:
                    pass

    def _accept_overdue(self):
        """The handler accepts a complaint that is overdue: races the sweep."""
        while self.overdue:
            cid = self.overdue.pop()
            self._move(
                "accept_overdue",
                "handler",
                "action_accept",
                cid,
                "investigating",
                "new",
            )
            return

    def run(self):
        loops = 0
        while self._more():
            if loops % 3 == 1 and self.overdue:
                self._accept_overdue()
            else:
                self._lifecycle()
            loops += 1


# Measures -------------------------------------------------------------------
def _percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(int(round(fraction * len(ordered) + 0.5)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def _latencies(samples):
    by_op = defaultdict(list)
    for op, _server, seconds, kind in samples:
        if not kind:
            by_op[op].append(seconds)
            by_op["overall"].append(seconds)
    return {
        op: {
            "n": len(values),
            "p50": _percentile(values, 0.5),
            "p95": _percentile(values, 0.95),
        }
        for op, values in by_op.items()
    }


def _run_phase(servers, teams, database, clients, seconds, max_requests, think=0.0):
    recorder = Recorder()
    plan = {
        "stop_event": threading.Event(),
        "max_requests": max_requests,
        "think": think,
    }
    workers = [
        Client(i, servers[i % len(servers)], teams[i], database, recorder, plan)
        for i in range(clients)
    ]
    # Logins (a password hash each) are not part of the measure.
    logins = [threading.Thread(target=w.login, daemon=True) for w in workers]
    for thread in logins:
        thread.start()
    for thread in logins:
        thread.join(REQUEST_TIMEOUT)
    failed = [w for w in workers if w.login_error or len(w.sessions) < 3]
    if failed:
        raise RuntimeError(f"login failed: {failed[0].login_error}")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    plan["stop"] = started + seconds
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join(max(plan["stop"] - time.monotonic(), 0) + REQUEST_TIMEOUT + 5)
    finally:
        plan["stop_event"].set()
    elapsed = time.monotonic() - started
    samples = recorder.samples
    failures = Counter(kind for _op, _s, _t, kind in samples if kind)
    expected = {}
    for worker in workers:
        expected.update(worker.expected)
    return {
        "clients": clients,
        "think": think,
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1) if elapsed else None,
        "requests_by_server": dict(Counter(s for _o, s, _t, _k in samples)),
        "requests_by_operation": dict(Counter(o for o, _s, _t, _k in samples)),
        "failures": sum(failures.values()),
        "failures_by_kind": dict(failures.most_common()),
        "failure_examples": recorder.errors[:20],
        "latency": _latencies(samples),
        # The machine is shared: its 1-minute load average before and after.
        "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "_expected": expected,
    }


def _race_phase(conn, servers, teams, database, races):
    """The same button pressed at once on both servers: two managers, one
    on A and one on B, approve then close the same complaint. Exactly one
    of each pair may succeed, and the chatter tracks each state once."""
    cx = "complaint.complaint"
    first, second = teams[0], teams[1 % len(teams)]
    owner = {
        role: Session(servers[0].port, database, first[role]["login"]).login()
        for role in ("clerk", "handler")
    }
    managers = [
        Session(servers[0].port, database, first["manager"]["login"]).login(),
        Session(servers[-1].port, database, second["manager"]["login"]).login(),
    ]
    outcome = Counter()
    ids = []

    def press(method, cid):
        barrier = threading.Barrier(len(managers))
        results = [None] * len(managers)

        def one(index):
            barrier.wait()
            try:
                managers[index].call(cx, method, [[cid]])
                results[index] = "ok"
            except RpcError as err:
                results[index] = err.kind

        threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
        wins = results.count("ok")
        outcome[f"{method}: {'one' if wins == 1 else wins} succeeded"] += 1
        for kind in results:
            if kind != "ok":
                outcome[f"{method}, the other: {kind}"] += 1
        return wins

    for _n in range(races):
        try:
            cid = owner["clerk"].call(
                cx,
                "create",
                [
                    {
                        "partner_id": first["partner_id"],
                        "category_id": first["category_id"],
                        "description": "<p>Load test: race.</p>",
                    }
                ],
            )
            cid = cid[0] if isinstance(cid, list) else cid
            ids.append(cid)
            owner["handler"].call(cx, "action_accept", [[cid]])
            owner["handler"].call(
                cx,
                "write",
                [[cid], {"resolution_type": "refund", "resolution": "<p>Refund.</p>"}],
            )
            owner["handler"].call(cx, "action_propose", [[cid]])
            if press("action_approve", cid) < 1:
                continue
            owner["handler"].call(cx, "action_resolve", [[cid]])
            owner["handler"].call(cx, "write", [[cid], {"satisfaction": "satisfied"}])
            owner["handler"].call(cx, "action_record_feedback", [[cid]])
            press("action_close", cid)
        except RpcError as err:
            outcome[f"set-up failed: {err.kind}"] += 1
    doubles = _sql(
        conn,
        "SELECT m.res_id, v.new_value_char, count(*) FROM mail_tracking_value v "
        "JOIN mail_message m ON m.id = v.mail_message_id "
        "JOIN ir_model_fields f ON f.id = v.field_id "
        "WHERE f.model = 'complaint.complaint' AND f.name = 'state' "
        "AND m.model = 'complaint.complaint' AND m.res_id = ANY(%s) "
        "GROUP BY 1, 2 HAVING count(*) > 1",
        (ids,),
    )
    states = Counter(
        state
        for (state,) in _sql(
            conn, "SELECT state FROM complaint_complaint WHERE id = ANY(%s)", (ids,)
        )
    )
    return {
        "races": races,
        "outcomes": dict(outcome.most_common()),
        "double_transitions": len(doubles),
        "double_transition_examples": [list(row) for row in doubles[:10]],
        "states": dict(states),
    }


class CronTicker(threading.Thread):
    """Keeps the sweeps due during the run: what ``ir.cron._trigger()`` and
    ``_notifydb()`` do (a trigger row, then NOTIFY cron_trigger), which wakes
    the cron workers of both servers; the first to lock the job runs it."""

    def __init__(self, config_path, database, cron_ids, every):
        super().__init__(name="cron-ticker", daemon=True)
        self.conn = _connect(config_path, database)
        # Cron workers LISTEN on a connection to the "postgres" database.
        self.notify_conn = _connect(config_path, "postgres")
        self.database = database
        self.cron_ids = list(cron_ids)
        self.every = every
        self.stop_event = threading.Event()
        self.ticks = 0

    def run(self):
        try:
            while not self.stop_event.wait(self.every):
                for cron_id in self.cron_ids:
                    _sql(
                        self.conn,
                        "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, "
                        "write_date) VALUES (%s, now() at time zone 'utc', "
                        "now() at time zone 'utc', now() at time zone 'utc')",
                        (cron_id,),
                    )
                _sql(
                    self.notify_conn,
                    "SELECT pg_notify('cron_trigger', %s)",
                    (self.database,),
                )
                self.ticks += 1
        finally:
            self.conn.close()
            self.notify_conn.close()


# Checks ---------------------------------------------------------------------
def _drain_mails(conn, timeout=180):
    """Wait until the customer mails the steps queued are sent (the servers'
    cron workers send them); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        (waiting,) = _sql(
            conn,
            "SELECT count(*) FROM complaint_mail_job WHERE state = 'pending' "
            "AND attempts = 0",
        )[0]
        if not waiting:
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def _mail_checks(conn, ids):
    """Each accepted complaint of the run had its acknowledgement sent once:
    none lost, none doubled, none failed."""
    result = {}
    rows = _sql(
        conn,
        "SELECT j.complaint_id, count(*) FILTER (WHERE j.state = 'sent'), "
        "count(*) FILTER (WHERE j.state = 'pending'), "
        "count(*) FILTER (WHERE j.state = 'failed') "
        "FROM complaint_mail_job j JOIN ir_model_data d ON d.res_id = "
        "j.template_id AND d.model = 'mail.template' AND d.module = "
        "'complaint_center' AND d.name = 'mail_template_complaint_acknowledgement' "
        "WHERE j.complaint_id = ANY(%s) GROUP BY 1",
        (ids,),
    )
    sent = {cid: n for cid, n, _p, _f in rows}
    accepted = [
        cid
        for (cid,) in _sql(
            conn,
            "SELECT c.id FROM complaint_complaint c JOIN res_company co ON "
            "co.id = c.company_id WHERE c.id = ANY(%s) AND "
            "c.date_acknowledged IS NOT NULL AND co.complaint_auto_mail",
            (ids,),
        )
    ]
    result["acknowledgements_expected"] = len(accepted)
    result["lost_mails"] = sum(1 for cid in accepted if not sent.get(cid))
    result["doubled_mails"] = sum(1 for n in sent.values() if n > 1)
    result["mails_waiting"] = sum(p for _c, _s, p, _f in rows)
    result["mails_failed"] = sum(f for _c, _s, _p, f in rows)
    # The chatter agrees: one acknowledgement message per complaint.
    doubled = _sql(
        conn,
        "SELECT m.res_id FROM mail_message m JOIN complaint_complaint c ON "
        "c.id = m.res_id WHERE m.model = 'complaint.complaint' AND "
        "m.res_id = ANY(%s) AND m.message_type = 'comment' AND "
        "m.subject LIKE '%%' || c.name || '%%' AND EXISTS (SELECT 1 FROM "
        "message_attachment_rel r JOIN ir_attachment a ON a.id = r.attachment_id "
        "WHERE r.message_id = m.id AND a.name ILIKE 'Acceptance%%') "
        "GROUP BY m.res_id HAVING count(*) > 1",
        (accepted,),
    )
    result["doubled_mail_messages"] = len(doubled)
    return result


def _busy_print_phase(server, team, database, workers, prints=None):
    """Every worker of the prefork server prints at once (one more print
    than workers): with ``report.url`` on a server that never prints, each
    wkhtmltopdf gets its stylesheets and all prints come back."""
    prints = prints or workers + 1
    manager = Session(server.port, database, team["manager"]["login"]).login()
    ids = manager.call(
        "complaint.complaint",
        "search",
        [[("state", "not in", ("new", "rejected", "cancelled"))]],
        limit=prints,
    )
    outcomes = []

    def fetch(cid):
        session = Session(server.port, database, team["manager"]["login"]).login()
        started = time.perf_counter()
        request = urllib.request.Request(
            f"{session.base}/report/pdf/"
            f"complaint_center.report_complaint_acceptance_notice/{cid}",
            headers={"Cookie": f"session_id={session.cookie}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:
                body = answer.read()
            outcomes.append((time.perf_counter() - started, body[:5] == b"%PDF-"))
        except (OSError, ValueError):
            outcomes.append((time.perf_counter() - started, False))

    threads = [threading.Thread(target=fetch, args=(cid,)) for cid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 10)
    return {
        "prints": len(ids),
        "workers": workers,
        "pdfs": sum(1 for _s, ok in outcomes if ok),
        "slowest_s": round(max((s for s, _ok in outcomes), default=0), 2),
    }


def _checks(conn, expected, since, servers, prepared):
    result = {}
    rows = _sql(
        conn,
        "SELECT company_id, name, count(*) FROM complaint_complaint "
        "GROUP BY 1, 2 HAVING count(*) > 1",
    )
    result["duplicate_references"] = len(rows)
    result["duplicate_examples"] = [list(r) for r in rows[:10]]
    # Gapless per company and month: the references of the months written
    # in this run form one unbroken series each, from 1; every complaint of
    # the run has one.
    series = defaultdict(set)
    missing = 0
    for company, name in _sql(
        conn,
        "SELECT company_id, name FROM complaint_complaint WHERE create_date >= %s",
        (since,),
    ):
        found = REFERENCE_RE.match(name or "")
        if found:
            series[(company, found.group(1), found.group(2))].add(None)
        else:
            missing += 1
    result["missing_references"] = missing
    gaps = 0
    for company, prefix, month in series:
        serials = sorted(
            int(REFERENCE_RE.match(n).group(3))
            for (n,) in _sql(
                conn,
                "SELECT name FROM complaint_complaint WHERE company_id = %s "
                "AND name LIKE %s",
                (company, f"{prefix}{month}-%"),
            )
            if REFERENCE_RE.match(n)
        )
        if serials:
            gaps += serials[-1] - len(set(serials))
    result["reference_gaps"] = gaps
    # Escalations: one chatter note per (complaint, level, missed deadline).
    notes = defaultdict(int)
    during = 0
    for res_id, body, date in _sql(
        conn,
        "SELECT res_id, body, date FROM mail_message WHERE model = "
        "'complaint.complaint' AND body LIKE %s",
        ("%escalated to level%",),
    ):
        text = re.sub(r"<[^>]+>", "", body or "")
        found = ESCALATION_RE.search(text)
        if found:
            notes[(res_id, int(found.group(1)), found.group(2))] += 1
            during += date >= since
    doubles = {key: n for key, n in notes.items() if n > 1}
    result["escalations_during_run"] = during
    result["double_escalations"] = len(doubles)
    result["double_escalation_examples"] = [
        [*key, n] for key, n in list(doubles.items())[:10]
    ]
    levels = _sql(
        conn,
        "SELECT escalation_level, count(*) FROM complaint_complaint "
        "WHERE id = ANY(%s) GROUP BY 1 ORDER BY 1",
        (prepared["overdue"],),
    )
    result["seeded_by_escalation_level"] = {str(k): n for k, n in levels}
    # Lost records: what each client last did is what the database holds.
    ids = list(expected)
    states = dict(
        _sql(
            conn, "SELECT id, state FROM complaint_complaint WHERE id = ANY(%s)", (ids,)
        )
    )
    lost = [cid for cid in ids if cid not in states]
    wrong = [
        (cid, sorted(expected[cid]), states[cid])
        for cid in ids
        if cid in states and states[cid] not in expected[cid]
    ]
    result["records_checked"] = len(ids)
    result["lost_records"] = len(lost)
    result["wrong_state"] = len(wrong)
    result["wrong_state_examples"] = wrong[:10]
    result["lost_examples"] = lost[:10]
    result["states"] = dict(Counter(states.values()))
    # What each step stamps is there: a state without its facts would be
    # a lost write.
    facts = {
        "investigating": "date_acknowledged IS NULL",
        "proposed": "date_proposed IS NULL OR proposed_by_id IS NULL",
        "approved": "approved_by_id IS NULL OR approved_by_id = proposed_by_id",
        "resolved": "date_resolved IS NULL OR approved_by_id IS NULL",
        "closed": "date_closed IS NULL OR date_feedback IS NULL "
        "OR satisfaction IS NULL OR date_resolved IS NULL "
        "OR approved_by_id IS NULL OR approved_by_id = proposed_by_id",
    }
    missing = []
    for state, condition in facts.items():
        missing += _sql(
            conn,
            f"SELECT id, state FROM complaint_complaint WHERE id = ANY(%s) "
            f"AND state = %s AND ({condition})",
            (ids, state),
        )
    result["missing_facts"] = len(missing)
    result["missing_facts_examples"] = [list(row) for row in missing[:10]]
    # Crons: which server ran which job (their logs), and lastcall.
    crons = {}
    for server in servers:
        runs = Counter()
        try:
            with open(server.log, encoding="utf-8", errors="replace") as log:
                for line in log:
                    found = re.search(r"Job '(.+?)' \(\d+\) (?:starting|started)", line)
                    if found:
                        runs[found.group(1)] += 1
        except OSError:
            pass
        crons[server.label] = dict(runs)
    result["cron_runs"] = crons
    result["cron_lastcall"] = {
        name: str(lastcall)
        for name, lastcall in _sql(
            conn,
            "SELECT a.name->>'en_US', c.lastcall FROM ir_cron c "
            "JOIN ir_act_server a ON a.id = c.ir_actions_server_id "
            "WHERE c.id = ANY(%s)",
            (list(prepared["crons"].values()),),
        )
    }
    result["server_logs"] = {
        server.label: _log_summary(server.log) for server in servers
    }
    return result


def _log_summary(path):
    """Server-side retries (``retrying()``), failed cron jobs, errors by
    kind (a bad query by its PostgreSQL error) and the first tracebacks of
    each kind."""
    summary = Counter()
    tracebacks = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.readlines()
    except OSError:
        return {}
    head = re.compile(r"\S+ \S+ \d+ (ERROR|CRITICAL|WARNING) \S+ (\S+): (.*)")
    for n, line in enumerate(lines):
        if "tries left, try again" in line:
            kind = line.split(":", 3)[-1].split(",")[0].strip()
            summary[f"retry {kind}"] += 1
            continue
        if "maximum number of tries reached" in line:
            summary["retries exhausted"] += 1
            continue
        found = head.match(line)
        if not found or "wkhtmltopdf: The switch" in line:
            continue
        level, logger, message = found.groups()
        if message.startswith("bad query"):
            table = re.search(r"(?:UPDATE|FROM|INTO)\s+\"?(\w+)", message)
            error = lines[n + 1].strip() if n + 1 < len(lines) else ""
            kind = f"bad query on {table.group(1) if table else '?'}: {error}"
        elif "server action" in message and "failed" in message:
            error = next(
                (
                    row.strip()
                    for row in lines[n + 1 : n + 80]
                    if re.match(r"^[\w.]+(Error|Exception|Failure)\b", row)
                ),
                "?",
            )
            kind = f"cron failed: {message.split(' server action')[0]}: {error}"
        else:
            kind = f"{level} {logger}: {re.sub(r'[0-9]+', '#', message)[:90]}"
        summary[kind] += 1
        if level != "WARNING" and kind not in tracebacks and len(tracebacks) < 8:
            tracebacks[kind] = "".join(lines[n : n + 45])
    return {"counts": dict(summary.most_common()), "first_errors": tracebacks}


# Orchestration ----------------------------------------------------------------
@contextlib.contextmanager
def _signals_ignored():
    """Ctrl-C and SIGTERM wait while the servers stop and settings return."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _set_report_url(conn, values):
    """``report.url`` set to the one value of ``values``, or removed."""
    _sql(conn, "DELETE FROM ir_config_parameter WHERE key = 'report.url'")
    for (value,) in values:
        _sql(
            conn,
            "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
            "VALUES ('report.url', %s, now() at time zone 'utc', "
            "now() at time zone 'utc')",
            (value,),
        )


def _check_target(database, host):
    if host != HOST:
        raise ValueError(f"refusing host {host!r}: the load test only runs on {HOST}")
    if not database.startswith(DB_PREFIX):
        raise ValueError(f"refusing database {database!r}: use {DB_PREFIX}*")


def _prepare_in_child(config_path, database, clients, overdue, customers):
    out = subprocess.run(
        [
            sys.executable,
            os.path.abspath(__file__),
            "-c",
            config_path,
            "-d",
            database,
            "--clients",
            str(clients),
            "--overdue",
            str(overdue),
            "--customers",
            str(customers),
            "--prepare-only",
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"preparing {database} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_load(
    config_path,
    database,
    clients=20,
    seconds=60,
    baseline_seconds=20,
    max_requests=5000,
    overdue=100,
    workers=3,
    base_port=8310,
    trigger_every=10.0,
    log_dir=LOG_DIR,
    host=HOST,
    update=True,
    customers=None,
    report_url="B",
    races=10,
    think=0.0,
):
    """Run the baseline (one client) then the load (``clients`` clients, half
    on each server) for ``seconds`` each; return counts, latencies and the
    checks. Servers are stopped and the crons restored whatever happens."""
    asked = database
    if not database.startswith(DB_PREFIX):
        # The runner passes its benchmark database: the load test keeps to
        # its own, which it changes (users, complaints, crons).
        database = DB_PREFIX
    _check_target(database, host)
    if base_port < PORT_RANGE.start or base_port + 3 >= PORT_RANGE.stop:
        raise ValueError(f"ports must lie in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")
    config_path = os.path.abspath(config_path)
    os.makedirs(log_dir, exist_ok=True)
    with _connect(config_path, "postgres") as pg:
        exists = _sql(pg, "SELECT 1 FROM pg_database WHERE datname = %s", (database,))
    pg.close()
    if update or not exists:
        # Created with the addon (and demo data, as the configuration says)
        # when missing; else updated: the servers run the addon's code.
        step = "-u" if exists else "-i"
        out = subprocess.run(
            [
                sys.executable,
                os.path.join(ODOO_PATH, "odoo-bin"),
                "-c",
                config_path,
                "-d",
                database,
                step,
                "complaint_center",
                "--stop-after-init",
                "--max-cron-threads=0",
                "--log-level=warn",
                f"--http-port={base_port}",
                f"--gevent-port={base_port + 1}",
            ],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(f"odoo-bin {step} failed:\n{out.stderr[-3000:]}")
    customers = customers or clients
    prepared = _prepare_in_child(
        config_path, database, max(clients, 1), overdue, customers
    )
    conn = _connect(config_path, database)
    cron_ids = list(prepared["crons"].values())
    saved = _sql(
        conn,
        "SELECT id, interval_number, interval_type, nextcall FROM ir_cron "
        "WHERE id = ANY(%s)",
        (cron_ids,),
    )
    servers = [
        Server("A", config_path, database, base_port, workers, log_dir),
        Server("B", config_path, database, base_port + 2, 0, log_dir),
    ]
    ticker = None
    saved_report_url = _sql(
        conn, "SELECT value FROM ir_config_parameter WHERE key = 'report.url'"
    )
    # wkhtmltopdf fetches the report's assets over HTTP from report.url
    # (else web.base.url): a prefork server whose workers all render PDFs
    # cannot answer it and they hang until limit_time_real. The threaded
    # server B answers it; "keep" leaves the database's setting.
    targets = {"A": servers[0], "B": servers[1]}
    result = {
        "database": database if asked == database else f"{database} (not {asked})",
        "servers": {
            "A": f"prefork --workers={workers} --max-cron-threads=1, port {base_port}",
            "B": f"threaded --max-cron-threads=1, port {base_port + 2}",
        },
        "overdue_seeded": len(prepared["overdue"]),
        "customers": len(prepared["customers"]),
        "report_url": report_url,
        "log_dir": log_dir,
    }
    try:
        if report_url != "keep":
            url = f"http://{HOST}:{targets[report_url].port}"
            _set_report_url(conn, [(url,)])
        _sql(
            conn,
            "UPDATE ir_cron SET interval_number = 1, interval_type = 'minutes', "
            "nextcall = now() at time zone 'utc' WHERE id = ANY(%s)",
            (cron_ids,),
        )
        # The mails an earlier run left queued would be rendered during
        # this one and take its CPU: each run starts with an empty queue.
        result["mails_left_by_earlier_runs"] = len(
            _sql(
                conn,
                "UPDATE complaint_mail_job SET state = 'failed', "
                "error = 'Left by an earlier load run.' "
                "WHERE state = 'pending' RETURNING id",
            )
        )
        since = _sql(conn, "SELECT now() at time zone 'utc'")[0][0]
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        teams = prepared["teams"]
        if baseline_seconds:
            result["baseline"] = _run_phase(
                servers[:1], teams, database, 1, baseline_seconds, max_requests, think
            )
        ticker = CronTicker(config_path, database, cron_ids, trigger_every)
        ticker.start()
        result["load"] = _run_phase(
            servers, teams, database, clients, seconds, max_requests, think
        )
        ticker.stop_event.set()
        ticker.join(30)
        result["cron_triggers_sent"] = ticker.ticks
        if races:
            result["races"] = _race_phase(conn, servers, teams, database, races)
        result["busy_print"] = _busy_print_phase(
            servers[0], teams[0], database, workers
        )
        # Let a sweep that is running finish, and the queued mails leave,
        # before counting.
        time.sleep(5)
        result["mail_drain_s"] = _drain_mails(conn)
        expected = dict(result.get("baseline", {}).pop("_expected", {}))
        expected.update(result["load"].pop("_expected"))
        result["checks"] = _checks(conn, expected, since, servers, prepared)
        result["checks"].update(_mail_checks(conn, list(expected)))
    finally:
        # A second Ctrl-C must not leave servers running or crons changed.
        with _signals_ignored():
            if ticker:
                ticker.stop_event.set()
            for server in servers:
                server.stop()
            for cron_id, number, kind, nextcall in saved:
                _sql(
                    conn,
                    "UPDATE ir_cron SET interval_number = %s, interval_type = %s, "
                    "nextcall = greatest(%s, now() at time zone 'utc') WHERE id = %s",
                    (number, kind, nextcall, cron_id),
                )
            if report_url != "keep":
                _set_report_url(conn, saved_report_url)
            conn.close()
    base = (result.get("baseline") or {}).get("latency", {})
    load = result["load"]["latency"]
    result["p50_ratio"] = {
        op: round(load[op]["p50"] / base[op]["p50"], 2)
        for op in load
        if op in base and base[op]["p50"]
    }
    # The headline figures, flat (benchmarks/run.py tabulates numbers).
    checks, overall = result["checks"], load.get("overall", {})
    result.update(
        requests=result["load"]["requests"],
        failures=result["load"]["failures"],
        duplicate_references=checks["duplicate_references"],
        reference_gaps=checks["reference_gaps"],
        missing_references=checks["missing_references"],
        double_escalations=checks["double_escalations"],
        lost_records=checks["lost_records"],
        wrong_state=checks["wrong_state"],
        missing_facts=checks["missing_facts"],
        race_double_transitions=(result.get("races") or {}).get("double_transitions"),
        lost_mails=checks["lost_mails"],
        doubled_mails=checks["doubled_mails"] + checks["doubled_mail_messages"],
        mails_failed=checks["mails_failed"],
        busy_print_pdfs=f"{result['busy_print']['pdfs']}/{result['busy_print']['prints']}",
        p50_ms=round((overall.get("p50") or 0) * 1000),
        p95_ms=round((overall.get("p95") or 0) * 1000),
        baseline_p50_ms=round(((base.get("overall") or {}).get("p50") or 0) * 1000),
        p50_ratio_overall=result["p50_ratio"].get("overall"),
    )
    return result


# Output -------------------------------------------------------------------------
def _ms(value):
    return "-" if value is None else f"{value * 1000:.0f}"


def print_table(result):
    load, base = result["load"], result.get("baseline") or {}
    print(
        f"database {result['database']}; A: {result['servers']['A']}; "
        f"B: {result['servers']['B']}"
    )
    print(
        f"load: {load['clients']} clients, {load['seconds']} s, {load['requests']} "
        f"requests ({load['requests_per_second']}/s; "
        f"by server {load['requests_by_server']}), "
        f"{load['failures']} failures; think time {load.get('think', 0)} s"
    )
    if base:
        print(
            f"baseline: 1 client, {base['seconds']} s, {base['requests']} requests, "
            f"{base['failures']} failures"
        )
    print(
        f"load average (1 min, {os.cpu_count()} CPUs) before/after: baseline "
        f"{base.get('loadavg')}, load {load['loadavg']}"
    )
    print()
    print(
        "| operation | n (load) | p50 base ms | p95 base ms "
        "| p50 load ms | p95 load ms | p50 ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    ops = sorted(load["latency"], key=lambda op: (op == "overall", op))
    for op in ops:
        lo, ba = load["latency"][op], base.get("latency", {}).get(op, {})
        ratio = result["p50_ratio"].get(op)
        print(
            f"| {op} | {lo['n']} | {_ms(ba.get('p50'))} | {_ms(ba.get('p95'))} | "
            f"{_ms(lo['p50'])} | {_ms(lo['p95'])} | {'-' if ratio is None else ratio} |"
        )
    print()
    if load["failures_by_kind"]:
        print("| failure (load) | count |")
        print("|---|---:|")
        for kind, count in load["failures_by_kind"].items():
            print(f"| {kind} | {count} |")
        print()
    checks = result["checks"]
    print("| check | value |")
    print("|---|---:|")
    for key in (
        "duplicate_references",
        "reference_gaps",
        "missing_references",
        "escalations_during_run",
        "double_escalations",
        "records_checked",
        "lost_records",
        "wrong_state",
        "missing_facts",
        "acknowledgements_expected",
        "lost_mails",
        "doubled_mails",
        "doubled_mail_messages",
        "mails_waiting",
        "mails_failed",
    ):
        print(f"| {key.replace('_', ' ')} | {checks[key]} |")
    print(f"| mails drained after the load (s) | {result.get('mail_drain_s')} |")
    busy = result.get("busy_print") or {}
    print(
        f"| prints while every worker of A prints ({busy.get('prints')} on "
        f"{busy.get('workers')} workers) | {busy.get('pdfs')} PDFs, slowest "
        f"{busy.get('slowest_s')} s |"
    )
    print()
    print(
        "seeded overdue complaints by escalation level: "
        f"{checks['seeded_by_escalation_level']}"
    )
    print(f"cron triggers sent: {result.get('cron_triggers_sent')}")
    races = result.get("races")
    if races:
        print(
            f"races ({races['races']} complaints, the same button on A and B at "
            f"once): {races['outcomes']}; double state changes in the chatter: "
            f"{races['double_transitions']}; states {races['states']}"
        )
    for label, runs in checks["cron_runs"].items():
        print(f"cron jobs run by server {label}: {runs or 'none'}")
    print(f"cron lastcall: {checks['cron_lastcall']}")
    for label, summary in checks["server_logs"].items():
        print(f"server {label} log:")
        for kind, count in (summary.get("counts") or {}).items():
            print(f"  {count:5d}  {kind[:150]}")
    for key in (
        "duplicate_examples",
        "double_escalation_examples",
        "wrong_state_examples",
        "missing_facts_examples",
    ):
        if checks.get(key):
            print(f"{key}: {checks[key]}")
    print(
        f"customers: {result['customers']}; "
        f"overdue seeded: {result['overdue_seeded']}; "
        f"report.url: server {result['report_url']}"
    )
    print(f"server logs: {result['log_dir']}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default=DB_PREFIX)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=5000, help="per client")
    parser.add_argument(
        "--overdue", type=int, default=100, help="overdue complaints seeded"
    )
    parser.add_argument("--workers", type=int, default=3, help="server A's workers")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits between requests (0: none, a stress test)",
    )
    parser.add_argument("--base-port", type=int, default=8310)
    parser.add_argument("--trigger-every", type=float, default=10.0)
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--log-dir", default=LOG_DIR)
    parser.add_argument(
        "--customers",
        type=int,
        default=0,
        help="customers the complaints are about (default: one per client)",
    )
    parser.add_argument(
        "--report-url",
        choices=("A", "B", "keep"),
        default="B",
        help="server whose URL wkhtmltopdf fetches report assets from",
    )
    parser.add_argument(
        "--races",
        type=int,
        default=10,
        help="complaints approved and closed by two managers at once (A and B)",
    )
    parser.add_argument("--json", help="also write the result to this file")
    parser.add_argument(
        "--no-update",
        dest="update",
        action="store_false",
        help="do not update the addon in the database first",
    )
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        _check_target(args.database, args.host)
    except ValueError as err:
        raise SystemExit(str(err)) from err
    if args.prepare_only:
        prepared = _prepare(
            args.config, args.database, args.clients, args.overdue, args.customers
        )
        print(json.dumps(prepared))
        return
    if args.clients < 1 or args.seconds <= 0:
        raise SystemExit("--clients and --seconds must be positive")

    def terminate(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C stops the run even when started with SIGINT ignored (``&``).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    result = run_load(
        args.config,
        args.database,
        clients=args.clients,
        seconds=args.seconds,
        baseline_seconds=args.baseline_seconds,
        max_requests=args.max_requests,
        overdue=args.overdue,
        workers=args.workers,
        base_port=args.base_port,
        trigger_every=args.trigger_every,
        log_dir=args.log_dir,
        host=args.host,
        update=args.update,
        customers=args.customers,
        report_url=args.report_url,
        races=args.races,
        think=args.think,
    )
    print_table(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1, default=str)


if __name__ == "__main__":
    main()
