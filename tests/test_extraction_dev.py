"""Real pages: snippet expectations on development pages, and an F1 floor on all 123 of them.

The pages and their human-written bodies live in ../shared/extraction-dev (see its
README); score.py there is imported by path and gives the benchmark's metric. Each
expectation below was written by reading the page's ground truth (`with`: a sentence
of the article) and its HTML (`without`: a menu item, a related or most-read
headline, a newsletter, comment or cookie box that is not article text).
"""

from __future__ import annotations


import pytest
from lxml import html as lxml_html

from benchmarks.extraction import load_score_module, newswire_body
from tests.conftest import SHARED

DEV_SET = SHARED / "extraction-dev"
READABILITY_SET = SHARED / "extraction-readability"
# Pinned a little under the measured F1 (0.982 when this floor was set, 0.985 since the
# sibling step; trafilatura 2.3.1 scores 0.957 on these pages): a drop below means a real
# regression.
F1_FLOOR = 0.975
# The same for extraction-readability: 0.940 measured (0.895 before page kinds and the
# sibling step, 0.923 before the second round: <h1> section headings, link-rich prose,
# the second try for short pages, linked headings; trafilatura 0.939). Its truth keeps
# captions and tables that the development set's leaves out, so the floor is lower.
READABILITY_F1_FLOOR = 0.932

pytestmark = pytest.mark.skipif(not (DEV_SET / "score.py").is_file(),
                                reason=f"{DEV_SET} (the shared extraction development set) is not present")

# page id prefix: (with, without...)
EXPECTATIONS = {
    "042bb7b5fe": ("We play on phones and tablets while socializing with far-flung friends.", "Real Time Economics"),
    "04a6711caa": ("this was the second consecutive election cycle where health care made the difference",
                   "Go to Home Page »"),
    "05844573ca": ("Toyota is displaying a rechargeable hybrid version of the RAV4",
                   "Weston captures 7th straight Class S swim title"),
    "08f7937627": ("Heyward said that he is more focused on helping the Steelers right the ship",
                   "Thanks for signing up!"),
    "0d46122928": ("had won all previous 15 meetings with their North American neighbours",
                   "Epic singles wins give Canada best Davis Cup Finals start imaginable"),
    "0dd1357045": ("Lawan raised the motion after the Senate President Bukola Saraki",
                   "Click here to subscribe to The Paradigm Newsletter", "Boy Kills Brother, Removes His Eyes, Tongue"),
    "0e014df693": ("Soon after we moved here we went to a festival",
                   "Everything You Need to Know About Cloth Diapers"),
    "0ec95c7261": ("그래서 처음 이러한 사진 공개에 대한 대중들의 반응은 엘제이의 행동에 대한 비난으로 이어졌다.",),
    "14cc2a0ca5": ("Then, a 2018 analysis of the data found evidence of massive plumes of liquid.", "Terms & Conditions"),
    "16c30add7e": ("it’s not just rural pollution that’s choking Delhi.",
                   "A clever new solar solution to one of the trickiest climate problems"),
    "232a43fb15": ("The 16-inch MacBook Pro also features a physical Esc key and an inverted-T arrow key layout.",
                   "Top Rated Comments", "I sure wish Apple would offer the opportunity to upgrade the keyboards"),
    "23aaecd141": ("Eles vão dar a vocês aí uma pequena amostra de algumas surpresas", "Deixe uma resposta"),
    "264dc3ae31": ("The Wild still rank at the bottom of the Central Division.", "Sign up for Newsletters and Alerts"),
    "291a8bf33e": ("Benioff intimately understands the benefits of that collaboration.",
                   "Sophos Cybersecurity Learning Center"),
    "2c46804d9d": ("confirmed that there appeared to be blood on the front passenger seat",
                   "Two U.S. troops killed in helicopter crash in Afghanistan"),
    "34a7328535": ("The 47 year old was one of the guests invited to an event by media mogul, Debola Lagos.",
                   "You may like these posts"),
    "35b158918c": ("together for the first time in 25 years", "Know the RX: Opioid addiction resources"),
    "432362af0b": ("The new patient from Xilingol in Inner Mongolia hunted and ate a wild rabbit",
                   "Plague-ridden prairie dogs force cancellation of Phish camping event"),
    "5f9c5ed5d6": ("He said he has spent Rs 24 lakh in the four attempts and Rs 40 lakh on advocacy.",
                   "USCIS begins accepting H-1B petitions"),
    "5fa3154ec0": ("Another man died after he was hit by a brick during a clash between protesters and police.",
                   "switch to the International edition"),
    "5fa5679de5": ("is virtually identical to the well-loved Magic Keyboard", "Apple's Future Looks Rotten"),
    "5fbc7ccb50": ("battery life on the 11 Pro Max is simply the best on any phone you can get this year.",
                   "10 great gifts for the hacker in your life"),
    "624fcd903d": ("They are there to show sovereignty and are responsible for defence purposes.", "Most read in World"),
    "65408257db": ("had called the Supreme Court decision on the Essar Steel resolution a landmark judgment.",
                   "Taking Stock: Historic day on D-St!"),
    "680c2848e9": ("The bulk of my time on the Stadia was spent with the system in traditional TV mode.",
                   "Watching This Koala Get Rescued From A Bushfire Is Heart-Wrenching"),
    "6a72de37e8": ("He posted an elite 93.2 defensive grade and 91.4 coverage grade.",
                   "Browns place Morgan Burnett on injured reserve"),
    "70cb2d5bca": ("accusing Big Machine of trying to stop her performing tracks from her first six albums",
                   "Meet the women on a mission to clear landmines"),
    "7a457a4f71": ("The staff member who reported the call recalled that he said", "Meet the Press"),
    "7f93c1944a": ("Marijuana for recreational use has been legalized in 11 states and the District of Columbia.",
                   "Cannabis Could Ease Symptoms of Depression in PTSD Patients"),
    "833caf3bdb": ("the Arab League condemned the unilateral move announced on Monday by US Secretary of State Mike Pompeo",
                   "Subscribe to our newsletter for exclusive updates and enhanced content"),
    "8380689f35": ("these sites offered no evidence to support their estimates.",
                   "Did Schiff Unfairly Squelch Stefanik at Impeachment Hearing?"),
    "85439e26c4": ("不正に改造したiPhoneでも、もともとは、アップル社から購入したものです。",
                   "ライトハウス国際特許事務所HP【特許出願のご用命はこちらから】"),
    "8b19453030": ("which is close to the Russian frontier, instituted a quarantine", "Sign Up To The Sun"),
    "8e3efab59f": ("We talked all along about everything we wanted was still in front of us",
                   "Hill suffers hamstring injury in win over Chargers"),
    "921019755f": ("Mourinho won three Premier League titles over two spells in charge of Chelsea",
                   "EuroMillions: UK ticket holder wins £105m jackpot prize"),
    "9a440270bf": ("Portugal allowed only one shot on goal", "Pochettino fired by Tottenham"),
    "9da36ae471": ("캐릭터를 배우의 뜻대로 재해석하기보다 캐릭터를 가장 극적인 감정으로 표현하는 데 능한 배우이기 때문이다.",),
    "c4a3637c66": ("Каждый раз при переходе на очередной левел игры, смотрите настройки.",
                   "Тарасун – молочная бурятская водка на молоке"),
    "c50845a715": ("NASA plans to spend a total of $2.6 billion on its CLPS contracts through November 2028",
                   "Sign Up for e-mail newsletters"),
    "c582d3b772": ("A business where I’m in control — of my time, my projects, my earnings.",
                   "Visual Marketing Workshop"),
    "c7e39ac49f": ("Assange was accused of rape by a woman and sexual assault by another one",
                   "How to buy an Instagram following"),
    "d1c57d7821": ("Blue Origin will offer NASA its Blue Moon lander", "Newsletter Sign Up"),
    "e593d7fe88": ("Start by clearing out processed snack foods like chips, candies", "Read this next"),
    "eecd257509": ("I think we did a great job on him", "Texas seeks to stamp out distracted driving"),
    "f81c6c05d9": ("Regular FIRE is someone whose spending is in line with the average US household",
                   "How to invest in index funds, explained"),
    "fde930b018": ("CloudSimple was originally launched to help Microsoft woo VMware customers",
                   "Browser-Benachrichtigung"),
}


