"""Give every unanalysed document of a large store the analysis of a document of a small one.

Building a 100,000-article store with real nlp results takes hours on two cores. To time the
API's entity and claim pages at that size, this copies the mentions, claims, entities and
clusters of an analysed store (``make bench`` builds one from the BBC corpus) onto the documents
of a large store that was ingested with ``--no-nlp``, document by document in turn, claims with
their embeddings, so that adding articles to it places their claims among 1.3 million. The
figures it leads to are labelled as measured on a replicated store; its clusters are each about
40 times a natural one (every copy of a claim joins its original's cluster).

Usage: python benchmarks/replicate_analysis.py SOURCE_DB TARGET_DB
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from sqlalchemy import func, insert, select

from storyline.store import Claim, Cluster, Document, Entity, Mention, Store

_CHUNK = 10_000


def _rows(store: Store, model: Any, skip: set[str]) -> dict[int, list[dict[str, Any]]]:
    cols = [c for c in model.__table__.columns if c.name not in skip]
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with store.session() as s:
        for r in s.execute(select(*cols)):
            row = dict(r._mapping)
            out[row.pop("document_id")].append(row)
    return out


def replicate(source: Store, target: Store) -> dict[str, int]:
    mentions = _rows(source, Mention, {"id"})
    claims = _rows(source, Claim, {"id"})
    donors = sorted(set(mentions) & set(claims))
    with source.session() as s:
        entities = [dict(r._mapping) for r in s.execute(select(*Entity.__table__.columns))]
        clusters = [dict(r._mapping) for r in s.execute(select(*Cluster.__table__.columns))]
    with target.session.begin() as s:
        done = set(s.scalars(select(Mention.document_id).distinct()))
        targets = [d for d in s.scalars(select(Document.id).order_by(Document.id)) if d not in done]
        if not targets:
            return {"documents": 0, "mentions": 0, "claims": 0}
        e_off = (s.scalar(select(func.max(Entity.id))) or 0)
        k_off = (s.scalar(select(func.max(Cluster.id))) or 0)
        s.execute(insert(Entity), [dict(e, id=e["id"] + e_off) for e in entities])
        s.execute(insert(Cluster), [dict(k, id=k["id"] + k_off) for k in clusters])
    counts = {"documents": 0, "mentions": 0, "claims": 0}
    batch: dict[Any, list[dict[str, Any]]] = {Mention: [], Claim: []}
    for n, doc_id in enumerate(targets):
        donor = donors[n % len(donors)]
        batch[Mention] += [dict(m, document_id=doc_id, entity_id=m["entity_id"] and m["entity_id"] + e_off)
                           for m in mentions[donor]]
        batch[Claim] += [dict(c, document_id=doc_id, cluster_id=c["cluster_id"] and c["cluster_id"] + k_off)
                         for c in claims[donor]]
        counts["documents"] += 1
        if len(batch[Mention]) >= _CHUNK or n == len(targets) - 1:
            with target.session.begin() as s:
                for model, rows in batch.items():
                    if rows:
                        s.execute(insert(model), rows)
                        counts["mentions" if model is Mention else "claims"] += len(rows)
            batch = {Mention: [], Claim: []}
    return counts


if __name__ == "__main__":
    with Store(sys.argv[1]) as src, Store(sys.argv[2]) as dst:
        print(replicate(src, dst))
