"""Figures: amounts stated in a document, with qualifier, what they count, and their claimant.

Numerals ("1,500", "5.65bn"), number words ("thousands", "tens of thousands", "a million"),
money with currency and scale, percentages and ranges; qualifiers before them ("more than",
"an estimated", "up to", "at least"); the counted noun phrase after them; the claimant is the
speaker of the quote that holds the figure, else the "according to" source of its sentence,
else the article itself (None). Dates, years, times, ages and ordinals are not figures.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from storyline.nlp.extensions import text_of
from storyline.records import FigureRec

_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
            "a hundred": 100, "a thousand": 1000, "a million": 1e6, "a billion": 1e9,
            "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9,
            "tens of thousands": 10000, "hundreds of thousands": 100000,
            "tens of millions": 1e7, "hundreds of millions": 1e8}
_PLURAL_WORDS = {"dozens", "hundreds", "thousands", "millions", "billions", "tens of thousands",
                 "hundreds of thousands", "tens of millions", "hundreds of millions"}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_CURRENCY_SYM = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₽": "RUB",
                 "₴": "UAH"}
_CURRENCY_WORD = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                  "pounds": "GBP", "pound": "GBP", "rubles": "RUB", "roubles": "RUB",
                  "yuan": "CNY", "yen": "JPY", "hryvnias": "UAH", "hryvnia": "UAH",
                  "won": "KRW", "francs": "CHF"}
_QUALIFIERS = [(r"more than|over|in excess of|upwards of", "more_than"),
               (r"at least|no fewer than|no less than", "at_least"),
               (r"up to|as many as|as much as", "up_to"),
               (r"less than|fewer than|under|below", "less_than"),
               (r"about|around|some|roughly|approximately|nearly|almost|an estimated|estimated|"
                r"close to|an approximate", "about")]
_PEOPLE = {"troops", "soldiers", "people", "civilians", "casualties", "forces", "refugees",
           "workers", "officers", "personnel", "fighters", "men", "women", "children", "dead",
           "deaths", "killed", "wounded", "injured", "prisoners", "migrants", "residents",
           "voters", "members", "staff", "employees", "protesters", "students", "patients",
           "victims", "citizens", "mercenaries", "recruits", "conscripts", "volunteers", "users",
           "fans", "jobs", "sailors", "pilots", "troop", "soldier", "allies", "observers",
           "monitors", "peacekeepers", "delegates", "diplomats", "officials", "journalists",
           "inhabitants", "households", "families", "persons", "individuals", "guards"}
_DURATION = {"days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour",
             "minutes", "decades", "decade", "centuries", "century"}
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = "|".join(sorted((re.escape(w) for w in _WORDNUM), key=len, reverse=True))
_QUAL = "|".join(q for q, _ in _QUALIFIERS)
_PATTERN = re.compile(
    rf"(?P<qual>\b(?:{_QUAL})\s+)?"
    rf"(?P<cur>US\$|[$£€¥₽₴])?\s?"
    rf"(?:(?P<num>{_NUM})(?:\s?(?:-|–|to)\s?(?P<num2>{_NUM}))?|\b(?P<word>{_WORDS})\b)"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?"
    rf"(?P<pence>(?<=\d)p\b|\s?pence\b)?"
    rf"(?P<pct>\s?(?:%|per ?cent\b|percent\b))?"
    rf"(?:\s(?P<curword>{'|'.join(_CURRENCY_WORD)})\b)?", re.I)


def _qualifier(raw: str | None, word: str | None, is_range: bool) -> str:
    if is_range:
        return "range"
    if raw:
        low = raw.strip().lower()
        for pat, name in _QUALIFIERS:
            if re.fullmatch(pat, low):
                return name
    if word and word.lower() in _PLURAL_WORDS:
        return "at_least"
    return "exact"


# A duration's unit right after its number ("two months", "52 days"); not "three years ago" nor
# "65 years old" (a time or an age).
_UNITS = r"[\s-](days?|weeks?|months?|years?|hours?|minutes?|decades?|centur(?:y|ies))\b"
_UNIT = re.compile(_UNITS + r"(?!\s+(?:ago|old|later|earlier|before|after)\b)(?!-old)", re.I)
_TIME_OR_AGE = re.compile(_UNITS + r"(?:\s+(?:ago|old|later|earlier|before|after)\b|-old)", re.I)


def _not_a_figure(text: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    after = text[m.end():m.end() + 12]
    before = text[max(0, m.start() - 12):m.start()]
    if num and not m.group("cur") and not m.group("scale") and not m.group("pct"):
        if re.fullmatch(r"(1[5-9]|20)\d\d", num):  # a year
            return True
        if re.match(rf"\s*{_MONTHS}\b", after) or re.search(rf"{_MONTHS}\s*$", before):
            return True
        if re.match(r"(st|nd|rd|th)\b|-year-old|\s*(a\.m\.|p\.m\.|am\b|pm\b)|[.:]\d", after, re.I):
            return True
        if re.search(r"[.:]$", before.rstrip()[-1:] or "") and re.search(r"\d[.:]$", before):
            return True
    if _TIME_OR_AGE.match(text, m.end()):  # "three years ago", "65 years old"
        return True
    word = m.group("word")
    if word and word.lower() in ("one", "a hundred") and not m.group("qual") \
            and not _UNIT.match(text, m.end()):
        return True
    return False


def _counts(doc: Doc, end: int) -> tuple[str | None, str | None]:
    """The counted noun phrase right after a figure, and its head's lower form."""
    span = doc.char_span(end, min(len(text_of(doc)), end + 80), alignment_mode="expand")
    if span is None or not len(span):
        return None, None
    toks = []
    for t in span:
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "ADP", "NUM", "PART") and t.text not in (",", ".") \
                and "\n" not in t.text:
            if t.pos_ == "ADP" and t.lower_ != "of":
                break
            toks.append(t)
            if len(toks) >= 6:
                break
        else:
            break
    while toks and toks[-1].pos_ in ("ADP", "ADJ", "PART"):
        toks.pop()
    while toks and toks[0].lower_ == "of":
        toks.pop(0)
    if not toks:
        return None, None
    nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
    return doc[toks[0].i:toks[-1].i + 1].text, (nouns[-1].lower_ if nouns else None)


