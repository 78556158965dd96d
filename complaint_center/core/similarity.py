"""Similar complaints: the normalised text compared by PostgreSQL trigrams.

``search_key`` turns a description (HTML) into the plain text stored in the
trigram-indexed column: tags stripped, entities decoded, lowercased, spaces
collapsed. pg_trgm only keeps the characters the database's ``LC_CTYPE``
deems alphanumeric: under the ``C`` locale (the usual one of an Odoo
cluster) every non-ASCII letter is dropped, so Chinese would compare as
empty. Runs of non-ASCII letters are therefore rewritten in ASCII: each
pair of neighbouring characters (a lone character alone) becomes a short
hash, and the hashes of a run are written as one word. Chinese text is thus
compared on its character bigrams, whatever the locale; as one word, the
hashes give pg_trgm no padded word starts (which every text would share),
so the index's lists stay short. Common English words are left out too.
"""

import hashlib
import html
import re

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
# ASCII words, or runs of non-ASCII letters and digits.
RUN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\W_]+")
TOKEN_LENGTH = 4
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
# pg_trgm.similarity_threshold of the lookup (the extension's default is
# 0.3): on 100,000 complaints (benchmarks/similarity.py), 0.45 finds
# nearly the same planted rewordings as 0.35 among the suggestions shown,
# in half the time (fewer index candidates to recheck).
THRESHOLD = 0.45
SHORT_NUMBER = 4
CODE = re.compile(r"^[a-z][a-z0-9]*[0-9][a-z0-9]*$")
# Words too common to tell two complaints apart.
STOP_WORDS = frozenset(
    """a an and are as at be but by can could for from had has have hello hi i
    in is it its me my no not of on or our please so that the their them then
    there they this to us was we were which will with would you your""".split()
)


def plain_text(value):
    """Plain, lowercase text of an HTML fragment, spaces collapsed."""
    text = TAG.sub(" ", value or "")
    text = html.unescape(text).lower()
    return SPACE.sub(" ", text).strip()


def _token(chars):
    digest = hashlib.blake2b(chars.encode("utf-8"), digest_size=4).digest()
    number = int.from_bytes(digest, "big")
    token = ""
    for _index in range(TOKEN_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        token += ALPHABET[digit]
    return token


def _run_word(run):
    if run.isascii():
        # Common words and short numbers (days, months, years, counts) are
        # in nearly every complaint.
        if run in STOP_WORDS or (run.isdigit() and len(run) <= SHORT_NUMBER):
            return ""
        return run
    if len(run) == 1:
        return _token(run)
    return "".join(_token(run[i : i + 2]) for i in range(len(run) - 1))


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


def search_key(value):
    """The text pg_trgm compares for a description (HTML or plain)."""
    words = (_run_word(run) for run in RUN.findall(plain_text(value)))
    return " ".join(word for word in words if word)
