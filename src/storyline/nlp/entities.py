"""Entity components: fixes for the model's systematic errors, then in-document entities.

``storyline_entity_fixes`` (after ner) trims possessives, leading "the" and line breaks out of
spans, relabels known names from the gazetteer, turns LOC into GPE, and "X Oblast/region" into
one GPE. ``storyline_doc_entities`` groups the spans of one document into entities: surnames
and honorific forms join the full name, acronyms join their expansion, roles come from the
title words before a name or the apposition after it, and demonyms that stand for a state
("Russian forces") become mentions of that state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from storyline.data import gazetteer, role_words
from storyline.lang import table, words
from storyline.nlp.gazetteer import lookup

KEEP = {"PERSON", "ORG", "GPE"}
_TITLES = table("titles")
_COURTESY = frozenset(_TITLES["courtesy"])
_PEERAGE = frozenset(_TITLES["peerage"])
_GIVEN_NAME = frozenset(_TITLES["given_name"])
_HONORIFIC = _COURTESY | frozenset(_TITLES["offices"])  # never the name itself
# Words that name a channel or service of a broadcaster after its name ("Ostrana Radio 2").
_STATION = frozenset(w.lower() for w in gazetteer().get("station_words", ()))
_REGION = words("region_words")  # "Kursk Oblast": the place name runs on over it
_POSSESSIVE = {"'s", "’s", "'", "’"}
_ORG_WORDS = words("org_words")
_SUFFIXES = words("org_suffixes")
_OF_WORDS = {"on", "for", "of"}


@dataclass(slots=True)
class DocEntity:
    key: str
    name: str
    label: str
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _trim(doc: Doc, ent: Span) -> Span | None:
    start, end = ent.start, ent.end
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    for i in range(start + 1, end - 1):
        if doc[i].text in _POSSESSIVE and doc[i - 1].lower_ not in words("name_possessives"):
            end = i
            break
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            end = i + 1 if "\n" in doc[i].whitespace_ else i
            break
    if start >= end:
        return None
    return Span(doc, start, end, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)


def _extend_of(doc: Doc, span: Span) -> Span:
    """ "European Council" + "on Foreign Relations": an ORG name that goes on after on/for/of."""
    end = span.end
    if span.label_ != "ORG" or end + 1 >= len(doc) or doc[end].lower_ not in _OF_WORDS:
        return span
    j = end + 1
    while j < len(doc) and (doc[j].is_title or doc[j].lower_ in ("the", "and")) and \
            "\n" not in doc[j - 1].whitespace_ and doc[j].ent_type_ not in ("DATE", "TIME"):
        j += 1
    while j > end + 1 and doc[j - 1].lower_ in ("the", "and"):
        j -= 1
    if j > end + 1 and doc[j - 1].is_title:
        return Span(doc, span.start, j, label="ORG")
    return span


def _extend_day(doc: Doc, span: Span) -> Span:
    """ "The Sunday" + "Courier": a paper named for its day; the NER reads the day as a date.
    Only after "the" ("on Sunday Reuters reported" keeps the day a date)."""
    i = span.start
    if i >= 2 and doc[i - 1].lower_ in words("weekdays") and doc[i - 1].is_title and \
            doc[i - 1].ent_type_ in ("", "DATE") and doc[i - 2].lower_ == "the" and \
            "\n" not in doc[i - 1].whitespace_:
        return Span(doc, i - 1, span.end, label="ORG")
    return span


def _extend_and(doc: Doc, span: Span) -> Span:
    """ "Public and" + "Commercial Services Union": an ORG name that begins one capitalised word
    and "and" earlier (the word no proper name of its own, and opening its phrase)."""
    i = span.start
    if i < 2 or doc[i - 1].lower_ not in ("and", "&"):
        return span
    word = doc[i - 2]
    before = doc[i - 3] if i >= 3 and doc[i - 3].sent.start == word.sent.start else None
    opens = before is None or word.is_sent_start or before.is_punct or before.pos_ in ("DET", "ADP")
    # the word alone may be an ORG of its own to the NER ("Public"): joined when it is a common
    # word, or when the name after "and" ends as a body's name does ("… Services Union"), which
    # two bodies named side by side rarely share ("Ostrana and the Valdoria Union" keeps two)
    tails = _ORG_WORDS | _SUFFIXES
    alone = word.ent_type_ == "ORG" and word.ent_iob_ == "B" and (word.pos_ in ("ADJ", "NOUN") or (
            len(span) >= 2 and span[-1].lower_ in tails))
    if not word.is_title or (word.ent_type_ and not alone) or word.is_stop or not opens or \
            word.pos_ not in ("PROPN", "ADJ", "NOUN") or \
            "\n" in word.whitespace_ + doc[i - 1].whitespace_:
        return span
    return Span(doc, i - 2, span.end, label="ORG")


def _title_word(tok: Token) -> str:
    return tok.lower_.rstrip(".")


def _with_title(doc: Doc, span: Span) -> Span:
    """ "Mr Roe", "Dr Roe", "Lord Avon": a person's span takes the courtesy or peerage title
    printed before it (the canonical name drops a courtesy title again, see _canonical)."""
    start = span.start
    while start > span.sent.start and doc[start - 1].text[:1].isupper() and \
            _title_word(doc[start - 1]) in (_COURTESY | _PEERAGE) and \
            "\n" not in doc[start - 1].whitespace_:
        start -= 1
    return span if start == span.start else Span(doc, start, span.end, label="PERSON")


def _titled_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """ "Baroness Orla said": a title and the proper names after it that the NER left out."""
    covered = {i for e in ents for i in range(e.start, e.end)}
    found = []
    for tok in doc[:-1]:
        if tok.i in covered or not tok.text[:1].isupper() or \
                _title_word(tok) not in (_COURTESY | _PEERAGE) or "\n" in tok.whitespace_:
            continue
        end = tok.i + 1
        while end < min(len(doc), tok.i + 4) and end not in covered and doc[end].pos_ == "PROPN" \
                and doc[end].is_title:
            end += 1
        if end > tok.i + 1:
            found.append(Span(doc, tok.i, end, label="PERSON"))
    return ents + found


def _extend_station(doc: Doc, span: Span) -> Span:
    """ "Ostrana Broadcasting" + "Radio 2": a broadcaster's channel is its own organisation."""
    end = span.end
    while end < len(doc) and "\n" not in doc[end - 1].whitespace_ and (
            doc[end].lower_ in _STATION or (doc[end].like_num and end > span.end)) and \
            (doc[end].text[:1].isupper() or doc[end].like_num):
        end += 1
    return span if end == span.end else Span(doc, span.start, end, label="ORG")


