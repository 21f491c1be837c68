"""Figures: amounts stated in a document, with qualifier, what they count, and their claimant.

Numerals ("1,500", "5.65bn"), number words ("forty-three", "tens of thousands", "several
hundred"), money with currency and scale (a currency sign mis-encoded as ``Â£`` or ``â‚¬`` is read
as its sign), pence and cents in the major unit, percentages, fractions ("a quarter",
"three-quarters", "one in four"), durations ("two months") and ranges ("three or four times",
"a year or two": the lower bound). A change "from 60 to 65" and a tally "272-219" are two figures.
Qualifiers before them ("more than", "an estimated", "up to", "nearly"); the counted noun phrase
after them; the claimant is the speaker of the quote that holds the figure, else the holder of
the attribution (a belief, a finding) that holds it, else the article itself (None).

Not figures: dates, years, times ("1030 GMT"), ages, ordinals and rankings ("world number five"),
relative times ("in four days", "three years ago"), numbers in names ("Radio 4", "the Two
Ronnies") and idioms with "one" ("one thing"). The words are in ``lang/en/figures.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from storyline.lang import table
from storyline.nlp.extensions import text_of
from storyline.records import FigureRec

_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A duration's unit right after its number ("two months", "52 days"); not "three years ago" nor
# "65 years old" (a time or an age).
_UNITS = r"[\s-](days?|weeks?|months?|years?|hours?|minutes?|decades?|centur(?:y|ies))\b"
_UNIT = re.compile(_UNITS + r"(?!\s+(?:ago|old|later|earlier|before|after)\b)(?!-old)", re.I)
_TIME_OR_AGE = re.compile(_UNITS + r"(?:\s+(?:ago|old|later|earlier|before|after)\b|-old)", re.I)
_DURATION = {"days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour",
             "minutes", "minute", "decades", "decade", "centuries", "century"}
_PEOPLE = {"troops", "soldiers", "people", "civilians", "casualties", "forces", "refugees",
           "workers", "officers", "personnel", "fighters", "men", "women", "children", "dead",
           "deaths", "killed", "wounded", "injured", "prisoners", "migrants", "residents",
           "voters", "members", "staff", "employees", "protesters", "students", "patients",
           "victims", "citizens", "mercenaries", "recruits", "conscripts", "volunteers", "users",
           "fans", "jobs", "sailors", "pilots", "troop", "soldier", "allies", "observers",
           "monitors", "peacekeepers", "delegates", "diplomats", "officials", "journalists",
           "inhabitants", "households", "families", "persons", "individuals", "guards",
           "suspects", "terrorists", "executives", "sons", "daughters", "servants", "MPs",
           "mps", "adults", "viewers", "supporters", "shareholders", "investors", "hostages",
           "crew", "passengers", "teachers", "nurses", "doctors", "police", "policemen"}
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n]\s*|[.!?]['\"’”]\s*)$")


@dataclass(frozen=True, slots=True)
class _Words:
    """The figure words of one language, with the patterns built from them."""
    numbers: dict[str, float]
    vague: dict[str, float]
    denominators: dict[str, int]
    scales: dict[str, float]
    symbols: dict[str, str]
    currency_words: dict[str, str]
    minor: dict[str, str]
    qualifiers: list[tuple[str, str]]
    ranks: frozenset[str]
    zones: tuple[str, ...]
    relative: frozenset[str]
    one_idioms: frozenset[str]
    speech_before: frozenset[str]
    pattern: re.Pattern[str]
    fraction: re.Pattern[str]
    one_in: re.Pattern[str]
    unit_or: re.Pattern[str]


def _misencoded(sign: str) -> list[str]:
    """A sign's UTF-8 bytes read as cp1252 or Latin-1 ("£" -> "Â£", "€" -> "â‚¬")."""
    out = []
    for enc in ("cp1252", "latin-1"):
        try:
            form = sign.encode("utf-8").decode(enc)
        except UnicodeDecodeError:
            continue
        if form != sign and form.isprintable():
            out.append(form)
    return out


