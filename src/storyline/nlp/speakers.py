"""Who is speaking: subject phrases of cue verbs resolved to entities or kept as printed.

A speaker is ``(entity_key, name)``: a key when an entity of the document fits, otherwise the
phrase as printed ("a senior official briefed on the talks"), otherwise ``(None, None)``.
Resolution, in order: a person in apposition ("his adviser, Jane Roe, said"); a pronoun to the
last fitting speaker or mention; a role noun to the person of the document who holds that role
("the Lithuanian minister" -> the person whose role is "Lithuanian Foreign Minister"), or to the
phrase that introduced an anonymous source ("the diplomat" -> "a European diplomat"); a
spokesperson to the organisation; a named entity inside the phrase; the phrase itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from storyline.data import gazetteer, role_words
from storyline.lang import FALLBACK, table, words
from storyline.nlp.extensions import text_of

Speaker = tuple[str | None, str | None]
NOBODY: Speaker = (None, None)


@dataclass(frozen=True, slots=True)
class SpeakerWords:
    """The word sets of ``lang/<code>/speaker_words.json`` (its ``_about`` says what each is)."""

    pronouns: frozenset[str]
    animate: frozenset[str]
    spokes: frozenset[str]
    person_nouns: frozenset[str]
    leaders: frozenset[str]
    heads_of_state: frozenset[str]
    modifier: str  # a regex for one word that can modify an anonymous source's noun


@lru_cache(maxsize=8)
def speaker_words(code: str = FALLBACK) -> SpeakerWords:
    """The speaker word sets for a language (English where the language has none)."""
    t = table("speaker_words", code or FALLBACK)
    sets = {k: frozenset(t[k]) for k in ("pronouns", "animate", "spokes", "person_nouns", "leaders",
                                         "heads_of_state")}
    stops = "|".join(re.escape(w) for w in sorted(t["not_modifiers"]))
    return SpeakerWords(**sets, modifier=rf"(?!(?:{stops})\b)[\w-]+")


PRONOUNS = speaker_words().pronouns  # English's, for callers without a Doc at hand
_JOINS = {"punct", "cc", "conj", "preconj"}  # never part of the phrase after its head
_CLAUSES = {"relcl", "appos", "acl"}  # part of it only when the full description is wanted


@lru_cache(maxsize=1)
def _gendered_titles() -> dict[str, str]:
    """Title -> "he" or "she": the pronoun that can stand for a person written with it."""
    titles = table("titles")
    return {t: p for key, p in (("male", "he"), ("female", "she")) for t in titles.get(key, ())}


def pronoun_of(aliases: set[str] | list[str]) -> str | None:
    """ "he" or "she" when a title of the person's printed forms says which ("Mrs Roe"),
    None when none does or they disagree."""
    titles = _gendered_titles()
    found = {titles[w] for a in aliases if (w := a.split(" ", 1)[0].lower().rstrip(".")) in titles
             and " " in a}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def _state_of() -> dict[str, str]:
    """Lower-cased demonyms and state names -> state name."""
    gaz = gazetteer()
    out = {k.casefold(): v for k, v in gaz["demonyms"].items() if v}
    out.update({v.casefold(): v for v in gaz["demonyms"].values() if v})
    return out


def _norm(word: str) -> str:
    word = re.sub(r"[’']s$", "", word.casefold()).strip(".,")
    return _state_of().get(word, word).casefold()


def _same_word(word: str, words: set[str]) -> bool:
    """``word`` among ``words``, allowing a demonym for its country (Ostrana/Ostranian)."""
    return word in words or (len(word) >= 5 and any(w[:5] == word[:5] for w in words))


_DASHES = frozenset("–—―-")


def dateline(tok: Token) -> bool:
    """Whether ``tok`` is the place of a dateline ("TARN (Agency) – …", "TARN ― …"): the
    paragraph's first words, then a dash before any verb."""
    doc, start = tok.doc, tok.sent.start
    if tok.pos_ != "PROPN" or (tok.ent_type_ not in ("GPE", "") and not tok.text.isupper()):
        return False  # a person or a body named first ("Anna Berg – the mayor – said")
    if tok.i - start > 3 or (start > 0 and "\n" not in doc[start - 1].whitespace_ + doc[start - 1].text):
        return False
    for t in doc[tok.i + 1:min(tok.i + 8, tok.sent.end)]:
        if t.text in _DASHES:
            return True
        if t.pos_ in ("VERB", "AUX") or (t.is_punct and t.text not in "(),"):
            return False
    return False