@pytest.fixture(scope="module")
def dev_set():
    """{id: (url, html, truth, newswire body)} for all pages, extracted once per test run."""
    score = load_score_module(DEV_SET)
    return score, {key: (url, html, truth, newswire_body(html, url)) for key, url, html, truth in score.load_pages(DEV_SET)}


def _page(dev_set, prefix: str):
    pages = dev_set[1]
    (key,) = [k for k in pages if k.startswith(prefix)]
    return pages[key]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_expectations_cover_enough_pages():
    assert len(EXPECTATIONS) >= 30


@pytest.mark.parametrize("prefix", sorted(EXPECTATIONS))
def test_with_and_without(dev_set, prefix):
    _url, html, truth, body = _page(dev_set, prefix)
    with_, *withouts = EXPECTATIONS[prefix]
    assert with_ in _flat(truth), "the expectation must quote the ground truth"
    assert with_ in _flat(body)
    page_text = _flat(lxml_html.fromstring(html).text_content())
    for snippet in withouts:
        assert snippet in page_text, "a `without` snippet must be on the page to mean anything"
        assert snippet not in _flat(body)


def test_f1_floor_on_all_pages(dev_set):
    score, pages = dev_set
    counts = [score.page_counts(truth, body) for _url, _html, truth, body in pages.values()]
    f1, precision, recall = score.summarise(counts)
    assert len(pages) == 123
    assert f1 >= F1_FLOOR, f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) fell below the floor {F1_FLOOR}"


@pytest.mark.skipif(not (READABILITY_SET / "ground-truth.json").is_file(), reason=f"{READABILITY_SET} is not present")
def test_f1_floor_on_readability_pages():
    score = load_score_module(DEV_SET)
    pages = score.load_pages(READABILITY_SET)
    counts = [score.page_counts(truth, newswire_body(html, url)) for _key, url, html, truth in pages]
    f1, precision, recall = score.summarise(counts)
    assert len(pages) == 93
    assert f1 >= READABILITY_F1_FLOOR, (f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) fell below the floor "
                                        f"{READABILITY_F1_FLOOR}")


def test_halves_are_fixed_by_id():
    from benchmarks.extraction import half_of

    assert [half_of(k) for k in ("wikipedia", "wikipedia-2", "firefox-nightly-blog")] == ["B", "A", "A"]
    keys = [key for key, *_ in load_score_module(DEV_SET).load_pages(DEV_SET)]
    counts = {h: sum(half_of(k) == h for k in keys) for h in "AB"}
    assert counts == {"A": 60, "B": 63}  # sha256(id)[0] even -> A: changes only if the rule does
