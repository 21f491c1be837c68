"""Quotes: direct (inside quotation marks) and indirect (reported speech), with speakers.

Direct quotes are found by pairing quotation marks within a paragraph (straight or typographic,
mixed, unbalanced: an unclosed mark runs to the paragraph's end). Indirect quotes are the
complement clauses of speech verbs ("told X that …", "warned …", "accused X of …",
"according to X, …"). A speaker is the subject of the cue verb: a named entity, a pronoun
resolved to the last person named, a role noun resolved to an earlier mention with that
role, or an anonymous source kept as printed ("officials briefed on the talks").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

CUES = {
    "say", "tell", "warn", "stress", "argue", "accuse", "deny", "insist", "add", "claim", "state",
    "note", "explain", "announce", "confirm", "write", "vow", "pledge", "urge", "suggest",
    "acknowledge", "admit", "allege", "assert", "declare", "emphasize", "emphasise", "caution",
    "predict", "reply", "respond", "ask", "hope", "believe", "report", "remark", "comment",
    "contend", "maintain", "concede", "promise", "threaten", "reiterate", "recall", "estimate",
    "complain", "observe", "indicate", "repeat", "signal", "point", "conclude", "testify", "brief",
}
_REPORTED_ONLY = {"report", "estimate", "believe", "hope", "brief", "point", "signal", "indicate"}
_OBJ_CUES = {"accuse", "deny", "urge", "promise", "threaten"}
_PRONOUNS = {"he", "she", "they", "i", "we"}
_OPEN = "“«„\""
_CLOSE = "”»\""
_ANON_HEADS = {"official", "officials", "diplomat", "diplomats", "source", "sources", "analyst",
               "analysts", "spokesman", "spokeswoman", "spokesperson", "expert", "experts",
               "observer", "observers", "leader", "leaders", "minister", "person", "people",
               "aide", "aides", "adviser", "advisers", "advisor", "advisors", "insider", "insiders"}
_SPOKES = {"spokesman", "spokeswoman", "spokesperson", "representative", "statement"}


@dataclass(slots=True)
class FoundQuote:
    text: str
    kind: str
    start: int
    end: int
    cue: str | None
    speaker_key: str | None
    speaker_name: str | None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the words inside quotation marks, per paragraph."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        out.extend((pos + a, pos + b) for a, b in _pair_marks(para))
        pos += len(para) + 1
    return out


def _is_open(s: str, i: int) -> bool:
    before = s[i - 1] if i else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    if s[i] in "“«„":
        return True
    return (before.isspace() or before in "([—–-:,") and not after.isspace()


def _pair_marks(para: str) -> list[tuple[int, int]]:
    marks = [i for i, c in enumerate(para) if c in _OPEN or c in _CLOSE]
    spans, open_at = [], None
    for i in marks:
        c = para[i]
        if open_at is None:
            if _is_open(para, i):
                open_at = i
        elif c in _CLOSE and (c != "\"" or not _is_open(para, i) or para[open_at] == "\""):
            if i > open_at + 1:
                spans.append((open_at + 1, i))
            open_at = None
    if open_at is not None and len(para) - open_at > 20:
        end = len(para.rstrip())
        spans.append((open_at + 1, end))
    return [(a, b) for a, b in spans if para[a:b].strip()]


def _entity_at(doc: Doc, tokens: Span | list[Token]) -> tuple[str | None, str | None]:
    """The entity key of a speaker phrase, or the phrase itself when no entity fits."""
    toks = list(tokens)
    if not toks:
        return None, None
    head = min(toks, key=lambda t: _depth(t))
    ents = [e for e in doc.ents if e.start <= head.i < e.end and e._.entity_key]
    if not ents:
        ents = [e for e in doc.ents if e._.entity_key and e.start >= toks[0].i
                and e.end <= toks[-1].i + 1 and e.label_ in ("PERSON", "ORG", "GPE")]
        ents.sort(key=lambda e: (e.label_ != "PERSON", e.label_ != "ORG", -e.start))
    if ents:
        return ents[0]._.entity_key, None
    for (a, b), key in _alias_spans(doc):
        if toks[0].idx <= a and b <= toks[-1].idx + len(toks[-1].text):
            return key, None
    phrase = doc[toks[0].i:toks[-1].i + 1].text
    return None, phrase


def _alias_spans(doc: Doc) -> list[tuple[tuple[int, int], str]]:
    return [(tuple(s), e.key) for e in (doc._.entities or []) for s in e.spans]  # type: ignore[misc]


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _subject(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return _trim_phrase(child)
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return _subject(verb.head)
    for child in verb.children:  # "said X" inversion parsed as dobj/attr
        if child.dep_ in ("dobj", "attr", "npadvmod") and child.i > verb.i and \
                (child.ent_type_ in ("PERSON", "ORG", "GPE") or child.pos_ == "PROPN"):
            return _trim_phrase(child)
    return None


def _trim_phrase(head: Token) -> list[Token]:
    """The subject phrase without relative clauses, appositions and trailing punctuation."""
    keep = [head]
    for child in head.children:
        if child.dep_ in ("relcl", "appos", "punct", "acl", "cc", "conj") and child.i > head.i:
            continue
        keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    lo, hi = keep[0].i, keep[-1].i
    return [t for t in head.doc[lo:hi + 1]]


class SpeakerResolver:
    """Turns a subject phrase into a speaker: entity, antecedent, role noun, or anonymous."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.roles = {r.lower(): e.key for e in (doc._.entities or []) for r in e.roles}
        self.last_speaker: str | None = None

    def resolve(self, phrase: list[Token], at: int) -> tuple[str | None, str | None]:
        if len(phrase) == 1 and phrase[0].lower_ in _PRONOUNS:
            return self._antecedent(at, phrase[0].lower_), None
        key, name = _entity_at(self.doc, phrase)
        if key:
            return key, None
        text = (name or "").strip()
        head = phrase[-1].lower_ if phrase else ""
        for role, rkey in self.roles.items():
            if head and head in role.split():
                return rkey, None
        if head in _SPOKES:
            owner = [t for t in phrase if t.ent_type_ in ("ORG", "GPE")]
            if owner:
                return _entity_at(self.doc, owner)
        if head in _ANON_HEADS or text:
            earlier = self._earlier_phrase(head, at)
            return None, earlier or text or None
        return None, None

    def _antecedent(self, at: int, pronoun: str) -> str | None:
        if pronoun in ("i", "we"):
            return self.last_speaker
        people = [e for e in self.doc.ents if e.label_ == "PERSON" and e.end_char <= at
                  and e._.entity_key]
        if pronoun == "they":
            people = [e for e in self.doc.ents if e.label_ in ("ORG", "GPE") and e.end_char <= at]
        if self.last_speaker and people and pronoun in ("he", "she"):
            last = people[-1]
            if last.sent.start_char <= at and last.end_char > at - 200:
                return str(last._.entity_key)
            return self.last_speaker
        return str(people[-1]._.entity_key) if people else self.last_speaker

    def _earlier_phrase(self, head: str, at: int) -> str | None:
        """ "the diplomat said" -> "the European diplomat" named earlier in the document."""
        text = self.doc.text[:at]
        m = None
        for m in re.finditer(rf"\b(?:a|an|the|one)\s+((?:[\w-]+\s+){{0,3}}{re.escape(head)})\b",
                             text, re.I):
            pass
        return m.group(0) if m else None


