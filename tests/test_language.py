"""Language per article: the body decides (Urdu by its own letters, the rest by py3langid),
the page's declared language is the fallback, and the source is recorded."""

from __future__ import annotations

import pytest

from transforms.extract import extract_article
from transforms.extract.language import identify_language, language_code

URL = "https://news.example.pk/2024/03/10/story/"

URDU = [
    "اسلام آباد میں وزارت خارجہ کے ترجمان نے کہا ہے کہ پاکستان اور چین کے درمیان اقتصادی راہداری کے دوسرے مرحلے پر کام تیزی سے جاری ہے۔",
    "ترجمان کے مطابق ۲۰۲۴ کے آخر تک گوادر بندرگاہ سے متعلق ۱۲ منصوبے مکمل کر لیے جائیں گے اور ان سے ہزاروں نوجوانوں کو روزگار ملے گا۔",
    "انہوں نے کہا کہ دونوں ممالک کے تعلقات وقت کی ہر آزمائش پر پورے اترے ہیں اور مستقبل میں بھی یہ دوستی مزید مضبوط ہوگی۔",
]
ARABIC = [
    "قال المتحدث باسم وزارة الخارجية إن المحادثات بين البلدين ستستأنف الأسبوع المقبل بعد توقف دام عدة أشهر.",
    "وأضاف أن الجانبين اتفقا على تشكيل لجنة مشتركة لمتابعة تنفيذ الاتفاقيات الاقتصادية الموقعة في العام الماضي.",
    "وأشار إلى أن حجم التبادل التجاري بين البلدين ارتفع بنسبة عشرين في المئة خلال الربع الأول من العام الحالي.",
]
PERSIAN = [
    "سخنگوی وزارت امور خارجه روز دوشنبه گفت که مذاکرات دو کشور از هفته آینده دوباره آغاز خواهد شد.",
    "او افزود که دو طرف برای پیگیری اجرای توافق‌های اقتصادی سال گذشته یک کمیته مشترک تشکیل می‌دهند.",
]
ENGLISH = [
    "Officials in Islamabad said on Monday that talks on the second phase of the economic corridor would resume next week.",
    "The spokesman said a dozen projects linked to the port of Gwadar would be completed by the end of the year.",
]


def page(paragraphs: list[str], lang: str | None, *, headline: str = "Headline", menu: str = "", aside: str = "",
         dir_: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html{lang_attr}{dir_}><head><meta charset='utf-8'><title>T</title></head><body>"
            f"<nav class='menu'>{menu}</nav><article><h1>{headline}</h1><div class='entry-content'>{body}</div>"
            f"</article><aside class='sidebar'>{aside}</aside></body></html>")


def test_urdu_page_with_urdu_digits_and_rtl():
    art = extract_article(page(URDU, "ur", headline="پاک چین اقتصادی راہداری", dir_=' dir="rtl"'), URL)
    assert art.language == "ur"
    assert art.provenance["language"] == "script-heuristic"
    assert "۲۰۲۴" in art.body_text()  # Urdu digits kept verbatim


def test_urdu_body_wins_over_a_wrong_html_lang():
    art = extract_article(page(URDU, "en-US"), URL)
    assert (art.language, art.provenance["language"]) == ("ur", "script-heuristic")


def test_mixed_page_english_body_with_urdu_menu_categories_and_related_link():
    menu = "".join(f"<a href='/c/{i}'>{w}</a>" for i, w in enumerate(["پاکستان", "دنیا", "چین", "کھیل", "معیشت"]))
    body = ENGLISH + ["<strong>Also Read:</strong> <a href='/2024/03/01/x/'>چین اور مالدیپ نے انفراسٹرکچر کے معاہدوں کے ساتھ تعلقات کو بہتر کیا۔</a>"]
    art = extract_article(page(body, "ur", menu=menu, aside="<p>" + URDU[0] + "</p>"), URL)
    assert art.language == "en"  # the body decides, not <html lang="ur"> nor the Urdu chrome
    assert art.provenance["language"] == "py3langid"
    assert art.related and art.related[0].title.startswith("چین")


def test_mixed_page_urdu_body_quoting_english():
    quote = "“We are committed to completing every project on schedule,” the minister said."
    art = extract_article(page(URDU + [quote], "en"), URL)
    assert art.language == "ur"


def test_arabic_page_is_not_taken_for_urdu():
    art = extract_article(page(ARABIC, "ar", dir_=' dir="rtl"'), URL)
    assert (art.language, art.provenance["language"]) == ("ar", "py3langid")


def test_arabic_page_without_declared_language():
    assert extract_article(page(ARABIC, None), URL).language == "ar"


def test_persian_text():
    assert identify_language("\n".join(PERSIAN), None)[0] == "fa"


def test_short_body_falls_back_to_the_declared_language_and_says_where_from():
    assert identify_language("OK", "ur-PK", "html[lang]") == ("ur", "html[lang]")
    assert identify_language("", None) == (None, "none: too little text and no declared language")


@pytest.mark.parametrize("tag, code", [("en-US", "en"), ("ur_PK", "ur"), ("EN", "en"), ("", None), (None, None),
                                       ("x-klingon-123", None)])
def test_language_codes(tag, code):
    assert language_code(tag) == code


CHINESE = [f"北京时间今天上午，国务院新闻办公室举行新闻发布会，介绍了第{n}季度经济运行情况。" for n in "一二三四"]


def test_chinese_one_sentence_paragraphs_count_as_paragraphs():
    aside = "<p>" + "相关新闻链接和推荐阅读内容，请点击查看更多精彩内容。" * 3 + "</p>"
    art = extract_article(page(CHINESE, "zh-CN", headline="国务院新闻办公室举行新闻发布会", aside=aside), URL)
    assert art.sections[0].paragraphs == tuple(CHINESE)  # 39 characters each: below the Latin threshold
    assert art.language == "zh"