def _alt(words: Any) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=8)
def _words(lang: str = "en") -> _Words:
    t = table("figures", lang)
    numbers = {k: float(v) for k, v in t["numbers"].items()}
    tens = [w for w, v in numbers.items() if v >= 20 and v < 100 and v % 10 == 0]
    units = [w for w, v in numbers.items() if 1 <= v <= 9 and " " not in w]
    symbols = dict(t["currency_symbols"])
    for sign, code in list(symbols.items()):
        for form in _misencoded(sign):
            symbols.setdefault(form, code)
    denominators = {k: int(v) for k, v in t["denominators"].items()}
    dens = set(denominators) | {d + "s" for d in denominators if not d.endswith("s")}
    quals = "|".join(q for q, _ in t["qualifiers"])
    word = rf"(?:{_alt(tens)})[\s-](?:{_alt(units)})|{_alt(numbers)}"
    pattern = re.compile(
        rf"(?P<qual>\b(?:{quals})\s+)?"
        rf"(?P<cur>{_alt(symbols)})?\s?"
        rf"(?:(?P<num>{_NUM})(?:\s?(?P<sep>-|–|to|or)\s?(?P<num2>{_NUM})(?![\d,]))?"
        rf"|\b(?P<vague>{_alt(t['vague'])})\b"
        rf"|\b(?P<word>{word})\b(?:\s(?P<wsep>or|to)\s(?P<word2>{word})\b)?)"
        rf"(?:\s?(?P<scale>{_alt(t['scales'])})\b)?"
        rf"(?P<pence>(?<=\d)p\b|\s?(?:{_alt(w for w in t['minor_units'] if w != 'p')})\b)?"
        rf"(?P<pct>\s?(?:%|per ?cent\b|percent\b))?"
        rf"(?:\s(?P<curword>{_alt(t['currency_words'])})\b)?", re.I)
    fraction = re.compile(
        rf"(?P<qual>\b(?:{quals})\s+)?\b(?P<numer>a|an|one|{_alt(units)})[\s-]"
        rf"(?P<den>{_alt(dens)})\b(?![\s-]?(?:finals?|back|century|hour|mile)\b)", re.I)
    one_in = re.compile(rf"(?P<qual>\b(?:{quals})\s+)?\b(?P<a>one|\d+|{_alt(units)})\s+in\s+"
                        rf"(?P<b>\d+|{word})\b", re.I)
    unit_or = re.compile(r"\b(?:an?)\s(?P<unit>day|week|month|year|hour|decade)\s(?:or|to)\s"
                         r"(?P<upper>two|three|four|five|\d+)\b", re.I)
    return _Words(
        numbers=numbers, vague={k: float(v) for k, v in t["vague"].items()},
        denominators=denominators, scales={k: float(v) for k, v in t["scales"].items()},
        symbols=symbols, currency_words=dict(t["currency_words"]), minor=dict(t["minor_units"]),
        qualifiers=[(q, n) for q, n in t["qualifiers"]], ranks=frozenset(t["ranks"]),
        zones=tuple(t["time_zones"]), relative=frozenset(t["relative_time"]),
        one_idioms=frozenset(t["one_idioms"]), speech_before=frozenset(t["speech_before"]),
        pattern=pattern, fraction=fraction,
        one_in=one_in, unit_or=unit_or)


def _word_value(w: _Words, text: str) -> float:
    """ "forty-three" -> 43, "seven" -> 7, "a million" -> 1e6."""
    low = re.sub(r"\s+", " ", text.lower())
    if low in w.numbers:
        return w.numbers[low]
    tens, unit = re.split(r"[\s-]", low, maxsplit=1)
    return w.numbers[tens] + w.numbers[unit]


def _number(w: _Words, text: str) -> float:
    low = text.lower()
    if re.fullmatch(_NUM, low):
        return float(low.replace(",", ""))
    return _word_value(w, low)


def _qualifier(w: _Words, raw: str | None) -> str | None:
    if raw:
        low = re.sub(r"\s+", " ", raw.strip().lower())
        for pat, name in w.qualifiers:
            if re.fullmatch(pat, low):
                return name
    return None


def _word_before(text: str, at: int) -> str:
    return _before(text, at)[0]


def _before(text: str, at: int) -> tuple[str, int]:
    """The word before offset ``at`` and where it starts."""
    lo = max(0, at - 30)
    m = re.search(r"([\w.'’]+)\s*$", text[lo:at])
    return (m.group(1), lo + m.start(1)) if m else ("", at)


def _clause_start(text: str, at: int) -> bool:
    return _sentence_start(text, at) or text[max(0, at - 2):at].rstrip().endswith(",")