def _cue_for(tokens: list[Token]) -> Token | None:
    """The speech verb governing these tokens, outside them: up the tree, then the sentence."""
    inside = {t.i for t in tokens}
    for tok in tokens:
        head = tok
        for _ in range(12):
            if head.head.i == head.i:
                break
            head = head.head
            if head.i not in inside and head.lemma_.lower() in CUES and head.pos_ in ("VERB", "AUX"):
                return head
    sent_cues = []
    for sent in {t.sent for t in tokens}:
        sent_cues += [t for t in sent if t.i not in inside and t.lemma_.lower() in CUES
                      and t.pos_ == "VERB"]
    if sent_cues:
        mid = tokens[len(tokens) // 2].i
        return min(sent_cues, key=lambda t: abs(t.i - mid))
    return None


def _direct(doc: Doc, res: SpeakerResolver) -> list[FoundQuote]:
    out = []
    for a, b in quote_spans(doc.text):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or not span.text.strip(" ,.;:"):
            continue
        cue = _cue_for(list(span))
        key = name = None
        if cue is not None:
            subj = _subject(cue)
            if subj and not any(a <= t.idx < b for t in subj):
                key, name = res.resolve(subj, cue.idx)
        if key is None and name is None and res.last_speaker and _continues(doc, a):
            key = res.last_speaker
        if key:
            res.last_speaker = key
        text = doc.text[a:b].strip().rstrip(",").strip()
        out.append(FoundQuote(text, "direct", a, a + len(text), cue.lemma_ if cue else None,
                              key, name))
    return out


def _continues(doc: Doc, start: int) -> bool:
    """A quote with no cue that follows an attributed one in the same or next paragraph."""
    before = doc.text[max(0, start - 400):start]
    return "\n" not in before[-200:] or before.count("\n") <= 1


def _complement(verb: Token) -> list[Token] | None:
    comp = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
    if comp:
        toks = list(comp[0].subtree)
        while toks and (toks[0].lower_ == "that" or toks[0].is_punct):
            toks = toks[1:]
        while toks and toks[-1].is_punct and toks[-1].text not in ("”", "\""):
            toks = toks[:-1]
        return toks or None
    if verb.lemma_.lower() in _OBJ_CUES:
        obj = [c for c in verb.children if c.dep_ in ("dobj", "prep") and c.i > verb.i]
        if obj:
            toks = [t for c in obj for t in c.subtree]
            toks.sort(key=lambda t: t.i)
            return toks
    return None


def _indirect(doc: Doc, res: SpeakerResolver, direct: list[FoundQuote]) -> list[FoundQuote]:
    out = []
    covered = [(q.start, q.end) for q in direct]
    for tok in doc:
        if tok.lemma_.lower() not in CUES or tok.pos_ != "VERB":
            continue
        if any(a <= tok.idx < b for a, b in covered):
            continue
        comp = _complement(tok)
        if not comp or len(comp) < 3:
            continue
        start, end = comp[0].idx, comp[-1].idx + len(comp[-1].text)
        inner = [(a, b) for a, b in covered if a <= start and end <= b + 1]
        if inner:
            continue
        subj = _subject(tok)
        if not subj:
            continue
        key, name = res.resolve(subj, tok.idx)
        text = doc.text[start:end].strip().strip("“”\"").strip()
        out.append(FoundQuote(text, "indirect", start, start + len(text), tok.lemma_, key, name))
    out += _according_to(doc, res)
    return out


def _according_to(doc: Doc, res: SpeakerResolver) -> list[FoundQuote]:
    out = []
    for m in re.finditer(r"\b[Aa]ccording to ([^,.;]{2,80}),\s*([^.;]{8,})", doc.text):
        src = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if src is None:
            continue
        key, name = res.resolve(list(src), m.start())
        text = m.group(2).strip()
        out.append(FoundQuote(text, "indirect", m.start(2), m.start(2) + len(text), "according to",
                              key, name))
    return out


@Language.component("storyline_quotes", requires=["doc.ents", "token.dep"],
                    assigns=["doc._.quotes"])
def quotes_component(doc: Doc) -> Doc:
    """Direct and indirect quotes with cue and speaker."""
    res = SpeakerResolver(doc)
    direct = _direct(doc, res)
    doc._.quotes = sorted(direct + _indirect(doc, res, direct), key=lambda q: q.start)
    return doc
