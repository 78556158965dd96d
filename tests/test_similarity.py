from cc_core.similarity import codes, plain_text, search_key


def test_plain_text_strips_tags_lowercases_and_collapses():
    html = "<p>The  Sauce&nbsp;was <b>SPOILED</b></p>\n<p>on delivery.</p>"
    assert plain_text(html) == "the sauce was spoiled on delivery."
    assert plain_text(False) == ""


def test_ascii_words_are_kept_but_common_ones_and_short_numbers():
    key = search_key("<p>The broken bottle, 2 boxes on 2026-03-05, order 12345!</p>")
    assert key == "broken bottle boxes order 12345"


def test_chinese_becomes_one_ascii_word_of_bigram_hashes():
    key = search_key("<p>酱油破裂，漏了</p>")
    words = key.split()
    # 酱油, 油破, 破裂 then 漏了: ASCII only, so pg_trgm keeps them whatever
    # the database's LC_CTYPE; a run of characters stays one word.
    assert [len(word) for word in words] == [12, 4]
    assert key.isascii()
    assert all(word.isalnum() for word in words)
    assert search_key("酱油破裂，漏了") == key, "deterministic"
    assert len(search_key("酱")) == 4


def _bigram_hashes(text):
    key = search_key(text).replace(" ", "")
    return {key[i : i + 4] for i in range(0, len(key), 4)}


def test_chinese_near_duplicates_share_most_bigrams():
    first = _bigram_hashes("收到的酱油瓶子破裂，漏了一地，要求退货")
    near = _bigram_hashes("收到的酱油瓶子破裂了，漏了一地，要求退货赔偿")
    other = _bigram_hashes("客服人员态度恶劣，多次挂断电话，要求道歉")
    assert len(first & near) / len(first | near) > 0.6
    assert len(first & other) / len(first | other) < 0.15


def test_mixed_text():
    key = search_key("<p>SKU A12 酱油</p>")
    assert key.startswith("sku a12 ")
    assert len(key.split()) == 3
    assert len(key.split()[2]) == 4


def test_codes_are_lot_batch_and_order_numbers():
    text = "<p>批号V2612-8524的衣帽架 order SO92338, 500ml, sku A12, B1234x</p>"
    assert codes(text) == ["b1234x", "so92338", "v2612"]
    key = f" {search_key(text)} "
    assert all(f" {code} " in key for code in codes(text)), "written as in the key"
