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
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.data import role_words
from storyline.lang import FALLBACK, table
from storyline.nlp import speaker_ranker
from storyline.nlp.extensions import text_of
from storyline.nlp.speakers import NOBODY, PRONOUNS, Speaker, SpeakerResolver, phrase_of, subject_heads
from storyline.records import QuoteRec

# Which classes of lang/<code>/reporting_verbs.json report words a quote holds: speech, plus
# the belief verbs that news uses for stated positions ("hopes that", "believes that"), which
# PolNeAR train annotates as attributions nearly always when they take a clause.
QUOTE_CLASSES = ("speech",)
QUOTE_BELIEFS = ("hope", "believe", "estimate", "commit")
# The wider attributions, kept apart from quotes on ``doc._.attributions``: what someone thinks
# or wants ("expects that …", "wants to …"), what a finding shows ("polls show that …") and
# what someone is for or against ("endorsed the new tax on imports").
# PolNeAR annotates them as attributions; a quote is reported words only (bbc-dev), and a
# claim's source is the holder either way.
WIDE_CLASSES = ("belief", "intent", "evidence", "stance")


@lru_cache(maxsize=8)
def cue_verbs(lang: str = FALLBACK) -> frozenset[str]:
    """Lemmas of the verbs whose complement is a quote, for a language."""
    verbs = table("reporting_verbs", lang)["verbs"]
    return frozenset([v for v, row in verbs.items() if row["class"] in QUOTE_CLASSES] +
                     [v for v in QUOTE_BELIEFS if v in verbs])


@lru_cache(maxsize=8)
def _flagged(flag: str, lang: str = FALLBACK) -> frozenset[str]:
    return frozenset(v for v, row in table("reporting_verbs", lang)["verbs"].items() if row.get(flag))


CUES = cue_verbs()
# Verbs whose subject is a speaker whatever it is ("those surveyed say"); the rest (beliefs,
# verbs taking an object: "ties that threaten security") need a subject that can speak.
_SAYING = frozenset(v for v, row in table("reporting_verbs")["verbs"].items()
                    if row["class"] == "speech" and not row.get("object")
                    and not row.get("thing_subject"))
_OBJ_CUES = _flagged("object")
_QUESTIONS = _flagged("question")  # "asked whether …" reports a question, not a statement
WIDE_CUES = frozenset(v for v, row in table("reporting_verbs")["verbs"].items()
                      if row["class"] in WIDE_CLASSES) - CUES
NAMING = frozenset(v for v, row in table("reporting_verbs")["verbs"].items()
                   if row["class"] == "naming")
# a finding's subject is its source whatever it is ("the records show …")
_FINDINGS = frozenset(v for v, row in table("reporting_verbs")["verbs"].items()
                      if row["class"] == "evidence")
# What a framing cue may have beside it: its subject, auxiliaries, when and where ("…, the
# paper reported in May."); anything else ("pleaded guilty and appeared …") is a clause of its own.
_FRAME_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod",
                         "prep", "punct"})
_RELATIVES = frozenset({"where", "which", "who", "whom", "whose", "when", "and", "but", "while"})
_TAIL_WORD = re.compile(r"\b(?:and|but|or|that)$")
_ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;]{2,80}),\s*([^.;]{8,})")
_ACCORDING_AFTER = re.compile(r",\s*according to ([^,.;:\n]{2,80})(?=[.;,]|$)", re.M)
_OPEN = "“«„\""
_QUOTED = "storyline_quoted"  # Doc.user_data key: the (start, end) spans of direct quotes
_CLOSE = "”»\""


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the words inside quotation marks, per paragraph.

    Two apostrophes stand for a double quotation mark (''Like this,'' some archives write)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if _TWO_APOSTROPHES in para:
            folded, where = _fold_apostrophes(para)
            out.extend((pos + where[a], pos + where[b]) for a, b in _pair_marks(folded))
        else:
            out.extend((pos + a, pos + b) for a, b in _pair_marks(para))
        pos += len(para) + 1
    return out


_TWO_APOSTROPHES = "''"


