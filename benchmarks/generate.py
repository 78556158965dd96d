"""Benchmark data: N complaints over 24 months and as many helpdesk tickets.

    .venv/bin/python benchmarks/generate.py -c .odoo.conf \
        [-d complaint_center_bench] [--count 100000] [--seed 20260101]

Creates the database (``complaint_center``, ``helpdesk_mgmt`` and
``helpdesk_mgmt_sla``, no demo data) when missing, then, seeded:

- 2,000 customers (companies in China and abroad), 40 products, 20,000
  confirmed sale orders with lines, departments, employees, staff users per
  role (``bench_clerk``, ``bench_handler``, ``bench_manager``,
  ``bench_finance``, ``bench_executive``, ``bench_hd_user``,
  ``bench_hd_manager``; password = login);
- ``--count`` complaints received over the last 24 months through the ORM
  (as the superuser, chatter tracking off, in batches): references from the
  addon's gapless monthly sequence, policies, deadlines, next escalation and
  follow-up computed by the addon; most closed, some rejected or cancelled,
  some open at every stage, about 1 % open and overdue; descriptions in
  English and Chinese from templates (products, batch numbers, dates);
  responsibility lines, penalties, and chatter history (SQL rows in
  ``mail_message``);
- planted near-duplicates: ``--duplicate-groups`` groups of 3-4 complaints
  that are rewordings of one matter by different customers, recorded in
  ``bench_planted_duplicate(complaint_id, group_no)``;
- the peer: ``--count`` helpdesk tickets (teams with SLAs, categories,
  stages, channels, the same customers, messages), through the ORM, so each
  ticket's SLA rows are made by ``helpdesk_mgmt_sla``; ticket dates are
  spread over the same 24 months in SQL and the deadlines of open SLA rows
  recomputed by the ORM.

What was generated is recorded in ``bench_meta``; running again with the same
arguments does nothing. Odoo must be importable: ODOO_PATH (default
/opt/odoo18) is put on sys.path.
"""

import argparse
import json
import random
import time
from datetime import datetime, timedelta

from _common import (
    DEFAULT_DB,
    Meter,
    ensure_database,
    ensure_peer_wheels,
    environment,
    log,
    parse_config,
    registry,
)
from psycopg2.extras import execute_values

import odoo  # noqa: E402 (after _common put it on sys.path)
from odoo import Command  # noqa: E402

GENERATOR_VERSION = 3
DEFAULT_SEED = 20260101
MONTHS = 24
BATCH = 1000
ORDER_SEED = 600
CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
}

PRODUCTS = [
    ("Oak dining table", "橡木餐桌"),
    ("Walnut coffee table", "胡桃木茶几"),
    ("Leather sofa, 3 seats", "三人真皮沙发"),
    ("Fabric armchair", "布艺单人沙发"),
    ("Queen bed frame", "双人床架"),
    ("Memory foam mattress", "记忆棉床垫"),
    ("Wardrobe, 4 doors", "四门衣柜"),
    ("Office chair, ergonomic", "人体工学办公椅"),
    ("Standing desk", "升降办公桌"),
    ("Bookshelf, 5 tiers", "五层书架"),
    ("TV cabinet", "电视柜"),
    ("Kitchen cabinet set", "整体橱柜"),
    ("Shoe cabinet", "鞋柜"),
    ("Children's bunk bed", "儿童上下床"),
    ("Dressing table", "梳妆台"),
    ("Bedside table", "床头柜"),
    ("Rattan garden chair", "藤编户外椅"),
    ("Bar stool", "吧台椅"),
    ("Sideboard", "餐边柜"),
    ("Sofa bed", "沙发床"),
    ("Recliner chair", "电动躺椅"),
    ("Glass display cabinet", "玻璃展示柜"),
    ("Bathroom vanity", "浴室柜"),
    ("Solid wood stool", "实木凳"),
    ("Marble side table", "大理石边几"),
    ("Conference table", "会议桌"),
    ("Filing cabinet", "文件柜"),
    ("Folding dining chair", "折叠餐椅"),
    ("Futon mattress", "榻榻米床垫"),
    ("Coat rack", "衣帽架"),
    ("Corner sofa", "转角沙发"),
    ("Writing desk", "写字台"),
    ("Nursery crib", "婴儿床"),
    ("Outdoor dining set", "户外餐桌椅套装"),
    ("Rocking chair", "摇椅"),
    ("Lounge chair", "休闲椅"),
    ("Loft bed", "高架床"),
    ("Storage ottoman", "收纳凳"),
    ("Console table", "玄关桌"),
    ("Chest of drawers", "五斗柜"),
]

