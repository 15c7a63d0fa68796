"""Full-text search: the tokenizer in Polars agrees with plain Python, the parser with generated
trees, the warehouse's search_matches with a plain Python evaluation of random queries over random
English and Urdu articles; malformed queries fail with one clear message; ranking, freshness,
query_trend, kwic and the CLI on the sample site."""

from __future__ import annotations

import math
import os
import re
import shutil
from datetime import date, timedelta

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.cli import main
from tests.test_trends import INDEX, extract_all, monday, utc_day
from tests.conftest import LEXICON
from transforms.normalise import normalise
from transforms.search_query import (
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    QuerySyntaxError,
    Word,
    matches,
    parse,
    plan,
)
from transforms.search_text import TOKENIZER_VERSION, index_rows, matches_in_context, positioned, terms
from warehouse.db import connect
from warehouse.errors import QueryError
from warehouse.load import load_batch
from warehouse.search import kwic, query_trend, search
from warehouse.search_index import index_articles

SOAK = os.environ.get("NEWSWIRE_SOAK", "") not in ("", "0")
PROFILE = settings(max_examples=1000 if SOAK else 60, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

# --- the tokenizer: Polars (what the index stores) agrees with plain Python (what queries use) ------

TEXT = st.lists(st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-'’\"()\n\t")
    + list("éÉèüÜößçñÑıİŁłØøƒǅΣσςΟΔ")  # Latin with marks, odd cases, Greek sigma
    + ["e\u0301", "\u0301", "\u200c", "\u00a0"]  # a decomposed é, a lone mark, ZWNJ, NBSP
    + list("چینروسشمالیکوریاپاکستانمیشودۂئآ۔،٢٠٢٦") + ["\u064e", "\u0651"]  # Urdu, its digits, harakat
), max_size=60).map("".join)


def polars_positions(headline: str, body: str) -> list[tuple[str, int]]:
    frame = pl.DataFrame({"article_id": ["a"], "content_hash": ["h"], "published_day": [None], "source_id": ["s"],
                          "language": ["en"], "headline_clean": [headline], "body_clean": [body]})
    docs, postings = index_rows(frame)
    return sorted((t, p) for t, ps in zip(postings["term"], postings["positions"]) for p in ps)


@PROFILE
@given(TEXT, TEXT)
def test_polars_tokenizer_agrees_with_plain_python(headline, body):
    assert polars_positions(headline, body) == sorted(positioned(headline, body))


@pytest.mark.parametrize("text, expected", [
    ("North Korea's missile", ["north", "korea", "missile"]),
    ("Pérez visited İstanbul and Düsseldorf", ["perez", "visited", "istanbul", "and", "dusseldorf"]),
    ("self-reliance, G20 and COVID-19", ["self", "reliance", "g20", "and", "covid", "19"]),
    ("می\u200cشود چین کی", ["میشود", "چین", "کی"]),  # ZWNJ joins, it does not split
    ("آئینہ ئ", ["آئینہ", "ئ"]),  # Urdu letters are not folded to Arabic ones
    ("ΟΔΟΣ", ["οδοσ"]),
])
def test_tokenizer_rules(text, expected):
    assert terms(text) == expected
    assert [t for t, _ in sorted(polars_positions("", text), key=lambda x: x[1])] == expected


def test_positions_skip_line_breaks_and_headline_is_negative():
    assert positioned("North Korea", "a b\nc") == [("north", -3), ("korea", -2), ("a", 0), ("b", 1), ("c", 3)]


# --- the parser -------------------------------------------------------------------------------------

