"""Claims: clauses that state a checkable proposition, with holder and status.

Status comes from the wording around the clause's verb, in this order: an explicit failure to
confirm (``unconfirmed``), a denial (``denied``), a confirmation that is not hedged or
conditional (``confirmed``), a position on a proposal (``proposed|opposed|supported|considered``),
reported speech or a report (``reported``), and otherwise a plain, unhedged statement of an
event (``asserted``). One claim per holder: "Both X and Y denied…" gives two claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.nlp.speakers import NOBODY, Speaker, SpeakerResolver, subject_heads

_CONFIRM = {"confirm", "verify", "corroborate"}
_DENY = {"deny", "dismiss", "refute", "reject"}
_REPORT = {"say", "report", "claim", "accuse", "allege", "tell", "warn", "write", "state",
           "announce", "suggest", "believe", "estimate", "indicate", "assess", "brief"}
_PROPOSE = {"propose", "float", "suggest", "initiate", "champion"}
_OPPOSE = {"oppose", "reject", "rule", "shoot", "refuse", "object", "veto", "resist", "dismiss"}
_SUPPORT = {"support", "back", "welcome", "endorse", "favour", "favor", "revisit", "embrace",
            "want", "urge", "join"}
_CONSIDER = {"consider", "discuss", "weigh", "explore", "mull", "examine", "study", "debate"}
_PROPOSAL_NOUNS = {"idea", "proposal", "plan", "initiative", "option", "deployment", "deploying",
                   "sending", "send", "deploy", "mission", "force", "forces", "troops", "presence"}
_EVENT = {"deploy", "send", "join", "fight", "attack", "invade", "sign", "kill", "launch", "strike",
          "move", "begin", "engage", "supply", "provide", "arrive", "enter", "cross", "capture",
          "seize", "withdraw", "transfer", "ship", "deliver", "fire", "bomb", "shell", "occupy",
          "station", "train", "mobilize", "mobilise", "recruit", "draft", "dispatch", "agree",
          "approve", "pass", "sanction", "impose", "ratify", "meet", "elect", "win", "lose", "die"}
_HEDGES = {"may", "might", "could", "would", "should", "possibly", "perhaps", "likely", "if",
           "whether", "unless"}
_REPORTED_NOUNS = {"reports", "report", "claims", "allegations", "intelligence", "rumours"}


_PRIORITY = ["unconfirmed", "denied", "confirmed", "proposed", "opposed", "supported", "considered",
             "reported", "asserted"]


@dataclass(slots=True)
class FoundClaim:
    text: str
    start: int
    end: int
    status: str
    holder_key: str | None
    holder_name: str | None
    cue: str | None


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    left = [t.lower_ for t in verb.doc[max(verb.sent.start, verb.i - 8):verb.i]]
    return "neither" in left or "nor" in left or "declined" in left or "unable" in left


def _hedged(verb: Token) -> bool:
    if any(c.lower_ in _HEDGES and c.dep_ in ("aux", "mark", "advmod") for c in verb.children):
        return True
    return verb.dep_ == "advcl" and any(c.lower_ == "if" for c in verb.children)


def _clause(verb: Token) -> list[Token]:
    """The verb's clause: its subtree without coordinated clauses."""
    skip: set[int] = set()
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            skip.update(t.i for t in c.subtree)
        if c.dep_ == "cc":
            skip.add(c.i)
    toks = [t for t in verb.subtree if t.i not in skip]
    while toks and (toks[-1].is_punct and toks[-1].text not in ("”", "\"")):
        toks.pop()
    while toks and toks[0].is_punct:
        toks.pop(0)
    return toks


def _holders(verb: Token, res: SpeakerResolver) -> list[Speaker]:
    agents = [t for c in verb.children if c.dep_ == "agent" for t in c.children if t.dep_ == "pobj"]
    out: list[Speaker] = []
    for head in agents or subject_heads(verb):
        r = res.resolve_head(head, verb.idx)
        if r != NOBODY and r not in out:
            out.append(r)
    return out or [NOBODY]


def _status(verb: Token, sent: Span) -> str | None:
    lemma = verb.lemma_.lower()
    words = {t.lower_ for t in verb.subtree} | {t.lemma_.lower() for t in verb.subtree}
    proposal = bool(words & _PROPOSAL_NOUNS)
    if lemma in _CONFIRM:
        if _negated(verb):
            return "unconfirmed"
        if _hedged(verb) or verb.dep_ in ("amod", "acomp"):
            return None
        return "confirmed"
    if lemma in _DENY and not proposal:
        return "denied"
    if proposal and lemma in _PROPOSE:
        return "proposed"
    if proposal and (lemma in _OPPOSE or (lemma == "vow" and "no" in words)):
        return "opposed"
    if proposal and lemma in _CONSIDER:
        return "considered"
    if proposal and (lemma in _SUPPORT or (lemma in ("interest", "express") and "interest" in words)):
        return "supported" if lemma not in ("express",) else "considered"
    if proposal and lemma in ("tell", "say", "add", "argue") and words & _SUPPORT:
        return "supported"
    if lemma in _REPORT:
        return "reported"
    if lemma in _EVENT and not _hedged(verb) and verb.dep_ in ("ROOT", "conj", "ccomp"):
        left = {t.lower_ for t in sent if t.i < verb.i}
        return "reported" if left & _REPORTED_NOUNS else "asserted"
    return None


@Language.component("storyline_claims", requires=["doc._.entities", "token.dep"],
                    assigns=["doc._.claims"])
def claims_component(doc: Doc) -> Doc:
    """Claims with holder and status, one per clause and holder."""
    res = SpeakerResolver(doc)
    out: list[FoundClaim] = []
    for sent in doc.sents:
        if not any(e.label_ in ("PERSON", "ORG", "GPE", "NORP") for e in sent.ents):
            continue
        taken: set[int] = set()
        found = [(v, st) for v in sent if v.pos_ in ("VERB", "NOUN") and (st := _status(v, sent))]
        found.sort(key=lambda x: (_PRIORITY.index(x[1]), x[0].i))
        for verb, status in found:
            if verb.i in taken:
                continue
            clause = _clause(verb)
            if status in ("reported",) and verb.dep_ in ("ccomp", "xcomp"):
                continue
            taken.update(t.i for t in clause if t.i != verb.i)
            use = clause if len(clause) >= 6 else list(sent)
            start, end = use[0].idx, use[-1].idx + len(use[-1].text)
            for key, name in _holders(verb, res):
                out.append(FoundClaim(doc.text[start:end], start, end, status, key, name,
                                      verb.lemma_))
    doc._.claims = out
    return doc
