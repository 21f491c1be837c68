"""CSV tables: documents, claims, quotes, figures, entities and stories, one row per item, the ids
and fields of the JSON export (lists joined with "; "), so a spreadsheet and the JSON agree.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from storyline.assess import clusters
from storyline.store import Store

Row = dict[str, Any]

DOCUMENT_FIELDS = ["id", "source", "title", "byline", "outlet", "published", "language",
                   "origin_publisher", "origin_relation", "near_duplicate_of", "words"]
FIELDS: dict[str, list[str]] = {
    "documents": DOCUMENT_FIELDS,
    "claims": ["id", "document", "start", "end", "status", "source", "source_name", "cue", "date",
               "cluster", "text"],
    "quotes": ["document", "start", "end", "kind", "speaker", "speaker_name", "cue", "text"],
    "figures": ["document", "start", "end", "text", "value", "kind", "currency", "qualifier",
                "counts", "source", "source_name"],
    "entities": ["id", "name", "type", "aliases", "roles", "documents"],
    "stories": ["id", "label", "kind", "grade", "reliability", "credibility", "statuses", "claims",
                "documents"],
}
TABLES = tuple(FIELDS)


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return v


def _documents(data: dict[str, Any]) -> list[Row]:
    return [{"id": d["id"], "source": d["source"], "title": d["title"], "byline": d["byline"],
             "outlet": d["outlet"], "published": d["published"], "language": d["language"],
             "origin_publisher": d["origin"]["publisher"], "origin_relation": d["origin"]["relation"],
             "near_duplicate_of": d["near_duplicate_of"], "words": len(d["text"].split())}
            for d in data["documents"]]


def _entities(data: dict[str, Any]) -> list[Row]:
    return [dict(e, documents=len(e["documents"])) for e in data["entities"]]


_ROWS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "documents": _documents, "claims": lambda d: list(d["claims"]),
    "quotes": lambda d: list(d["quotes"]), "figures": lambda d: list(d["quantities"]),
    "entities": _entities,
}


def rows(store: Store, table: str, data: dict[str, Any]) -> list[Row]:
    """One table's rows (``data`` is the JSON export of the store)."""
    if table == "stories":
        return sorted(clusters(store), key=lambda k: int(str(k["id"])[1:]))
    return _ROWS[table](data)


def write(fh: IO[str], table: str, items: Iterable[Row]) -> int:
    w = csv.DictWriter(fh, fieldnames=FIELDS[table], extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    n = 0
    for r in items:
        w.writerow({k: _cell(r.get(k)) for k in FIELDS[table]})
        n += 1
    return n


def write_all(store: Store, data: dict[str, Any], target: Path) -> dict[str, int]:
    """Every table, one CSV each, into a folder or (a name ending .zip) a zip archive."""
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    for table in TABLES:
        buf = io.StringIO(newline="")
        counts[table] = write(buf, table, rows(store, table, data))
        texts[table] = buf.getvalue()
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for table, text in texts.items():
                info = zipfile.ZipInfo(f"{table}.csv", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text.encode("utf-8"))
    else:
        target.mkdir(parents=True, exist_ok=True)
        for table, text in texts.items():
            (target / f"{table}.csv").write_text(text, encoding="utf-8", newline="")
    return counts
