"""How the complaint center's PDF reports are rendered: in chunks when
printed in bulk (``COMPLAINT_PDF_REPORTS``), and on paper that carries the
company's letterhead, the document's title and reference and "page X of Y"
on every page, with Chinese text that search finds.

The wkhtmltopdf the project installs (Debian's 0.12.6, on an unpatched Qt)
ignores ``--header-html`` and ``--footer-html``, and no registry offers a
maintained build that honours them. So the reports laid out by
``complaint_center.report_complaint_layout`` print no header or footer HTML
with any build, and their PDF gets them stamped instead:

1. The layout renders in each document's article a hidden
   ``o_complaint_running`` block (letterhead and page footer, translated
   with the document). It is taken out of the HTML here, and a small
   transparent marker image is put first in the article.
2. wkhtmltopdf prints the bodies. A page that draws the marker starts a
   document: each page knows its document, its number and their count.
3. One more wkhtmltopdf run prints the letterheads and the footers, page
   numbers filled in, on paper of the same format; each is laid on its page
   as a form XObject, so they are real text in the report's own font.
4. Every font's ToUnicode CMap is rewritten by ``core.pdf_text``: Qt names
   Kangxi radicals where the text has ideographs (客⼾ for 客户).
"""

import base64
import functools
import io
import logging
import subprocess

import lxml.html
from PIL import Image

from odoo import api, models
from odoo.tools.misc import find_in_path
from odoo.tools.pdf import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    PdfFileReader,
    PdfFileWriter,
    generic,
    merge_pdf,
)

from ..core import pdf_text

_logger = logging.getLogger(__name__)

# The PDF reports of this addon. Printed in bulk, they are rendered in chunks
# of PDF_CHUNK_SIZE records, one wkhtmltopdf run each, and merged: 500
# complaint forms (1,000 pages) took 26 s so, 87 s in one run.
COMPLAINT_PDF_REPORTS = frozenset(
    {
        "complaint_center.report_complaint_form",
        "complaint_center.report_complaint_handling",
        "complaint_center.report_complaint_acceptance_notice",
        "complaint_center.report_complaint_rejection_notice",
        "complaint_center.report_complaint_forwarding_notice",
        "complaint_center.report_complaint_penalty_notice",
        "complaint_center.report_complaint_written_reply",
        "complaint_center.report_complaint_action_notice",
        "complaint_center.report_complaint_circular",
    }
)
PDF_CHUNK_SIZE = 100