def _relabel(doc: Doc, span: Span) -> Span:
    label = span.label_
    demonyms = gazetteer()["demonyms"]
    known = lookup(span.text)
    if (span.text in demonyms or span.text.removesuffix("s") in demonyms) and \
            not (known and known[0] == "GPE"):  # "US" names a country, "American" is a demonym
        return Span(doc, span.start, span.end, label="NORP")
    if known:
        label = known[0]
    elif label in ("GPE", "PERSON", "LOC", "FAC") and any(t.lower_ in _ORG_WORDS for t in span):
        label = "ORG"
    elif label in ("LOC", "FAC") and span[0].is_title:
        label = "GPE"
    end = span.end
    if end < len(doc) and doc[end].lower_ in _REGION and label in ("GPE", "LOC", "PRODUCT", "ORG",
                                                                   "PERSON", "NORP"):
        if span.label_ != "NORP":
            label, end = "GPE", end + 1
    if label == "PRODUCT" and end < len(doc) and doc[end - 1].lower_ in _REGION:
        label = "GPE"
    return Span(doc, span.start, end, label=label, span_id=known[1] if known else span.id_)


@Language.component("storyline_entity_fixes", requires=["doc.ents"], assigns=["doc.ents"])
def entity_fixes(doc: Doc) -> Doc:
    """Repair the statistical NER's systematic errors with the gazetteer and span rules."""
    fixed = []
    for ent in doc.ents:
        span = _trim(doc, ent)
        if span is not None and len(span) == 1 and span[0].lower_ in role_words():
            continue
        if span is not None:
            span = _extend_day(doc, _extend_and(doc, _extend_of(doc, span))) \
                if span.label_ == "ORG" else span
            if span.label_ in ("PERSON", "GPE", "ORG", "NORP") and len(span) <= 3:
                span = _with_title(doc, span)
            if span.label_ == "ORG" and _STATION and lookup(span.text):
                span = _extend_station(doc, span)
            fixed.append(_relabel(doc, span) if span.label_ not in ("DATE", "TIME", "CARDINAL",
                         "MONEY", "PERCENT", "QUANTITY", "ORDINAL") else span)
    doc.ents = filter_spans(_titled_names(doc, _joined(doc, filter_spans(fixed))))
    return doc