def subject_heads(verb: Token) -> list[Token]:
    """Heads of the cue verb's subject, one per conjunct ("the Kremlin and Pyongyang denied")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and not dateline(child):
            return [child, *[c for c in child.conjuncts if c.i > child.i]]
    if verb.dep_ in ("acl", "amod") and verb.tag_ == "VBG" and verb.head.dep_ == "dobj" and \
            verb.head.lemma_.lower() in words("statement_nouns") and verb.head.head.i != verb.head.i:
        return subject_heads(verb.head.head)  # "X issued a statement saying …"
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":  # "X warned that …, emphasizing …"
        chain = [verb.head]
        while chain[-1].dep_ in ("ccomp", "xcomp", "advcl", "conj") and chain[-1].head.i != chain[-1].i:
            chain.append(chain[-1].head)
        # the main clause's subject; below it when that is a dateline ("TARN ― X said …, adding")
        return next((heads for up in reversed(chain) if (heads := subject_heads(up))), [])
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return subject_heads(verb.head)
    for child in verb.children:  # "said X" inversion parsed as dobj/attr
        if child.dep_ in ("dobj", "attr", "npadvmod") and child.i > verb.i and \
                (child.ent_type_ in ("PERSON", "ORG", "GPE") or child.pos_ == "PROPN"):
            return [child]
    if verb.dep_ == "relcl":
        return [verb.head]
    return []


def phrase_of(head: Token, full: bool = False) -> list[Token]:
    """The phrase a head stands for; without clauses and appositions unless ``full``."""
    keep = [head]
    for child in head.children:
        if child.i > head.i and (child.dep_ in _JOINS or (not full and child.dep_ in _CLAUSES)):
            continue
        keep.extend(child.subtree)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    toks = list(head.doc[lo:hi + 1])
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    return toks


def depth(tok: Token) -> int:
    """How many heads above the sentence root a token sits."""
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


class SpeakerResolver:
    """Turns subject phrases into speakers, remembering the last one for continuations."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities = list(doc._.entities or [])
        # names the document knows as people, whatever spaCy tagged a mention ("Terhas" as GPE)
        self.persons = {e.key for e in self.entities if e.label == "PERSON"}
        self.last: Speaker = NOBODY
        self.last_end = 0
        self.last_plural: tuple[Speaker, int] | None = None
        # which pronoun can stand for whom ("Mrs Roe" is no "he"), by entity key
        self.pronoun = {e.key: p for e in self.entities if (p := pronoun_of(e.aliases))}
        # (start, end) of the direct quotes: a name inside a quote is not who "he" is
        self.quoted: list[tuple[int, int]] = []
        self.words = speaker_words(doc.lang_)
        self.sentence_starts: list[int] | None = None  # the ranker's, computed when first asked

    def _fits(self, key: str | None, pronoun: str) -> bool:
        """Whether ``pronoun`` can stand for the entity ``key`` (an unknown gender fits)."""
        return self.pronoun.get(key or "", pronoun) == pronoun

    def _outside_quotes(self, ent: Span) -> bool:
        return not any(a <= ent.start_char < b for a, b in self.quoted)

    def remember(self, speaker: Speaker, end: int, head: Token | None = None) -> None:
        if speaker == NOBODY:
            return
        self.last, self.last_end = speaker, end
        if head is not None and (head.tag_ in ("NNS", "NNPS") or head.ent_type_ in ("ORG", "GPE")):
            self.last_plural = (speaker, head.idx)

    def resolve_head(self, head: Token, at: int) -> Speaker:
        """Speaker of the subject whose head token is ``head``."""
        if head.lower_ in self.words.pronouns:
            return self._pronoun(head.lower_, at)
        for child in head.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return self.resolve(phrase_of(child), at)
        return self.resolve(phrase_of(head), at, full=phrase_of(head, full=True))

    def resolve(self, phrase: list[Token], at: int, full: list[Token] | None = None) -> Speaker:
        """Speaker of a phrase; ``full`` is what to print for an anonymous source."""
        if not phrase:
            return NOBODY
        head = min(phrase, key=depth)
        if len(phrase) == 1 and head.lower_ in self.words.pronouns:
            return self._pronoun(head.lower_, at)
        lemma, w = head.lemma_.lower(), self.words
        if not head.ent_type_ and lemma in w.spokes:
            owner = [t for t in phrase if t.ent_type_ in ("ORG", "GPE", "NORP")]
            if owner:
                return self._entity(owner) or NOBODY
        if not head.ent_type_ and head.tag_ == "NNS" and lemma not in w.spokes and any(
                c.dep_ == "poss" and c.ent_type_ == "PERSON" for c in head.children):
            return None, _text(phrase)  # "Roe's lawyers said": the lawyers, not Roe
        if not head.ent_type_ and (lemma in w.person_nouns or lemma in role_words()):
            return self._role(phrase, head, at, full or phrase)
        found = self._entity(phrase)
        if found:
            return found
        animate = head.pos_ == "PROPN" or lemma in w.animate or lemma in w.person_nouns
        return (None, _text(full or phrase)) if animate else NOBODY

    def _entity(self, toks: list[Token]) -> Speaker | None:
        head = min(toks, key=depth)
        ents = [e for e in self.doc.ents if e.start <= head.i < e.end and e._.entity_key]
        if not ents:
            ents = [e for e in self.doc.ents if e._.entity_key and e.start >= toks[0].i
                    and e.end <= toks[-1].i + 1 and e.label_ in ("PERSON", "ORG", "GPE")]
            ents.sort(key=lambda e: (e.label_ != "PERSON", e.label_ != "ORG", -e.start))
        if ents:
            return str(ents[0]._.entity_key), None
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        for ent in self.entities:
            if any(a <= s and e <= b for s, e in ent.spans):
                return ent.key, None
        return None

    def _role(self, phrase: list[Token], head: Token, at: int, full: list[Token]) -> Speaker:
        """A role noun: the person holding the role, else the anonymous source as introduced."""
        mods = {_norm(t.text) for t in phrase if t.i != head.i and not t.is_stop and not t.is_punct}
        lemma = head.lemma_.lower()
        best: tuple[int, str] | None = None
        for ent in self.entities:
            if ent.label != "PERSON":
                continue
            for role in ent.roles:
                words = {_norm(w) for w in re.findall(r"[\w’'.-]+", role)}
                fits = lemma in words or head.lower_ in words or (
                    lemma in self.words.leaders and bool(words & self.words.heads_of_state))
                if fits and all(_same_word(m, words) for m in mods):
                    seen = max((s for s, _ in ent.spans if s < at), default=-1)
                    if best is None or seen > best[0]:
                        best = (seen, ent.key)
        if best is not None:
            return best[1], None
        definite = phrase[0].lower_ in ("the", "this", "that")
        if definite:
            earlier = self._earlier_phrase(head.lower_, phrase[0].idx)
            if earlier:
                return None, earlier
        if lemma in self.words.spokes:  # "A spokesman said", right after the body was named
            return self._entity(phrase) or self._recent_body(at) or (None, _text(full))
        return None, _text(full)

    def _recent_body(self, at: int) -> Speaker | None:
        """The body a bare "spokesman" speaks for: the organisation that spoke last, else the
        nearest organisation named just before, else the nearest state."""
        labels = {e.key: e.label for e in self.entities}
        if self.last[0] and labels.get(self.last[0]) in ("ORG", "GPE") and at - self.last_end < 400:
            return self.last
        for label in ("ORG", "GPE"):
            bodies = [e for e in self.doc.ents if e.label_ == label and e._.entity_key
                      and at - 300 < e.end_char <= at]
            if bodies:
                return str(bodies[-1]._.entity_key), None
        return None

    def _pronoun(self, pronoun: str, at: int) -> Speaker:
        if pronoun in ("i", "we"):
            return self.last
        if pronoun == "it":
            groups = [e for e in self.doc.ents if e.label_ == "ORG" and e.end_char <= at
                      and e._.entity_key and e.end_char > at - 300]
            return (str(groups[-1]._.entity_key), None) if groups else NOBODY
        if pronoun == "they":
            if self.last_plural and at - self.last_plural[1] < 600:
                return self.last_plural[0]
            groups = [e for e in self.doc.ents if e.label_ in ("ORG", "GPE") and e.end_char <= at
                      and e._.entity_key]
            return (str(groups[-1]._.entity_key), None) if groups else self.last
        people = [e for e in self.doc.ents if e.end_char <= at and e._.entity_key
                  and (e.label_ == "PERSON" or e._.entity_key in self.persons)
                  and self._fits(e._.entity_key, pronoun) and self._outside_quotes(e)]
        last = self.last if self._fits(self.last[0], pronoun) else NOBODY
        if not people:
            return last
        nearest = people[-1]
        # "Terhas downplayed …, which he said shows Putin's Russia is …. Moreover, he said, …":
        # he is the subject of this or the last sentence, not a name inside it
        here = self._sentence_at(at) or nearest.sent
        window = here.start_char if here.start == 0 else self.doc[here.start - 1].sent.start_char
        subjects = [e for e in people if e.start_char >= window and e.root.dep_ in ("nsubj", "nsubjpass")]
        if subjects:  # the subject of a main clause before one inside a report
            main = min(subjects, key=lambda e: (depth(e.root), -e.start))
            return str(main._.entity_key), None
        if last != NOBODY and not (nearest.sent.start_char <= at and nearest.end_char > at - 200):
            return last
        return str(nearest._.entity_key), None

    def _sentence_at(self, at: int) -> Span | None:
        span = self.doc.char_span(at, min(at + 1, len(text_of(self.doc))), alignment_mode="expand")
        return span.sent if span is not None and len(span) else None

    def _earlier_phrase(self, head: str, at: int) -> str | None:
        """ "the diplomat said" -> "a European diplomat" introduced earlier in the document."""
        m = None
        for m in re.finditer(rf"\b(?:a|an|one|the)\s+(?:{self.words.modifier}\s+){{1,3}}{re.escape(head)}\b",
                             text_of(self.doc)[:at], re.I):
            pass
        return m.group(0) if m else None


def _text(toks: list[Token] | Span) -> str | None:
    toks = list(toks)
    return toks[0].doc[toks[0].i:toks[-1].i + 1].text if toks else None