@functools.cache
def wkhtmltopdf_takes_several_bodies():
    """Whether wkhtmltopdf renders several HTML files in one run. Only its
    builds on a patched Qt do (``--version`` says so); distribution builds
    fail with an empty PDF, and ignore headers and footers."""
    try:
        version = subprocess.run(
            [find_in_path("wkhtmltopdf"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return "patched qt" in version.lower()


RUNNING_CLASS = "o_complaint_running"
# The marker's size in pixels: an image no document shows.
MARKER_SIZE = (7, 3)
MARKER_CLASS = "o_complaint_page_marker"
MM = 72 / 25.4
# Where the stamps go: the letterhead's top 8 mm below the paper's top edge,
# the footer's top 16 mm above its bottom edge (the layout's paper format
# leaves 40 mm and 28 mm free for them). Each is cut to its band (mm), and
# drawn in multiply mode: Qt paints the overlay's page white, which must
# not hide the body.
LETTERHEAD_TOP = 8
LETTERHEAD_BAND = 30
FOOTER_TOP_FROM_BOTTOM = 16
FOOTER_BAND = 14
# The overlay: one sheet per letterhead and per page footer, clipped so that
# each prints on one page whatever it holds.
OVERLAY_STYLE = """
html, body { margin: 0; padding: 0; background: transparent; }
body {
    font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif;
    font-size: 12px; color: #333333;
}
.o_complaint_sheet { height: 120px; overflow: hidden; page-break-after: always; }
.o_complaint_sheet:last-child { page-break-after: auto; }
.o_complaint_letterhead { border-bottom: 1px solid #888888; padding-bottom: 4px; }
.o_complaint_letterhead_logo { float: right; max-height: 48px; max-width: 200px; }
.o_complaint_letterhead_name { font-size: 17px; font-weight: bold; }
.o_complaint_letterhead_details span { margin-right: 16px; }
.o_complaint_page_footer {
    display: table; width: 100%; border-top: 1px solid #888888; padding-top: 3px;
}
.o_complaint_page_reference, .o_complaint_page_number { display: table-cell; }
.o_complaint_page_number { text-align: right; white-space: nowrap; }
"""


@functools.cache
def marker_uri():
    """A transparent PNG of MARKER_SIZE as a data URI."""
    stream = io.BytesIO()
    Image.new("RGBA", MARKER_SIZE, (255, 255, 255, 0)).save(stream, "PNG")
    return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()


def _has_class(node, name):
    return name in (node.get("class") or "").split()


def _articles(document):
    return [node for node in document.iter("div") if _has_class(node, "article")]


def _keep_together(article):
    """Put each table's heading (a heading right before it), header and
    first row in one ``o_complaint_keep`` block, which the layout keeps from
    a page break: no heading or header alone at the bottom of a page. The
    first row moves to a table of its own: the layout prints every row as a
    table anyway."""
    tables = [
        table
        for table in article.iter("table")
        if _has_class(table, "o_complaint_grid")
        or (table.find("thead") is not None and _in_statistics(table))
    ]
    for table in tables:
        head = table.find("thead")
        rows = table.xpath("./tbody/tr | ./tr")
        heading = table.getprevious()
        if heading is not None and heading.tag not in ("h3", "h4", "h5"):
            heading = None
        keep = lxml.html.Element("div")
        keep.set("class", "o_complaint_keep")
        table.addprevious(keep)
        if heading is not None:
            keep.append(heading)
        if len(rows) < 2:
            keep.append(table)
            continue
        first = lxml.html.Element("table", dict(table.attrib))
        if head is not None:
            first.append(head)
        lxml.html.etree.SubElement(first, "tbody").append(rows[0])
        keep.append(first)


def _in_statistics(node):
    return any(
        _has_class(parent, "o_complaint_statistics") for parent in node.iterancestors()
    )


def _stream_data(contents):
    """The content of a page's /Contents (a stream or an array of them)."""
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        return b""
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.get_object().get_data() for part in contents)
    return contents.get_data()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Bulk printing -----------------------------------------------------------
    @api.model
    def _complaint_pdf_chunk_size(self):
        return PDF_CHUNK_SIZE

    def _is_complaint_report(self, report_ref):
        return bool(report_ref) and (
            self._get_report(report_ref).report_name in COMPLAINT_PDF_REPORTS
        )

    @api.model
    def _complaint_join_bodies(self, bodies):
        """One HTML document of ``bodies`` (one per record), each starting
        on a new page: what a wkhtmltopdf without patched Qt can render."""
        document = lxml.html.document_fromstring(bodies[0])
        target = document.body
        for body in bodies[1:]:
            page = lxml.html.Element("div", style="page-break-before: always;")
            page.extend(lxml.html.document_fromstring(body).body)
            target.append(page)
        return lxml.html.tostring(
            document, encoding="unicode", doctype="<!DOCTYPE html>"
        )

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # One wkhtmltopdf run over hundreds of forms slows down more than
        # linearly and holds every page in memory: chunks keep it bounded.
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        size = self._complaint_pdf_chunk_size()
        if (
            not res_ids
            or len(res_ids) <= size
            or not self._is_complaint_report(report_ref)
        ):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        contents = []
        for start in range(0, len(res_ids), size):
            content, report_type = super()._render_qweb_pdf(
                report_ref, res_ids=res_ids[start : start + size], data=dict(data or {})
            )
            if report_type != "pdf":
                # Test runs render HTML, in one piece.
                return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
            contents.append(content)
        return merge_pdf(contents), "pdf"

    # Rendering ---------------------------------------------------------------
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        options = {
            "report_ref": report_ref,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        documents = None
        if any(RUNNING_CLASS in body for body in bodies):
            bodies, documents = self._complaint_take_running_parts(bodies)
            # No header or footer HTML: a build that prints them would show
            # them under the stamps.
            header = footer = None
        # Any report on the complaint layout, listed or not, is joined.
        if (
            len(bodies) > 1
            and (documents is not None or self._is_complaint_report(report_ref))
            and not wkhtmltopdf_takes_several_bodies()
        ):
            bodies = [self._complaint_join_bodies(bodies)]
        content = super()._run_wkhtmltopdf(
            bodies, header=header, footer=footer, **options
        )
        if documents is None:
            return content
        return self._complaint_stamp(content, documents, options)

    @api.model
    def _complaint_take_running_parts(self, bodies):
        """``(bodies, documents)``: the bodies without their running blocks
        and with a marker first in each article; per article holding a
        running block, in print order, ``(letterhead HTML, footer element)``."""
        result, documents = [], []
        for body in bodies:
            if RUNNING_CLASS not in body:
                result.append(body)
                continue
            document = lxml.html.document_fromstring(body)
            for article in _articles(document):
                running = next(
                    (
                        node
                        for node in article.iter("div")
                        if _has_class(node, RUNNING_CLASS)
                    ),
                    None,
                )
                if running is None:
                    continue
                letterhead = next(
                    (n for n in running if _has_class(n, "o_complaint_letterhead")),
                    None,
                )
                footer = next(
                    (n for n in running if _has_class(n, "o_complaint_page_footer")),
                    None,
                )
                running.drop_tree()
                documents.append(
                    (
                        ""
                        if letterhead is None
                        else lxml.html.tostring(letterhead, encoding="unicode"),
                        footer,
                    )
                )
                marker = lxml.html.Element(
                    "img",
                    src=marker_uri(),
                    alt="",
                    style="display: block; width: 1px; height: 1px; "
                    "margin: 0 0 -1px 0;",
                )
                marker.set("class", MARKER_CLASS)
                article.insert(0, marker)
                _keep_together(article)
            result.append(
                lxml.html.tostring(
                    document, encoding="unicode", doctype="<!DOCTYPE html>"
                )
            )
        return result, documents

    # Stamping ----------------------------------------------------------------
    @api.model
    def _complaint_document_starts(self, reader):
        """Indexes of the pages that draw the marker image."""
        starts = []
        for index, page in enumerate(reader.pages):
            resources = page.get("/Resources")
            images = resources.get_object().get("/XObject") if resources else None
            for image in (images.get_object() if images else {}).values():
                image = image.get_object()
                if (
                    image.get("/Subtype") == "/Image"
                    and (image.get("/Width"), image.get("/Height")) == MARKER_SIZE
                ):
                    starts.append(index)
                    break
        return starts

    @api.model
    def _complaint_pages(self, reader, documents):
        """Per page, ``(document index, page number, page count)``."""
        count = len(reader.pages)
        starts = self._complaint_document_starts(reader)
        if len(starts) != len(documents) or starts[:1] != [0]:
            # Never seen: a document drew no marker or an image of its own
            # has the marker's size. The pages are counted as one document.
            _logger.warning(
                "Complaint report: %s document starts found for %s documents; "
                "the pages are numbered as one document.",
                len(starts),
                len(documents),
            )
            starts = [0]
        pages = []
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else count
            pages += [
                (index, number, stop - start) for number in range(1, stop - start + 1)
            ]
        return pages

    @api.model
    def _complaint_overlay_html(self, letterheads, footers):
        sheets = [
            f'<div class="o_complaint_sheet">{letterhead}</div>'
            for letterhead in letterheads
        ] + [
            '<div class="o_complaint_sheet">'
            f"{lxml.html.tostring(footer, encoding='unicode')}</div>"
            for footer in footers
        ]
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"/>'
            f"<style>{OVERLAY_STYLE}</style></head>"
            f"<body>{''.join(sheets)}</body></html>"
        )

    @api.model
    def _complaint_footer(self, template, number, count):
        footer = lxml.html.fromstring(lxml.html.tostring(template))
        for node in footer.iter("span"):
            if _has_class(node, "page"):
                node.text = str(number)
            elif _has_class(node, "topage"):
                node.text = str(count)
        return footer

    def _complaint_stamp(self, content, documents, options):
        reader = PdfFileReader(io.BytesIO(content))
        if not len(reader.pages) or not documents:
            return content
        pages = self._complaint_pages(reader, documents)
        letterheads = list(dict.fromkeys(letterhead for letterhead, _f in documents))
        empty = lxml.html.fromstring('<div class="o_complaint_page_footer"></div>')
        footers = [
            self._complaint_footer(
                empty if documents[index][1] is None else documents[index][1],
                number,
                count,
            )
            for index, number, count in pages
        ]
        overlay = PdfFileReader(
            io.BytesIO(
                super()._run_wkhtmltopdf(
                    [self._complaint_overlay_html(letterheads, footers)],
                    report_ref=options["report_ref"],
                    landscape=options["landscape"],
                    specific_paperformat_args={
                        "data-report-margin-top": LETTERHEAD_TOP,
                    },
                )
            )
        )
        if len(overlay.pages) != len(letterheads) + len(footers):
            _logger.warning(
                "Complaint report: the letterheads and footers printed on %s "
                "pages instead of %s; the report goes without them.",
                len(overlay.pages),
                len(letterheads) + len(footers),
            )
            overlay = None
        writer = PdfFileWriter()
        forms = {}
        for position, (page, (index, _number, _count)) in enumerate(
            zip(reader.pages, pages, strict=True)
        ):
            # pypdf returns the copy it adds; PyPDF2 2.x adds the page itself.
            page = writer.add_page(page) or page
            if overlay is None:
                continue
            height = float(page.mediabox.height)
            sheet = letterheads.index(documents[index][0])
            top = height - LETTERHEAD_TOP * MM
            if sheet not in forms:
                forms[sheet] = self._complaint_form(
                    writer, overlay.pages[sheet], (top - LETTERHEAD_BAND * MM, height)
                )
            footer = self._complaint_form(
                writer,
                overlay.pages[len(letterheads) + position],
                (top - FOOTER_BAND * MM, top + MM),
                # From the overlay's top margin down to the footer's place.
                offset=FOOTER_TOP_FROM_BOTTOM * MM - top,
            )
            self._complaint_lay(
                writer, page, {"/CcLetterhead": forms[sheet], "/CcFooter": footer}
            )
        self._complaint_searchable_fonts(writer)
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    @api.model
    def _complaint_form(self, writer, page, band, offset=0):
        """A form XObject of the ``band`` (bottom, top, in points) of
        ``page`` (of another PDF), moved up by ``offset`` points."""
        left, _bottom, right, _top = (float(value) for value in page.mediabox)
        form = DecodedStreamObject()
        form.set_data(_stream_data(page.get("/Contents")))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [
                        generic.FloatObject(value)
                        for value in (left, band[0], right, band[1])
                    ]
                ),
                NameObject("/Matrix"): ArrayObject(
                    [generic.FloatObject(value) for value in (1, 0, 0, 1, 0, offset)]
                ),
                NameObject("/Resources"): page["/Resources"],
            }
        )
        return writer._add_object(form)

    @api.model
    def _complaint_lay(self, writer, page, forms):
        """Draw ``forms`` ({name: form XObject}) over ``page``."""
        # Resources of its own: Qt may share one dictionary between pages.
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = resources.get("/XObject")
        xobjects = DictionaryObject(xobjects.get_object() if xobjects else {})
        for name, form in forms.items():
            xobjects[NameObject(name)] = form
        resources[NameObject("/XObject")] = xobjects
        states = resources.get("/ExtGState")
        states = DictionaryObject(states.get_object() if states else {})
        states[NameObject("/CcMultiply")] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/ExtGState"),
                NameObject("/BM"): NameObject("/Multiply"),
            }
        )
        resources[NameObject("/ExtGState")] = states
        page[NameObject("/Resources")] = resources
        # The page's own drawing in q/Q: it leaves its transformation set.
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(
            b"\nQ\n"
            + b"".join(b"q /CcMultiply gs %s Do Q\n" % name.encode() for name in forms)
        )
        contents = ArrayObject([writer._add_object(before)])
        own = page.get("/Contents")
        if own is not None:
            if isinstance(own.get_object(), ArrayObject):
                contents.extend(own.get_object())
            else:
                contents.append(own)
        contents.append(writer._add_object(after))
        page[NameObject("/Contents")] = contents

    @api.model
    def _complaint_searchable_fonts(self, writer):
        """Rewrite the ToUnicode CMap of every font of the pages and of the
        form XObjects they draw (core.pdf_text)."""
        seen = set()

        def visit(resources, depth=0):
            resources = resources.get_object() if resources else None
            if not resources or depth > 3:
                return
            fonts = resources.get("/Font")
            for font in (fonts.get_object() if fonts else {}).values():
                key = (getattr(font, "idnum", None), id(getattr(font, "pdf", font)))
                if key in seen:
                    continue
                seen.add(key)
                font = font.get_object()
                cmap = font.get("/ToUnicode")
                if cmap is None:
                    continue
                data = cmap.get_object().get_data()
                fixed = pdf_text.rewrite_tounicode(data)
                if fixed != data:
                    stream = DecodedStreamObject()
                    stream.set_data(fixed)
                    font[NameObject("/ToUnicode")] = writer._add_object(stream)
            xobjects = resources.get("/XObject")
            for xobject in (xobjects.get_object() if xobjects else {}).values():
                xobject = xobject.get_object()
                if xobject.get("/Subtype") == "/Form":
                    visit(xobject.get("/Resources"), depth + 1)

        for page in writer.pages:
            visit(page.get("/Resources"))