def _joined(doc: Doc, ents: list[Span]) -> list[Span]:
    """A place right before an organisation is part of its name ("Ostrana Stock Exchange"), and
    so is an organisation word right after one ("Valdorian Trades" + "Congress")."""
    out: list[Span] = []
    tails = _ORG_WORDS | words("org_suffixes") | {"congress", "exchange"}
    for ent in ents:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ in ("GPE", "ORG") and ent.label_ == "ORG" and \
                prev.end == ent.start and (len(prev) == 1 or prev.label_ == "ORG") and \
                ent[0].is_title and \
                "\n" not in prev[-1].whitespace_:
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
            continue
        out.append(ent)
    for k, ent in enumerate(out):
        end = ent.end
        while end < min(len(doc), ent.end + 3) and doc[end].is_title and not doc[end].ent_type_ \
                and "\n" not in doc[end - 1].whitespace_ and ent.label_ in ("GPE", "ORG"):
            end += 1
        while end > ent.end and doc[end - 1].lower_ not in tails:
            end -= 1
        if end > ent.end:
            out[k] = Span(doc, ent.start, end, label="ORG")
    return out


def _canonical(span: Span) -> str:
    known = lookup(span.text)
    if known:
        return known[1]
    text = re.sub(r"\s+", " ", span.text).strip()
    if span.label_ == "PERSON":
        words = text.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _COURTESY and \
                (len(words) > 2 or words[0].lower() not in _GIVEN_NAME):
            words = words[1:]  # "Sir Ivan Roe" is Ivan Roe, "Mr Roe" Roe; "Sir Ivan" stays
        text = " ".join(words)
    return text


def _role_before(span: Span) -> str | None:
    """Title words right before a name: "Lithuanian Foreign Minister", "NATO chief"."""
    doc, roles = span.doc, role_words()
    i = span.start - 1
    start = span.start
    has_role = False
    while i >= max(span.sent.start, span.start - 6):
        tok = doc[i]
        if tok.lower_ in roles or tok.lower_.rstrip(".") in roles:
            has_role = True
        elif tok.text in _POSSESSIVE or tok.ent_type_ in ("NORP", "GPE", "ORG") or \
                (tok.is_title and tok.pos_ in ("PROPN", "ADJ")) or tok.lower_ in ("-", "of"):
            pass
        else:
            break
        start = i
        i -= 1
    while start < span.start and (doc[start].lower_ == "of" or doc[start].is_punct):
        start += 1
    if not has_role or start >= span.start:
        return None
    return doc[start:span.start].text


def _role_after(span: Span) -> str | None:
    """An apposition after a name: "Camille Grand, a former NATO assistant secretary general,"."""
    doc, roles = span.doc, role_words()
    if span.end + 2 >= len(doc) or doc[span.end].text != ",":
        return None
    j = span.end + 1
    if doc[j].lower_ not in ("a", "an", "the"):
        return None
    k = j + 1
    while k < min(len(doc), j + 14) and doc[k].text not in (",", ".", ";", "—") and \
            doc[k].lower_ not in ("who", "which", "said", "told"):
        k += 1
    phrase = doc[j + 1:k]
    if any(t.lower_ in roles for t in phrase) and len(phrase) >= 1:
        return phrase.text
    return None


def _unsuffixed(name: str, least: int = 3) -> str:
    """The name of ``least`` words or more without a trailing organisation suffix ("Valdorian
    Teachers Union" -> "Valdorian Teachers"), or the name itself."""
    parts = name.split()
    return " ".join(parts[:-1]) if len(parts) >= least and parts[-1].lower() in _SUFFIXES else name


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _surname_owner(token_text: str, people: list[DocEntity]) -> DocEntity | None:
    for p in people:
        parts = p.name.split()
        if len(parts) > 1 and token_text == parts[-1]:
            return p
    return None