def _fold_apostrophes(para: str) -> tuple[str, list[int]]:
    """The paragraph with each '' as one '"', and where each of its characters (and its end)
    stands in the paragraph."""
    chars: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(para):
        where.append(i)
        if para.startswith(_TWO_APOSTROPHES, i):
            chars.append("\"")
            i += 2
        else:
            chars.append(para[i])
            i += 1
    where.append(len(para))
    return "".join(chars), where


def _is_open(s: str, i: int) -> bool:
    before = s[i - 1] if i else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    if s[i] in "“«„":
        return True
    return (before.isspace() or before in "([—–-:,") and not after.isspace()


def _reopens(para: str, open_at: int, i: int) -> bool:
    """Whether the mark at ``i`` opens a new quote while the one at ``open_at`` is still open: a
    typographic opening mark, or a straight one after a finished sentence and a space and before
    a word ('… I am not worried. "I have not …'), where a paragraph break was lost."""
    if para[i] in "“«„":
        return para[open_at] in "“«„"
    if para[i] != "\"" or para[open_at] != "\"" or i + 1 >= len(para) or not para[i - 1].isspace():
        return False
    before = para[:i].rstrip()
    return bool(before) and before[-1] in ".?!" and not para[i + 1].isspace()


def _pair_marks(para: str) -> list[tuple[int, int]]:
    marks = [i for i, c in enumerate(para) if c in _OPEN or c in _CLOSE]
    spans, open_at = [], None
    for i in marks:
        c = para[i]
        if open_at is None:
            if _is_open(para, i):
                open_at = i
        elif _reopens(para, open_at, i):  # a lost paragraph break: '… now. "Then …'
            end = len(para[:i].rstrip())
            if end > open_at + 1:
                spans.append((open_at + 1, end))
            open_at = i
        elif c in _CLOSE and (c != "\"" or not _is_open(para, i) or para[open_at] == "\""):
            if i > open_at + 1:
                spans.append((open_at + 1, i))
            open_at = None
    if open_at is not None and len(para) - open_at > 20:
        end = len(para.rstrip())
        spans.append((open_at + 1, end))
    return [(a, b) for a, b in spans if para[a:b].strip()]


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
    for sent in {tokens[0].sent, tokens[-1].sent}:  # Token.sent walks the Doc: ask twice
        sent_cues += [t for t in sent if t.i not in inside and t.lemma_.lower() in CUES
                      and t.pos_ == "VERB"]
    if sent_cues:
        mid = tokens[len(tokens) // 2].i
        return min(sent_cues, key=lambda t: abs(t.i - mid))
    return _cue_after(tokens[-1])


def _cue_after(last: Token) -> Token | None:
    """ "“… be?” Vale said in response.": a quote ending in "?" or "!" ends the parser's
    sentence; the cue is the next sentence's root when that reports nothing else."""
    end = last.sent.end
    doc = last.doc
    if end >= len(doc) or "\n" in doc[end - 1].whitespace_ or "\n" in doc[end - 1].text:
        return None
    root = doc[end].sent.root
    if root.lemma_.lower() not in CUES or root.pos_ != "VERB" or any(
            c.dep_ not in _FRAME_DEPS for c in root.children) or root.i - end > 6:
        return None
    return root


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: str
    cue: Token | None
    heads: list[Token]
    source: Span | None = None  # "according to X"


def _direct(doc: Doc) -> list[_Candidate]:
    out = []
    for a, b in quote_spans(text_of(doc)):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or not span.text.strip(" ,.;:"):
            continue
        text = text_of(doc)[a:b].strip().rstrip(",").strip()
        a += text_of(doc)[a:b].find(text)
        cue = _cue_for(list(span))
        heads = _subjects_outside(cue, a, b) if cue is not None else []
        source = None if heads else _according_source(doc, span)
        out.append(_Candidate(a, a + len(text), "direct", cue, heads, source))
    return out


def _subjects_outside(cue: Token, a: int, b: int) -> list[Token]:
    """The cue's subject outside the quote at [a, b): a word of the quote the parser took for a
    second subject does not hide the speaker ("… 4 percent …," Ada Brill said), and a name the
    parser took for a noun compound of the verb is still the speaker ("…," Brill notes)."""
    heads = [h for h in subject_heads(cue) if not a <= h.idx < b]
    if not heads:
        heads = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and not a <= c.idx < b]
    if not heads:
        heads = [c for c in cue.children if c.dep_ in ("compound", "nmod", "npadvmod") and
                 not a <= c.idx < b and (c.ent_type_ in ("PERSON", "ORG") or c.pos_ == "PROPN")]
    if not heads and cue.i + 1 < len(cue.doc):  # '"…," said Ada Brill, an economist, "…"'
        after = cue.doc[cue.i + 1]
        ent = next((e for e in cue.doc.ents if e.start == after.i
                    and e.label_ in ("PERSON", "ORG")), None)
        heads = [ent.root] if ent is not None and not a <= after.idx < b else []
    return heads[:1] + [c for c in heads[0].conjuncts if c.i > heads[0].i] if heads else []


