"""Searchable Chinese in the printed PDFs (issue 24, item 12): the ToUnicode
CMaps Qt writes name Kangxi radicals where the text has ideographs."""

from pathlib import Path

import pytest
from cc_core import pdf_text

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def radicals(text):
    return [char for char in text if pdf_text.is_radical(char)]


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
    cmap = pdf_text.font_cmap(NOTO_CJK.read_bytes(), "Noto Sans CJK SC")
    assert cmap and cmap[ord("户")] == cmap[0x2F3E]
    assert pdf_text.font_radical_table(cmap) == pdf_text.RADICAL_IDEOGRAPHS
    # Every entry leads out of the radical blocks.
    assert not radicals("".join(map(chr, pdf_text.RADICAL_IDEOGRAPHS.values())))
