"""Similar complaints compare the words of the descriptions from 18.0.1.4.0
(issue 27): ``description_key`` holds them (Chinese cut by jieba, English
stems) instead of trigram hashes, indexed by a GIN index of their
``tsvector``. The keys of the complaints registered before are recomputed
here, in batches, and the trigram index of the old keys is dropped."""

import logging

from psycopg2.extras import execute_values

from odoo.addons.complaint_center.core import similarity

_logger = logging.getLogger(__name__)

BATCH = 2000
WORDS_INDEX = "complaint_complaint_description_words_index"


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS complaint_complaint__description_key_index")
    # Filled without the index, then indexed once: faster than updating it
    # row by row.
    cr.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
    last = done = 0
    while True:
        cr.execute(
            "SELECT id, description FROM complaint_complaint WHERE id > %s "
            "ORDER BY id LIMIT %s",
            (last, BATCH),
        )
        rows = cr.fetchall()
        if not rows:
            break
        execute_values(
            cr._obj,
            "UPDATE complaint_complaint c SET description_key = v.key "
            "FROM (VALUES %s) AS v(id, key) WHERE c.id = v.id",
            [(cid, similarity.search_key(html) or None) for cid, html in rows],
            page_size=BATCH,
        )
        last = rows[-1][0]
        done += len(rows)
        _logger.info("similar complaints: %s descriptions keyed", done)
    cr.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON complaint_complaint "
        "USING gin (array_to_tsvector(string_to_array(description_key, ' ')))"
    )
