"""The gazetteer and its matcher: word boundaries, longest match, Urdu, the ambiguity rule, sections."""

from __future__ import annotations

import pytest

from tests.conftest import LEXICON
from transforms.article import Article, Category, RelatedLink, Section
from transforms.entities import GazetteerError, Matcher, parse_gazetteer
from transforms.normalise import normalise


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return LEXICON.matcher


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.entity_id) for m in matcher.find(text)]


def small(entities: str, suffixes: str = '"ی", "یوں", "ئی"') -> Matcher:
    return Matcher(parse_gazetteer(f"[matching]\nurdu_suffixes = [{suffixes}]\n{entities}".encode()))


# --- the data file ---------------------------------------------------------------------------

def test_gazetteer_file_holds_the_required_entities():
    g = LEXICON.matcher.gazetteer  # seeds/gazetteer.toml, as runs read it
    by_id = {e.id: e for e in g.entities}
    expected = {
        "china": ("CN", {"China", "Chinese", "Beijing", "چین"}),
        "russia": ("RU", {"Russia", "Russian", "Moscow", "روس"}),
        "north-korea": ("KP", {"North Korea", "North Korean", "Pyongyang", "شمالی کوریا"}),
        "united-states": ("US", {"US", "United States", "Washington", "امریکہ"}),
        "pakistan": ("PK", {"Pakistan"}), "india": ("IN", {"India"}), "ukraine": ("UA", {"Ukraine"}),
        "iran": ("IR", {"Iran"}), "israel": ("IL", {"Israel"}), "saudi-arabia": ("SA", {"Saudi Arabia"}),
        "japan": ("JP", {"Japan"}), "south-korea": ("KR", {"South Korea"}), "taiwan": ("TW", {"Taiwan"}),
    }
    for eid, (iso, aliases) in expected.items():
        assert by_id[eid].iso == iso and by_id[eid].kind == "country"
        assert aliases <= set(by_id[eid].aliases), eid
    for person, country in (("kim-jong-un", "KP"), ("vladimir-putin", "RU"), ("xi-jinping", "CN")):
        assert by_id[person].kind == "person" and by_id[person].country == country
    assert {"Georgia", "Jordan", "Chad", "Turkey"} <= {a for e in g.entities for a in e.ambiguous}


@pytest.mark.parametrize("toml, message", [
    ('[[entity]]\nid = "Bad Id"\nname = "X"\nkind = "country"\nen = ["X"]', "id must be"),
    ('[[entity]]\nid = "x"\nname = "X"\nkind = "planet"\nen = ["X"]', "kind must be"),
    ('[[entity]]\nid = "x"\nname = "X"\nkind = "country"\nen = []', "at least one alias"),
    ('[[entity]]\nid = "x"\nname = "X"\nkind = "country"\nen = ["X"]\nambiguous = ["Y"]', "not listed"),
    ('[[entity]]\nid = "x"\nname = "X"\nkind = "country"\nen = ["Ex"]\n'
     '[[entity]]\nid = "y"\nname = "Y"\nkind = "country"\nen = ["EX"]', "already belongs to 'x'"),
    ('[[entity]\nid = "x"', "not valid UTF-8 TOML"),
])
def test_malformed_gazetteer_is_refused(toml, message):
    with pytest.raises(GazetteerError, match=message):
        parse_gazetteer(toml.encode(), "g.toml")


# --- word boundaries, case, longest match ------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Chinese and Chinatown", [("Chinese", "china")]),
    ("Russia’s army; US-China talks", [("Russia", "russia"), ("US", "united-states"), ("China", "china")]),
    ("Tell us about the USB port", []),
    ("BEIJING (Reuters) - beijing", [("BEIJING", "china"), ("beijing", "china")]),
    ("The Kremlin and Moscow.", [("Kremlin", "russia"), ("Moscow", "russia")]),
    ("North Korean troops; North Korea’s; South Korea", [
        ("North Korean", "north-korea"), ("North Korea", "north-korea"), ("South Korea", "south-korea")]),
    ("The Indian Ocean and Indian troops", [("Indian Ocean", "indian-ocean"), ("Indian", "india")]),
    ("People’s Republic of China", [("People’s Republic of China", "china")]),
    ("the State Bank of Pakistan", [("State Bank of Pakistan", "state-bank-of-pakistan")]),
])
def test_word_boundaries_case_and_longest_match(matcher, text, expected):
    assert found(matcher, text) == expected


