"""Similar complaints: descriptions compared by their words.

``search_key`` turns a description (HTML) into the words stored in
``description_key``, space-separated: Chinese is cut into words by jieba
(its search mode, which also gives the shorter words inside a long one:
办公椅 -> 办公, 办公椅), English words are lowercased and reduced to a stem
(sagged, sags -> sag), and words that tell nothing apart (的, 了, please,
the, ...) and short numbers (days, counts) are left out. PostgreSQL indexes
the key as a ``tsvector`` of these words as they are (``array_to_tsvector``:
no parser, no locale), so Chinese is indexed whatever the cluster's
``LC_CTYPE``.

A Chinese word also brings its head character, stored as ``^`` and the
character: the thing or the result it is about (柜 of 五斗柜 and 柜子, 塌
of 压塌, 霉 of 发霉), so that two tellings that name one thing by other
words still meet (柜子发霉 / 五斗柜长了霉点). A word matches the other
description's word or its head; heads are not counted as words when two
descriptions are scored.

A lookup asks for the complaints sharing at least ``QUORUM`` of the new
description's words (a full-text query ``(w1 & w2) | (w1 & w3) | ...`` on
the GIN index); a word also matches its synonyms (the company's list, one
group per line: 合页, 铰链 / driver, delivery man, courier). Candidates are
ranked by the Dice coefficient of the words they share, and only those
above ``FLOOR`` are suggested: short texts that share their key words rank
high, a long complaint that shares two common words stays out.
"""

import functools
import html
import re
import threading

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
# ASCII words, or runs of CJK ideographs; anything else separates words.
RUN = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SHORT_NUMBER = 4
CODE = re.compile(r"^[a-z][a-z0-9]*[0-9][a-z0-9]*$")
# Two descriptions must share this many words (or synonyms) to be compared.
QUORUM = 2
# The words of a new description the index is asked for (its longest and
# rarest first): bounds the size of the full-text query.
QUERY_WORDS = 14
# The most telling words of a new description that also match by their
# heads: a long description asks the index for fewer single characters.
HEAD_SLOTS = 4
# Dice coefficient (2 x shared / (words of one + words of the other)) from
# which a description is suggested (benchmarks/similarity.py).
FLOOR = 0.25

# English words too common to tell two complaints apart.
STOP_WORDS = frozenset(
    """a about after again all already also am an and any are as ask asked
    asking at be been before being but by can cannot could customer did do
    does doesn don done dont for from get got had has have hello hi how i if
    in into is it its just me more much my no not now of on one only or our
    out over please so some still than thank thanks that the their them then
    there these they this those to too two us very want wanted was we were
    what when which while who will with would yet you your""".split()
)
# Chinese words that tell nothing apart: particles, pronouns, the framing
# of any complaint (客户反映, 要求, 希望, 谢谢).
ZH_STOP_WORDS = frozenset(
    """的 了 着 过 就 是 在 也 很 都 和 与 及 或 而 且 但 又 再 才 刚 还 把 被
    给 让 对 向 从 于 以 之 其 这 那 这个 那个 我 我们 你 你们 您 他 她 它 他们
    咱们 自己 有 一 个 一个 些 一些 啊 吧 呢 吗 呀 哦 嘛 么 得 地 上 下 去 来 说
    要 会 能 可 可以 请 请求 要求 希望 谢谢 您好 你好 麻烦 客户 反映 表示 关于
    已经 一直 好像 非常 特别 真的 实在 现在 时候 问题 情况 我家 家里 一下 不
    没 没有 什么 怎么 因为 所以 如果 然后 结果 还是 就是 都是 但是""".split()
)

# The seed of the company's synonym list (Settings), the words of the
# complaints of a furniture and home-goods business; each company edits it.
DEFAULT_SYNONYMS = """\
合页, 铰链
送货员, 配送员, 快递员, 送货师傅, 快递, 司机
送货, 配送, 送到, 到货
螺丝, 螺钉
客服, 热线, 客服电话
没人接, 无人接听
维修, 修理, 修
保修, 质保, 保修期, 质保期
生锈, 锈, 锈迹
吱吱作响, 嘎吱, 吱吱, 响
异味, 味道, 气味, 刺鼻
导轨, 滑轨
退款, 退钱, 退回
脱落, 掉
把手, 拉手
褪色, 掉色
布料, 面料
裂, 裂纹, 裂缝, 开裂, 龟裂, 裂开
贴皮, 木皮, 皮面
抽烟, 吸烟
价格, 收费, 价钱
镜子, 镜面
发霉, 霉, 霉点
两周, 两个星期, 半个月, 十五天
坏, 损坏, 坏了
压坏, 压扁
外箱, 包装箱, 外包装
缺, 少, 缺少
摇晃, 晃, 晃动, 晃来晃去, 不稳
门口, 门外
淋湿, 雨淋, 淋雨, 淋
两次, 两回
配件, 零件
挂断, 挂
宣传, 广告
升高, 升
销售人员, 导购, 销售
夸大宣传, 虚假宣传
实木, 木家具
driver, delivery man, courier, carrier, deliveryman
parcel, package
fix, repair
invoice, bill
phone, hotline, call
cupboard, cabinet
crib, cot
bookshelf, bookcase
handle, knob
sofa, couch
installer, technician, fitter
dent, damage
odour, odor, smell
crack, split
mould, mold, mildew
sag, sink, dip, collapse, flat
break, broke, broken, snap, snapped
wobble, wobbly, rock, shake, unstable, loose
twice, two times
carton, box
nightstand, bedside table
outdoor, garden
advertised, advertisement, advert
missing, without
wrong, incorrect
nobody, no one
price, charged
"""

