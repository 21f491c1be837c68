"""Claims: clauses that state a checkable proposition, with holder and status.

Status comes from the wording around the clause's verb, in this order: an explicit failure to
confirm (``unconfirmed``), a denial (``denied``), a confirmation that is not hedged or
conditional (``confirmed``), a position on a proposal (``proposed|opposed|supported|considered``),
reported speech or a report (``reported``), and otherwise a plain, unhedged statement of an
event (``asserted``). One claim per holder: "Both X and Y denied…" gives two claims.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline import lang
from storyline.nlp import stance
from storyline.nlp.extensions import text_of
from storyline.nlp.holders import holders, quoted_by, said_cue
from storyline.nlp.speakers import SpeakerResolver, depth
from storyline.records import STANCES, ClaimRec

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
_CORE_DEPS = {"ccomp", "xcomp", "dobj", "attr", "prep", "nsubjpass"}
# Nouns that name a proposal as a thing one can back or oppose: the issue of a stance.
_ISSUE_NOUNS = {"idea", "proposal", "plan", "initiative", "option", "possibility", "prospect",
                "deployment", "mission", "presence", "concept", "scheme", "suggestion", "offer"}
# What a proposal would do, argued for or against it.
_GOOD = {"help", "ensure", "guarantee", "strengthen", "deter", "protect", "secure", "stabilise",
         "stabilize", "improve", "boost", "reassure", "prevent"}
_HARM = {"provoke", "escalate", "undermine", "weaken", "endanger", "hurt", "damage", "harm",
         "jeopardise", "jeopardize", "destabilise", "destabilize"}
_RESPONSE_NOUNS = {"response", "reaction", "answer", "reply", "verdict"}
_SHOW = {"express", "attract", "show", "draw", "signal", "voice"}  # "… interest in the idea"
_REPORTED_NOUNS = {"reports", "report", "claims", "allegations", "intelligence", "rumours"}


_TRIGGERS = (_CONFIRM | _DENY | _REPORT | _PROPOSE | _OPPOSE | _SUPPORT | _CONSIDER | _SHOW
             | {"interest", "rule", "vow", "tell", "say", "add", "argue"})
_MAIN = ("ROOT", "conj", "ccomp")

_PRIORITY = ["unconfirmed", "denied", "confirmed", "proposed", "opposed", "supported", "considered",
             "reported", "asserted"]


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    lo = max(0, verb.i - 8)
    lo = next((k for k in range(verb.i, lo - 1, -1) if verb.doc[k].is_sent_start), lo)
    left = [t.lower_ for t in verb.doc[lo:verb.i]]  # (Token.sent would walk the whole Doc)
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


def _status(verb: Token, sent: Span) -> str | None:
    """The status a trigger word gives the proposition it governs, or None."""
    lemma = verb.lemma_.lower()
    if lemma not in _TRIGGERS and not (verb.pos_ in ("VERB", "AUX") and verb.dep_ in _MAIN):
        return None  # cheap gate: most words can give no status
    if answer := _answer(verb):  # "the response from X was a resounding no"
        return answer
    words = {t.lower_ for t in verb.subtree} | {t.lemma_.lower() for t in verb.subtree}
    if verb.dep_ in ("advcl", "xcomp"):  # "floated the proposal only to be shot down by X"
        words |= {t.lemma_.lower() for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass")
                  for t in c.subtree}
    proposal = bool(words & _PROPOSAL_NOUNS)
    if lemma in _CONFIRM:
        if _negated(verb):
            return "unconfirmed"
        future = any(c.lower_ in ("will", "shall", "'ll") for c in verb.children)
        return None if future or _hedged(verb) or verb.dep_ in ("amod", "acomp") else "confirmed"
    if lemma in _DENY and not proposal:  # "rejected the offer" opposes a proposal;
        return "opposed" if words & stance.cues()["proposal"][0] else "denied"  # "… the claims" denies
    interest = lemma == "interest" and verb.head.lemma_.lower() in _SHOW
    position = _position(verb, lemma, words) if proposal or interest or lemma in _CONSIDER else None
    if position:
        return position
    if lemma in _REPORT:
        return "reported"
    if verb.pos_ in ("VERB", "AUX") and verb.dep_ in ("ROOT", "conj", "ccomp") and not _hedged(verb) \
            and (lemma in _EVENT or _checkable(verb)):
        left = {t.lower_ for t in sent if t.i < verb.i}
        return "reported" if left & _REPORTED_NOUNS else "asserted"
    return None


def _answer(verb: Token) -> str | None:
    """A response that is a plain yes or no: "the reaction from the unions was an emphatic yes"
    supports, "the answer was no" opposes (what was asked is the proposal before it)."""
    if verb.lemma_ != "be" or not any(c.dep_ == "nsubj" and c.lemma_.lower() in _RESPONSE_NOUNS
                                      for c in verb.children):
        return None
    said = {c.lower_ for c in verb.children if c.dep_ in ("attr", "acomp")}
    return "opposed" if "no" in said else "supported" if "yes" in said else None


def _position(verb: Token, lemma: str, words: set[str]) -> str | None:
    """A stance on a proposal: proposed, opposed, supported or considered."""
    if lemma == "rule" and "out" in words:  # "ruled out" opposes; "did not rule out" floats it
        return "proposed" if _negated(verb) else "opposed"
    if lemma in _PROPOSE:
        return "proposed"
    if lemma in _OPPOSE or (lemma == "vow" and words & {"no", "not", "never"}):
        return "opposed"
    if lemma in _CONSIDER or lemma == "interest" or (lemma == "express" and "interest" in words):
        return "considered"
    if lemma in _SUPPORT:
        return "opposed" if _negated(verb) else "supported"
    if lemma in ("tell", "say", "add", "argue") and words & _SUPPORT:
        return "supported"
    if verb.pos_ in ("VERB", "AUX") and _hedged(verb) and verb.dep_ in ("ROOT", "ccomp", "conj"):
        if lemma in _GOOD:  # "an agreement on armed forces could help deter …": an argument for
            return "supported"
        if lemma in _HARM:  # "sending troops could provoke …": an argument against
            return "opposed"
        return "considered"  # "this may well be the presence of European troops"
    if lemma in _REPORT:
        return "reported"
    return None


def _checkable(verb: Token) -> bool:
    """A plain statement about named parties: a main verb with two names or a name and a figure."""
    toks = list(verb.subtree)
    names = {t.ent_iob_ == "B" and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in toks}
    count = sum(1 for t in toks if t.ent_iob_ == "B" and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
    return bool(names) and (count >= 2 or any(t.like_num for t in toks)) and \
        not any(t.lower_ == "?" for t in toks)


def _triggers(sent: Span) -> list[tuple[Token, str]]:
    """(word, status) of every stance or event word, minus reports that only attribute another.

    "Rutte stated he could not confirm reports": the inner ``unconfirmed`` is the claim; the
    ``stated`` around it names who holds it and adds nothing else.
    """
    found = [(t, st) for t in sent if t.pos_ in ("VERB", "NOUN", "AUX") and (st := _status(t, sent))]
    keep = []
    for tok, status in found:
        inner = [o for o, st in found if o.i != tok.i and st not in ("reported", "asserted")
                 and tok.left_edge.i <= o.i <= tok.right_edge.i and depth(o) > depth(tok)]
        if status in ("reported", "asserted") and inner:
            continue
        keep.append((tok, status))
    return keep


def _claim_tokens(verb: Token, sent: Span) -> list[Token]:
    """What a claim quotes: its clause (with the noun a relative clause hangs on), or the sentence."""
    top = verb.head if verb.pos_ == "NOUN" and verb.head.pos_ in ("VERB", "AUX") else verb
    while top.dep_ in ("xcomp", "acomp") and top.head.i != top.i:  # "are ready to consider …"
        top = top.head
    clause = _clause(top)
    if verb.dep_ == "relcl":
        clause = [t for t in verb.head.subtree if t.i <= verb.right_edge.i]
    report, t = None, verb  # "X stated he could not confirm …": the report's own clause,
    while t.dep_ != "conj" and t.head.i != t.i:  # not the clauses joined to it
        t = t.head
        if t.lemma_.lower() in _REPORT:
            report = t
    if report is not None:
        clause = _clause(report)
    return list(sent) if len(clause) < 6 else clause


def _proposition(verb: Token, claim: list[Token]) -> str:
    """What is claimed without who claims it: the trigger's complement or object, else the claim.

    "Rutte could not confirm reports of troops fighting" -> "reports of troops fighting";
    "the ministry says the army has deployed 1,500 troops" -> "the army has deployed 1,500 troops".
    """
    parts = [c for c in verb.children if c.dep_ in _CORE_DEPS and c.i > verb.i]
    if verb.dep_ == "relcl" or not parts:
        parts = []
    toks = sorted({t.i: t for c in parts for t in c.subtree}.values(), key=lambda t: t.i)
    while toks and (toks[0].lower_ == "that" or toks[0].is_punct):
        toks.pop(0)
    if len(toks) < 3 or verb.lemma_.lower() not in _CONFIRM | _DENY | _REPORT | _PROPOSE | _OPPOSE \
            | _SUPPORT | _CONSIDER:
        toks = claim
    return verb.doc[toks[0].i:toks[-1].i + 1].text if toks else ""


def _agent(verb: Token) -> bool:
    """Whether a stance inside another names its own holder by a passive agent: "floated the
    proposal only to be shot down by X" holds X's opposition as well as the proposal."""
    return any(c.dep_ == "agent" for c in verb.children)


