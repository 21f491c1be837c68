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
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from storyline.data import gazetteer, role_words
from storyline.nlp.gazetteer import lookup

KEEP = {"PERSON", "ORG", "GPE"}
_HONORIFIC = {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "dame", "president", "minister",
              "chancellor", "general", "senator", "mr.", "mrs.", "ms.", "dr."}
_REGION = {"oblast", "region", "province", "krai", "governorate", "prefecture"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_ORG_WORDS = {"center", "centre", "institute", "fund", "council", "service", "agency", "ministry",
              "department", "university", "party", "bank", "commission", "organization",
              "organisation", "foundation", "committee", "court", "association",
              "corporation", "company", "forum", "office", "parliament", "assembly"}
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
        if doc[i].text in _POSSESSIVE:
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


def _relabel(doc: Doc, span: Span) -> Span:
    label = span.label_
    demonyms = gazetteer()["demonyms"]
    if span.text in demonyms or span.text.removesuffix("s") in demonyms:
        return Span(doc, span.start, span.end, label="NORP")
    known = lookup(span.text)
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
            span = _extend_of(doc, span) if span.label_ == "ORG" else span
            fixed.append(_relabel(doc, span) if span.label_ not in ("DATE", "TIME", "CARDINAL",
                         "MONEY", "PERCENT", "QUANTITY", "ORDINAL") else span)
    doc.ents = filter_spans(fixed)
    return doc


def _canonical(span: Span) -> str:
    known = lookup(span.text)
    if known:
        return known[1]
    text = re.sub(r"\s+", " ", span.text).strip()
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


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _surname_owner(token_text: str, people: list[DocEntity]) -> DocEntity | None:
    for p in people:
        parts = p.name.split()
        if len(parts) > 1 and token_text == parts[-1]:
            return p
    return None


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
        if owner:
            return owner.key
    if ent.label_ == "ORG" and ent.text.isupper() and 2 <= len(ent.text) <= 6:
        for e in by_key.values():
            if e.label == "ORG" and _initials(e.name) == ent.text:
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