def _according_source(doc: Doc, span: Span) -> Span | None:
    """ "According to X, this is “…”": X, when the quote's sentence opens that way."""
    sent = span.sent
    m = _ACCORDING.search(text_of(doc), sent.start_char, span.start_char)
    return doc.char_span(m.start(1), m.end(1), alignment_mode="expand") if m else None


def _continues(doc: Doc, res: SpeakerResolver, start: int) -> bool:
    """A quote with no cue in the same or the next paragraph as the last attributed one."""
    return res.last != NOBODY and text_of(doc).count("\n", res.last_end, start) <= 1


def _complement(verb: Token) -> list[Token] | None:
    comp = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
    if comp:
        cut = {t.i for c in comp[0].children if _own_cue_clause(c) for t in c.subtree}
        toks = [t for t in comp[0].subtree if t.i not in cut]
        while toks and (toks[0].lower_ == "that" or toks[0].is_punct):
            toks = toks[1:]
        while toks and toks[-1].is_punct and toks[-1].text not in ("”", "\""):
            toks = toks[:-1]
        return toks or None
    if verb.dep_ == "parataxis" and verb.i > verb.head.left_edge.i:  # "X, he added, Y": Y
        # (X and Y together did worse on PolNeAR dev: X is most often a quote or a preamble)
        toks = [t for t in verb.head.subtree if t.i > verb.right_edge.i]
        return _trimmed(toks) if len(toks) >= 3 else None
    if verb.lemma_.lower() in _OBJ_CUES:
        obj = [c for c in verb.children if c.dep_ in ("dobj", "prep") and c.i > verb.i]
        if obj:
            toks = [t for c in obj for t in c.subtree]
            toks.sort(key=lambda t: t.i)
            return toks
    return _framed(verb)


def _in_quotes(tok: Token) -> bool:
    return any(a <= tok.idx < b for a, b in tok.doc.user_data.get(_QUOTED, ()))


def _trimmed(toks: list[Token]) -> list[Token] | None:
    """Without leading conjunctions and punctuation and trailing punctuation (closing marks
    kept)."""
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in ("”", "\""):
        toks = toks[:-1]
    return toks or None


def _framed(verb: Token) -> list[Token] | None:
    """The clause a cue frames without taking it as its complement: "as X noted, Y" is Y;
    "Y, said X" and "Y, X said." (the cue last in its sentence, after a comma) are Y."""
    if verb.dep_ == "advcl" and verb.i < verb.head.i and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        toks = _trimmed([t for t in verb.head.subtree if t.i > verb.right_edge.i])
        return toks if toks and len(toks) >= 3 else None
    sent, first = verb.sent, verb.left_edge.i
    if first <= sent.start or verb.doc[first - 1].text != "," or verb.dep_ in ("relcl", "acl") \
            or any(c.dep_ not in _FRAME_DEPS for c in verb.children) or \
            any(not t.is_punct for t in verb.doc[verb.right_edge.i + 1:sent.end]):
        return None
    toks = _trimmed(list(verb.doc[sent.start:first - 1]))
    return toks if toks and len(toks) >= 3 and not any(_in_quotes(t) for t in toks) else None