# Per category (by its English name): what went wrong, in English and Chinese.
ISSUES = {
    "Product Quality": [
        ("has a crack along the top surface", "桌面出现一道裂缝"),
        ("wobbles because one leg is shorter", "一条腿偏短，放置不稳"),
        ("smells strongly of paint and glue", "有很重的油漆和胶水味"),
        ("has peeling veneer on the edges", "边缘贴皮起翘脱落"),
        ("squeaks loudly when used", "使用时吱吱作响"),
        ("has a broken hinge on the left door", "左侧门铰链断裂"),
        ("shows mould spots after two weeks", "两周后出现霉点"),
        ("has a seam that came apart", "缝线开裂"),
        ("sags in the middle", "中间明显塌陷"),
        ("has a colour different from the sample", "颜色与样品不一致"),
    ],
    "Delivery / Logistics": [
        ("arrived nine days after the promised date", "比承诺日期晚了九天送达"),
        ("was damaged in transit, the box was crushed", "运输中损坏，外箱被压扁"),
        ("was delivered to the wrong address", "被送到了错误的地址"),
        ("arrived with two parts missing", "到货时缺少两个配件"),
        ("was left outside in the rain by the carrier", "被物流放在门外淋雨"),
    ],
    "Service Attitude": [
        ("was installed by a technician who was rude", "安装师傅态度恶劣"),
        (
            "came with a hotline operator who hung up on us",
            "客服热线接线员直接挂断电话",
        ),
        (
            "was sold by a salesperson who ignored our questions",
            "销售人员对我们的问题置之不理",
        ),
    ],
    "Service Process": [
        (
            "needed four calls before anyone booked the installation",
            "打了四次电话才预约上安装",
        ),
        ("was assembled without the wall anchor", "安装时没有固定防倾倒配件"),
        ("has a warranty card nobody would stamp", "保修卡无人盖章"),
    ],
    "After-Sales": [
        ("was repaired twice and broke again", "已经维修两次仍然损坏"),
        ("is still waiting for the replacement part", "更换的配件至今未到"),
        ("was refused a repair under warranty", "保修期内被拒绝维修"),
    ],
    "Staff Conduct": [
        ("was delivered by staff who smoked in our home", "送货人员在家中吸烟"),
        ("was installed by staff who scratched our floor", "安装人员划伤了地板"),
    ],
    "Billing / Price": [
        ("was charged twice on the invoice", "发票上重复收费"),
        ("was billed above the advertised price", "收费高于宣传价格"),
        ("has a delivery fee we were told was free", "收取了承诺免费的运费"),
    ],
    "Customer Misunderstanding": [
        ("is smaller than we expected from the pictures", "比图片上看起来小"),
        ("does not match the colour of our other furniture", "与家中其他家具颜色不搭"),
    ],
}
REMEDIES = [
    ("return", "a full refund", "全额退款"),
    ("exchange", "an exchange for a new one", "换一件新的"),
    ("repair", "a repair at home", "上门维修"),
    ("discount", "a partial refund", "部分退款"),
    ("refund", "compensation", "赔偿"),
    ("apology", "a written apology", "书面道歉"),
]
EN_TEMPLATES = [
    "The {product} we received on {date} (batch {batch}) {issue}. We ask for {remedy}.",
    "Our {product}, batch {batch}, arrived on {date} and {issue}. Please "
    "arrange {remedy}.",
    "Received a {product} from batch {batch} on {date}: it {issue}. We are "
    "requesting {remedy}.",
    "Batch {batch} of the {product} (delivered {date}) {issue}; we expect "
    "{remedy} as soon as possible.",
    "Complaint about order {order}: the {product} {issue}. Batch number "
    "{batch}, delivery date {date}. The customer wants {remedy}.",
]
ZH_TEMPLATES = [
    "{date}收到的{product}（批号{batch}）{issue}，要求{remedy}。",
    "我们于{date}购买的{product}，批次{batch}，{issue}，请尽快{remedy}。",
    "批号为{batch}的{product}{issue}（{date}到货），希望{remedy}。",
    "关于订单{order}：{product}{issue}。批号{batch}，送货日期{date}。客户要求{remedy}。",
    "客户反映：{date}送达的{product}{issue}，批次{batch}，请求{remedy}。",
]
# Light rewordings of one matter (planted near-duplicates).
EN_REWORD = [
    "Hello, the {product} from batch {batch} that came on {date} {issue}. "
    "Could you arrange {remedy}?",
    "We have a problem with the {product} (batch {batch}, delivered {date}): "
    "it {issue}. We would like {remedy}.",
    "The {product} delivered {date}, batch no. {batch}, {issue}. Requesting "
    "{remedy}, thank you.",
    "Regarding batch {batch}: our {product} received on {date} {issue}. "
    "Please offer {remedy}.",
]
ZH_REWORD = [
    "您好，{date}送来的{product}（批号{batch}）{issue}，能否安排{remedy}？",
    "我们的{product}有问题：批次{batch}，{date}送达，{issue}，希望{remedy}。",
    "{date}到货的{product}，批号{batch}，{issue}。请{remedy}，谢谢。",
    "关于批号{batch}：{date}收到的{product}{issue}，请给予{remedy}。",
]
CHANNEL_WEIGHTS = {
    "phone": 30,
    "email": 18,
    "web": 15,
    "portal": 8,
    "visit": 8,
    "letter": 3,
    "comment_book": 3,
    "regulator": 4,
    "internal": 5,
    "media": 1,
    "fax": 1,
}
SEVERITY_WEIGHTS = {"general": 80, "major": 17, "critical": 3}
CATEGORY_WEIGHTS = {
    "Product Quality": 34,
    "Delivery / Logistics": 22,
    "Service Attitude": 8,
    "Service Process": 10,
    "After-Sales": 12,
    "Staff Conduct": 3,
    "Billing / Price": 7,
    "Customer Misunderstanding": 4,
}
COUNTRIES = ["CN"] * 8 + ["US", "DE", "FR", "JP", "GB", "SG"]
CITIES = [
    "上海",
    "北京",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "南京",
    "武汉",
    "苏州",
    "天津",
]
COMPANY_WORDS = [
    ("Hua", "华"),
    ("Xin", "信"),
    ("Da", "达"),
    ("Kang", "康"),
    ("Sheng", "盛"),
    ("Tai", "泰"),
    ("Feng", "丰"),
    ("Long", "隆"),
    ("Jia", "嘉"),
    ("Yuan", "源"),
]
STAFF_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang"]
STAFF_GIVEN = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hui", "Qiang"]
ROLE_USERS = {
    "bench_clerk": ["complaint_center.group_complaint_user"],
    "bench_handler": ["complaint_center.group_complaint_handler"],
    "bench_manager": ["complaint_center.group_complaint_manager"],
    "bench_finance": ["complaint_center.group_complaint_finance"],
    "bench_executive": ["complaint_center.group_complaint_executive"],
    "bench_hd_user": ["helpdesk_mgmt.group_helpdesk_user"],
    "bench_hd_manager": ["helpdesk_mgmt.group_helpdesk_manager"],
}
SALES_GROUP = "sales_team.group_sale_salesman_all_leads"
HD_TEAMS = ["Quality", "Logistics", "Customer Care", "After-Sales", "Billing"]
OPEN_STATES = ("new", "investigating", "proposed", "approved")