def _sentence_start(text: str, at: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, at - 4):at])) or at == 0


def _in_a_name(text: str, start: int, end: int) -> bool:
    """A number inside a name: after a capitalised word ("Radio 4", "the Guildford Four"), or a
    capitalised number word inside a sentence before one ("a new Two Ronnies series")."""
    before, at = _before(text, start)
    gap = text[at + len(before):start]
    if before[:1].isupper() and not before.isupper() and gap == " " \
            and not re.search(r"['’]s?$|[.]$", before) and not _sentence_start(text, at):
        return True
    word = text[start:end]
    after = re.match(r"\s+(\w+)", text[end:end + 30])
    return word[:1].isupper() and not word.isdigit() and not _sentence_start(text, start) \
        and bool(after) and after.group(1)[:1].isupper()  # type: ignore[union-attr]


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Whether nothing but spaces and punctuation stands beside ``text[start:end]`` on its line."""
    head = text[text.rfind("\n", 0, start) + 1:start]
    stop = text.find("\n", end)
    tail = text[end:len(text) if stop < 0 else stop]
    return not re.search(r"\w", head) and not re.search(r"\w", tail)


def _skipped(w: _Words, text: str, m: re.Match[str], plain: bool) -> bool:
    """Whether a match is no figure: a year, date, time, age, ordinal, rank, relative time, a
    number in a name or "one" in an idiom."""
    num = m.group("num")
    start = m.start("num") if num else m.start("word") if m.group("word") else m.start()
    after = text[m.end():m.end() + 12]
    before = text[max(0, start - 12):start]
    if num and plain:
        if not m.group("qual") and _alone_on_line(text, m.start("num"), m.end()):
            return True  # a share or comment counter ("869"): a widget's number, not a figure
        if re.fullmatch(r"(1[5-9]|20)\d\d", num) and not m.group("qual"):  # a year
            return True
        if re.match(rf"\s*{_MONTHS}\b", after) or re.search(rf"{_MONTHS}\s*$", before):
            return True
        if re.match(r"(st|nd|rd|th)\b|-year-old|\s*(a\.m\.|p\.m\.|am\b|pm\b)|[.:]\d", after, re.I):
            return True
        if re.search(r"\d[.:]$", before):
            return True
    if plain and any(re.match(rf"\s*{re.escape(z)}\b", after) for z in w.zones):
        return True  # "1030 GMT"
    if _TIME_OR_AGE.match(text, m.end()):  # "three years ago", "65 years old"
        return True
    prev = _word_before(text, m.start()).lower()
    if plain and not m.group("qual") and (prev in w.ranks or prev.rstrip(".") in w.ranks):
        return True  # "world number five", "No 10"
    if plain and not m.group("qual") and prev in w.relative and _UNIT.match(text, m.end()) \
            and _clause_start(text, _before(text, m.start())[1]):
        return True  # "In four days, …" (but "processed in 52 days" is a duration)
    if plain and not m.group("qual") and ((num and len(num) <= 2) or m.group("word")) \
            and _in_a_name(text, start, m.end("num") if num else m.end("word")):
        return True
    word = m.group("word")
    if word and word.lower() in ("one", "a hundred") and not _UNIT.match(text, m.end()):
        nxt = re.match(r"[\s-]+([\w']+)", text[m.end():m.end() + 30])
        qual = _qualifier(w, m.group("qual"))
        if qual in (None, "exact") and (word.lower() != "one" or nxt is None
                                         or nxt.group(1).lower() in w.one_idioms
                                         or prev in ("no", "any", "every", "each", "the", "this",
                                                     "that", "only", "which", "at")):
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
    """The speaker of the quote holding ``start``, else the holder of the attribution (a belief,
    a finding: "a poll suggests 40% …") holding it."""
    for group in (doc._.quotes or [], doc._.attributions or []):
        for q in group:
            if q.start <= start < q.end and (q.speaker_key or q.speaker_name):
                return q.speaker_key, q.speaker_name
    return None, None


def _noun_after(doc: Doc, at: int) -> bool:
    """Whether a noun phrase follows offset ``at`` ("one known terrorist", not "one said")."""
    span = doc.char_span(at, min(len(text_of(doc)), at + 40), alignment_mode="expand")
    words = [t for t in span or [] if not t.is_space]
    return bool(words) and (words[0].pos_ in ("NOUN", "ADJ", "PROPN", "NUM")
                            or words[0].tag_ in ("VBN", "JJ"))  # "one known smuggler"


def _plural_noun_after(doc: Doc, at: int) -> bool:
    """Whether the word after offset ``at`` is a plural noun ("4.5m workers")."""
    span = doc.char_span(at, min(len(text_of(doc)), at + 40), alignment_mode="expand")
    words = [t for t in span or [] if not t.is_space]
    return bool(words) and words[0].tag_ in ("NNS", "NNPS")


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    value: float
    qualifier: str
    currency: str | None = None
    kind: str | None = None
    count_from: int | None = None  # where the counted noun phrase starts (None: no search)
    scale: str = ""


def _main_matches(doc: Doc, w: _Words, text: str, taken: list[tuple[int, int]]) -> list[_Found]:
    out: list[_Found] = []
    dated = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    for m in w.pattern.finditer(text):
        if not (m.group("num") or m.group("word") or m.group("vague")):
            continue
        lo = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if any(a < m.end() and lo < b for a, b in taken):
            continue
        scale_raw = (m.group("scale") or "").lower()
        cur = m.group("cur")
        plain = not (cur or scale_raw or m.group("pct") or m.group("pence")
                     or m.group("curword"))
        word = (m.group("word") or "").lower()
        if _skipped(w, text, m, plain) or (
                word and plain and not m.group("qual") and not m.group("word2")
                and not _UNIT.match(text, m.end()) and not _noun_after(doc, m.end())
                and (word == "one" or not re.match(r"\s+of\b", text[m.end():m.end() + 4]))):
            continue  # "one could argue", "the two tried": pronouns
        if word == "one" and (_word_before(text, m.start()).lower() in w.speech_before or re.match(
                r"[^.;!?]{0,60}\b(?:another|the other)\b", text[m.end():m.end() + 80])):
            continue  # "said one broker": a source; "swap one rule for another": no count
        at = m.start("num") if m.group("num") else m.start()
        unit = _UNIT.match(text, m.end()) if plain else None
        if unit is None and any(a <= at < b for a, b in dated) and not m.group("qual") and \
                not re.search(r"\d{1,3}(,\d{3})+", m.group(0)) and \
                not re.search(r"\bfrom\s*$", text[max(0, lo - 6):lo]):
            continue
        out += _read(doc, w, text, m, lo, unit)
    return out


def _read(doc: Doc, w: _Words, text: str, m: re.Match[str], lo: int,
          unit: re.Match[str] | None) -> list[_Found]:
    """The figure (or two: a change "from 60 to 65", a tally "272-219") a match states."""
    scale = (m.group("scale") or "").lower()
    cur = m.group("cur")
    if scale in ("m", "b", "k") and not cur and not (
            scale == "m" and _plural_noun_after(doc, m.end())):
        scale = ""  # "100m" alone is metres or a name; "4.5m workers" is millions
    factor = w.scales.get(scale, 1.0)
    currency = w.symbols.get(cur or "") or w.currency_words.get((m.group("curword") or "").lower())
    qual = _qualifier(w, m.group("qual"))
    if m.group("num"):
        value, second = float(m.group("num").replace(",", "")), m.group("num2")
        sep = (m.group("sep") or "").lower()
    elif m.group("word"):
        value, second = _word_value(w, m.group("word")), m.group("word2")
        sep = (m.group("wsep") or "").lower()
    else:
        value, second, sep = w.vague[m.group("vague").lower()], None, ""
        qual = qual or "at_least"
    pence = (m.group("pence") or "").strip().lower()
    if pence and not currency:  # "583p", "530 pence": in pounds; cents in dollars or euros
        value, currency = value / 100, w.minor.get(pence, "GBP")
    end = m.end()
    if unit is not None:
        end = unit.end()
    if second is not None and sep in ("to", "-", "–") and (
            re.search(r"\bfrom\s*$", text[max(0, lo - 6):lo]) or _number(w, second) < value):
        # a change ("from 60 to 65") or a tally ("272-219"): two figures
        first_end = m.end("num") if m.group("num") else m.end("word")
        later = m.start("num2") if m.group("num") else m.start("word2")
        later_end = m.end("num2") if m.group("num") else m.end("word2")
        return [_Found(lo, first_end, value * factor, qual or "exact", currency, count_from=None),
                _Found(later, later_end, _number(w, second) * factor, "exact", currency,
                       count_from=later_end)]
    if second is not None:
        qual = "range"
    kind = "duration" if unit is not None else None
    return [_Found(lo, end, value * factor, qual or "exact", currency, kind,
                   count_from=None if unit is not None else end, scale=scale)]


def _fractions(w: _Words, text: str) -> list[_Found]:
    """ "a quarter", "Three-quarters", "one eightieth", "nearly half", "one in four": percent."""
    out = []
    for m in w.fraction.finditer(text):
        numer = m.group("numer").lower()
        if numer in ("a", "an") and m.group("den").lower().rstrip("s") not in ("quarter", "half") \
                and not m.group("qual") and not text[m.end():m.end() + 4].lstrip().startswith("of"):
            continue  # "a third term", "a fifth day": ordinals
        n = 1.0 if numer in ("a", "an") else _word_value(w, numer)
        den_word = m.group("den").lower()
        den = w.denominators.get(den_word) or w.denominators.get(den_word[:-1]) or 2
        prev = _word_before(text, m.start()).lower()
        if prev in ("first", "second", "third", "fourth", "last", "final", "the", "per", "each",
                    "every", "this", "next", "and"):
            continue
        out.append(_Found(m.start(), m.end(), round(100 * n / den, 4),
                          _qualifier(w, m.group("qual")) or "exact", kind="percent"))
    for m in re.finditer(r"(?P<qual>\b(?:" + "|".join(q for q, _ in w.qualifiers) +
                         r")\s+)\bhalf\b(?!\s+(?:an?|the)\s+(?:hour|day|year|century|mile)\b)",
                         text, re.I):
        out.append(_Found(m.start(), m.end(), 50.0, _qualifier(w, m.group("qual")) or "exact",
                          kind="percent"))
    for m in w.one_in.finditer(text):
        a, b = _number(w, m.group("a")), _number(w, m.group("b"))
        if b > a > 0:
            out.append(_Found(m.start(), m.end(), round(100 * a / b, 4),
                              _qualifier(w, m.group("qual")) or "exact", kind="percent"))
    for m in w.unit_or.finditer(text):  # "a year or two": one, a range
        out.append(_Found(m.start(), m.end(), 1.0, "range", kind="duration"))
    out.sort(key=lambda f: (f.start, -f.end))
    kept: list[_Found] = []
    for f in out:
        if not any(k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    return kept


def find_figures(doc: Doc) -> list[FigureRec]:
    w = _words(doc.lang_ if doc.lang_ else "en")
    text = text_of(doc)
    found = _fractions(w, text)
    found += _main_matches(doc, w, text, [(f.start, f.end) for f in found])
    out = []
    for f in sorted(found, key=lambda f: f.start):
        counts, head = _counts(doc, f.count_from) if f.count_from is not None else (None, None)
        kind = f.kind or _kind(f, counts, head, text)
        key, name = _claimant(doc, f.start)
        out.append(FigureRec(text=text[f.start:f.end].strip(), value=f.value, kind=kind,
                             qualifier=f.qualifier, start=f.start, end=f.end,
                             currency=f.currency, counts=counts, claimant_key=key,
                             claimant_name=name))
    return out


def _kind(f: _Found, counts: str | None, head: str | None, text: str) -> str:
    piece = text[f.start:f.end].lower()
    if f.currency or (f.scale in ("billion", "bn", "trillion", "tn", "million", "mn") and
                      (head is None or head in ("in", "of"))):
        return "money"
    if re.search(r"%|per ?cent", piece):
        return "percent"
    if head in _PEOPLE:
        return "people"
    if head in _DURATION:
        return "duration"
    if re.search(r"\bage\b[^.]{0,45}$", text[max(0, f.start - 60):f.start].lower()):
        return "other"  # an age as a rule ("the age limit goes up from 70 to 72")
    return "count"


@Language.component("storyline_figures", requires=["doc._.quotes"], assigns=["doc._.figures"])
def figures_component(doc: Doc) -> Doc:
    """Amounts with qualifier, counted thing and claimant."""
    doc._.figures = find_figures(doc)
    return doc
