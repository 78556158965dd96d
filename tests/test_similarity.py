from cc_core.similarity import (
    DEFAULT_SYNONYMS,
    HEAD_SLOTS,
    QUERY_WORDS,
    codes,
    head,
    parse_synonyms,
    plain_text,
    query_slots,
    quorum_query,
    search_key,
    slot_query,
    stem,
    terms,
)


def test_plain_text_strips_tags_lowercases_and_collapses():
    html = "<p>The  Sauce&nbsp;was <b>SPOILED</b></p>\n<p>on delivery.</p>"
    assert plain_text(html) == "the sauce was spoiled on delivery."
    assert plain_text(False) == ""


def test_english_words_are_stems_without_common_words_and_short_numbers():
    key = search_key("<p>The broken bottle, 2 boxes on 2026-03-05, order 12345!</p>")
    assert key == "break bottl box order 12345", "broken: an irregular form"


def test_stems_join_the_forms_of_one_word():
    assert {stem(word) for word in ("sag", "sags", "sagged", "sagging")} == {"sag"}
    assert stem("damaged") == stem("damage") == stem("damages") == "damag"
    assert stem("shelves") == "shelf"
    assert stem("called") == "call", "a double l stays"
    assert stem("glass") == "glass"
    assert stem("leg") == "leg"


def test_chinese_is_cut_into_words_the_particles_left_out():
    words = terms("<p>沙发的坐垫塌了，一坐就陷下去</p>")
    assert words[:2] == ["沙发", "坐垫"]
    assert "的" not in words and "了" not in words and "就" not in words
    # Search mode: the words inside a long word too.
    assert {"办公", "办公椅", "靠背", "断裂"} <= set(terms("办公椅靠背断裂了"))
    assert search_key("酱油破裂，漏了") == search_key("酱油破裂，漏了"), "stable"


def test_words_are_distinct_and_in_order():
    assert terms("Crack, crack and cracks in the crack") == ["crack"]
    assert search_key("") == ""
    assert search_key("<p>的了</p>") == ""


def test_mixed_text():
    assert terms("<p>SKU A12 酱油</p>") == ["sku", "a12", "酱油", "^油"]


def test_the_head_of_a_chinese_word():
    # The thing a compound names, the result of a resultative verb.
    assert head("五斗柜") == head("柜子") == head("柜") == "柜"
    assert head("压塌") == "塌"
    assert head("发霉") == head("霉点") == "霉", "a measure is not a head"
    # The verb of a directional compound, not its complement.
    assert head("掉下来") == head("掉") == "掉"
    assert head("鼓起") == "鼓"
    assert head("裂开") == "裂"
    # Nothing for particles, measures, English or an empty word.
    assert head("了") is None
    assert head("一个") is None
    assert head("sofa") is None
    assert head("") is None


def test_heads_follow_the_words_and_are_not_counted_as_words():
    words = terms("柜子发霉")
    assert words == ["柜子", "发霉", "^柜", "^霉"]
    assert [word for word in words if not word.startswith("^")] == words[:2]
    # Two tellings that name the thing by other words share its head.
    other = terms("放在卧室的五斗柜背板和抽屉里面长了霉点")
    assert {"^柜", "^霉"} <= set(other)
    assert "柜子" not in other and "发霉" not in other


def test_a_word_matches_the_other_descriptions_head():
    slots = query_slots(terms("衣柜层板压塌"))
    assert [("衣柜",), ("^柜",)] in slots
    assert [("压塌",), ("^塌",)] in slots
    assert not any(alt[0].startswith("^") for slot in slots for alt in slot[:1])
    # A head is never a slot of its own.
    assert all(len(slot) == 2 for slot in slots)


def test_only_the_most_telling_words_match_by_their_heads():
    words = terms("组装衣柜时发现少了两个层板托和一个挂衣杆，说明书上写有但包装里没有")
    assert "^板" in words
    slots = query_slots(words)
    assert all(len(slot) == 1 for slot in slots[HEAD_SLOTS:])
    assert [("衣柜",), ("^柜",)] in slots[:HEAD_SLOTS]
    assert [("层板",)] in slots, "further down: by itself only"


def test_synonyms_are_words_not_heads():
    groups = parse_synonyms("合页, 铰链")
    assert groups == ((("合页",), ("铰链",)),)


def test_codes_are_lot_batch_and_order_numbers():
    text = "<p>批号V2612-8524的衣帽架 order SO92338, 500ml, sku A12, B1234x</p>"
    assert codes(text) == ["b1234x", "so92338", "v2612"]
    key = f" {search_key(text)} "
    assert all(f" {code} " in key for code in codes(text)), "written as in the key"


def test_synonym_groups_one_a_line():
    groups = parse_synonyms("合页, 铰链\ndriver，delivery man、courier\nlonely\n\n")
    assert groups == (
        (("合页",), ("铰链",)),
        (("driver",), ("delivery", "man"), ("courier",)),
    )
    assert parse_synonyms(False) == ()
    seeded = parse_synonyms(DEFAULT_SYNONYMS)
    assert (("合页",), ("铰链",)) in seeded


def test_a_word_matches_its_synonyms():
    groups = parse_synonyms("合页, 铰链")
    slots = query_slots(terms("衣柜门关不上，合页好像装歪了"), groups)
    assert [("合页",), ("铰链",)] in slots
    assert slot_query([("合页",), ("铰链",)]) == "( '合页' ) | ( '铰链' )"


def test_a_phrase_counts_when_all_its_words_are_there():
    groups = parse_synonyms("driver, delivery man")
    slots = query_slots(terms("The delivery man was rude"), groups)
    assert [("driver",), ("delivery", "man")] in slots
    assert [("delivery",)] not in slots, "covered by the group"
    slots = query_slots(terms("Late delivery"), groups)
    assert [("delivery",)] in slots
    assert [("driver",), ("delivery", "man")] not in slots


def test_the_query_asks_for_two_shared_words():
    slots = [[("a",)], [("b",)], [("c",), ("d", "e")]]
    assert quorum_query(slots) == (
        "( ( ( 'a' ) ) & ( ( 'b' ) ) ) | ( ( ( 'a' ) ) & ( ( 'c' ) | ( 'd' & 'e' ) ) )"
        " | ( ( ( 'b' ) ) & ( ( 'c' ) | ( 'd' & 'e' ) ) )"
    )
    assert quorum_query([[("a",)]]) == "( ( 'a' ) )"
    assert quorum_query([]) is None
    assert slot_query([("it's",)]) == "( 'it''s' )", "quotes doubled"


def test_the_query_keeps_the_most_telling_words():
    words = [f"word{i:02d}" for i in range(QUERY_WORDS + 5)] + ["衣柜"]
    slots = query_slots(words)
    assert len(slots) == QUERY_WORDS
    assert slots[0] == [("衣柜",)], "a Chinese word first"