def _calls_on(verb: Token) -> bool:
    """ "called on others to join the effort", "called for a new inquiry": an appeal, reported
    like speech."""
    if verb.lemma_.lower() != "call":
        return False
    preps = {c.lower_ for c in verb.children if c.dep_ == "prep"}
    return ("for" in preps) or (bool(preps & {"on", "upon"}) and any(
        c.dep_ == "xcomp" for c in verb.children))


def _called(verb: Token) -> list[Token]:
    """Who was called on, and to do what ("others to join the effort"); what was called for."""
    toks = [t for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "upon", "for")
            for o in c.children if o.dep_ == "pobj" for t in o.subtree]
    toks += [t for c in verb.children if c.dep_ == "xcomp" for t in c.subtree]
    return sorted(toks, key=lambda t: t.i)


def _own_cue_clause(tok: Token) -> bool:
    """ "…, emphasizing the need to …": a participle cue after a comma reports on its own."""
    return tok.dep_ == "advcl" and tok.lemma_.lower() in CUES and tok.i > 0 and \
        tok.doc[tok.left_edge.i - 1].text == ","


def _indirect(doc: Doc, direct: list[_Candidate]) -> list[_Candidate]:
    covered = [(q.start, q.end) for q in direct]
    found = [c for tok in doc if (c := _reported(doc, tok, covered)) is not None]
    found += _according(doc, covered)
    return [c for c in found if not any(_shadowed(c, o) for o in found if o is not c)]


def _wide(doc: Doc, quotes: list[_Candidate]) -> list[_Candidate]:
    """Beliefs, intents and findings outside every quote ("X said Y thinks Z" is X's quote)."""
    covered = [(q.start, q.end) for q in quotes]
    found = [c for tok in doc if (c := _reported(doc, tok, covered, WIDE_CUES) or
                                  _naming(doc, tok)) is not None
             and not any(a <= tok.idx < b for a, b in covered)]
    return [c for c in found if not any(_shadowed(c, o) for o in found if o is not c)]


def _nested(outer: _Candidate, inner: _Candidate) -> bool:
    return outer.cue is not None and inner.cue is not None and outer.start <= inner.cue.idx < outer.end


def _shadowed(cand: _Candidate, other: _Candidate) -> bool:
    """Of two nested reports one stays: "X say they believe Y" is X's report (the inner one's
    speaker is a pronoun for X); "X wrote that Y warned Z" is Y's (the inner one names Y)."""
    def pronominal(c: _Candidate) -> bool:
        return all(h.lower_ in PRONOUNS for h in c.heads)
    return (_nested(other, cand) and pronominal(cand)) or \
        (_nested(cand, other) and not pronominal(other) and _speaking(other))


def _speaking(c: _Candidate) -> bool:
    """Whether a report's subject can speak: a name, a pronoun or a role ("the minister"), not a
    thing ("such a move would signal that …" is Barrot's report, not the move's)."""
    return any(h.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or h.lower_ in PRONOUNS
               or h.lemma_.lower() in role_words() for h in c.heads)


