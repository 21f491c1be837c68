"""Who holds a claim: the one who takes the position or states it, never a name it only mentions.

In order: the speaker of the quote the claim is made in (a direct quote, reported words, or a
quote that runs on from the last one when the corpus lost a paragraph break and never closed the
mark); for a verb of saying whose subject is a pronoun, the speaker the quote finder resolved;
the passive agent ("rejected by the board"); the subject, where "X, a spokesman for Y" is Y, a
definite description of a body ("the club", "the group") is the organisation the article is
about, and a common noun that only names an entity in a modifier ("the UK's biggest union",
"Mr X's lawyers") is held by the phrase as printed, not by the entity. A passive subject is what
is done or said of, never who says it ("X is accused of fraud": not X). Word lists:
``lang/en/holder_words.json``.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from storyline import lang
from storyline.data import role_words
from storyline.nlp.speakers import NOBODY, PRONOUNS, Speaker, SpeakerResolver, phrase_of, subject_heads
from storyline.records import QuoteRec

# A claim is made in a quote when this share of its words is quoted (the rest is attribution:
# '"…," the minister said, adding …').
QUOTED_SHARE = 0.5
# A quote runs on into the next sentence only when it opened at most this many characters
# before it (one paragraph of the corpus's lost breaks; beyond it the mark is stray).
RUN_ON_CHARS = 600
_MARKS = ('"', "“", "”")


@lru_cache(maxsize=4)
def words(code: str = "en") -> dict[str, frozenset[str]]:
    """The holder word classes of a language (``lang/<code>/holder_words.json``)."""
    return {k: frozenset(v) for k, v in lang.table("holder_words", code).items()
            if not k.startswith("_")}


def quoted_by(doc: Doc, start: int, end: int) -> QuoteRec | None:
    """The quote a claim is made in, when it lies mostly inside one that has a speaker; else a
    quote that runs on into the claim's sentence from the sentence before."""
    best: tuple[int, QuoteRec] | None = None
    for q in doc._.quotes or []:
        inside = min(end, q.end) - max(start, q.start)
        if inside > QUOTED_SHARE * (end - start) and (q.speaker_key or q.speaker_name) \
                and (best is None or inside > best[0]):
            best = (inside, q)
    return best[1] if best else _run_on(doc, start)


def _run_on(doc: Doc, start: int) -> QuoteRec | None:
    """A sentence that opens a quotation mark right after an attributed quote whose mark was
    never closed ('He said: "The plan must change. "If it does not, it will fail."'): the
    same speaker goes on."""
    text = doc.text
    head = text[start:start + 2].lstrip()
    if not head or head[0] not in _MARKS:
        return None
    before = [q for q in doc._.quotes or [] if q.end <= start and (q.speaker_key or q.speaker_name)
              and start - q.start < RUN_ON_CHARS]
    if not before:
        return None
    last = max(before, key=lambda q: q.end)
    opened = text.rfind('"', 0, last.start + 1), text.rfind("“", 0, last.start + 1)
    mark = max(opened)
    if mark < 0 or last.start - mark > 2:
        return None  # not a direct quote of its own
    between = text[mark:start]
    return last if sum(between.count(m) for m in _MARKS) % 2 == 1 else None


def said_cue(q: QuoteRec, saying: frozenset[str]) -> str:
    """The verb of saying a claim made in a quote is said with: the quote's, or "say" for a
    quote with no verb ("according to X", a run-on quote)."""
    return q.cue if q.cue and q.cue in saying else "say"


def holders(verb: Token, res: SpeakerResolver, quoted: QuoteRec | None) -> list[Speaker]:
    """Who holds the claim of ``verb`` (one per subject conjunct)."""
    speaker = (quoted.speaker_key, quoted.speaker_name) if quoted else None
    agents = [t for c in verb.children if c.dep_ == "agent" for t in c.children if t.dep_ == "pobj"]
    heads = [_respondent(h) for h in agents or subject_heads(verb)]
    if speaker and (all(h.lower_ in PRONOUNS for h in heads) or _inside_quote(verb)):
        return [speaker]  # what a speaker says inside his quote is his position, whoever it names
    if not agents and _patient(verb, heads):
        return [speaker or NOBODY]
    if heads and all(_press(h) for h in heads) and (inner := _reported_holder(verb, res)):
        return [inner]  # "X is poised to bid, media reports say": X's position, not the press's
    out: list[Speaker] = []
    for head in heads:
        for r in _pair(head, verb.idx) or [holder_of(head, res, verb.idx)]:
            if r != NOBODY and r not in out:
                out.append(r)
    return out or [speaker or NOBODY]


def _pair(head: Token, at: int) -> list[Speaker] | None:
    """ "the Irish duo", "the pair": the last two people named together before ``at`` ("X and
    Y, who own a stake")."""
    if head.lemma_.lower() not in words()["pairs"] or not _definite(head):
        return None
    found: list[Speaker] | None = None
    for tok in head.doc[:head.i]:
        kinds = {tok.ent_type_, tok.head.ent_type_}
        if tok.dep_ == "conj" and "PERSON" in kinds and kinds <= {"PERSON", "ORG"} \
                and tok.idx < at:  # (a person's name is sometimes tagged an organisation)
            keys = [_key(t) for t in (tok.head, tok)]
            if all(keys):
                found = [(k, None) for k in keys]
    return found


def _key(tok: Token) -> str | None:
    for e in tok.doc.ents:
        if e.start <= tok.i < e.end and e._.entity_key:
            return str(e._.entity_key)
    return None


