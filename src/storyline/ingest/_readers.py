"""Readers: one per input format, each yielding RawItem or the InputError of one bad item."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.errors import (
    EmptyInput,
    InputError,
    MalformedInput,
    TooLarge,
    UnsupportedInput,
)
from storyline.ingest._decode import decode_bytes, looks_binary
from storyline.ingest._model import RawItem
from storyline.ingest._plain import bounded

Result = RawItem | InputError
_TEXT = {".txt", ".text"}
_HTML = {".html", ".htm", ".xhtml"}
_JSONL = {".jsonl", ".ndjson"}
_FEED = {".rss", ".atom", ".xml"}


def iter_paths(paths: Iterable[str | Path],
               skipped: list[tuple[str, str]] | None = None) -> Iterator[Path]:
    """Files under the given paths, folders walked recursively in name order, hidden ones left.

    A link inside a folder that leads out of it (to a system file, say) is not followed: it
    goes to ``skipped`` with its reason, so a shared folder never publishes what it points to.
    """
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        root = p.resolve()
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p).parts
            if not f.is_file() or any(part.startswith(".") for part in rel) or not _known(f):
                continue
            if not f.resolve().is_relative_to(root):
                if skipped is not None:
                    skipped.append((str(f), "a link to a file outside the folder, not followed; "
                                            "give that file itself to ingest it"))
                continue
            yield f


def _known(path: Path) -> bool:
    """Whether a file found in a folder walk has an article extension (others are left alone)."""
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz", ".arc.gz")) or path.suffix.lower() in (
        _TEXT | _HTML | _JSONL | _FEED | {".gz"})


def read_path(path: Path, max_bytes: int) -> Iterator[tuple[str, Result]]:
    """Yield ``(source, item-or-error)`` for every article in one file; never raises InputError."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield source, UnsupportedInput(f"cannot read {path}: {exc.strerror}; check the path")
        return
    if size > max_bytes:
        yield source, TooLarge(f"{size} bytes is over the {max_bytes}-byte limit; "
                               "split the file or raise STORYLINE_MAX_BYTES")
        return
    if size == 0:
        yield source, EmptyInput("empty file; nothing to ingest")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield source, UnsupportedInput(f"cannot read {path}: {exc.strerror}; check its "
                                       "permissions")
        return
    try:
        for found, item in _dispatch(path, data, max_bytes):
            # Bounded in time: a page of 100,000 tiny elements took 4 minutes to clean.
            yield found, bounded(item) if isinstance(item, RawItem) else item
    except InputError as exc:
        yield source, exc


def _dispatch(path: Path, data: bytes, max_bytes: int) -> Iterator[tuple[str, Result]]:
    name = path.name.lower()
    source = str(path)
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        yield from read_warc(source, data, max_bytes)
        return
    suffix = path.suffix.lower()
    if suffix == ".gz":
        data = _gunzip(data, max_bytes)
        suffix = Path(name[:-3]).suffix
    kind = _kind(suffix, data)
    if kind == "jsonl":
        yield from read_jsonl(source, data)
    elif kind == "feed":
        yield from read_feed(source, data)
    else:
        text = decode_bytes(data)
        if not text.strip():
            raise EmptyInput("no text in the file; nothing to ingest")
        if kind == "html":
            yield source, RawItem(source=source, kind=kind, html=text)
        else:
            yield source, RawItem(source=source, kind=kind, text=text)


def _kind(suffix: str, data: bytes) -> str:
    if suffix in _JSONL:
        return "jsonl"
    head = data[:2048].lstrip().lower()
    if suffix in _FEED or (head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)):
        return "feed"
    if suffix in _HTML or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in _TEXT or not looks_binary(data):
        return "txt"
    raise UnsupportedInput(f"no reader for {suffix or 'files without extension'}; storyline reads "
                           ".txt, .html, .jsonl, .warc(.gz) and RSS/Atom (.xml/.rss/.atom)")


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise MalformedInput(f"broken or truncated gzip ({exc}); re-download the file") from exc
    if len(out) > max_bytes:
        raise TooLarge(f"decompresses past the {max_bytes}-byte limit; split it")
    return out


def read_jsonl(source: str, data: bytes) -> Iterator[tuple[str, Result]]:
    """One article per line: ``text`` or ``html``, with optional url, title, date, outlet, byline."""
    text = decode_bytes(data)
    for n, line in enumerate(text.splitlines(), 1):
        item_source = f"{source}#{n}"
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield item_source, MalformedInput(f"line {n} is not JSON ({exc.msg}); fix or drop it")
            continue
        except RecursionError:
            yield item_source, MalformedInput(f"line {n} is nested too deeply to read; an "
                                              "article record is one flat object")
            continue
        if not isinstance(obj, dict):
            yield item_source, MalformedInput(f"line {n} is not a JSON object")
            continue
        wrong = _wrong_field(obj)
        if wrong:
            yield item_source, MalformedInput(f"line {n}: {wrong}; fix or drop the record")
            continue
        yield item_source, _item_from_record(item_source, obj)


