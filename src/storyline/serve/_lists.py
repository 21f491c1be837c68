"""The list pages' model: which filters, facets and sorts each list has, numbered pages, and the
same rows as JSON (the API's shape plus facets) and as CSV.

A list page is ``/<name>``; ``/<name>.json`` and ``/<name>.csv`` are its twins over the same
query string, so what a reader filtered is what they download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from storyline.assess import STATUSES
from storyline.errors import InputError
from storyline.serve import _facets as F
from storyline.serve import _queries as Q
from storyline.store import Store

PAGE_SIZE = 50  # rows per page: a screenful or two
MAX_SIZE = 500  # the API's own page limit
CSV_MAX = 10_000  # rows in one CSV download; past that, page through the API
DAY = 10  # YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class ListSpec:
    name: str
    title: str
    rows: Callable[..., dict[str, Any]]
    facets: Callable[..., list[dict[str, Any]]]
    filters: tuple[str, ...]
    sorts: tuple[str, ...]
    default_sort: str
    dated: bool = False  # a month facet and since/until


LISTS: dict[str, ListSpec] = {s.name: s for s in [
    ListSpec("stories", "Stories", Q.clusters, F.clusters, ("kind", "grade", "status", "entity"),
             ("recent", "grade", "label", "id"), "-recent"),
    ListSpec("claims", "Claims", Q.claims, F.claims,
             ("status", "cluster", "document", "entity", "since", "until"),
             ("document", "date", "status", "story"), "document", dated=True),
    ListSpec("documents", "Documents", Q.documents, F.documents,
             ("outlet", "language", "relation", "entity", "since", "until"),
             ("id", "published", "title", "outlet"), "id", dated=True),
    ListSpec("entities", "Entities", Q.entities, F.entities, ("q", "type"),
             ("name", "type", "documents"), "name"),
    ListSpec("quotes", "Quotes", Q.quotes, F.quotes, ("kind", "document", "entity"),
             ("document", "kind", "cue"), "document"),
    ListSpec("figures", "Figures", Q.figures, F.figures, ("kind", "document"),
             ("document", "value", "kind"), "document"),
]}


def _filters(spec: ListSpec, args: Mapping[str, str]) -> dict[str, str]:
    out = {k: args[k][:200] for k in spec.filters if args.get(k)}
    if "status" in out and out["status"] not in STATUSES:
        raise InputError(f"unknown status {out['status']!r}; use one of {', '.join(STATUSES)}")
    month = args.get("month", "")
    if spec.dated and len(month) == 7 and month[4] == "-":  # a month facet: its first to last day
        out["since"], out["until"] = f"{month}-01", f"{month}-31"
    for k in ("since", "until"):
        if k in out:
            out[k] = out[k][:DAY]
    return out


def _int(args: Mapping[str, str], key: str, default: int, top: int) -> int:
    try:
        return max(1, min(int(args.get(key, default)), top))
    except ValueError:
        return default


def listing(store: Store, spec: ListSpec, args: Mapping[str, str]) -> dict[str, Any]:
    """One page of the list with its facets, filters, sort and page numbers."""
    filters = _filters(spec, args)
    sort = args.get("sort") or spec.default_sort
    if sort.lstrip("-") not in spec.sorts:
        sort = spec.default_sort
    size = _int(args, "size", PAGE_SIZE, MAX_SIZE)
    number = _int(args, "page", 1, 10_000_000 // size)
    data = spec.rows(store, Q.Page(size, (number - 1) * size), sort=sort, **filters)
    data.update(facets=spec.facets(store, **filters), filters=filters, sort=sort, page=number,
                pages=max(1, -(-data["total"] // size)), size=size)
    return data


def url(path: str, args: Mapping[str, str], **change: str | int | None) -> str:
    """``path`` with the query ``args`` and the changes (None drops a key); a changed filter
    goes back to page 1."""
    merged = {k: v for k, v in args.items() if v}
    if any(k not in ("page", "sort", "size") for k in change):
        merged.pop("page", None)
    for k, v in change.items():
        if v is None or v == "":
            merged.pop(k, None)
        else:
            merged[k] = str(v)
    return path + ("?" + urlencode(merged) if merged else "")


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: the first, the last and a few around the current (None: a gap)."""
    keep = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    out: list[int | None] = []
    for n in sorted(keep):
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def all_rows(store: Store, spec: ListSpec, args: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Every row the filter leaves, in the page's order, up to CSV_MAX."""
    filters = _filters(spec, args)
    sort = args.get("sort") or spec.default_sort
    sort = sort if sort.lstrip("-") in spec.sorts else spec.default_sort
    done = 0
    while done < CSV_MAX:
        batch = spec.rows(store, Q.Page(MAX_SIZE, done), sort=sort, **filters)["items"]
        yield from batch
        done += len(batch)
        if len(batch) < MAX_SIZE:
            return


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def cell(value: Any) -> str:
    """A CSV cell: lists joined with '; ', objects as JSON, formula-looking text quoted."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(cell(v) if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False)
                         for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        return str(value)  # a number: "-5.0" is data, not a formula
    else:
        text = value
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> str:
    """Rows as CSV; the columns are the first row's keys (then any new ones, in order)."""
    rows = list(rows)
    cols: list[str] = []
    for r in rows:
        cols.extend(k for k in r if k not in cols)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(cols)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in cols])
    return out.getvalue()