_jieba = None
_jieba_lock = threading.Lock()


def _cut(run, search=True):
    """jieba's words of a run of Chinese: in search mode (the shorter words
    inside a long one too), else as it cuts the sentence. Loaded on first
    use; its dictionary ships in the package."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    if search:
        return _jieba.cut_for_search(run, HMM=False)
    return _jieba.cut(run, HMM=False)


def plain_text(value):
    """Plain, lowercase text of an HTML fragment, spaces collapsed."""
    text = TAG.sub(" ", value or "")
    text = html.unescape(text).lower()
    return SPACE.sub(" ", text).strip()


# Irregular English forms, as their stem.
IRREGULAR = {
    "broke": "break",
    "broken": "break",
    "fell": "fall",
    "fallen": "fall",
    "bent": "bend",
    "tore": "tear",
    "torn": "tear",
    "shook": "shake",
    "shaken": "shake",
    "stuck": "stick",
    "sank": "sink",
    "sunk": "sink",
    "hung": "hang",
    "came": "come",
    "went": "go",
    "gone": "go",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "left": "leave",
    "sent": "send",
    "paid": "pay",
    "told": "tell",
    "sold": "sell",
    "bought": "buy",
    "wore": "wear",
    "worn": "wear",
    "lost": "lose",
    "found": "find",
    "split": "split",
}


def stem(word):
    """A light English stem: plural, past and -ing forms, -ly adverbs, a
    final e (damage, damaged -> damag); irregular forms by ``IRREGULAR``."""
    if word in IRREGULAR:
        word = IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    base = word
    for suffix, keep in (
        ("ves", "f"),
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("ly", ""),
        ("s", ""),
    ):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        base = word[: -len(suffix)] + keep
        if suffix == "es" and not base.endswith(("sh", "ch", "x", "ss", "z")):
            base = word[:-1]
        if (
            suffix in ("ing", "ed")
            and len(base) > 3
            and base[-1] == base[-2]
            and base[-1] not in "lsz"
        ):
            base = base[:-1]  # sagged -> sag, but called -> call
        break
    if len(base) > 4 and base.endswith("e"):
        base = base[:-1]
    return base


# The mark of a head character in a key (never in a word: words are runs
# of letters, digits or ideographs).
HEAD = "^"
# Endings that are not what a Chinese word is about: noun suffixes (柜子),
# directional and potential complements (掉下来, 鼓起, 裂开, 关不上), and
# measure or place characters (霉点, 漆面, 柜里).
ZH_SUFFIXES = frozenset("子儿们")
ZH_COMPLEMENTS = (
    "下来",
    "上来",
    "起来",
    "出来",
    "进来",
    "回来",
    "过来",
    "下去",
    "上去",
    "出去",
    "进去",
    "回去",
    "过去",
    "不了",
    "不上",
    "不到",
    "不住",
    "不好",
)
ZH_COMPLEMENT = frozenset("起来去开下上出掉住到了着过")
ZH_WEAK = frozenset("点个次天月年些种件块处时里边面回样把条张位")
# Last characters that end too many unrelated words to be heads (沙发, 发现;
# 无法, 办法; 使用, 不能用; 进去, 出来).
ZH_HEAD_STOP = frozenset("发现法成用多每说做看买放让使本然为后前中内新旧大小进出")


def head(word):
    """The head character of a Chinese word: the last one, the thing (柜 of
    五斗柜, 柜子) or the result (塌 of 压塌) a compound is about, after its
    complement (鼓 of 鼓起, 掉 of 掉下来) or a measure (霉 of 霉点); a single
    character is its own head. None for other words and for heads that tell
    nothing apart (particles, measures)."""
    if not word or not CJK.match(word):
        return None
    if len(word) > 1:
        for tail in ZH_COMPLEMENTS:
            if word.endswith(tail) and len(word) > len(tail):
                word = word[: -len(tail)]
                break
        else:
            if word[-1] in ZH_SUFFIXES or word[-1] in ZH_COMPLEMENT:
                word = word[:-1]
        if len(word) > 1 and word[-1] in ZH_WEAK:
            word = word[:-1]
    char = word[-1:]
    if not char or char in ZH_STOP_WORDS or char in ZH_WEAK or char in ZH_HEAD_STOP:
        return None
    return char


def _words(text):
    """The words of plain text, in order, stop words and short numbers out;
    after the words of a Chinese run, the heads of its words (``^柜``)."""
    for run in RUN.findall(text):
        if run.isascii():
            if run in STOP_WORDS or (run.isdigit() and len(run) <= SHORT_NUMBER):
                continue
            yield stem(run)
            continue
        for word in _cut(run):
            if word and word not in ZH_STOP_WORDS and CJK.search(word):
                yield word
        # Heads of the words as jieba cuts the run (五斗柜, not 五斗 too).
        for word in _cut(run, search=False):
            char = head(word)
            if char:
                yield HEAD + char


def terms(value):
    """The distinct words of a description (HTML or plain), in order."""
    return list(dict.fromkeys(_words(plain_text(value))))


def search_key(value):
    """What ``description_key`` stores: the distinct words and heads,
    space-separated."""
    return " ".join(terms(value))


def codes(value):
    """The codes of a description (lot, batch, order or part numbers: a
    letter first, then at least three digits among letters and digits),
    as they are written in its key: the same code in two complaints points
    at the same matter."""
    return sorted(
        {
            run
            for run in RUN.findall(plain_text(value))
            if CODE.match(run) and sum(char.isdigit() for char in run) >= 3
        }
    )


@functools.lru_cache(maxsize=64)
def parse_synonyms(text):
    """Synonym groups from the company's list: one group a line, its words
    or phrases separated by commas (, ， 、 ; /). Each entry becomes the
    tuple of its words; groups of fewer than two entries are dropped.
    Cached: every lookup of the company reads the same list."""
    groups = []
    for line in (text or "").splitlines():
        entries = []
        for entry in re.split(r"[,，、;；/]", line):
            words = tuple(w for w in terms(entry) if not w.startswith(HEAD))
            if words and words not in entries:
                entries.append(words)
        if len(entries) > 1:
            groups.append(tuple(entries))
    return tuple(groups)


def _weight(word):
    # Longer words are rarer: query by them first.
    return (len(word) * (3 if CJK.search(word) else 1), word)


def query_slots(words, groups=()):
    """What a description is looked up by: a list of slots, each the
    alternatives (tuples of words, all required) that match one of its
    words. A word in a synonym group matches every entry of the group; a
    phrase of the group counts when all its words are in the description.
    Another word matches itself or, for the ``HEAD_SLOTS`` most telling
    ones, its head (``^柜`` for 五斗柜, when the description has that head).
    At most ``QUERY_WORDS`` slots, the most telling first."""
    present = set(words)
    slots = []
    covered = set()
    for group in groups:
        found = [entry for entry in group if set(entry) <= present]
        if not found:
            continue
        slots.append(list(group))
        for entry in found:
            covered.update(entry)
    own = sorted(
        (word for word in words if word not in covered and not word.startswith(HEAD)),
        key=_weight,
        reverse=True,
    )
    for rank, word in enumerate(own):
        char = head(word)
        if rank < HEAD_SLOTS and char and HEAD + char in present:
            slots.append([(word,), (HEAD + char,)])
        else:
            slots.append([(word,)])
    slots.sort(key=lambda slot: _weight(" ".join(slot[0])), reverse=True)
    return slots[:QUERY_WORDS]


def _lexeme(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def slot_query(slot):
    """A tsquery (as text) matching a description that has one alternative
    of ``slot``."""
    alternatives = [" & ".join(_lexeme(word) for word in entry) for entry in slot]
    return " | ".join(f"( {alt} )" for alt in alternatives)


def quorum_query(slots):
    """A tsquery (as text) matching the descriptions that have at least
    two of the slots (``QUORUM``; all of them when there are fewer), or
    None without slots."""
    parts = [f"( {slot_query(slot)} )" for slot in slots]
    if not parts:
        return None
    if len(parts) <= QUORUM:
        return " & ".join(parts)
    pairs = [
        f"( {parts[i]} & {parts[j]} )"
        for i in range(len(parts))
        for j in range(i + 1, len(parts))
    ]
    return " | ".join(pairs)