_TEXT_FIELDS = ("text", "body", "content", "html", "raw_html", "url", "link", "title",
                "headline", "outlet", "source", "site", "publisher", "date", "published",
                "published_at", "publishedAt")


def _wrong_field(obj: dict[str, Any]) -> str | None:
    """What is wrong with a record's known fields (named), None when each has a usable type."""
    for key in _TEXT_FIELDS:
        v = obj.get(key)
        if v is not None and not isinstance(v, str):
            return f"field {key!r} is {_json_type(v)}, not a string"
    rid = obj.get("id")
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, str | int | float)):
        return f"field 'id' is {_json_type(rid)}, not a string or a number"
    for key in ("byline", "authors"):
        v = obj.get(key)
        if v is None or isinstance(v, str):
            continue
        if not isinstance(v, list) or not all(isinstance(b, str) for b in v):
            return f"field {key!r} is {_json_type(v)}, not a string or a list of strings"
    return None


def _json_type(v: object) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int | float):
        return "a number"
    if isinstance(v, list):
        return "a list" if all(isinstance(b, str) for b in v) else "a list holding non-strings"
    return "an object" if isinstance(v, dict) else "a string"


def _str(obj: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = obj.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
        if isinstance(v, int | float) and not isinstance(v, bool) and k == "id":
            return str(v)
    return None


def _item_from_record(source: str, obj: dict[str, Any]) -> Result:
    text = _str(obj, "text", "body", "content")
    html = _str(obj, "html", "raw_html")
    if not text and not html:
        return EmptyInput("record has no 'text' or 'html' field; nothing to ingest")
    byline = obj.get("byline") or obj.get("authors") or []
    if isinstance(byline, str):
        byline = [byline]
    url = _str(obj, "url", "link")
    rid = _str(obj, "id")
    return RawItem(
        source=url or (f"{source.rsplit('#', 1)[0]}#{rid}" if rid else source),
        kind="jsonl", text=text, html=html, url=url,
        title=_str(obj, "title", "headline"),
        byline=[str(b) for b in byline if isinstance(b, str) and b.strip()],
        outlet=_str(obj, "outlet", "source", "site", "publisher"),
        published=_str(obj, "date", "published", "published_at", "publishedAt"),
    )


def read_warc(source: str, data: bytes, max_bytes: int = 20 * 1024 * 1024
              ) -> Iterator[tuple[str, Result]]:
    """HTML response records of a WARC file (gzipped or not); a record cut off by a truncated
    file is reported, not read as whole; a body inflating past ``max_bytes`` is refused."""
    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#{n}"
            try:
                html = _record_html(record, ctype, max_bytes)
            except (InputError, OSError, zlib.error) as exc:
                yield url, exc if isinstance(exc, InputError) else MalformedInput(str(exc))
                continue
            date = record.rec_headers.get_header("WARC-Date")
            yield url, RawItem(source=url, kind="warc", html=html, url=url, published=date)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError) as exc:
        yield source, MalformedInput(f"broken or truncated WARC after {n} records ({exc}); "
                                     "the records before the break were read")
    if n == 0:
        yield source, EmptyInput("no HTML response records in this WARC")


def _record_html(record: Any, ctype: str, max_bytes: int) -> str:
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        raise TooLarge(f"the record's body inflates past the {max_bytes}-byte limit; "
                       "raise STORYLINE_MAX_BYTES if it is a real page")
    if getattr(record.raw_stream, "limit", 0) > 0:  # bytes its header promised never came
        raise MalformedInput("the record is cut off (the WARC file is truncated); "
                             "re-download the file")
    return decode_bytes(body, _charset(ctype))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def read_feed(source: str, data: bytes) -> Iterator[tuple[str, Result]]:
    """Entries of an RSS or Atom feed: full content when present, else the summary."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception") or "no entries"
        raise MalformedInput(f"not a readable RSS/Atom feed ({why})")
    outlet = (parsed.get("feed") or {}).get("title")
    for n, e in enumerate(entries, 1):
        content = e.get("content") or []
        html = content[0].get("value") if content else e.get("summary")
        url = e.get("link") or f"{source}#{n}"
        if not html:
            yield url, EmptyInput(f"feed entry {n} has no content or summary")
            continue
        author = e.get("author")
        yield url, RawItem(source=url, kind="feed", html=f"<html><body>{html}</body></html>",
                           url=url, title=e.get("title"), outlet=outlet,
                           byline=[author] if author else [],
                           published=e.get("published") or e.get("updated"))
