"""The paper of the PDF reports (issue 24, items 9 to 12), checked on the
PDF itself, rendered by the wkhtmltopdf the project installs and read with
poppler-utils (``pdftotext`` page by page, ``pdfinfo``, ``pdffonts``):

- every page carries the company's name, the document's reference and
  "page X of Y", Y the number of pages of that document (item 9);
- a table row is never split by a page break, a table header never stays
  alone at the bottom of a page (item 10);
- A4 paper, no text outside the page, real text in Noto Sans CJK SC (never
  the Japanese face), an English statistics report of a sane size (item 11);
- no Kangxi radical or radical supplement in the text, 客户 found (item 12).

On the demo data of both companies, in English and Chinese. Skipped without
the demo data."""

import re
import subprocess
import tempfile
from datetime import date

from odoo.tests import HttpCase, tagged

FORM = "complaint_center.complaint_report_form"
HANDLING = "complaint_center.complaint_report_handling"
ACCEPTANCE = "complaint_center.complaint_report_acceptance_notice"
REJECTION = "complaint_center.complaint_report_rejection_notice"
FORWARDING = "complaint_center.complaint_report_forwarding_notice"
PENALTY = "complaint_center.complaint_report_penalty_notice"
STATISTICS = "complaint_center.action_report_complaint_statistics"

MANAGERS = {
    "base.main_company": "complaint_center.user_complaint_manager_demo",
    "complaint_center.res_company_cn_demo": "complaint_center.user_cn_manager_demo",
}
# A4 in points, as pdfinfo prints it.
A4 = (595.28, 841.89)
RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")
WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">'
    r"([^<]*)</word>"
)
# The body of a page lies between the paper format's margins (40 and 28
# mm): WebKit also draws what straddles a page break into the margin, where
# it is clipped away (and where the stamps go).
BODY_TOP, BODY_BOTTOM = 40 * 72 / 25.4, 28 * 72 / 25.4


class Paper:
    """What poppler reads of a PDF: per page its text, size and word boxes;
    the fonts; the size in bytes."""

    def __init__(self, content):
        self.size = len(content)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            info = self._run("pdfinfo", pdf.name)
            self.count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
            self.fonts = [
                line.split()[0]
                for line in self._run("pdffonts", pdf.name).splitlines()[2:]
                if line.strip()
            ]
            self.pages, self.boxes, self.sizes = [], [], []
            for number in range(1, self.count + 1):
                pages = ["-f", str(number), "-l", str(number)]
                self.pages.append(self._run("pdftotext", *pages, pdf.name, "-"))
                bbox = self._run("pdftotext", "-bbox", *pages, pdf.name, "-")
                size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)
                self.sizes.append((float(size.group(1)), float(size.group(2))))
                self.boxes.append(
                    [(*map(float, m[:4]), m[4]) for m in WORD.findall(bbox)]
                )

    @staticmethod
    def _run(*command):
        return subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=120
        ).stdout

    def body_words(self, number):
        """[(word, top)] of the body of page ``number``: what shows there."""
        height = self.sizes[number - 1][1]
        return [
            (word, y_min)
            for _x, y_min, _x2, y_max, word in self.boxes[number - 1]
            # (glyph boxes reach a little past the line)
            if y_min >= BODY_TOP - 4 and y_max <= height - BODY_BOTTOM + 4
        ]

    def flat(self, number):
        """Page ``number`` (from 1) without white space."""
        return re.sub(r"\s+", "", self.pages[number - 1])


