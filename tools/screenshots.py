#!/usr/bin/env python3
"""Take the README screenshots from a running demo database.

Run by ``bin/screenshots``, which creates the database and starts Odoo. Logs in
as the demo users over JSON-RPC, drives headless Chromium over the DevTools
protocol (websocket-client), rasterizes a PDF form with ``pdftoppm`` and writes
``screenshot_<name>.png`` files, palette-optimized with Pillow.

    tools/screenshots.py --url http://127.0.0.1:8641 --db shots_complaint_center \
        --out complaint_center/static/description [NAME...]

Records are found by searching, never by id, so the demo data may change.
"""

import argparse
import base64
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from PIL import Image

WIDTH, HEIGHT = 1440, 900
# The demo company works in Shanghai; the web client shows times in the
# browser's time zone.
TIMEZONE = "Asia/Shanghai"
# Complaint forms are tall: show the tabs too.
FORM_HEIGHT = 1350
# Demo logins; the password is the login (complaint_center/demo, base demo).
ADMIN, PORTAL = "admin", "portal"
USERS = ["cc_user", "cc_handler", "cc_manager", "cc_finance", "cc_executive"]

# Page is ready when the document is loaded, Odoo shows no loading state and
# the target selector is there. Returns a word the waiting loop understands.
READY_JS = """
(() => {
    const sel = %s;
    if (document.readyState !== "complete") return "loading";
    if (location.pathname.startsWith("/web/login")) return "login page";
    const err = document.querySelector(
        ".o_error_dialog, .o_dialog .o_error_detail, .o_notification.border-danger"
    );
    if (err) return "error: " + err.innerText.slice(0, 300);
    if (document.querySelector(
        ".o_loading_indicator, .o_blockUI, .o-spinner, .fa-spinner, "
        + ".dashboard-loading-status:not(.error)"
    )) return "busy";
    if (document.querySelector(".dashboard-loading-status.error"))
        return "error: dashboard failed to load";
    return document.querySelector(sel) ? "ready" : "waiting for " + sel;
})()
"""


# Click the notebook tab of a page name.
CLICK_TAB = """(name => {
    const tab = document.querySelector(`.o_notebook .nav-link[name='${name}']`);
    return tab ? (tab.click(), 1) : 0;
})"""
# Select the list rows whose state badge reads ``label``.
SELECT_ROWS = """(label => {
    const rows = [...document.querySelectorAll(".o_data_row")].filter(
        row => row.querySelector("[name=state]")?.innerText.trim() === label
    );
    rows.forEach(row => row.querySelector(".o_list_record_selector input").click());
    return rows.length;
})"""


class ShotError(Exception):
    pass