def _claimant(doc: Doc, start: int) -> tuple[str | None, str | None]:
    for q in doc._.quotes or []:
        if q.start <= start < q.end and (q.speaker_key or q.speaker_name):
            return q.speaker_key, q.speaker_name
    return None, None


def find_figures(doc: Doc) -> list[FigureRec]:
    out = []
    text = text_of(doc)
    dated = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    for m in _PATTERN.finditer(text):
        if _not_a_figure(text, m):
            continue
        at = m.start("num") if m.group("num") else m.start()
        plain = not (m.group("cur") or m.group("scale") or m.group("pct") or m.group("pence")
                     or m.group("curword"))
        unit = _UNIT.match(text, m.end()) if plain else None
        if unit is None and any(a <= at < b for a, b in dated) and not m.group("qual") and \
                not re.search(r"\d{1,3}(,\d{3})+", m.group(0)):
            continue
        if m.group("num"):
            value = float(m.group("num").replace(",", ""))
        else:
            value = float(_WORDNUM[m.group("word").lower()])
        scale = (m.group("scale") or "").lower()
        if scale in ("m", "b", "k") and not m.group("cur"):
            scale = ""
        value *= _SCALE.get(scale, 1.0)
        currency = _CURRENCY_SYM.get(m.group("cur") or "") or \
            _CURRENCY_WORD.get((m.group("curword") or "").lower())
        if m.group("pence") and not currency:  # "583p", "530 pence": in pounds
            value, currency = value / 100, "GBP"
        end = m.end() if (scale or m.group("curword") or m.group("pct")) else \
            (m.end("num") if m.group("num2") is None and m.group("num") else m.end())
        end = m.end() if scale or m.group("pct") or m.group("curword") or m.group("pence") \
            else end
        if unit is not None:
            end = unit.end()
        counts, head = _counts(doc, end) if unit is None else (None, unit.group(1).lower())
        if currency or (scale in ("billion", "bn", "trillion", "tn", "million", "mn") and
                        (head is None or head in ("in", "of"))):
            kind = "money"
        elif m.group("pct"):
            kind = "percent"
        elif head in _PEOPLE:
            kind = "people"
        elif head in _DURATION:
            kind = "duration"
        else:
            kind = "count"
        key, name = _claimant(doc, m.start())
        s = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        qualifier = _qualifier(m.group("qual"), m.group("word"), bool(m.group("num2")))
        out.append(FigureRec(text=text[s:end].strip(), value=value, kind=kind, qualifier=qualifier,
                             start=s, end=end, currency=currency, counts=counts, claimant_key=key,
                             claimant_name=name))
    return out


@Language.component("storyline_figures", requires=["doc._.quotes"], assigns=["doc._.figures"])
def figures_component(doc: Doc) -> Doc:
    """Amounts with qualifier, counted thing and claimant."""
    doc._.figures = find_figures(doc)
    return doc