@tagged("post_install", "-at_install")
class TestReportPaper(HttpCase):
    """An HttpCase: wkhtmltopdf loads the report assets from the test
    server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.has_demo = bool(cls.env.ref("complaint_center.res_company_cn_demo", False))
        if cls.has_demo:
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"]._load_module_terms(
                ["complaint_center"], ["zh_CN"], overwrite=True
            )

    def setUp(self):
        super().setUp()
        if not self.has_demo:
            self.skipTest("no demo data")

    # Helpers -------------------------------------------------------------
    def _paper(self, report, records, user, lang, data=None):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True, lang=lang)
            ._render_qweb_pdf(report, records.ids if records else None, data=data)
        )
        self.assertEqual(kind, "pdf")
        return Paper(content)

    def _page_label(self, lang, number, count):
        if lang == "zh_CN":
            return f"第{number}页/共{count}页"
        return f"Page{number}of{count}"

    def _assert_sheet(self, paper, lang, company_name):
        """A4, inside the page, Noto Sans CJK SC, searchable Chinese, the
        company on every page."""
        self.assertTrue(paper.count)
        for number in range(1, paper.count + 1):
            width, height = paper.sizes[number - 1]
            self.assertAlmostEqual(width, A4[0], delta=1)
            self.assertAlmostEqual(height, A4[1], delta=1)
            for x_min, y_min, x_max, y_max, _word in paper.boxes[number - 1]:
                self.assertTrue(
                    0 <= x_min <= x_max <= width and 0 <= y_min <= y_max <= height,
                    f"text outside page {number}: {x_min, y_min, x_max, y_max}",
                )
            self.assertIn(company_name.replace(" ", ""), paper.flat(number))
        self.assertFalse(RADICALS.findall("".join(paper.pages)))
        self.assertTrue(paper.fonts)
        for font in paper.fonts:
            self.assertIn("NotoSansCJKsc", font)

    def _assert_documents(self, paper, lang, documents):
        """``documents``: [(reference, page count)] in print order; each of
        their pages says the reference and "page X of Y"."""
        self.assertEqual(paper.count, sum(count for _ref, count in documents))
        number = 0
        for reference, count in documents:
            for page in range(1, count + 1):
                number += 1
                text = paper.flat(number)
                self.assertIn(re.sub(r"\s+", "", reference), text, f"page {number}")
                self.assertIn(self._page_label(lang, page, count), text)

    def _long_text(self, lang, lines=70):
        if lang == "zh_CN":
            return "\n".join(
                f"第{i}行：客户反映产品问题，月底前回复。" for i in range(lines)
            )
        return "\n".join(f"Line {i}: what the customer reported." for i in range(lines))

    def _setup(self, company_xmlid):
        company = self.env.ref(company_xmlid)
        user = self.env.ref(MANAGERS[company_xmlid])
        complaints = self.env["complaint.complaint"].search(
            [("company_id", "=", company.id)], order="name"
        )
        return company, user, complaints

    # Item 9, 11, 12: every report of both companies ------------------------
    def _check_company(self, company_xmlid):
        company, user, complaints = self._setup(company_xmlid)
        # The demo's name: Inventory's demo renames the main company.
        name = company.name
        open_ones = complaints.filtered(
            lambda c: (
                c.state not in ("new", "rejected", "cancelled") and c.department_id
            )
        )
        refused = complaints.filtered(lambda c: c.state in ("rejected", "cancelled"))
        # A notice is issued once the penalty is approved (issue 24, 14).
        penalty = self.env["complaint.penalty"].search(
            [("company_id", "=", company.id), ("state", "in", ("approved", "applied"))],
            limit=1,
        )
        self.assertGreaterEqual(len(open_ones), 2)
        self.assertTrue(refused and penalty)
        for lang in ("en_US", "zh_CN"):
            with self.subTest(company=name, lang=lang):
                long_text = self._long_text(lang)
                # Customer notices print in the customer's language.
                (open_ones[:2] | refused[:1]).partner_id.sudo().lang = lang
                forms = open_ones[:2]
                singles = [
                    self._paper(FORM, complaint, user, lang) for complaint in forms
                ]
                paper = self._paper(FORM, forms, user, lang)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(
                    paper,
                    lang,
                    [
                        (c.name, single.count)
                        for c, single in zip(forms, singles, strict=True)
                    ],
                )
                if lang == "zh_CN":
                    self.assertIn("客户", "".join(paper.pages))

                handled = open_ones[0].sudo()
                handled.write(
                    {
                        "no_standard": True,
                        "report_cause": long_text,
                        "report_result": "OK",
                    }
                )
                paper = self._paper(HANDLING, handled, user, lang)
                self.assertGreater(paper.count, 1)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(paper, lang, [(handled.name, paper.count)])

                accepted = open_ones[1].sudo()
                accepted.description = "".join(
                    f"<p>{line}</p>" for line in long_text.splitlines()
                )
                paper = self._paper(ACCEPTANCE, accepted, user, lang)
                self.assertGreater(paper.count, 1)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(paper, lang, [(accepted.name, paper.count)])

                refused[:1].sudo().rejection_reply = long_text
                paper = self._paper(REJECTION, refused[:1], user, lang)
                self.assertGreater(paper.count, 1)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(paper, lang, [(refused[0].name, paper.count)])

                # One page each: two of them in one print.
                paper = self._paper(FORWARDING, open_ones[:2], user, lang)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(
                    paper, lang, [(open_ones[0].name, 1), (open_ones[1].name, 1)]
                )

                penalty.sudo().reason = long_text
                paper = self._paper(PENALTY, penalty, user, lang)
                self.assertGreater(paper.count, 1)
                self._assert_sheet(paper, lang, name)
                self._assert_documents(paper, lang, [(penalty.name, paper.count)])

                self._check_statistics(company, user, lang, name)

    def _check_statistics(self, company, user, lang, name):
        today = date.today()
        year, month = (
            (today.year, today.month - 1)
            if today.month > 1
            else (
                today.year - 1,
                12,
            )
        )
        quarter = (today.month - 1) // 3 + 1
        for kind, number, reference in (
            ("month", month, f"{year}-{month:02d}"),
            ("quarter", quarter, f"{today.year}Q{quarter}"),
        ):
            data = {
                "company_id": company.id,
                "kind": kind,
                "year": year if kind == "month" else today.year,
                "number": number,
            }
            paper = self._paper(STATISTICS, None, user, lang, data=data)
            self._assert_sheet(paper, lang, name)
            self._assert_documents(paper, lang, [(reference, paper.count)])
            text = "".join(paper.pages)
            if lang == "en_US":
                # Real text, not outlines: 1.5 MB for four pages before.
                self.assertIn("Complaints received", text)
                self.assertIn("Overview", text)
                self.assertLess(paper.size, 100_000 * paper.count)

    def test_every_report_of_yourcompany(self):
        self._check_company("base.main_company")

    def test_every_report_of_huaxin(self):
        self._check_company("complaint_center.res_company_cn_demo")

    # Item 10: rows and headers not split ------------------------------------
    def test_rows_and_headers_stay_whole_across_page_breaks(self):
        company, user, complaints = self._setup("base.main_company")
        complaint = complaints.filtered(lambda c: c.state == "resolved")[:1].sudo()
        self.assertTrue(complaint)
        # Return visits of six lines each, enough to cross page breaks.
        for visit in range(12):
            self.env["complaint.visit"].sudo().create(
                {
                    "complaint_id": complaint.id,
                    "method": "phone",
                    "satisfaction": "satisfied",
                    "result": "\n".join(
                        [f"V{visit:02d}-START"]
                        + [f"said line {line}" for line in range(4)]
                        + [f"V{visit:02d}-END"]
                    ),
                }
            )
        paper = self._paper(FORM, complaint, user, "en_US")
        self.assertGreater(paper.count, 2)
        shown = {
            number: paper.body_words(number) for number in range(1, paper.count + 1)
        }

        def pages_of(token):
            return [n for n, words in shown.items() if token in dict(words)]

        # The newest visit also went to the customer feedback: the others
        # show once, in the table, each on one page.
        for visit in range(11):
            start = pages_of(f"V{visit:02d}-START")
            self.assertEqual(len(start), 1, visit)
            self.assertEqual(start, pages_of(f"V{visit:02d}-END"), visit)
        # The section heading and the table's header go with the first row
        # (the newest visit), below them on the same page.
        [page] = pages_of("Said")  # "What the Customer Said"
        words = dict(shown[page])
        self.assertIn("Visits", words)
        self.assertTrue(
            [
                top
                for word, top in shown[page]
                if word == "V11-START" and top > words["Said"]
            ]
        )
        self.assertTrue(
            [
                top
                for word, top in shown[page]
                if word == "V11-END" and top > words["Said"]
            ]
        )

    # The pipeline's HTML step ----------------------------------------------
    def test_running_blocks_leave_the_body_and_mark_each_document(self):
        """What wkhtmltopdf is given: no running block (it would print as
        text), a marker first in each document, headings kept with their
        tables."""
        article = (
            '<div class="article" data-oe-id="{n}">'
            '<div class="o_complaint_running d-none">'
            '<div class="o_complaint_letterhead"><div>Company {n}</div></div>'
            '<div class="o_complaint_page_footer"><span>REF-{n}</span>'
            '<div>Page <span class="page"></span> of <span class="topage"></span>'
            "</div></div></div>"
            '<div class="o_complaint_report"><h4>Visits</h4>'
            '<table class="o_complaint_grid"><thead><tr><th>Said</th></tr></thead>'
            "<tbody><tr><td>row 1</td></tr><tr><td>row 2</td></tr></tbody>"
            "</table></div></div>"
        )
        body = (
            "<!DOCTYPE html><html><head></head><body>"
            f"{article.format(n=1)}{article.format(n=2)}</body></html>"
        )
        Report = self.env["ir.actions.report"]
        bodies, documents = Report._complaint_take_running_parts([body, "<p>x</p>"])
        self.assertEqual(bodies[1], "<p>x</p>")
        self.assertNotIn("o_complaint_running", bodies[0])
        self.assertNotIn("REF-1", bodies[0])
        self.assertEqual(bodies[0].count("o_complaint_page_marker"), 2)
        self.assertLess(
            bodies[0].index("o_complaint_page_marker"), bodies[0].index("Visits")
        )
        self.assertEqual(len(documents), 2)
        self.assertIn("Company 2", documents[1][0])
        footer = Report._complaint_footer(documents[1][1], 3, 4)
        self.assertEqual(
            re.sub(r"\s+", " ", footer.text_content()).strip(), "REF-2Page 3 of 4"
        )
        # Heading, header and first row in one block; the second row after.
        keep = re.search(r'<div class="o_complaint_keep">(.*?)</div>', bodies[0], re.S)
        self.assertTrue(keep)
        for text in ("Visits", "Said", "row 1"):
            self.assertIn(text, keep.group(1))
        self.assertNotIn("row 2", keep.group(1))
        self.assertIn("row 2", bodies[0][keep.end() :])