# ---------------------------------------------------------------- JSON-RPC
class Session:
    """One user's Odoo web session."""

    def __init__(self, url, db, login, password=None):
        self.url, self.login = url, login
        self.http = requests.Session()
        result = self._rpc(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password or login},
        )
        if not result.get("uid"):
            raise ShotError(f"cannot log in as {login}")
        self.uid = result["uid"]
        # The web client opens on the user's current company: search there.
        # (Portal users have none.)
        companies = result.get("user_companies") or {}
        self.context = {}
        if companies.get("current_company"):
            self.context["allowed_company_ids"] = [companies["current_company"]]
        self.session_id = self.http.cookies["session_id"]

    def _rpc(self, path, params):
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            error = body["error"]
            message = error.get("data", {}).get("message") or error.get("message")
            raise ShotError(f"{path} as {self.login}: {message}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def search(self, model, domain, limit=1, order=None):
        kwargs = {"limit": limit, "context": self.context}
        if order:
            kwargs["order"] = order
        return self.call(model, "search", domain, **kwargs)

    def get(self, path):
        response = self.http.get(self.url + path, timeout=600)
        response.raise_for_status()
        return response


# ---------------------------------------------------------------- Chromium
def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise ShotError("Chromium not found (apt-get install chromium)")


class Browser:
    """Headless Chromium, one page, driven over the DevTools protocol."""

    def __init__(self, port, binary=None):
        self.profile = tempfile.mkdtemp(prefix="cc-shots-chromium-")
        self.proc = subprocess.Popen(
            [
                binary or find_chromium(),
                "--headless=new",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={self.profile}",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio",
                "--force-device-scale-factor=1",
                "--lang=en-US",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ids = itertools.count(1)
        self.ws = websocket.create_connection(
            self._page_ws_url(port), timeout=120, suppress_origin=True
        )
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.resize(HEIGHT)
        self.send("Emulation.setTimezoneOverride", timezoneId=TIMEZONE)

    def resize(self, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_ws_url(self, port):
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise ShotError(f"Chromium exited ({self.proc.returncode})")
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json/list", timeout=2
                ).json()
            except (requests.RequestException, ValueError):
                time.sleep(0.3)
                continue
            for target in targets:
                if target.get("type") == "page":
                    return target["webSocketDebuggerUrl"]
            time.sleep(0.3)
        raise ShotError(f"Chromium's DevTools did not answer on port {port}")

    def send(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") != msg_id:
                continue  # an event
            if "error" in message:
                raise ShotError(f"{method}: {message['error']}")
            return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            raise ShotError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url, session_id, selector, settle=1.0, timeout=90):
        """Open ``url`` with the session cookie; wait until ``selector`` shows
        and the page stays idle, then ``settle`` more seconds."""
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, url=url)
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait(url, selector, settle, timeout)

    def wait(self, url, selector, settle=1.0, timeout=90):
        deadline = time.time() + timeout
        ready_since, state = None, ""
        while time.time() < deadline:
            state = self.evaluate(READY_JS % json.dumps(selector))
            if state in ("login page",) or state.startswith("error"):
                raise ShotError(f"{url}: {state}")
            if state == "ready":
                ready_since = ready_since or time.time()
                if time.time() - ready_since >= 1.0:
                    time.sleep(settle)
                    if self.evaluate(READY_JS % json.dumps(selector)) == "ready":
                        return
                    ready_since = None
            else:
                ready_since = None
            time.sleep(0.25)
        raise ShotError(f"{url}: not ready after {timeout} s ({state})")

    def capture(self):
        # Move the focus away: no blinking caret or focus ring on the picture.
        self.evaluate("document.activeElement && document.activeElement.blur()")
        data = self.send("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:  # closing anyway
            pass
        try:
            self.ws.close()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# ---------------------------------------------------------------- output
def save_png(data, path):
    """Write ``data`` (PNG bytes) as a 256-colour optimized PNG."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    image.save(path, format="PNG", optimize=True)
    return os.path.getsize(path)


# ---------------------------------------------------------------- the shots
class Shooter:
    def __init__(self, args):
        self.url, self.db, self.out = args.url.rstrip("/"), args.db, args.out
        self.sessions = {}
        self.browser = None
        self.devtools_port = args.devtools_port

    def session(self, login):
        if login not in self.sessions:
            self.sessions[login] = Session(self.url, self.db, login)
        return self.sessions[login]

    def wait_server(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/web/health", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise ShotError(f"Odoo does not answer at {self.url}")

    def prepare(self):
        """As admin: the pictures are in English, PDFs find the server."""
        admin = self.session(ADMIN)
        admin.call("ir.config_parameter", "set_param", "web.base.url", self.url)
        users = admin.search(
            "res.users", [("login", "in", USERS + [PORTAL])], limit=None
        )
        admin.call("res.users", "write", users, {"lang": "en_US"})

    def shoot(self, name, login, path, selector, settle=1.0, height=HEIGHT, **kw):
        """Open ``path`` as ``login``, wait for ``selector``, then optionally
        click (``click``: JavaScript returning how many elements it clicked)
        and wait for ``then``; save the viewport as screenshot_<name>.png."""
        if self.browser is None:
            self.browser = Browser(self.devtools_port)
        self.browser.resize(height)
        session = self.session(login)
        self.browser.open(self.url + path, session.session_id, selector, settle)
        if kw.get("click"):
            if not self.browser.evaluate(kw["click"]):
                raise ShotError(f"{path}: nothing to click for {name}")
            self.browser.wait(self.url + path, kw["then"], settle)
        target = os.path.join(self.out, f"screenshot_{name}.png")
        size = save_png(self.browser.capture(), target)
        print(f"  {os.path.basename(target)}: {size // 1024} KB ({login} {path})")

    def shoot_complaint(self, name, login, complaint, tab=None):
        self.shoot(
            name,
            login,
            f"/odoo/complaints/{complaint}",
            ".o_form_view .o_form_statusbar .o_statusbar_status",
            height=FORM_HEIGHT,
            click=tab and f"{CLICK_TAB}({json.dumps(tab)})",
            then=tab and f".o_notebook .nav-link.active[name='{tab}']",
        )

    # -- record finders (as the user who is shown the record) ---------------
    def complaint(self, login, states, domain=()):
        session = self.session(login)
        for state in states:
            found = session.search(
                "complaint.complaint",
                [("state", "=", state), *domain],
                order="date_received desc, id desc",
            )
            if found:
                return found[0]
        raise ShotError(f"no complaint in state {states} visible to {login}")

    def form_complaint(self, login="cc_handler"):
        """The handler's working screen: a complaint under investigation,
        with its Responsibility tab when it has responsibility lines.
        Returns (complaint id, tab or None)."""
        for domain, tab in (
            ([("responsibility_ids", "!=", False)], "responsibility"),
            ([], None),
        ):
            try:
                complaint = self.complaint(login, ["investigating", "proposed"], domain)
            except ShotError:
                continue
            return complaint, tab
        raise ShotError(f"no complaint being handled for {login}")

    # -- one method per screenshot -----------------------------------------
    def shot_sale_order(self):
        # A confirmed order of the sales user without a complaint yet; else
        # one the center director sees (all orders).
        for login in ("cc_user", "cc_manager"):
            session = self.session(login)
            for domain in (
                [("user_id", "=", session.uid), ("complaint_ids", "=", False)],
                [("complaint_ids", "=", False)],
            ):
                orders = session.search(
                    "sale.order", [("state", "=", "sale"), *domain], order="id desc"
                )
                if orders:
                    return self.shoot(
                        "sale_order",
                        login,
                        f"/odoo/orders/{orders[0]}",
                        ".o_form_view button[name='action_log_complaint']",
                    )
        raise ShotError("no confirmed sale order without complaint")

    def shot_kanban(self):
        self.shoot(
            "kanban",
            "cc_manager",
            "/odoo/complaints?view_type=kanban",
            ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)",
        )

    def shot_form(self):
        self.shoot_complaint("form", "cc_handler", *self.form_complaint())

    def shot_approval(self):
        # The manager's screen: a proposed plan to approve.
        complaint = self.complaint("cc_manager", ["proposed"])
        self.shoot_complaint("approval", "cc_manager", complaint, tab="resolution")

    def shot_closing(self):
        # A resolved complaint: return visit and feedback, then Close.
        complaint = self.complaint("cc_manager", ["resolved", "closed"])
        self.shoot_complaint("closing", "cc_manager", complaint, tab="visits")

    def shot_penalties(self):
        # Finance selects the confirmed penalties: the batch buttons show.
        self.shoot(
            "penalties",
            "cc_finance",
            "/odoo/action-complaint_center.complaint_penalty_action",
            ".o_list_renderer .o_data_row",
            click=f"{SELECT_ROWS}('Confirmed')",
            then=".o_control_panel button[name='action_approve']",
        )

    def shot_dashboard(self):
        # Figures load their data after the grid shows: settle longer.
        self.shoot(
            "dashboard",
            "cc_manager",
            "/odoo/action-complaint_center.complaint_dashboard_action",
            ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
            settle=6.0,
        )

    def shot_pdf(self):
        session = self.session("cc_manager")
        complaint = self.complaint("cc_manager", ["closed", "resolved", "approved"])
        pdf = session.get(
            f"/report/pdf/complaint_center.report_complaint_form/{complaint}"
        )
        if not pdf.content.startswith(b"%PDF"):
            raise ShotError("the complaint form did not come back as a PDF")
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "form.pdf"), "wb") as f:
                f.write(pdf.content)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1"]
                + [os.path.join(tmp, "form.pdf"), os.path.join(tmp, "page")],
                check=True,
            )
            page = [n for n in os.listdir(tmp) if n.startswith("page")][0]
            with open(os.path.join(tmp, page), "rb") as f:
                data = f.read()
        target = os.path.join(self.out, "screenshot_pdf.png")
        size = save_png(data, target)
        print(f"  screenshot_pdf.png: {size // 1024} KB (complaint form, page 1)")

    def shot_portal(self):
        self.shoot("portal", PORTAL, "/my/complaints", "table tbody tr a", height=560)

    def shot_portal_complaint(self):
        # The customer's view of one complaint: facts, result, messages.
        portal = self.session(PORTAL)
        partner = portal.call("res.users", "read", [portal.uid], ["partner_id"])
        complaints = self.session(ADMIN).search(
            "complaint.complaint",
            [("partner_id", "child_of", partner[0]["partner_id"][0])],
            order="date_received desc",
        )
        if not complaints:
            raise ShotError("the portal user has no complaint")
        self.shoot(
            "portal_complaint",
            PORTAL,
            f"/my/complaints/{complaints[0]}",
            "#complaint_content",
        )

    def shot_form_zh(self):
        """A handler's form with the interface in Simplified Chinese."""
        admin = self.session(ADMIN)
        langs = admin.call(
            "res.lang",
            "search_read",
            [("code", "=", "zh_CN")],
            ["active"],
            context={"active_test": False},
        )
        if not langs or not langs[0]["active"]:
            wizard = admin.call(
                "base.language.install",
                "create",
                {"lang_ids": [(6, 0, [langs[0]["id"]])] if langs else []},
            )
            admin.call("base.language.install", "lang_install", [wizard])
        # The Chinese demo company's handler when there is one.
        users = {
            user["login"]: user["id"]
            for user in admin.call(
                "res.users",
                "search_read",
                [("login", "in", ["cn_handler", "cc_handler"])],
                ["login"],
            )
        }
        login = "cn_handler" if "cn_handler" in users else "cc_handler"
        admin.call("res.users", "write", [users[login]], {"lang": "zh_CN"})
        try:
            # A fresh session: the language is read at login.
            self.sessions.pop(login, None)
            complaint, tab = self.form_complaint(login)
            self.shoot_complaint("form_zh", login, complaint, tab)
        finally:
            if login == "cc_handler":
                admin.call("res.users", "write", [users[login]], {"lang": "en_US"})
            self.sessions.pop(login, None)


NAMES = [
    "sale_order",
    "kanban",
    "form",
    "approval",
    "closing",
    "penalties",
    "dashboard",
    "pdf",
    "portal",
    "portal_complaint",
    "form_zh",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the names")
    parser.add_argument("--url", help="Odoo base URL")
    parser.add_argument("--db", help="demo database")
    parser.add_argument("--out", help="folder of the PNG files")
    parser.add_argument("--devtools-port", type=int, default=8649)
    parser.add_argument("names", nargs="*", help=f"default: all of {NAMES}")
    args = parser.parse_args()
    if args.list:
        print("\n".join(NAMES))
        return
    if not (args.url and args.db and args.out):
        parser.error("--url, --db and --out are required")
    unknown = set(args.names) - set(NAMES)
    if unknown:
        parser.error(f"unknown screenshot(s) {sorted(unknown)}; known: {NAMES}")
    os.makedirs(args.out, exist_ok=True)
    shooter = Shooter(args)
    started = time.time()
    try:
        shooter.wait_server()
        shooter.prepare()
        for name in args.names or NAMES:
            getattr(shooter, f"shot_{name}")()
    except ShotError as err:
        if shooter.browser:
            debug = os.path.join(tempfile.gettempdir(), "screenshots-error.png")
            with open(debug, "wb") as f:
                f.write(shooter.browser.capture())
            print(f"screenshots: the page at the error is in {debug}", file=sys.stderr)
        sys.exit(f"screenshots: {err}")
    finally:
        if shooter.browser:
            shooter.browser.close()
    took = time.time() - started
    print(f"screenshots: {len(args.names or NAMES)} taken in {took:.0f} s")


if __name__ == "__main__":
    main()