def test_north_korea_is_not_also_korea():
    m = small("""
[[entity]]
id = "korea"
name = "Korea"
kind = "place"
en = ["Korea", "Korean"]
[[entity]]
id = "north-korea"
name = "North Korea"
kind = "country"
en = ["North Korea", "North Korean"]
ur = ["شمالی کوریا"]
[[entity]]
id = "south-korea"
name = "South Korea"
kind = "country"
en = ["South Korea"]
""")
    assert found(m, "North Korea and South Korea, one Korea; North Korean") == [
        ("North Korea", "north-korea"), ("South Korea", "south-korea"), ("Korea", "korea"),
        ("North Korean", "north-korea")]
    assert m.count([(0, "North Korea"), (1, "Korea North Korea")]) == {
        ("north-korea", 0): 1, ("korea", 1): 1, ("north-korea", 1): 1}


# --- Urdu -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("روس اور شمالی کوریا کے درمیان", [("روس", "russia"), ("شمالی کوریا", "north-korea")]),
    ("روسی صدر اور روسیوں کا موقف", [("روسی", "russia"), ("روسیوں", "russia")]),  # suffixes
    ("شمالی کوریائی فوجی", [("شمالی کوریائی", "north-korea")]),
    ("امریکی اور امریکہ", [("امریکی", "united-states"), ("امریکہ", "united-states")]),
    ("چینل پر خبر", []),  # "channel" starts like چین but is another word
    ("چين", [("چين", "china")]),  # Arabic yeh folded to Urdu yeh
    ("بیجنگ،ماسکو۔", [("بیجنگ", "china"), ("ماسکو", "russia")]),  # Urdu punctuation is a boundary
    ("روسیات", []),  # a suffix must end the word
])
def test_urdu(matcher, text, expected):
    assert found(matcher, text) == expected


# --- ambiguity rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, counted", [
    ("Saudi Arabia and Turkey sent relief flights.", ["Saudi Arabia", "Turkey"]),
    ("They roasted a turkey for dinner.", []),  # lower case: the bird
    ("In Jordan, the king spoke.", ["Jordan"]),  # capitalised word before starts the sentence
    ("Troops left Jordan.", ["Jordan"]),
    ("The star Michael Jordan retired.", []),  # a given name before
    ("Jordan Peterson spoke.", []),  # a surname-like word after
    ("Georgia Meloni met officials.", []),
    ("Protests in Georgia and Chad grew.", ["Georgia", "Chad"]),
    ("Chad Smith played drums.", []),
    ("Jordan’s king visited Amman.", ["Jordan", "Amman"]),
    ("The Washington Post said George Washington slept here.", []),
    ("Officials in Washington said.", ["Washington"]),
])
def test_ambiguous_cased_aliases(matcher, text, counted):
    assert [t for t, _ in found(matcher, text)] == counted


def test_ambiguous_urdu_alias_needs_an_unambiguous_mention(matcher):
    sugar = [(0, "چینی کی قیمت میں اضافہ")]  # "the price of sugar rose"
    assert matcher.count(sugar) == {}
    chinese = [(-1, "چینی کمپنیاں"), (0, "چین نے معاہدہ کیا")]  # "Chinese companies" + "China"
    assert matcher.count(chinese) == {("china", -1): 1, ("china", 0): 1}
    assert matcher.count([(0, "شام کو بارش ہوئی")]) == {}  # "it rained in the evening"
    assert matcher.count([(0, "شام اور دمشق")]) == {("syria", 0): 2}


# --- what text is searched, per section ---------------------------------------------------------

def test_mentions_per_section_headline_counted_title_categories_links_not():
    article = Article(
        url="https://x.test/a", title="Russia Russia Russia", headline="China\u00a0and North\u00a0Korea",
        source_id="s", categories=(Category("چین", "https://x.test/category/china/"),),
        sections=(Section("", ("Beijing\u200b said.",)), Section("2. Moscow", ("Russia and China.", "Putin spoke."))),
        related=(RelatedLink("China story", "https://x.test/b"),),
    )
    batch = normalise([article], extractor_version="t", lexicon=LEXICON)
    rows = sorted(batch.mentions.select("entity_id", "section_index", "mentions").iter_rows())
    assert rows == [("china", -1, 1), ("china", 0, 1), ("china", 1, 1), ("north-korea", -1, 1),
                    ("russia", 1, 2), ("vladimir-putin", 1, 1)]
    assert batch.mentions["source_id"].unique().to_list() == ["s"]
