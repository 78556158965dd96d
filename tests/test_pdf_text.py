"""Searchable Chinese in the printed PDFs (issue 24, item 12): the ToUnicode
CMaps Qt writes name Kangxi radicals where the text has ideographs."""

import re
import struct
from pathlib import Path

import pytest
from cc_core import pdf_text

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def in_blocks(code, blocks):
    return any(low <= code <= high for low, high in blocks)


# Reading a font's character map: enough of OpenType to derive the table.
def font_tables(data, offset):
    count = struct.unpack_from(">H", data, offset + 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, start, length = struct.unpack_from(
            ">4sIII", data, offset + 12 + 16 * i
        )
        tables[tag.decode("latin-1")] = (start, length)
    return tables


def font_full_name(data, offset):
    start, _length = font_tables(data, offset)["name"]
    _format, count, strings = struct.unpack_from(">HHH", data, start)
    for i in range(count):
        platform, _encoding, _language, name_id, length, at = struct.unpack_from(
            ">6H", data, start + 6 + 12 * i
        )
        if name_id == 4 and platform == 3:
            text = data[start + strings + at : start + strings + at + length]
            return text.decode("utf-16-be")
    return None


def font_cmap(data, full_name):
    """{code point: glyph id} of the format 12 (full Unicode) cmap of the
    face ``full_name`` of an OpenType font or collection (bytes)."""
    if data[:4] == b"ttcf":
        count = struct.unpack_from(">I", data, 8)[0]
        offsets = struct.unpack_from(f">{count}I", data, 12)
    else:
        offsets = (0,)
    offset = next(o for o in offsets if font_full_name(data, o) == full_name)
    start, _length = font_tables(data, offset)["cmap"]
    _version, count = struct.unpack_from(">HH", data, start)
    for i in range(count):
        _platform, _encoding, at = struct.unpack_from(">HHI", data, start + 4 + 8 * i)
        if struct.unpack_from(">H", data, start + at)[0] != 12:
            continue
        groups = struct.unpack_from(">I", data, start + at + 12)[0]
        mapping = {}
        for group in range(groups):
            first, last, glyph = struct.unpack_from(
                ">III", data, start + at + 16 + 12 * group
            )
            for code in range(first, last + 1):
                mapping[code] = glyph + code - first
        return mapping
    return {}


def font_radical_table(cmap):
    """{radical: ideograph}: each radical the font draws with the glyph of
    a unified ideograph."""
    blocks = pdf_text.RADICAL_BLOCKS + pdf_text.COMPATIBILITY_BLOCKS
    by_glyph = {}
    for code, glyph in cmap.items():
        if not in_blocks(code, blocks):
            by_glyph.setdefault(glyph, []).append(code)
    return {
        code: min(by_glyph[glyph])
        for code, glyph in sorted(cmap.items())
        if in_blocks(code, pdf_text.RADICAL_BLOCKS) and glyph in by_glyph
    }


def test_the_radicals_of_the_issue_become_ideographs():
    # "客⼾", "⽉", "⽇" as pdftotext gave them; 页 as the page footer had it.
    assert pdf_text.searchable("客\u2f3e \u2f49 \u2f47 \u2eda") == "客户 月 日 页"


def test_the_simplified_font_decides_not_nfkc():
    # NFKC says 戶 (U+6236); the SC font draws U+2F3E as 户 (U+6237).
    assert pdf_text.RADICAL_IDEOGRAPHS[0x2F3E] == 0x6237


def test_compatibility_ideographs_become_unified():
    assert pdf_text.searchable("\uf98a\ufa08") == "力行"


def test_other_text_is_left_alone():
    text = "Complaint HX2609-0001 投诉 ½ ﬁ 𠀀 ⼹"  # ⼹ has a glyph of its own
    assert pdf_text.searchable(text) == text


def test_bfchar_destinations_rewritten_sources_kept():
    cmap = (
        b"/CMapName /Adobe-Identity-UCS def\n2 beginbfchar\n"
        b"<2F3E> <2F3E>\n<0009> <F98A>\nendbfchar\nendcmap"
    )
    assert pdf_text.rewrite_tounicode(cmap) == (
        b"/CMapName /Adobe-Identity-UCS def\n2 beginbfchar\n"
        b"<2F3E> <6237>\n<0009> <529B>\nendbfchar\nendcmap"
    )


def test_bfrange_arrays_rewritten():
    # The form Qt writes: <first> <last> [<destination> ...].
    cmap = b"1 beginbfrange\n<0001> <0004> [<5BA2> <2F3E> <0048> <2F49>]\nendbfrange"
    assert pdf_text.rewrite_tounicode(cmap) == (
        b"1 beginbfrange\n<0001> <0004> [<5BA2> <6237> <0048> <6708>]\nendbfrange"
    )


def test_bfrange_runs_spelt_out_only_when_they_change():
    cmap = (
        b"2 beginbfrange\n<0000> <0000> <0000>\n<0010> <0012> <2F46>\n"
        b"<0020> <0022> <0041>\nendbfrange"
    )
    # ⽆ ⽇ ⽈ (U+2F46..U+2F48) are 无 日 曰; A B C stay a run.
    assert pdf_text.rewrite_tounicode(cmap) == (
        b"2 beginbfrange\n<0000> <0000> <0000>\n<0010> <0012> [<65E0> <65E5> <66F0>]\n"
        b"<0020> <0022> <0041>\nendbfrange"
    )


def test_ligatures_and_surrogate_pairs():
    cmap = b"2 beginbfchar\n<0003> <00660069>\n<0004> <D840DC00>\nendbfchar"
    assert pdf_text.rewrite_tounicode(cmap) == cmap
    fixed = pdf_text.rewrite_tounicode(b"1 beginbfchar\n<0005> <2F3E2F49>\nendbfchar")
    assert fixed == b"1 beginbfchar\n<0005> <62376708>\nendbfchar"


def test_nothing_else_in_the_program_changes():
    cmap = b"/CIDInit /ProcSet findresource begin\n<2F3E> <2F3E>\nend"
    assert pdf_text.rewrite_tounicode(cmap) == cmap


@pytest.mark.skipif(not NOTO_CJK.exists(), reason="fonts-noto-cjk is not installed")
def test_table_is_the_installed_fonts():
    cmap = font_cmap(NOTO_CJK.read_bytes(), "Noto Sans CJK SC")
    assert cmap and cmap[ord("户")] == cmap[0x2F3E]
    assert font_radical_table(cmap) == pdf_text.RADICAL_IDEOGRAPHS
    # Every entry leads out of the radical blocks.
    assert not RADICALS.findall("".join(map(chr, pdf_text.RADICAL_IDEOGRAPHS.values())))