def weighted(rnd, weights):
    keys = list(weights)
    return rnd.choices(keys, weights=[weights[k] for k in keys])[0]


class Generator:
    def __init__(self, env, args):
        self.env = env(context=dict(env.context, **CONTEXT))
        self.cr = env.cr
        self.args = args
        self.rnd = random.Random(args.seed)
        self.now = datetime.now().replace(microsecond=0)
        self.start = self.now - timedelta(days=30 * MONTHS)
        self.timings = {}

    # -- helpers ----------------------------------------------------------
    def step(self, name, func):
        started = time.perf_counter()
        result = func()
        self.env.flush_all()
        self.timings[name] = round(time.perf_counter() - started, 1)
        log(f"{name}: {self.timings[name]} s")
        return result

    def insert(self, sql, rows, page=5000):
        execute_values(self.cr._obj, sql, rows, page_size=page)

    def text(self, matter, lang, templates, pick=None):
        product = PRODUCTS[matter["product"]][0 if lang == "en" else 1]
        issue = matter["issue"][0 if lang == "en" else 1]
        remedy = matter["remedy"][1 if lang == "en" else 2]
        date = matter["date"]
        date_txt = (
            date.strftime("%d %b %Y")
            if lang == "en"
            else (f"{date.year}年{date.month}月{date.day}日")
        )
        if pick is None:
            template = self.rnd.choice(templates)
        else:
            template = templates[pick % len(templates)]
        return template.format(
            product=product,
            batch=matter["batch"],
            date=date_txt,
            issue=issue,
            remedy=remedy,
            order=matter["order"],
        )

    # -- master data ------------------------------------------------------
    def setup_master(self):
        env = self.env
        rnd = self.rnd
        company = env.company
        self.company = company
        if not company.resource_calendar_id:
            company.resource_calendar_id = env.ref("resource.resource_calendar_std")
        countries = {
            code: env["res.country"].search([("code", "=", code)]).id
            for code in set(COUNTRIES)
        }
        partners = []
        for i in range(self.args.customers):
            a, b = rnd.sample(COMPANY_WORDS, 2)
            code = rnd.choice(COUNTRIES)
            if code == "CN":
                city = rnd.choice(CITIES)
                name = f"{city}{a[1]}{b[1]}家居有限公司 {i:04d}"
            else:
                name = f"{a[0]}{b[0]} Home Trading {i:04d}"
            partners.append(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": countries[code],
                    "email": f"customer{i:04d}@example.com",
                    "phone": f"+86 21 5{i:07d}",
                    "lang": "en_US",
                }
            )
        self.partners = env["res.partner"].create(partners)
        self.products = env["product.product"].create(
            [
                {
                    "name": en,
                    "type": "consu",
                    "list_price": rnd.choice([199, 399, 899, 1299, 2599, 4999]),
                    "default_code": f"FUR-{i:03d}",
                }
                for i, (en, _zh) in enumerate(PRODUCTS)
            ]
        )
        departments = env["hr.department"].create(
            [
                {"name": name}
                for name in (
                    "Quality Assurance",
                    "Logistics",
                    "Customer Service",
                    "After-Sales Service",
                    "Sales",
                    "Finance",
                    "Installation",
                    "Purchasing",
                )
            ]
        )
        self.departments = departments
        # Staff: users per role plus employees (responsibility lines).
        users = {}
        for login, groups in ROLE_USERS.items():
            users[login] = self.user(login, login.replace("_", " ").title(), groups)
        self.role_users = users
        self.handlers = users["bench_handler"] | env["res.users"].browse()
        self.clerks = users["bench_clerk"] | env["res.users"].browse()
        for i in range(24):
            self.handlers |= self.user(
                f"bench_handler_{i:02d}",
                f"{rnd.choice(STAFF_SURNAMES)} {rnd.choice(STAFF_GIVEN)} (H{i})",
                ["complaint_center.group_complaint_handler"],
            )
        for i in range(12):
            self.clerks |= self.user(
                f"bench_clerk_{i:02d}",
                f"{rnd.choice(STAFF_SURNAMES)} {rnd.choice(STAFF_GIVEN)} (C{i})",
                ["complaint_center.group_complaint_user"],
            )
        self.managers = users["bench_manager"] | users["bench_executive"]
        employees = []
        for i in range(300):
            employees.append(
                {
                    "name": f"{rnd.choice(STAFF_SURNAMES)} "
                    f"{rnd.choice(STAFF_GIVEN)} E{i:03d}",
                    "department_id": departments[i % len(departments)].id,
                }
            )
        self.employees = env["hr.employee"].create(employees)
        self.handler_department = {
            user: departments[i % 4] for i, user in enumerate(self.handlers)
        }
        self.categories = {
            cat.with_context(lang="en_US").name: cat
            for cat in env["complaint.category"].search([])
        }

    def user(self, login, name, groups):
        env = self.env
        group_ids = [env.ref(xmlid).id for xmlid in groups]
        group_ids.append(env.ref(SALES_GROUP).id)
        group_ids.append(env.ref("base.group_user").id)
        user = env["res.users"].create(
            {
                "name": name,
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set(group_ids)],
                "tz": "Asia/Shanghai",
            }
        )
        return user

    def sale_orders(self):
        """``ORDER_SEED`` confirmed orders through the ORM (prices, taxes,
        totals computed by ``sale``), then SQL copies of them, with their
        lines, for other customers and dates up to ``--orders``."""
        env = self.env
        rnd = self.rnd
        Order = env["sale.order"]
        total = self.args.orders
        span = (self.now - self.start).total_seconds()
        salesmen = self.clerks

        def when():
            return self.start + timedelta(seconds=rnd.uniform(0, span - 86400 * 3))

        seeds = min(total, ORDER_SEED)
        for first in range(0, seeds, 200):
            vals_list = []
            for _i in range(first, min(first + 200, seeds)):
                lines = rnd.sample(range(len(PRODUCTS)), rnd.randint(1, 3))
                vals_list.append(
                    {
                        "partner_id": rnd.choice(self.partners).id,
                        "date_order": when(),
                        "state": "sale",
                        "user_id": rnd.choice(salesmen).id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.products[p].id,
                                    "product_uom_qty": rnd.randint(1, 4),
                                }
                            )
                            for p in lines
                        ],
                    }
                )
            Order.create(vals_list)
            env.flush_all()
            env.invalidate_all()
        cr = self.cr
        cr.execute("SELECT id FROM sale_order WHERE state = 'sale' ORDER BY id")
        seed_ids = [row[0] for row in cr.fetchall()]
        if total > len(seed_ids):
            copies = [
                (
                    k,
                    seed_ids[k % len(seed_ids)],
                    rnd.choice(self.partners).id,
                    when(),
                    rnd.choice(salesmen).id,
                )
                for k in range(total - len(seed_ids))
            ]
            cr.execute(
                "CREATE TEMP TABLE bench_order_copy (no int, src int, partner int, "
                "at timestamp, salesman int) ON COMMIT DROP"
            )
            self.insert("INSERT INTO bench_order_copy VALUES %s", copies)
            skip = {
                "id",
                "name",
                "partner_id",
                "partner_invoice_id",
                "partner_shipping_id",
                "date_order",
                "user_id",
                "access_token",
            }
            cols = [c for c in self.columns("sale_order") if c not in skip]
            names = ", ".join(f'"{c}"' for c in cols)
            src = ", ".join(f'src."{c}"' for c in cols)
            cr.execute(
                f"INSERT INTO sale_order (name, partner_id, partner_invoice_id, "
                f"partner_shipping_id, date_order, user_id, {names}) "
                f"SELECT 'SB' || lpad(m.no::text, 6, '0'), m.partner, m.partner, "
                f"m.partner, m.at, m.salesman, {src} "
                "FROM bench_order_copy m JOIN sale_order src ON src.id = m.src"
            )
            skip = {"id", "order_id", "order_partner_id", "salesman_id"}
            cols = [c for c in self.columns("sale_order_line") if c not in skip]
            names = ", ".join(f'"{c}"' for c in cols)
            src = ", ".join(f'l."{c}"' for c in cols)
            cr.execute(
                "INSERT INTO sale_order_line (order_id, order_partner_id, "
                f"salesman_id, {names}) "
                f"SELECT o.id, m.partner, m.salesman, {src} FROM bench_order_copy m "
                "JOIN sale_order o ON o.name = 'SB' || lpad(m.no::text, 6, '0') "
                "JOIN sale_order_line l ON l.order_id = m.src"
            )
            env.invalidate_all()
        index = {pid: i for i, pid in enumerate(self.products.ids)}
        cr.execute(
            "SELECT o.id, o.partner_id, array_agg(l.id ORDER BY l.id), "
            "array_agg(l.product_id ORDER BY l.id), o.date_order, o.name "
            "FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id "
            "WHERE o.state = 'sale' GROUP BY o.id ORDER BY o.id"
        )
        self.orders = [
            (
                oid,
                partner,
                list(zip(lines, [index[p] for p in products], strict=True)),
                at,
                name,
            )
            for oid, partner, lines, products, at, name in cr.fetchall()
        ]

    def columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in self.cr.fetchall()]

    # -- complaints -------------------------------------------------------
    def matter(self, category, received, order_name, product=None):
        rnd = self.rnd
        return {
            "product": rnd.randrange(len(PRODUCTS)) if product is None else product,
            "issue": rnd.choice(ISSUES[category]),
            "remedy": rnd.choice(REMEDIES),
            "batch": f"{rnd.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
            f"{received.strftime('%y%m')}-{rnd.randint(100, 9999):04d}",
            "date": (received - timedelta(days=rnd.randint(1, 20))).date(),
            "order": order_name or f"SO{rnd.randint(10000, 99999)}",
        }

    def plan_complaints(self):
        """Values of every complaint, ordered by receipt (references are
        numbered in that order), and the planted duplicate groups."""
        rnd = self.rnd
        count = self.args.count
        span = (self.now - self.start).total_seconds()
        plans = []
        for _i in range(count):
            r = rnd.random()
            if r < 0.01:
                kind = "overdue"
                received = self.now - timedelta(days=rnd.uniform(12, 90))
                state = rnd.choice(OPEN_STATES)
            elif r < 0.035:
                kind = "open"
                received = self.now - timedelta(hours=rnd.uniform(0.2, 7))
                state = rnd.choice(OPEN_STATES + ("resolved",))
            else:
                kind = "done"
                received = self.start + timedelta(
                    seconds=rnd.uniform(0, span - 86400 * 12)
                )
                state = rnd.choices(
                    ["closed", "rejected", "cancelled"], weights=[90, 7, 3]
                )[0]
            plans.append({"kind": kind, "received": received, "state": state})
        # Planted near-duplicates: one matter, 3-4 customers, received a
        # few days apart.
        plans.sort(key=lambda p: p["received"])
        for p in plans:
            p["group"] = None
        done_idx = [i for i, p in enumerate(plans) if p["kind"] == "done"]
        groups = min(self.args.duplicate_groups, count // 50)
        used = set()
        group_no = 0
        tries = 0
        while group_no < groups and tries < groups * 20:
            tries += 1
            size = rnd.choice((3, 4))
            gap = max(1, min(len(done_idx) // 2000, 15))
            pos = rnd.randrange(max(len(done_idx) - size * gap, 1))
            idx = [done_idx[pos + k * gap] for k in range(size)]
            if any(i in used for i in idx):
                continue
            used.update(idx)
            group_no += 1
            category = weighted(rnd, CATEGORY_WEIGHTS)
            shared = self.matter(category, plans[idx[0]]["received"], None)
            lang = rnd.choice(("en", "zh"))
            # Each member words it its own way (no two the same template).
            wording = rnd.sample(range(len(EN_REWORD)), len(idx))
            for j, member in zip(idx, wording, strict=True):
                plans[j].update(
                    group=group_no,
                    category=category,
                    matter=shared,
                    lang=lang,
                    member=member,
                )
        self.plans = plans

    def complaint_vals(self, plan):
        rnd = self.rnd
        received = plan["received"]
        category = plan.get("category") or weighted(rnd, CATEGORY_WEIGHTS)
        order = None
        if rnd.random() < 0.7 and self.orders:
            # An order placed before receipt (the orders are spread too).
            for _try in range(8):
                order = rnd.choice(self.orders)
                if order[3] < received:
                    break
            else:
                order = None
        if plan["group"] and order is None:
            partner_id = rnd.choice(self.partners).id
        else:
            partner_id = order[1] if order else rnd.choice(self.partners).id
        product = None
        line_ids = []
        if order:
            line_id, product = rnd.choice(order[2])
            line_ids = [line_id]
        matter = plan.get("matter") or self.matter(
            category, received, order and order[4], product
        )
        lang = plan.get("lang") or rnd.choices(("en", "zh"), weights=(45, 55))[0]
        if plan["group"]:
            templates = EN_REWORD if lang == "en" else ZH_REWORD
        else:
            templates = EN_TEMPLATES if lang == "en" else ZH_TEMPLATES
        body = self.text(matter, lang, templates, plan.get("member"))
        handler = rnd.choice(self.handlers)
        severity = weighted(rnd, SEVERITY_WEIGHTS)
        vals = {
            "partner_id": partner_id,
            "sale_order_id": order[0] if order else False,
            "sale_line_ids": [Command.set(line_ids)],
            "category_id": self.categories[category].id,
            "severity": severity,
            "channel": weighted(rnd, CHANNEL_WEIGHTS),
            "description": f"<p>{body}</p>",
            "date_received": received,
            "date_occurred": received - timedelta(days=rnd.randint(0, 10)),
            "first_responder_id": rnd.choice(self.clerks).id,
            "user_id": handler.id,
            "department_id": self.handler_department[handler].id,
            "customer_request": matter["remedy"][0],
            "state": plan["state"],
        }
        if rnd.random() < 0.3:
            vals["claimed_amount"] = rnd.choice([100, 200, 500, 800, 1500, 3000])
        state = plan["state"]
        hours = timedelta(hours=1)
        if state != "new":
            ack = received + hours * rnd.uniform(0.1, 3)
            vals["date_acknowledged"] = ack
            vals["date_decided"] = ack + hours * 0.2
        if state in ("proposed", "approved", "resolved", "closed"):
            vals["validity"] = rnd.choices(
                ["valid", "invalid", "malicious"], weights=[75, 22, 3]
            )[0]
            vals["resolution_type"] = matter["remedy"][0]
            vals["resolution"] = "<p>Plan: " + matter["remedy"][1] + ".</p>"
            vals["proposed_by_id"] = handler.id
            vals["date_proposed"] = vals["date_acknowledged"] + hours * 0.5
            if matter["remedy"][0] in ("refund", "discount", "return"):
                vals["compensation_amount"] = rnd.choice([50, 100, 200, 400, 900])
        if state in ("approved", "resolved", "closed"):
            vals["approved_by_id"] = rnd.choice(self.managers).id
            vals["date_approved"] = vals["date_proposed"] + hours * 0.5
            vals["approved_severity"] = severity
            vals["approved_compensation_amount"] = vals.get("compensation_amount", 0)
        if state in ("resolved", "closed"):
            late = plan["kind"] == "done" and rnd.random() < 0.08
            days = rnd.uniform(4, 9) if late else rnd.uniform(0.05, 2.5)
            if plan["kind"] == "open":
                days = rnd.uniform(0.02, 0.1)
            vals["date_resolved"] = received + timedelta(days=days)
            if state == "closed":
                vals["date_closed"] = vals["date_resolved"] + timedelta(
                    hours=rnd.uniform(2, 40)
                )
                vals["date_feedback"] = vals["date_closed"]
                vals["satisfaction"] = rnd.choices(
                    ["very_satisfied", "satisfied", "neutral", "unsatisfied"],
                    weights=[35, 45, 14, 6],
                )[0]
                vals["feedback"] = rnd.choice(
                    [
                        "Thank you for the quick handling.",
                        "处理及时，满意。",
                        "OK.",
                        "希望以后不要再出现类似问题。",
                        "It took too long.",
                    ]
                )
        self.closing_vals(vals, state, received)
        return vals

    def closing_vals(self, vals, state, received):
        """Rejected and cancelled complaints: why and when."""
        rnd = self.rnd
        hours = timedelta(hours=1)
        if state == "rejected":
            vals["validity"] = rnd.choice(["invalid", "malicious"])
            vals["rejection_reason"] = (
                "Outside the scope of the warranty. 不属于保修范围。"
            )
            vals["date_acknowledged"] = received + hours
            vals["date_closed"] = received + timedelta(days=rnd.uniform(0.5, 3))
        if state == "cancelled":
            vals["date_closed"] = received + timedelta(days=rnd.uniform(0.1, 2))

    def complaints(self):
        env = self.env
        Complaint = env["complaint.complaint"]
        # The repeat search of the addon is quadratic in a batch; the
        # generator plants its repeats itself (below), so it is off here.
        repeat_days = self.company.complaint_repeat_days
        self.company.complaint_repeat_days = 0
        self.complaint_ids = []
        planted = []
        meter = Meter(env)
        with meter:
            for first in range(0, len(self.plans), BATCH):
                plans = self.plans[first : first + BATCH]
                vals_list = [self.complaint_vals(p) for p in plans]
                recs = Complaint.create(vals_list)
                env.flush_all()
                for rec, plan in zip(recs.ids, plans, strict=True):
                    self.complaint_ids.append(rec)
                    if plan["group"]:
                        planted.append((rec, plan["group"]))
                env.invalidate_all()
                if (first // BATCH) % 10 == 9:
                    log(f"  complaints: {first + len(plans)}")
        self.company.complaint_repeat_days = repeat_days
        log(
            f"  {len(self.complaint_ids)} complaints, {meter.queries} queries "
            f"({meter.queries / max(len(self.complaint_ids), 1):.1f} per complaint)"
        )
        self.cr.execute(
            "CREATE TABLE IF NOT EXISTS bench_planted_duplicate ("
            "complaint_id integer PRIMARY KEY REFERENCES complaint_complaint(id) "
            "ON DELETE CASCADE, group_no integer NOT NULL)"
        )
        self.cr.execute("DELETE FROM bench_planted_duplicate")
        self.insert(
            "INSERT INTO bench_planted_duplicate (complaint_id, group_no) VALUES %s",
            planted,
        )
        # Repeats (二次投诉): 2 % of the closed complaints follow an earlier
        # one of the same customer.
        self.cr.execute(
            "SELECT id, commercial_partner_id, date_received FROM complaint_complaint "
            "WHERE state = 'closed' ORDER BY commercial_partner_id, date_received"
        )
        rows = self.cr.fetchall()
        pairs = []
        for prev, cur in zip(rows, rows[1:], strict=False):
            if prev[1] == cur[1] and self.rnd.random() < 0.02:
                pairs.append((cur[0], prev[0]))
        for child, parent in pairs:
            env["complaint.complaint"].browse(child).write(
                {"is_repeat": True, "parent_id": parent}
            )
        env.flush_all()

    def responsibilities(self):
        """Lines for valid closed complaints; penalties for some of them."""
        env = self.env
        rnd = self.rnd
        self.cr.execute(
            "SELECT id, date_closed, severity FROM complaint_complaint "
            "WHERE state = 'closed' AND validity = 'valid' ORDER BY id"
        )
        rows = self.cr.fetchall()
        Line = env["complaint.responsibility"]
        causes = [
            "Assembly step skipped at the plant. 工厂装配工序遗漏。",
            "Packaging too thin for long-distance transport. 包装不适合长途运输。",
            "Installer did not follow the procedure. 安装人员未按规程操作。",
            "Supplier batch below specification. 供应商批次不合格。",
            "Carrier handled the parcel roughly. 承运商野蛮装卸。",
        ]
        line_ids = []
        for first in range(0, len(rows), BATCH * 2):
            vals_list = []
            for cid, _closed, _sev in rows[first : first + BATCH * 2]:
                employee = rnd.choice(self.employees)
                if rnd.random() < 0.7:
                    vals_list.append(
                        {
                            "complaint_id": cid,
                            "party_type": "employee",
                            "employee_id": employee.id,
                            "department_id": employee.department_id.id,
                            "share": 100.0,
                            "is_primary": True,
                            "cause": rnd.choice(causes),
                        }
                    )
                else:
                    vals_list.append(
                        {
                            "complaint_id": cid,
                            "party_type": "department",
                            "department_id": rnd.choice(self.departments).id,
                            "share": 100.0,
                            "is_primary": True,
                            "cause": rnd.choice(causes),
                        }
                    )
            # Attribution happens while a complaint is being handled: the
            # batch is put back to "investigating" for the creation (SQL, the
            # state is restored after; nothing computed depends on it here).
            ids = [vals["complaint_id"] for vals in vals_list]
            self.cr.execute(
                "UPDATE complaint_complaint SET state = 'investigating' "
                "WHERE id = ANY(%s)",
                [ids],
            )
            env.invalidate_all()
            lines = Line.create(vals_list)
            env.flush_all()
            self.cr.execute(
                "UPDATE complaint_complaint SET state = 'closed' WHERE id = ANY(%s)",
                [ids],
            )
            line_ids += lines.ids
            env.invalidate_all()
        # Penalties: a third of the employees' lines, most applied.
        self.cr.execute(
            "SELECT r.id, r.complaint_id, r.employee_id, r.department_id, "
            "c.date_closed FROM complaint_responsibility r "
            "JOIN complaint_complaint c ON c.id = r.complaint_id "
            "WHERE r.employee_id IS NOT NULL AND r.id = ANY(%s)",
            [line_ids],
        )
        rows = [row for row in self.cr.fetchall() if rnd.random() < 0.33]
        Penalty = env["complaint.penalty"]
        finance = self.role_users["bench_finance"]
        manager = self.role_users["bench_manager"]
        for first in range(0, len(rows), BATCH * 2):
            vals_list = []
            for rid, cid, emp, dept, closed in rows[first : first + BATCH * 2]:
                applied = rnd.random() < 0.85
                vals = {
                    "complaint_id": cid,
                    "responsibility_id": rid,
                    "kind": "deduction",
                    "employee_id": emp,
                    "department_id": dept,
                    "share": 100.0,
                    "points": 1,
                    "amount": rnd.choice([50, 100, 200, 300]),
                    "reason": "Valid complaint. 有效投诉。",
                    "state": "applied" if applied else "draft",
                }
                if applied:
                    vals.update(
                        confirmed_by_id=manager.id,
                        approved_by_id=finance.id,
                        applied_by_id=finance.id,
                        date_applied=(closed + timedelta(days=20)).date(),
                        payroll_period=(closed + timedelta(days=20)).strftime("%Y-%m"),
                    )
                vals_list.append(vals)
            Penalty.create(vals_list)
            env.flush_all()
            env.invalidate_all()

    def messages(self, model, table, date_column):
        """Chatter history (SQL): 2-4 messages per record over its life."""
        rnd = self.rnd
        env = self.env
        note = env.ref("mail.mt_note").id
        comment = env.ref("mail.mt_comment").id
        authors = [u.partner_id.id for u in (self.handlers | self.clerks)]
        uid = env.uid
        self.cr.execute(f"SELECT id, {date_column} FROM {table} ORDER BY id")  # noqa: S608
        bodies = [
            "<p>Called the customer back, waiting for photos. 已回电客户，等待照片。"
            "</p>",
            "<p>Photos received, forwarded to the plant. 照片已收到，转交工厂。</p>",
            "<p>Technician visit booked. 已预约技术人员上门。</p>",
            "<p>Customer agreed with the proposal. 客户同意处理方案。</p>",
            "<p>Replacement part ordered. 已订购替换配件。</p>",
        ]
        rows = []
        for rec_id, date in self.cr.fetchall():
            date = date or self.now
            for k in range(rnd.randint(2, 4)):
                at = date + timedelta(hours=6 * (k + 1) + rnd.uniform(0, 5))
                internal = k % 2 == 0
                rows.append(
                    (
                        model,
                        rec_id,
                        rnd.choice(bodies),
                        "comment",
                        note if internal else comment,
                        rnd.choice(authors),
                        internal,
                        at,
                        uid,
                        at,
                        uid,
                        at,
                    )
                )
            if len(rows) >= 20000:
                self._insert_messages(rows)
                rows = []
        self._insert_messages(rows)

    def _insert_messages(self, rows):
        if rows:
            self.insert(
                "INSERT INTO mail_message (model, res_id, body, message_type, "
                "subtype_id, author_id, is_internal, date, create_uid, create_date, "
                "write_uid, write_date) VALUES %s",
                rows,
            )

    # -- the peer ---------------------------------------------------------
    def helpdesk_master(self):
        env = self.env
        calendar = self.company.resource_calendar_id
        users = self.role_users
        hd_users = users["bench_hd_user"] | users["bench_hd_manager"]
        self.hd_agents = hd_users
        for i in range(20):
            self.hd_agents |= self.user(
                f"bench_hd_agent_{i:02d}",
                f"Agent {i:02d}",
                ["helpdesk_mgmt.group_helpdesk_user"],
            )
        teams = env["helpdesk.ticket.team"].create(
            [
                {
                    "name": name,
                    "user_ids": [Command.set(self.hd_agents.ids)],
                    "use_sla": True,
                    "resource_calendar_id": calendar.id,
                }
                for name in HD_TEAMS
            ]
        )
        self.hd_teams = teams
        self.hd_categories = {
            name: env["helpdesk.ticket.category"].create({"name": name})
            for name in CATEGORY_WEIGHTS
        }
        stage = env.ref
        self.hd_stage_new = stage("helpdesk_mgmt.helpdesk_ticket_stage_new")
        self.hd_stage_progress = stage(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        self.hd_stage_awaiting = stage("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        self.hd_stage_done = stage("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.hd_stage_cancelled = stage("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        self.hd_stage_rejected = stage("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        self.hd_channels = env["helpdesk.ticket.channel"].search([])
        # SLAs: first answer in 8 working hours, resolution in 3 working days.
        env["helpdesk.sla"].create(
            [
                {
                    "name": "First answer (8 h)",
                    "team_ids": [Command.set(teams.ids)],
                    "stage_id": self.hd_stage_progress.id,
                    "hours": 8,
                },
                {
                    "name": "Resolution (3 days)",
                    "team_ids": [Command.set(teams.ids)],
                    "stage_id": self.hd_stage_done.id,
                    "days": 3,
                },
            ]
        )

    def tickets(self):
        env = self.env
        rnd = self.rnd
        Ticket = env["helpdesk.ticket"]
        self.ticket_dates = []
        team_of = {
            name: self.hd_teams[i % len(self.hd_teams)]
            for i, name in enumerate(CATEGORY_WEIGHTS)
        }
        open_stages = [
            self.hd_stage_new,
            self.hd_stage_progress,
            self.hd_stage_awaiting,
        ]
        meter = Meter(env)
        with meter:
            for first in range(0, len(self.plans), BATCH):
                plans = self.plans[first : first + BATCH]
                vals_list = []
                dates = []
                for plan in plans:
                    category = plan.get("category") or weighted(rnd, CATEGORY_WEIGHTS)
                    matter = self.matter(category, plan["received"], None)
                    lang = rnd.choice(("en", "zh"))
                    body = self.text(
                        matter, lang, EN_TEMPLATES if lang == "en" else ZH_TEMPLATES
                    )
                    if plan["kind"] == "done":
                        stage = rnd.choices(
                            [
                                self.hd_stage_done,
                                self.hd_stage_rejected,
                                self.hd_stage_cancelled,
                            ],
                            weights=[90, 7, 3],
                        )[0]
                    else:
                        stage = rnd.choice(open_stages)
                    partner = rnd.choice(self.partners)
                    vals_list.append(
                        {
                            "name": body[:60],
                            "description": f"<p>{body}</p>",
                            "partner_id": partner.id,
                            "partner_name": partner.name,
                            "partner_email": partner.email,
                            "team_id": team_of[category].id,
                            "category_id": self.hd_categories[category].id,
                            "stage_id": stage.id,
                            "user_id": rnd.choice(self.hd_agents).id,
                            "channel_id": rnd.choice(self.hd_channels).id,
                            "priority": rnd.choices("0123", weights=[50, 30, 15, 5])[0],
                        }
                    )
                    dates.append((plan["received"], stage.closed, plan["kind"]))
                tickets = Ticket.create(vals_list)
                env.flush_all()
                self.ticket_dates += list(zip(tickets.ids, dates, strict=True))
                env.invalidate_all()
                if (first // BATCH) % 10 == 9:
                    log(f"  tickets: {first + len(plans)}")
        log(
            f"  {len(self.ticket_dates)} tickets, {meter.queries} queries "
            f"({meter.queries / max(len(self.ticket_dates), 1):.1f} per ticket)"
        )
        # Spread the tickets over the months (create_date cannot be given to
        # the ORM), then recompute the deadlines of the SLA rows still open.
        rows = []
        for tid, (received, closed, _kind) in self.ticket_dates:
            done = received + timedelta(days=rnd.uniform(0.1, 3)) if closed else None
            rows.append((tid, received, done))
        self.cr.execute(
            "CREATE TEMP TABLE bench_ticket_dates (id int, created timestamp, "
            "closed timestamp) ON COMMIT DROP"
        )
        self.insert("INSERT INTO bench_ticket_dates VALUES %s", rows)
        self.cr.execute(
            "UPDATE helpdesk_ticket t SET create_date = d.created, "
            "write_date = coalesce(d.closed, d.created), "
            "last_stage_update = coalesce(d.closed, d.created), "
            "assigned_date = d.created, closed_date = d.closed "
            "FROM bench_ticket_dates d WHERE d.id = t.id"
        )
        self.cr.execute(
            "UPDATE helpdesk_ticket_sla s SET last_state_date = t.create_date, "
            "deadline = t.create_date + make_interval(hours => s.hours::int) "
            "FROM helpdesk_ticket t WHERE t.id = s.ticket_id"
        )
        env.invalidate_all()
        todo = env["helpdesk.ticket.sla"].search([("state", "=", "in_progress")])
        field = todo._fields["deadline"]
        for first in range(0, len(todo), BATCH):
            chunk = todo[first : first + BATCH]
            env.add_to_compute(field, chunk)
            chunk.flush_recordset(["deadline"])
        env.flush_all()

    # -- all --------------------------------------------------------------
    def run(self):
        self.step("master data (customers, products, staff)", self.setup_master)
        self.step(f"sale orders ({self.args.orders}, confirmed)", self.sale_orders)
        self.step("complaint plan", self.plan_complaints)
        self.step(f"complaints ({self.args.count}, ORM)", self.complaints)
        self.step("responsibility lines and penalties", self.responsibilities)
        self.step(
            "complaint chatter (SQL)",
            lambda: self.messages(
                "complaint.complaint", "complaint_complaint", "date_received"
            ),
        )
        self.step("helpdesk teams, SLAs, categories", self.helpdesk_master)
        self.step(f"tickets ({self.args.count}, ORM)", self.tickets)
        self.step(
            "ticket chatter (SQL)",
            lambda: self.messages("helpdesk.ticket", "helpdesk_ticket", "create_date"),
        )
        for table in (
            "complaint_complaint",
            "helpdesk_ticket",
            "helpdesk_ticket_sla",
            "mail_message",
            "sale_order",
            "complaint_responsibility",
            "complaint_penalty",
        ):
            self.cr.execute(f"ANALYZE {table}")  # noqa: S608


def signature(args):
    return {
        "version": GENERATOR_VERSION,
        "count": args.count,
        "seed": args.seed,
        "customers": args.customers,
        "orders": args.orders,
        "duplicate_groups": args.duplicate_groups,
    }


def generated(cr):
    """The signature of the data already in the database, or None."""
    cr.execute("SELECT to_regclass('bench_meta')")
    if not cr.fetchone()[0]:
        return None
    cr.execute("SELECT value FROM bench_meta WHERE key = 'signature'")
    row = cr.fetchone()
    return json.loads(row[0]) if row else None


def generate(config_path, database, count, seed=DEFAULT_SEED, **options):
    """Make sure ``database`` holds the data of these arguments; returns the
    signature. Used by run.py."""
    args = argparse.Namespace(
        count=count,
        seed=seed,
        customers=options.get("customers", 2000),
        orders=options.get("orders", 20000),
        duplicate_groups=options.get("duplicate_groups", 300),
    )
    ensure_peer_wheels()
    parse_config(config_path)
    ensure_database(config_path, database)
    wanted = signature(args)
    if options.get("replace"):
        with odoo.sql_db.db_connect(database).cursor() as cr:
            have = generated(cr)
        if have is not None and have != wanted:
            log(f"{database} holds other benchmark data: dropping it")
            odoo.sql_db.close_db(database)
            odoo.service.db.exp_drop(database)
            ensure_database(config_path, database)
    reg = registry(database)
    with reg.cursor() as cr:
        have = generated(cr)
        if have == wanted:
            log(
                f"{database} already holds this data ({count} complaints): "
                "nothing to do"
            )
            return have
        if have is not None:
            raise SystemExit(
                f"{database} holds other benchmark data ({have}); use another "
                "database (-d) or drop it first"
            )
        cr.execute("SELECT count(*) FROM complaint_complaint")
        if cr.fetchone()[0]:
            raise SystemExit(
                f"{database} already has complaints not made by this script"
            )
        env = environment(cr)
        log(f"generating {count} complaints and {count} tickets into {database}")
        started = time.perf_counter()
        gen = Generator(env, args)
        gen.run()
        total = round(time.perf_counter() - started, 1)
        cr.execute("CREATE TABLE bench_meta (key varchar PRIMARY KEY, value text)")
        cr.execute(
            "INSERT INTO bench_meta VALUES ('signature', %s), ('timings', %s)",
            [json.dumps(wanted), json.dumps(dict(gen.timings, total=total))],
        )
        cr.commit()
        log(f"generated in {total} s")
    return wanted


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", default=".odoo.conf")
    parser.add_argument("-d", "--database", default=DEFAULT_DB)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--duplicate-groups", type=int, default=300)
    args = parser.parse_args()
    generate(
        args.config,
        args.database,
        args.count,
        args.seed,
        customers=args.customers,
        orders=args.orders,
        duplicate_groups=args.duplicate_groups,
    )
    odoo.sql_db.close_all()


if __name__ == "__main__":
    main()
