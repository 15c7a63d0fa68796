"""Language of one article: its body text decides, the page's declared language is the fallback.

Cascade (the first step that decides wins; the step is recorded as the source):
1. "script-heuristic": the body is mostly Arabic script and uses letters only
   Urdu writes (ٹ ڈ ڑ ں ے ھ ہ ۓ): Urdu. py3langid confuses short Urdu with
   Persian and Arabic; these letters do not.
2. "py3langid": py3langid on a sample of the body, restricted to the languages of
   the body's majority script (Arabic script: Arabic, Persian, Pashto...); on a
   mixed English/Urdu page the minority script is left out of the sample.
3. the declared language (JSON-LD inLanguage, og:locale, <html lang>...), with
   the metadata source that gave it, when the body is too short or py3langid
   is unsure.
"""

from __future__ import annotations

import re
import threading

# Arabic, Arabic Supplement, Arabic Extended-A, presentation forms A and B.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_RUNS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\\s]+")
_LETTER = re.compile(r"[^\W\d_]")
# Letters of the Urdu alphabet that Arabic and Persian do not use.
URDU_LETTERS = frozenset("\u0679\u0688\u0691\u06ba\u06d2\u06be\u06c1\u06d3")
# Share of Urdu-only letters among Arabic-script letters above which a text is
# Urdu. Urdu news prose runs at 12-17% (ے, ہ, ں and ھ are among its commonest
# letters: measured on the sample site's eight Urdu articles); Arabic and Persian
# news prose at 0% (the paragraphs of tests/test_language.py). 2% sits well
# below the first and above the second.
URDU_LETTER_SHARE = 0.02
# Fewer letters than this and the body cannot speak for itself.
MIN_LETTERS = 40
# py3langid sees at most this many characters of the body: its answer is stable
# long before, and its cost grows with length. 300 gave the same language as 600 on
# all 380 pages of ../shared's two corpora and the sample site, at 20% less of its cost;
# 250 gives the same languages and sources as 300 on those pages and the CMS variants
# (200 turns one development page's "py3langid" into its og:locale, the same language).
SAMPLE_CHARS = 250
# Below this normalised probability py3langid's answer yields to the declared language.
MIN_CONFIDENCE = 0.6
ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "ur", "ps", "ug", "ku", "sdh", "ary", "arz")
# py3langid labels that name a variety of a language we store by its main code.
_ALIASES = {"ary": "ar", "arz": "ar", "uzs": "uz", "sdh": "ku", "zxx": None}

# Scripts that say more per character than Latin letters: Chinese and Japanese
# (a one-sentence paragraph is 25-40 characters) and, less so, Korean. The
# extractor multiplies its length thresholds by these (see density_scale): low
# enough for such paragraphs to count, high enough to keep bylines and date lines
# out (0.4 let them in on the development set's Japanese and Korean pages).
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # kana and ideographs
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
DENSE_SCRIPT_SCALES = {"cjk": 0.6, "hangul": 0.8}
DENSE_LANGUAGES = {"zh": "cjk", "ja": "cjk", "ko": "hangul"}

_lock = threading.Lock()
_identifiers: dict[str, object] = {}


def _identifier(script: str):
    """py3langid models, loaded once per process (about three seconds) and only when needed."""
    with _lock:
        if script not in _identifiers:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            if script == "arabic":
                ident.set_languages([code for code in ARABIC_SCRIPT_LANGUAGES if code in ident.labels])
            _identifiers[script] = ident
        return _identifiers[script]


def language_code(tag: object) -> str | None:
    """'en-US' / 'en_US' / 'EN' -> 'en'; None when absent."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def density_scale(sample: str, declared: object = None) -> float:
    """Multiplier for character-count thresholds, from a sample of the page's own words
    (its title and description) or, failing that, its declared language."""
    letters = len(_LETTER.findall(sample))
    if letters >= 5:
        if 2 * len(_CJK.findall(sample)) >= letters:
            return DENSE_SCRIPT_SCALES["cjk"]
        if 2 * len(_HANGUL.findall(sample)) >= letters:
            return DENSE_SCRIPT_SCALES["hangul"]
        return 1.0
    script = DENSE_LANGUAGES.get(language_code(declared) or "")
    return DENSE_SCRIPT_SCALES[script] if script else 1.0


def identify_language(body: str, declared: object = None, declared_source: str | None = None) -> tuple[str | None, str]:
    """(ISO 639-1 code or None, source) for an article body; see the module docstring."""
    fallback = language_code(declared)
    fallback_source = declared_source or "declared"
    sample = body[: SAMPLE_CHARS * 2]
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        if fallback:
            return fallback, fallback_source
        return None, "none: too little text and no declared language"
    arabic = [c for c in _ARABIC.findall(sample) if c.isalpha()]  # not Urdu digits (۰-۹) or ۔ ، ؟
    if len(arabic) * 2 >= letters:
        urdu = sum(1 for c in arabic if c in URDU_LETTERS)
        if urdu >= URDU_LETTER_SHARE * len(arabic):
            return "ur", "script-heuristic"
        text, script = " ".join(_ARABIC_RUNS.findall(sample)), "arabic"
    else:
        text, script = _ARABIC.sub(" ", sample), "other"
    code, confidence = _identifier(script).classify(text[:SAMPLE_CHARS])
    code = _ALIASES.get(code, code)
    if code and (confidence >= MIN_CONFIDENCE or not fallback):
        return code, "py3langid"
    if fallback:
        return fallback, fallback_source
    return None, "none: py3langid unsure and no declared language"