def _governed(verb: Token) -> list[Token]:
    """What the verb a stance hangs on acts upon: "floated the proposal only to be shot down"
    -> "the proposal"."""
    if verb.dep_ not in ("advcl", "xcomp"):
        return []
    return [t for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass") for t in c.subtree]


def _issue(claim: list[Token]) -> str | None:
    """The proposal a stance is on, without who put it forward or backs it: the noun phrase of
    the highest proposal noun in the claim ("revisit French President X's idea of deploying
    troops" -> "idea of deploying troops"; "the idea put forward by X" -> "the idea")."""
    inside = {t.i for t in claim}
    nouns = [t for t in claim if t.pos_ == "NOUN" and t.lemma_.lower() in _ISSUE_NOUNS]
    if not nouns:
        return None
    head = min(nouns, key=lambda t: (depth(t), t.i))
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":  # "the concept was that X …": X
        said = [c for c in head.head.children if c.dep_ in ("ccomp", "attr", "xcomp")
                and c.i > head.i and c.i in inside]
        if said:
            toks = [t for t in said[0].subtree if t.i in inside]
            while toks and (toks[0].lower_ == "that" or toks[0].is_punct):
                toks.pop(0)
            return head.doc[toks[0].i:toks[-1].i + 1].text if len(toks) >= 3 else None
    drop = {d.i for c in head.children if _actor_part(c) for d in c.subtree}
    lo = hi = head.i
    while lo - 1 in inside and lo - 1 >= head.left_edge.i and lo - 1 not in drop:
        lo -= 1
    while hi + 1 in inside and hi + 1 <= head.right_edge.i and hi + 1 not in drop \
            and head.doc[hi + 1].text != ",":  # ", laying the groundwork for …": an aside
        hi += 1
    span = head.doc[lo:hi + 1]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    return span.text


def _actor_part(child: Token) -> bool:
    """A part of a proposal's noun phrase that says whose it is, not what it is: "X's idea",
    "the idea put forward by X", "the plan, which X backs" (not "the plan to close the road")."""
    if child.dep_ in ("poss", "relcl", "appos"):
        return True
    return child.dep_ == "acl" and (child.tag_ in ("VBN", "VBD")
                                    or any(c.dep_ == "agent" for c in child.children))


# Statuses that the wording rules give plainly enough to stand over the learned model: a denial,
# and a stance verb on a proposal ("rejected the plan", "backed the bid", "proposed a ballot").
# On bbc-dev these rules were right far more often than their other statuses (fitted to the
# seeds, they called many plain positions "confirmed" or "considered").
_RULED = frozenset({"denied", "opposed", "supported", "proposed"})
# "considering the plan", "expressed interest in the idea"; a hedged position is weighed too
_WEIGH = _CONSIDER | {"interest", "express"}
# An article argues over proposals when its wording takes at least this many positions and this
# many times as many as it gives event statuses (bbc-dev: policy rows and takeover battles take
# dozens, trials and inquiries few beside their denials).
_ARGUED_MIN = 3
# Negations that make a speaker's own knowledge a failure to confirm ("we know nothing of it").
_NOT_KNOWN = frozenset({"not", "n't", "never", "nothing", "no"})
# Features (stance.features) of words that evaluate, argue or speak for oneself, not of a plain
# report of a fact ("the agency says 1,500 troops have been deployed" stays a report).
_EVALUATIVE = ("bad", "good", "oppose", "support", "propose", "consider", "hedge", "neg", "first",
               "quote")
_ARGUED_RATIO = 2.0
# A sentence without a status word still states something when it has a finite verb and at
# least this many words (shorter lines are captions, datelines and fragments).
_MIN_WORDS = 5
# Cue classes (stance_cues.json) that mark a position: without one, a claim is not a stance.
_POSITION_CUES = ("oppose", "support", "propose", "consider", "proposal")
_EVALUATION_CUES = ("bad", "good")


@Language.component("storyline_claims", requires=["doc._.entities", "doc._.quotes", "token.dep"],
                    assigns=["doc._.claims"])
def claims_component(doc: Doc) -> Doc:
    """Claims with holder and status, one per clause and holder; every sentence that states
    something gives at least one."""
    res = SpeakerResolver(doc)
    kind = stance.article_kind(doc)
    out: list[ClaimRec] = []
    found = candidates(doc)
    argued = argued_article(found)
    for verb, ruled, use in found:
        start, end = use[0].idx, use[-1].idx + len(use[-1].text)
        status = decide(verb, ruled, use, kind, argued)
        proposition = _proposition(verb, use)
        if status in STANCES:
            proposition = _issue(use) or _issue(_governed(verb)) or proposition
        quote = quoted_by(doc, start, end)
        for key, name in holders(verb, res, quote):
            said = quote is not None and (key, name) == (quote.speaker_key, quote.speaker_name)
            cue = said_cue(quote, _saying()) if quote and said else verb.lemma_  # his quote
            out.append(ClaimRec(text=text_of(doc)[start:end], start=start, end=end, status=status,
                                holder_key=key, holder_name=name, cue=cue,
                                proposition=proposition))
    doc._.claims = out
    return doc


def candidates(doc: Doc) -> list[tuple[Token, str, list[Token]]]:
    """(trigger word, the status its wording gives, the claim's words) of every claim, one per
    clause; read by the component and by the status model's training (scripts/train_stance.py)."""
    out: list[tuple[Token, str, list[Token]]] = []
    for sent in doc.sents:
        taken: set[int] = set()
        found = sorted(_triggers(sent), key=lambda x: (_PRIORITY.index(x[1]), x[0].i))
        if not found and (verb := _statement(sent)) is not None:
            found = [(verb, "asserted")]
        for verb, ruled in found:
            if verb.i in taken:
                continue
            use = _claim_tokens(verb, sent)
            own = {t.i for v, _ in found if v.i != verb.i and _agent(v) for t in v.subtree}
            taken.update(t.i for t in _clause(verb) if t.i != verb.i and t.i not in own)
            while use and use[-1].is_punct and use[-1].text not in ("”", "\"", "."):
                use.pop()
            if use:
                out.append((verb, ruled, use))
    return out


def decide(verb: Token, ruled: str, use: list[Token], kind: tuple[float, float],
           argued: bool = False) -> str:
    """A claim's status: the wording's where it is plain, else the learned one; in an argued
    article (:func:`argued_article`) what someone says is a position on the issue."""
    plain = ruled in _RULED or (ruled == "considered" and (verb.lemma_.lower() in _WEIGH
                                                          or _hedged(verb)))
    if plain:
        return ruled
    status = _learned(use, kind, ruled)
    if argued and status in ("reported", "asserted") and _said(use, verb):
        feats = stance.features(use, kind)
        checks = any(feats.get(c) for c in ("confirm", "deny", "unconfirm")) or any(
            t.lemma_.lower() in _REPORTED_NOUNS | {"information"} for t in use)
        if any(feats.get(c) for c in _EVALUATIVE) and not checks:  # not "the reports will be
            # verified", "if the information is confirmed": what is said of an event
            found = stance.scores(feats)
            return max(STANCES, key=lambda st: found.get(st, 0.0))
    return status


def argued_article(found: list[tuple[Token, str, list[Token]]]) -> bool:
    """Whether an article argues over proposals rather than reports events: its wording takes
    at least ``_ARGUED_MIN`` positions and ``_ARGUED_RATIO`` times as many as it gives event
    statuses (denials, confirmations)."""
    positions = sum(1 for _, st, _ in found if st in STANCES)
    events = sum(1 for _, st, _ in found if st in ("denied", "confirmed", "unconfirmed"))
    return positions >= _ARGUED_MIN and positions >= _ARGUED_RATIO * events


def _said(use: list[Token], verb: Token) -> bool:
    """Whether a claim is someone's words: a verb of saying, or quotation marks."""
    return verb.lemma_.lower() in _saying() or any(t.text in ('"', "“", "”") for t in use) \
        or any(t.lemma_.lower() in _saying() and t.pos_ == "VERB" for t in use)


@lru_cache(maxsize=1)
def _saying() -> frozenset[str]:
    """Lemmas of the verbs of saying (``lang/en/reporting_verbs.json``)."""
    return frozenset(lang.table("reporting_verbs", "en")["verbs"])


def _learned(toks: list[Token], kind: tuple[float, float], ruled: str) -> str:
    """The learned status; a hedged, conditional or future statement is never a confirmation,
    and a claim with no word of a position (no stance verb, evaluation or proposal noun) takes
    none: it keeps what its wording gives (``ruled``). The model's prior leans to positions (most
    annotated claims are), which on plain event news would call every report a stance."""
    feats = stance.features(toks, kind)
    status = stance.status(feats)
    if status != "confirmed" and feats.get("unconfirm") and feats.get("first") \
            and not feats.get("deny") and not _positional(feats, kind) \
            and any(t.lower_ in _NOT_KNOWN for t in toks):
        return "unconfirmed"  # "nobody has told me of a result": not known to the speaker
    if status in STANCES and not _positional(feats, kind):
        return ruled
    if status == "confirmed" and any(t.lower_ in _HEDGES or t.lower_ in ("will", "'ll", "shall")
                                     for t in toks):
        return "reported"
    return status


def _positional(feats: dict[str, float], kind: tuple[float, float]) -> bool:
    """Whether a claim's words can take a position: a stance word or a proposal noun, or an
    evaluation in an article about proposals more than events; and not an event noun alone
    ("the reports will be verified" is about an event, however sure the speaker)."""
    if feats.get("event") and not feats.get("proposal"):
        return False
    return any(feats.get(c) for c in _POSITION_CUES) or (
        kind[0] > kind[1] and any(feats.get(c) for c in _EVALUATION_CUES))


def _statement(sent: Span) -> Token | None:
    """The main verb of a sentence that states something: finite, not a question."""
    root = sent.root
    words = sum(1 for t in sent if not t.is_punct and not t.is_space)
    if words < _MIN_WORDS or sent.text.rstrip().endswith("?"):
        return None
    if root.pos_ in ("VERB", "AUX") or any(t.pos_ in ("VERB", "AUX") and t.dep_ != "amod"
                                           for t in sent):
        return root
    return None