TERMS = ["north", "korea", "missile", "sanctions", "china", "perez", "چین", "روس", "شمالی", "کوریا", "g20"]
leaf_trees = st.one_of(
    st.sampled_from(TERMS).map(lambda t: ("word", t)),
    st.sampled_from(TERMS).map(lambda t: ("prefix", t[:max(1, len(t) // 2)])),
    st.lists(st.sampled_from(TERMS), min_size=2, max_size=3).map(lambda ts: ("phrase", ts)),
)
trees = st.recursive(leaf_trees, lambda kids: st.one_of(
    kids.map(lambda k: ("not", k)),
    st.lists(kids, min_size=2, max_size=3).map(lambda ks: ("and", ks)),
    st.lists(kids, min_size=2, max_size=3).map(lambda ks: ("or", ks)),
), max_leaves=6)


def render(tree, draw_style) -> str:
    kind = tree[0]
    if kind == "word":
        return tree[1].upper() if draw_style() else tree[1]
    if kind == "prefix":
        return tree[1] + "*"
    if kind == "phrase":
        return '"' + " ".join(tree[1]) + '"'
    if kind == "not":
        inner = render(tree[1], draw_style)
        inner = inner if tree[1][0] in ("word", "prefix", "phrase") else f"({inner})"
        return ("-" if draw_style() else "NOT ") + inner
    parts = [render(k, draw_style) if k[0] in ("word", "prefix", "phrase", "not") else f"({render(k, draw_style)})"
             for k in tree[1]]
    joiner = " OR " if kind == "or" else (" " if draw_style() else " AND ")
    return joiner.join(parts)


def as_ast(tree):
    kind = tree[0]
    if kind == "word":
        return Word(tree[1])
    if kind == "prefix":
        return Prefix(tree[1])
    if kind == "phrase":
        return Phrase(tuple(tree[1]))
    if kind == "not":
        return Not(as_ast(tree[1]))
    kids = [as_ast(k) for k in tree[1]]
    cls = And if kind == "and" else Or
    flat = [g for k in kids for g in (k.operands if isinstance(k, cls) else (k,))]
    return cls(tuple(flat))


def flatten(node):
    if isinstance(node, Not):
        return Not(flatten(node.operand))
    if isinstance(node, (And, Or)):
        kids = [flatten(k) for k in node.operands]
        return type(node)(tuple(g for k in kids for g in (k.operands if isinstance(k, type(node)) else (k,))))
    return node


def anchored(tree) -> bool:
    """Would the query match an article with none of its words? (Then it must be refused.)"""
    def ev(t):
        if t[0] == "not":
            return not ev(t[1])
        if t[0] == "and":
            return all(ev(k) for k in t[1])
        if t[0] == "or":
            return any(ev(k) for k in t[1])
        return False
    return not ev(tree)


@PROFILE
@given(trees, st.randoms(use_true_random=False))
def test_parser_reads_back_what_was_written(tree, rnd):
    text = render(tree, lambda: rnd.random() < 0.5)
    if not anchored(tree):
        with pytest.raises(QuerySyntaxError, match="only excludes"):
            parse(text)
        return
    assert flatten(parse(text)) == as_ast(tree)


@pytest.mark.parametrize("query, problem", [
    ("", "the query is empty"),
    ("   ", "the query is empty"),
    ('"north korea', "unbalanced quote"),
    ('sanctions "north', "unbalanced quote"),
    ("(north OR korea", "unbalanced parentheses: a ( is never closed"),
    ("north) korea", "unbalanced parentheses: a ) has no ("),
    ("NOT", "NOT must be followed by"),
    ("sanctions NOT", "NOT must be followed by"),
    ("NOT AND korea", "NOT must be followed by"),
    ("AND korea", "AND needs a word"),
    ("korea OR", "OR needs a word"),
    ("korea AND OR china", "AND needs a word"),
    ("()", "empty parentheses"),
    ("NOT china", "only excludes words"),
    ("-china -russia", "only excludes words"),
    ("korea OR -china", "only excludes words"),
    ('""', "has no letters or digits"),
    ("—", "has no letters or digits"),
    ("sanctions - iran", "to exclude a word write -word"),
    ("north-kor*", "a * prefix must follow exactly one word"),
    (" OR ".join(f"w{i}" for i in range(63)), "63 distinct words, phrases and prefixes, more than 62"),
])
def test_malformed_queries_get_one_clear_error(query, problem):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


# --- the warehouse agrees with the plain evaluation ---------------------------------------------------

SURFACE = ["North", "KOREA", "Korea's", "korea", "missile", "missiles", "Sanctions", "sanctions", "China", "Pérez",
           "perez", "PEREZ", "G20", "self-reliance", "چین", "چینی", "روس", "شمالی", "کوریا", "می\u200cشود", "میشود",
           "پاکستان", "the", "and"]
SEPARATORS = [" ", " ", " ", ", ", " - ", ". ", " «", "» ", "\n"]
docs_strategy = st.lists(st.tuples(
    st.lists(st.sampled_from(SURFACE), max_size=5).map(" ".join),
    st.lists(st.tuples(st.sampled_from(SURFACE), st.sampled_from(SEPARATORS)), max_size=25)
    .map(lambda ws: "".join(w + s for w, s in ws).strip()),
), min_size=1, max_size=12)
query_leaves = st.one_of(
    st.sampled_from(SURFACE[:-2]).map(lambda w: ("word", w)),
    st.sampled_from(["nor", "kor", "miss", "sanction", "pe", "chin", "چی", "شما", "g"]).map(lambda w: ("prefix", w)),
    st.lists(st.sampled_from(SURFACE[:-2]), min_size=2, max_size=3).map(lambda ws: ("phrase", ws)),
)
query_trees = st.recursive(query_leaves, lambda kids: st.one_of(
    kids.map(lambda k: ("not", k)),
    st.lists(kids, min_size=2, max_size=3).map(lambda ks: ("and", ks)),
    st.lists(kids, min_size=2, max_size=3).map(lambda ks: ("or", ks)),
), max_leaves=5)


def reference(tree, headline: str, body: str) -> bool:
    """The plain evaluation: the article's words and positions, each operator in Python."""
    words = positioned(headline, body)
    kind = tree[0]
    if kind == "not":
        return not reference(tree[1], headline, body)
    if kind == "and":
        return all(reference(k, headline, body) for k in tree[1])
    if kind == "or":
        return any(reference(k, headline, body) for k in tree[1])
    if kind == "prefix":
        stem = terms(tree[1])[0]
        return any(w.startswith(stem) for w, _ in words)
    seq = terms(tree[1]) if kind == "word" else [t for w in tree[1] for t in terms(w)]
    at = set(words)
    return any(all((seq[j], p + j) in at for j in range(len(seq))) for w, p in words if w == seq[0])


@pytest.fixture(scope="module")
def index_db(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("search") / "props.duckdb")
    yield con
    con.close()


def matched(con, query: str, macro: str = "search_matches") -> set[str]:
    return {r[0] for r in con.execute(f"SELECT article_id FROM {macro}([$q])", {"q": query}).fetchall()}


@PROFILE
@given(docs_strategy, query_trees, st.randoms(use_true_random=False))
def test_search_matches_equal_a_plain_python_evaluation(index_db, docs, tree, rnd):
    con = index_db
    frame = pl.DataFrame({"article_id": [f"a{i}" for i in range(len(docs))], "content_hash": ["h"] * len(docs),
                          "published_day": [date(2026, 9, 1)] * len(docs),
                          "source_id": ["s"] * len(docs), "language": ["en"] * len(docs),
                          "headline_clean": [h for h, _ in docs], "body_clean": [b for _, b in docs]})
    text = render(tree, lambda: rnd.random() < 0.5)
    con.begin()
    try:
        con.execute("UPDATE search_index_state SET tokenizer = $t", {"t": TOKENIZER_VERSION})
        index_articles(con, frame)
        if not anchored(tree):
            for macro in ("search_matches", "search_articles"):  # each on its own connection: an error aborts one
                with pytest.raises(duckdb.Error, match="only excludes words"):
                    matched(con.cursor(), text, macro)
            return
        expected = {f"a{i}" for i, (h, b) in enumerate(docs) if reference(tree, h, b)}
        assert matched(con, text) == expected, text
        assert matched(con, text, "search_articles") == expected, text  # the set alone, as query_trend counts it
        together = con.execute("SELECT query_no, article_id FROM search_matches(['korea OR china', $q, 'sanctions'])",
                               {"q": text}).fetchall()  # queries run together do not mix
        assert {a for q, a in together if q == 2} == expected
        assert {a for q, a in together if q == 3} == matched(con, "sanctions")
        assert expected == {f"a{i}" for i, (h, b) in enumerate(docs) if matches(parse(text), h, b)}
    finally:
        con.rollback()


def test_the_most_leaves_a_query_may_have_all_count(index_db):
    """62 leaves: the last one's bit (1 << 61) still decides, in search_articles and search_matches alike."""
    frame = pl.DataFrame({"article_id": ["a", "b"], "content_hash": ["h", "h"], "published_day": [date(2026, 9, 1)] * 2,
                          "source_id": ["s", "s"], "language": ["en", "en"], "headline_clean": ["", ""],
                          "body_clean": ["w61 here", "w0 and w61"]})
    query = " AND ".join(f"-w{i}" for i in range(61)) + " AND w61"
    con = index_db
    con.begin()
    try:
        con.execute("UPDATE search_index_state SET tokenizer = $t", {"t": TOKENIZER_VERSION})
        index_articles(con, frame)
        assert matched(con, query, "search_articles") == matched(con, query) == {"a"}
    finally:
        con.rollback()


def test_malformed_queries_fail_in_sql_too(index_db):
    for query, problem in [('"north', "unbalanced quote"), ("NOT", "NOT must be followed by"), ("", "is empty")]:
        with pytest.raises(duckdb.Error, match=re.escape(problem)):
            index_db.execute("SELECT * FROM search_matches([$q])", {"q": query}).fetchall()
        with pytest.raises(duckdb.Error, match=re.escape(problem)):
            index_db.execute("SELECT * FROM search_articles([$q])", {"q": query}).fetchall()


# --- on the sample site: ranking, freshness, query_trend, kwic, the CLI -------------------------------

@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search-sample") / "sample.duckdb"
    con = connect(path)
    load_batch(con, normalise(extract_all(), extractor_version="t", lexicon=LEXICON))
    con.close()
    return path


@pytest.fixture
def con(sample_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, copy)
    connection = connect(copy)
    yield connection
    connection.close()


def stored_texts(con) -> dict[str, tuple[str, str, date]]:
    rows = con.execute("SELECT article_id, headline_clean, body_clean, published_day FROM articles").fetchall()
    return {a: (h, b, d) for a, h, b, d in rows}


QUERIES = ["china", '"north korea" AND missile*', "(russia OR روس) -ukraine", "چین", "Putin OR پیوٹن", "sanction*"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_on_the_sample_site_matches_the_plain_evaluation(con, query):
    texts = stored_texts(con)
    expected = {a for a, (h, b, _) in texts.items() if matches(parse(query), h, b)}
    assert expected, query  # every query finds something on the sample site
    assert matched(con, query) == expected == matched(con, query, "search_articles")
    rows = search(con, query, top_n=1000)
    assert set(rows["article_id"]) == expected
    assert rows["score"].is_sorted(descending=True) and (rows["score"] > 0).all()
    assert rows["snippet"].str.contains("«").all()


def bm25_reference(query: str, texts: dict[str, tuple[str, str, date]]) -> dict[str, float]:
    """The README's BM25, word by word in Python: per looked-for leaf an article matches, idf x (3 x the
    headline term x 2.2 / (x + 1.2) + the body term with length normalisation), N and the average body
    length over all articles, a leaf's df over the articles holding it."""
    tree = parse(query)
    leaves = [(leaf, p["positive"]) for leaf, p in zip(_leaf_objects(tree), plan(tree).leaves)]
    words = {a: positioned(h, b) for a, (h, b, _) in texts.items()}
    body_len = {a: sum(1 for _, p in w if p >= 0) for a, w in words.items()}
    avg = sum(body_len.values()) / len(body_len)

    def starts(leaf, ws):  # where the leaf occurs: each word (a prefix: each matching word), each phrase start
        if isinstance(leaf, Phrase):
            at = set(ws)
            return [p for w, p in ws if w == leaf.terms[0] and all((t, p + j) in at for j, t in enumerate(leaf.terms))]
        if isinstance(leaf, Prefix):
            return [p for w, p in ws if w.startswith(leaf.stem)]
        return [p for w, p in ws if w == leaf.term]

    occurs = {a: [starts(leaf, ws) for leaf, _ in leaves] for a, ws in words.items()}
    df = [sum(1 for o in occurs.values() if o[i]) for i in range(len(leaves))]
    n = len(texts)
    scores = {}
    for a, (h, b, _) in texts.items():
        if not matches(tree, h, b):
            continue
        score = 0.0
        for i, (_, positive) in enumerate(leaves):
            head = sum(1 for p in occurs[a][i] if p < 0)
            body = len(occurs[a][i]) - head
            if positive and (head or body):
                idf = math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5))
                score += idf * (3.0 * head * 2.2 / (head + 1.2)
                                + body * 2.2 / (body + 1.2 * (0.25 + 0.75 * body_len[a] / max(avg, 1))))
        scores[a] = score
    return scores


def _leaf_objects(tree) -> list:
    """The distinct leaves of a tree in the order plan() numbers them (first appearance, left to right)."""
    out: list = []

    def walk(node):
        if isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, (And, Or)):
            for operand in node.operands:
                walk(operand)
        elif node not in out:
            out.append(node)

    walk(tree)
    return out


@pytest.mark.parametrize("query", [*QUERIES, '"north korea" OR korea', 'korea -"north korea"'])
def test_scores_equal_a_plain_python_bm25(con, query):
    texts = stored_texts(con)
    expected = bm25_reference(query, texts)
    got = dict(con.execute("SELECT article_id, score FROM search_matches([$q])", {"q": query}).fetchall())
    assert expected and got.keys() == expected.keys()
    assert all(abs(got[a] - expected[a]) < 1e-9 * max(1.0, expected[a]) for a in expected), query


def test_headline_matches_outrank_body_matches(con):
    texts = stored_texts(con)
    rows = search(con, "russia", top_n=1000).to_dicts()
    in_headline = [r for r in rows if "russia" in terms(texts[r["article_id"]][0])]
    body_only = [r for r in rows if "russia" not in terms(texts[r["article_id"]][0])]
    assert in_headline and body_only
    assert min(r["score"] for r in in_headline) > max(r["score"] for r in body_only)


def test_filters_by_day_source_and_language(con):
    texts = stored_texts(con)
    start, end = date(2026, 9, 1), date(2026, 9, 30)
    rows = search(con, "china", start=start, end=end, top_n=1000)
    assert set(rows["article_id"]) == {a for a, (h, b, d) in texts.items()
                                       if start <= d <= end and matches(parse("china"), h, b)}
    assert search(con, "china", source="nowhere").height == 0
    urdu = search(con, "چین", lang="ur", top_n=1000)
    langs = dict(con.execute("SELECT article_id, language FROM articles").fetchall())
    assert urdu.height and {langs[a] for a in urdu["article_id"]} == {"ur"}


def test_new_and_edited_articles_are_searchable_when_their_load_commits(con, sample_db, tmp_path):
    slug = "china-keep-its-distance-as-russia-and-north-korea-have-strong-ties"
    old, new = b"reciprocal naval exercises", b"reciprocal zanzibarian exercises"
    assert matched(con, "zanzibarian") == set() and matched(con, '"reciprocal naval"')
    index_before = snapshot(con)
    report = load_batch(con, normalise(extract_all({slug: (old, new)}), extractor_version="t", lexicon=LEXICON))
    assert report.updated == 1
    found = matched(con, "zanzibarian")
    assert len(found) == 1 and matched(con, '"reciprocal naval"') == set()
    # The old version's postings are still stored; its doc is no longer live, for either macro.
    assert matched(con, "zanzibarian", "search_articles") == found
    assert matched(con, '"reciprocal naval"', "search_articles") == set()
    other = con.cursor()  # another connection (its own transaction) sees the committed load
    assert other.execute("SELECT count(*) FROM search_docs d JOIN search_postings p USING (doc) "
                         "WHERE p.term = 'zanzibarian'").fetchone()[0] == 1
    other.close()
    # Reloading the same articles changes nothing in the index.
    again = snapshot(con)
    load_batch(con, normalise(extract_all({slug: (old, new)}), extractor_version="t", lexicon=LEXICON))
    assert snapshot(con) == again != index_before


def snapshot(con, query: str | None = None) -> dict[str, list] | list:
    if query:
        return sorted(map(repr, con.execute(query).fetchall()))
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("search_docs", "search_postings", "search_index_state")}


def test_an_index_built_afresh_answers_like_the_one_kept_by_loads(con):
    before = {q: matched(con, q) for q in [*QUERIES, '"naval exercises"']}
    con.execute("UPDATE search_index_state SET tokenizer = NULL")  # as on a warehouse from before search
    slug = "china-keep-its-distance-as-russia-and-north-korea-have-strong-ties"
    edit = {slug: (b"reciprocal naval exercises", b"reciprocal naval drills")}
    load_batch(con, normalise(extract_all(edit), extractor_version="t", lexicon=LEXICON))  # the next load that changes something
    before['"naval exercises"'] = before['"naval exercises"'] - matched(con, "drills")
    assert con.execute("SELECT tokenizer FROM search_index_state").fetchone()[0] == TOKENIZER_VERSION
    assert {q: matched(con, q) for q in before} == before


def test_recompute_drops_the_postings_of_replaced_versions(con):
    slug = "china-keep-its-distance-as-russia-and-north-korea-have-strong-ties"
    load_batch(con, normalise(extract_all({slug: (b"naval", b"maritime")}), extractor_version="t", lexicon=LEXICON))
    dead = "SELECT count(*) FROM search_postings WHERE doc NOT IN (SELECT doc FROM search_docs)"
    assert con.execute(dead).fetchone()[0] > 0
    before = {q: matched(con, q) for q in QUERIES}
    live = snapshot(con, "SELECT * FROM search_postings WHERE doc IN (SELECT doc FROM search_docs)")
    from warehouse.recompute import recompute
    recompute(con, LEXICON)
    assert con.execute(dead).fetchone()[0] == 0
    assert {q: matched(con, q) for q in QUERIES} == before
    # The rebuilt index is the one the loads kept, less the dead rows: doc numbers do not depend on load order.
    assert snapshot(con, "SELECT * FROM search_postings") == live


def test_query_trend_counts_every_period_and_dedupes(con):
    texts = stored_texts(con)
    start, end = date(2026, 8, 1), date(2026, 10, 31)
    queries = ["sanction*", '"north korea" AND missile*', "zanzibarian"]
    rows = query_trend(con, queries, "week", start, end).to_dicts()
    weeks = sorted({monday(start + timedelta(days=i)) for i in range((end - start).days + 1)})
    assert [r["period"] for r in rows] == [w for w in weeks for _ in queries]
    totals = {w: sum(1 for e in INDEX if monday(utc_day(e)) == w) for w in weeks}
    for r in rows:
        expected = sum(1 for h, b, d in texts.values() if monday(d) == r["period"] and matches(parse(r["query"]), h, b))
        assert (r["articles"], r["total_articles"]) == (expected, totals[r["period"]]), r
        assert r["share"] == (expected / totals[r["period"]] if totals[r["period"]] else None)
    assert sum(r["articles"] for r in rows if r["query"] == "zanzibarian") == 0

    # dedupe: a listed duplicate leaves the numerator and the denominator.
    hit = next(r for r in rows if r["articles"] and r["query"] == "sanction*")
    dup = next(a for a, (h, b, d) in texts.items() if monday(d) == hit["period"] and matches(parse("sanction*"), h, b))
    con.execute("INSERT INTO article_duplicates VALUES ($a, 'original', 0.97, 'test')", {"a": dup})
    deduped = query_trend(con, ["sanction*"], "week", start, end, dedupe=True).to_dicts()
    row = next(r for r in deduped if r["period"] == hit["period"])
    assert (row["articles"], row["total_articles"]) == (hit["articles"] - 1, hit["total_articles"] - 1)
    kept = query_trend(con, ["sanction*"], "week", start, end).to_dicts()
    assert next(r for r in kept if r["period"] == hit["period"])["articles"] == hit["articles"]


def test_kwic_gives_each_match_with_its_context(con):
    rows = kwic(con, '"north korea"', context=3, top_n=5).to_dicts()
    assert rows and len({r["article_id"] for r in rows}) <= 5
    for r in rows:
        words = terms(r["match"])  # the whole space-separated words: "Russia-North Korea" too
        assert any(words[i:i + 2] == ["north", "korea"] for i in range(len(words)))
        assert len(r["left"].split()) <= 3 and len(r["right"].split()) <= 3
        assert r["field"] in ("headline", "body")
    texts = stored_texts(con)
    first = rows[0]
    h, b, _ = texts[first["article_id"]]
    assert f"{first['left']} {first['match']} {first['right']}".strip() in (b if first["field"] == "body" else h)


def test_matches_in_context_handles_phrases_dashes_and_lines():
    found = matches_in_context("", "The North Korea — missile\ntests north\nKorea", [1, 2, 3, 7], 1)
    assert [(m.left, m.match, m.right) for m in found] == [("The", "North Korea", "—"), ("—", "missile", "tests")]
    # positions: The 0, North 1, Korea 2, missile 3, (line break 4), tests 5, north 6, (7), Korea 8


HOSTILE = ["x'; DROP TABLE articles;", "china'; DELETE FROM search_docs; SELECT '1"]


def test_query_text_is_data(con):
    before = snapshot(con)
    for query in HOSTILE:
        search(con, query)
        query_trend(con, [query], "month", date(2026, 8, 1), date(2026, 10, 31))
    assert snapshot(con) == before
    with pytest.raises(QueryError):
        query_trend(con, ["china"], "fortnight", date(2026, 8, 1), date(2026, 10, 31))


def test_cli_search_and_kwic(sample_db, capsys):
    assert main(["search", '"north korea" missile', "--db", str(sample_db), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.count("«") >= 3 and "north korea" in out.lower()
    assert main(["search", "sanction*", "--context", "4", "--db", str(sample_db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "«" in line]
    assert lines and all(re.search(r"«[^»]*[Ss]anction[^»]*»", line) for line in lines)


@pytest.mark.parametrize("query, problem", [('"north', "unbalanced quote"), ("NOT", "NOT must be followed by"),
                                            ("", "the query is empty"), ("(a OR b", "never closed")])
def test_cli_search_errors_are_one_line(sample_db, capsys, query, problem):
    assert main(["search", query, "--db", str(sample_db)]) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1


def test_cli_trends_draws_queries_beside_entities(sample_db, tmp_path, capsys):
    page = tmp_path / "chart.html"
    assert main(["trends", "china", "--query", "sanction*", "--query", '"north korea" AND missile*', "--grain",
                 "month", "--from", "2026-08-01", "--to", "2026-10-31", "--db", str(sample_db),
                 "--plot", str(page)]) == 0
    out = capsys.readouterr().out
    for name in ("China", "sanction*", '"north korea" AND missile*'):
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert re.search(r"[▁▂▃▄▅▆▇█]{3}", line), line
    assert re.findall(r'<g class="series" data-entity="([^"]+)"', page.read_text("utf-8")) == [
        "China", "sanction*", "&quot;north korea&quot; AND missile*"]
    assert main(["trends", "--query", "NOT", "--db", str(sample_db)]) == 2
    assert "NOT must be followed by" in capsys.readouterr().err
    assert main(["trends", "--db", str(sample_db)]) == 2