def _naming(doc: Doc, tok: Token) -> _Candidate | None:
    """ "X called the plan a disaster", "described it as a disaster": the thing and what it was
    called, X's words."""
    if tok.lemma_.lower() not in NAMING or tok.pos_ != "VERB" or not any(
            c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as") for c in tok.children):
        return None
    toks = sorted((t for c in tok.children if c.dep_ in ("dobj", "oprd") or
                   (c.dep_ == "prep" and c.lower_ == "as") for t in c.subtree), key=lambda t: t.i)
    heads = subject_heads(tok)
    if len(toks) < 2 or not heads:
        return None
    return _Candidate(toks[0].idx, toks[-1].idx + len(toks[-1].text), "indirect", tok, heads)


def _reported(doc: Doc, tok: Token, covered: list[tuple[int, int]],
              cues: frozenset[str] = CUES) -> _Candidate | None:
    """The complement of a speech verb (or of one of ``cues``), up to any quotation it runs into."""
    lemma = tok.lemma_.lower()
    appeal = cues is CUES and _calls_on(tok)
    if (lemma not in cues and not appeal) or tok.pos_ != "VERB" \
            or any(a <= tok.idx < b for a, b in covered):
        return None
    comp = _called(tok) if appeal else _complement(tok)
    if not comp or len(comp) < 3 or (lemma in _QUESTIONS and comp[0].lower_ == "if"):
        return None  # "asked if …" is as often a condition as a question; "whether"/"what" are
    start, end = comp[0].idx, comp[-1].idx + len(comp[-1].text)
    if start <= tok.idx < end or any(a <= start and end <= b + 1 for a, b in covered):
        return None
    heads = subject_heads(tok)
    span = _own_words(doc, start, end, covered)
    if span and any(a - 2 <= span[0] and span[1] <= b + 2 for a, b in covered):
        return None  # the complement is a direct quote, without its marks
    return _Candidate(*span, "indirect", tok, heads) if heads and span else None


def _strip_tail(text: str) -> str:
    """Without trailing punctuation and dangling "and"/"but"/"or"/"that"."""
    text = text.rstrip(" \t\n,;:—–-")
    while m := _TAIL_WORD.search(text):
        text = text[:m.start()].rstrip(" \t\n,;:—–-")
    return text


def _own_words(doc: Doc, start: int, end: int, covered: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The reported words, cut before a direct quote that ends them ("… and “how we could …”")."""
    inner = [(a, b) for a, b in covered if start < a < end]
    cut = bool(inner) and len(text_of(doc)[max(b for _, b in inner):end].split()) < 4
    if cut:
        end = max(a for a, _ in inner) - 1
    text = text_of(doc)[start:end]
    stripped = _strip_tail(text.strip().strip("“”\"").strip())
    if len(stripped.split()) < (5 if cut else 3):
        return None
    start += text.find(stripped)
    return start, start + len(stripped)


def _according(doc: Doc, covered: list[tuple[int, int]]) -> list[_Candidate]:
    """ "According to X, …", unless what follows reports someone else's words itself."""
    out = []
    for m in _ACCORDING.finditer(text_of(doc)):
        src = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        rest = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
        if src is None or rest is None or any(a <= m.start(2) < b for a, b in covered) \
                or rest[0].lower_ in _RELATIVES:  # "…, according to X, where …": X ends a report
            continue
        if any(t.lemma_.lower() in CUES and t.pos_ == "VERB" and
               any(rest.start <= h.i < rest.end for h in subject_heads(t)) for t in rest):
            continue
        span = _own_words(doc, m.start(2), m.end(2), covered)
        if span:
            out.append(_Candidate(*span, "indirect", None, [], src))
    return out + _according_after(doc, covered)


def _according_after(doc: Doc, covered: list[tuple[int, int]]) -> list[_Candidate]:
    """ "Y, according to X.": the sentence before the phrase, said by X."""
    out = []
    text = text_of(doc)
    for m in _ACCORDING_AFTER.finditer(text):
        comma = doc.char_span(m.start(), m.start() + 1, alignment_mode="expand")
        src = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if comma is None or src is None or any(a <= m.start() < b for a, b in covered):
            continue
        start = comma.sent.start_char
        span = _own_words(doc, start, m.start(), covered)
        if span and not any(a <= span[0] and span[1] <= b + 1 for a, b in covered):
            out.append(_Candidate(*span, "indirect", None, [], src))
    return out


def _scare_quote(doc: Doc, cand: _Candidate) -> bool:
    """A few quoted words nobody is said to have spoken: a name or a term, not a quote."""
    return len(text_of(doc)[cand.start:cand.end].split()) <= 3 and not cand.heads


def _speakers(doc: Doc, cand: _Candidate, res: SpeakerResolver) -> list[Speaker]:
    if cand.source is not None:  # "according to" names a source, whatever it is
        named = res.resolve(list(cand.source), cand.start)
        return [named if named != NOBODY else (None, _printed_source(cand.source))]
    at = cand.cue.idx if cand.cue is not None else cand.start
    found = [sp for h in cand.heads if (sp := res.resolve_head(h, at)) != NOBODY]
    if len(found) > 1 and not any(key for key, _ in found):  # "diplomats and officials say"
        found = [(None, doc[phrase_of(cand.heads[0])[0].i:phrase_of(cand.heads[-1])[-1].i + 1].text)]
    if not found and cand.kind == "direct" and _continues(doc, res, cand.start):
        found = [res.last]
    if not found and cand.heads and cand.cue is not None \
            and cand.cue.lemma_.lower() in _SAYING | _FINDINGS and _describes(cand.heads[0]):
        # "those surveyed say …", "political scientists say …": a speaker without a name
        found = [(None, _printed(cand.heads[0]))]
    return found or [NOBODY]


def _printed_source(src: Span) -> str | None:
    """ "the latest average of polls" as printed, without a pronoun alone ("according to him")."""
    text = src.text.strip()
    return None if not text or text.lower() in PRONOUNS | {"him", "her", "them", "us", "me"} else text


def _describes(head: Token) -> bool:
    """A subject that describes who spoke: a noun, a number, or "those" with a description
    ("those surveyed"); not a bare pronoun or demonstrative ("These threaten …")."""
    if head.lower_ in PRONOUNS:
        return False
    if head.pos_ in ("NOUN", "PROPN", "NUM"):
        return True
    return any(c.dep_ in ("acl", "relcl", "prep", "amod") for c in head.children)


def _printed(head: Token) -> str:
    toks = phrase_of(head, full=True)
    return head.doc[toks[0].i:toks[-1].i + 1].text if toks else head.text


@Language.component("storyline_quotes", requires=["doc.ents", "token.dep", "doc._.entities"],
                    assigns=["doc._.quotes", "doc._.attributions"])
def quotes_component(doc: Doc) -> Doc:
    """Direct and indirect quotes with cue and speaker, resolved in reading order."""
    res = SpeakerResolver(doc)
    direct = _direct(doc)
    res.quoted = doc.user_data[_QUOTED] = [(c.start, c.end) for c in direct]
    found: list[QuoteRec] = []
    cands = sorted(direct + _indirect(doc, direct), key=lambda c: c.start)
    for cand in cands:
        speakers = _speakers(doc, cand, res)
        if speakers == [NOBODY] and (cand.kind == "indirect" or _scare_quote(doc, cand)):
            continue
        if speakers == [NOBODY] and cand.source is None:  # the rules found none: the ranker's
            speakers = [speaker_ranker.pick(doc, cand.start, cand.end, res) or NOBODY]
        cue = "according to" if cand.source is not None else (cand.cue.lemma_ if cand.cue else None)
        text = text_of(doc)[cand.start:cand.end]
        for key, name in speakers:
            found.append(QuoteRec(text=text, kind=cand.kind, start=cand.start, end=cand.end, cue=cue,
                                  speaker_key=key, speaker_name=name))
        res.remember(speakers[-1], cand.end, cand.heads[-1] if cand.heads else None)
    doc._.quotes = found
    doc._.attributions = _attributions(doc, direct + [c for c in cands if c.kind == "indirect"], res)
    doc.user_data.pop(_QUOTED, None)
    return doc


def _attributions(doc: Doc, quotes: list[_Candidate], res: SpeakerResolver) -> list[QuoteRec]:
    """The wider attributions, with their holders; who holds one is not who goes on speaking."""
    out = []
    for cand in _wide(doc, quotes):
        text = text_of(doc)[cand.start:cand.end]
        for key, name in _speakers(doc, cand, res):
            if key or name:
                out.append(QuoteRec(text=text, kind="indirect", start=cand.start, end=cand.end,
                                    cue=cand.cue.lemma_ if cand.cue else None,
                                    speaker_key=key, speaker_name=name))
    return out