def _given_name_owner(token_text: str, people: list[DocEntity]) -> DocEntity | None:
    """ "Sir Ivan": the one person of the document whose given name is Ivan."""
    found = [p for p in people if len(p.name.split()) > 1 and p.name.split()[0] == token_text]
    return found[0] if len(found) == 1 else None


@Language.component("storyline_doc_entities", requires=["doc.ents"],
                    assigns=["doc._.entities", "span._.entity_key"])
def doc_entities(doc: Doc) -> Doc:
    """Group the document's PERSON/ORG/GPE spans into entities with aliases and roles."""
    ents = [e for e in doc.ents if e.label_ in KEEP]
    by_key: dict[str, DocEntity] = {}
    # Full names first, so that surnames and acronyms find them.
    for ent in sorted(ents, key=lambda e: -len(e)):
        key = _resolve(ent, by_key)
        entity = by_key.setdefault(key, DocEntity(key, key, ent.label_))
        if ent.text != entity.name:
            entity.aliases.add(re.sub(r"\s+", " ", ent.text))
        entity.spans.append((ent.start_char, ent.end_char))
        ent._.entity_key = key
        if ent.label_ == "PERSON":
            for role in (_role_before(ent), _role_after(ent)):
                if role and role not in entity.roles:
                    entity.roles.append(role)
    _bare_surnames(doc, by_key)
    _demonyms(doc, by_key)
    doc._.entities = sorted(by_key.values(), key=lambda e: min(e.spans))
    return doc


def _resolve(ent: Span, by_key: dict[str, DocEntity]) -> str:
    canon = _canonical(ent)
    if canon in by_key:
        return canon
    people = [e for e in by_key.values() if e.label == "PERSON"]
    tokens = [t.text for t in ent if t.lower_.rstrip(".") not in _HONORIFIC] or [ent[-1].text]
    if ent.label_ in ("PERSON", "ORG", "GPE") and len(tokens) == 1:
        owner = _surname_owner(tokens[0], people)
        if owner is None and _title_word(ent[0]) in _GIVEN_NAME:
            owner = _given_name_owner(tokens[0], people)
        if owner:
            return owner.key
    short = _unsuffixed(ent.text, least=2)
    if ent.label_ in ("ORG", "PERSON") and short.isupper() and 2 <= len(short) <= 6:
        # an acronym of an organisation named in full, its suffix written or not ("VTU", "VT",
        # "VT Union" for "Valdorian Teachers Union"); the NER takes some acronyms for people
        for e in by_key.values():
            if e.label == "ORG" and short in (_initials(e.name), _initials(_unsuffixed(e.name))):
                return e.key
    return canon


def _bare_surnames(doc: Doc, by_key: dict[str, DocEntity]) -> None:
    """Surnames the NER missed ("Terhas said") become mentions of the full name's entity."""
    people = {e.name.split()[-1]: e for e in by_key.values()
              if e.label == "PERSON" and len(e.name.split()) > 1}
    covered = {i for e in doc.ents for i in range(e.start, e.end)}
    for tok in doc:
        owner = people.get(tok.text)
        if owner and tok.i not in covered and tok.is_title:
            owner.aliases.add(tok.text)
            owner.spans.append((tok.idx, tok.idx + len(tok.text)))


def _demonyms(doc: Doc, by_key: dict[str, DocEntity]) -> None:
    """ "Russian forces", "French President": the demonym stands for its state."""
    g = gazetteer()
    states, heads = g["demonyms"], set(g["state_heads"])
    roles = role_words()
    mentions = []
    for ent in doc.ents:
        if ent.label_ != "NORP":
            continue
        text = ent.text.removesuffix("s") if ent.text not in states else ent.text
        state = states.get(ent.text) or states.get(text)
        if not state or ent.end >= len(doc):
            continue
        nxt = doc[ent.end]
        nxt2 = doc[ent.end:ent.end + 2].text.lower()
        if nxt.lower_ in heads or nxt2 in heads or nxt.lower_ in roles:
            entity = by_key.setdefault(state, DocEntity(state, state, "GPE"))
            entity.spans.append((ent.start_char, ent.end_char))
            mentions.append(ent)
    doc._.demonym_mentions = mentions