def _press(head: Token) -> bool:
    """A reporter or the press as the subject of a report ("our correspondent added", "UK
    media reports say")."""
    press = words()["press"]
    return any(t.lemma_.lower() in press for t in phrase_of(head))


def _reported_holder(verb: Token, res: SpeakerResolver) -> Speaker | None:
    """The holder of what the press reports: the subject of the reported clause, when it is
    someone who can take a position (not a pronoun, not the proposal itself)."""
    said = [c for c in verb.children if c.dep_ == "ccomp"]
    if not said and verb.dep_ == "parataxis":  # "X is poised to bid, reports say"
        said = [verb.head]
    for clause in said:
        for h in subject_heads(clause):
            if h.lower_ in PRONOUNS or h.dep_ == "nsubjpass":
                continue
            found = holder_of(h, res, verb.idx)
            if found != NOBODY:
                return found
    return None


def _patient(verb: Token, heads: list[Token]) -> bool:
    """A passive subject with no agent: what is done or said of it ("X is accused of …"),
    unless the passive reports the subject's own position ("X is said to oppose …")."""
    if not heads or not all(h.dep_ == "nsubjpass" and h.head.i == verb.i for h in heads):
        return False
    return not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children)


def holder_of(head: Token, res: SpeakerResolver, at: int) -> Speaker:
    """The holder a subject head stands for."""
    table = words()
    lemma = head.lemma_.lower()
    if head.lower_ not in PRONOUNS and (body := _spokesman_for(head)) is not None:
        return res.resolve(phrase_of(body), at)
    if (owner := _owner(head)) is not None:
        return res.resolve(phrase_of(owner), at)
    found = res.resolve_head(head, at)
    if head.lower_ in PRONOUNS or head.ent_type_ or head.pos_ == "PROPN" or _named_by(head):
        return found
    if lemma in table["bodies"] and _definite(head):
        return _salient_org(head, at) or found
    mentioned = found != NOBODY and found[0] is not None
    if mentioned and lemma not in table["speaks_for"] and lemma not in role_words():
        return None, _printed(head)  # "the UK's biggest union": the union, not the UK
    if found == NOBODY and lemma not in table["not_holders"]:
        return None, _printed(head)
    return found


def _owner(head: Token) -> Token | None:
    """A named owner of a body or a thing that does or says what its owner does: "X's board
    has agreed", "X's inquiry found", "X's plans would …" are X's (a person's group, "X's
    lawyers", speaks for itself)."""
    table = words()
    lemma = head.lemma_.lower()
    if head.ent_type_ or not (lemma in table["bodies"] or lemma in table["not_holders"]
                              or lemma in table["works"]):
        return None
    return next((c for c in head.children if c.dep_ == "poss"
                 and c.ent_type_ in ("PERSON", "ORG", "GPE")), None)


def _spokesman_for(head: Token) -> Token | None:
    """ "Ivo Marek, a spokesman for Ostrana Rail": Ostrana Rail."""
    table = words()
    for noun in [head, *(c for c in head.children if c.dep_ == "appos")]:
        if noun.lemma_.lower() not in table["spokesmen"]:
            continue
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at"):
                obj = next((t for t in prep.children if t.dep_ == "pobj"), None)
                if obj is not None and (obj.ent_type_ in ("ORG", "GPE") or obj.pos_ == "PROPN"):
                    return obj
    return None


def _named_by(head: Token) -> bool:
    """A common noun that names its holder: "the fan-based group X" (apposition or a name
    before it), or "X's board" where X is a person or an organisation (not a place: "the UK's
    biggest union" is a union)."""
    for c in head.children:
        if c.dep_ in ("appos", "compound") and c.ent_type_ in ("PERSON", "ORG") and c.i != head.i:
            return c.dep_ == "appos" or c.i > head.i
        if c.dep_ == "poss" and c.ent_type_ in ("PERSON", "ORG"):
            return True
    return False


def _definite(head: Token) -> bool:
    """ "the club", "the Paris-based exchange": a definite body named by no phrase of its own."""
    return any(c.lower_ in ("the", "this", "that") and c.dep_ == "det" for c in head.children) \
        and not any(c.dep_ in ("poss", "compound", "prep", "relcl", "acl")
                    or c.ent_type_ in ("PERSON", "ORG", "GPE") for c in head.children)


def _salient_org(head: Token, at: int) -> Speaker | None:
    """The organisation a definite body stands for: of those named before ``at``, one whose
    name has the body's noun ("the union": the X Union) if any, else the one the article names
    most."""
    named = [e for e in head.doc.ents if e.label_ == "ORG" and e._.entity_key and e.end_char <= at]
    fits = [e for e in named if head.lemma_.lower() in e.text.lower().split()]
    seen = Counter(str(e._.entity_key) for e in fits or named)
    if not seen:
        return None
    return seen.most_common(1)[0][0], None


def _printed(head: Token) -> str:
    toks = phrase_of(head)
    if not toks:  # a head that is punctuation alone ("-" parsed as a subject)
        return head.text
    span: Span = head.doc[toks[0].i:toks[-1].i + 1]
    return span.text


def _inside_quote(verb: Token) -> bool:
    """Whether the verb is itself quoted (direct or reported words, not the attribution)."""
    return any(q.start <= verb.idx < q.end for q in verb.doc._.quotes or [])


def _respondent(head: Token) -> Token:
    """Who gave a response: "the response from many capitals" -> capitals."""
    if head.lemma_.lower() in words()["responses"]:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of"):
                return next((t for t in prep.children if t.dep_ == "pobj"), head)
    return head


__all__ = ["QUOTED_SHARE", "holder_of", "holders", "quoted_by", "said_cue", "words"]
