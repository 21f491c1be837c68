import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import InputError
from storyline.ingest import read_articles
from storyline.ingest._decode import decode_bytes
from storyline.ingest._readers import read_feed, read_jsonl, read_path, read_warc
from storyline.settings import Settings

ARTICLE = ("Ministers met in the capital on Monday to discuss the border crisis and the "
           "deployment of new troops along the river.\n"
           "“We will not accept this,” the foreign minister said after the meeting ended.\n")
HTML = ("<html><head><title>Border talks resume</title></head><body><nav>Home | World</nav>"
        "<article><h1>Border talks resume</h1>"
        + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines() * 3)
        + "</article><footer>All rights reserved</footer></body></html>")


def _items(path: Path, max_bytes: int = 10_000_000) -> list[object]:
    return [item for _, item in read_path(path, max_bytes)]


@pytest.mark.parametrize(("name", "data", "error"), [
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x00\x01\x02\x89PNG" * 10, "binary"),
    ("big.txt", b"a" * 200, "limit"),
    ("broken.gz", b"\x1f\x8b\x08\x00broken", "gzip"),
    ("broken.warc.gz", b"\x1f\x8b\x08\x00not a warc at all", "WARC"),
    ("feed.rss", b"<?xml version='1.0'?><rss><channel></channel></rss>", "feed"),
])
def test_read_path_bad_input_gives_reason(tmp_path: Path, name: str, data: bytes,
                                          error: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    items = _items(p, max_bytes=100)
    assert items and all(isinstance(i, InputError) for i in items)
    assert error.lower() in " ".join(str(i) for i in items).lower()


@pytest.mark.parametrize(("raw", "expected"), [
    ("Цена: 500 рублей".encode("cp1251"), "Цена: 500 рублей"),
    ("Price rose to Â£3.9bn".encode(), "Price rose to £3.9bn"),
    ("plain text".encode("utf-8-sig"), "plain text"),
    ("Café crème à Paris, déjà vu".encode("cp1252"), "Café crème à Paris, déjà vu"),
    ("Привет, мир! Это тест кодировки.".encode("koi8_r"), "Привет, мир! Это тест кодировки."),
])
def test_decode_bytes_repairs_encodings(raw: bytes, expected: str) -> None:
    assert decode_bytes(raw) == expected


def test_read_jsonl_skips_malformed_lines() -> None:
    data = "\n".join([json.dumps({"text": ARTICLE, "url": "https://example.org/a", "title": "T",
                                  "date": "2024-10-20", "outlet": "Example"}),
                      "{not json", json.dumps([1, 2]), json.dumps({"title": "no body"})]).encode()
    items = [i for _, i in read_jsonl("x.jsonl", data)]
    assert [type(i).__name__ for i in items] == ["RawItem", "MalformedInput", "MalformedInput",
                                                 "EmptyInput"]


def _warc(truncate: bool = False) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        rec = w.create_warc_record(f"https://example.org/{n}", "response",
                                   payload=io.BytesIO(HTML.encode()), http_headers=headers)
        w.write_record(rec)
    data = buf.getvalue()
    return data[: int(len(data) * 0.7)] if truncate else data


def test_read_warc_html_records() -> None:
    items = [i for _, i in read_warc("x.warc.gz", _warc())]
    assert len(items) == 2 and all(getattr(i, "html", None) for i in items)


def test_read_warc_truncated_keeps_earlier_records() -> None:
    items = [i for _, i in read_warc("x.warc.gz", _warc(truncate=True))]
    assert getattr(items[0], "html", None)
    assert all(isinstance(i, InputError) or getattr(i, "html", None) for i in items)


def test_read_feed_entries() -> None:
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Example News</title>"
            "<item><title>One</title><link>https://example.org/1</link>"
            f"<description><![CDATA[{HTML}]]></description></item></channel></rss>").encode()
    items = [i for _, i in read_feed("f.rss", feed)]
    assert len(items) == 1 and getattr(items[0], "outlet", None) == "Example News"


def test_read_articles_all_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Border talks resume\nBy Jane Doe\n" + ARTICLE * 2)
    (tmp_path / "b.html").write_text(HTML)
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": ARTICLE * 2, "title": "Jsonl"}) + "\n")
    (tmp_path / "d.warc.gz").write_bytes(_warc())
    (tmp_path / "notes.md").write_text("# not an article")
    failed: list[tuple[str, str]] = []
    arts = list(read_articles([tmp_path], Settings(), failed))
    assert len(arts) == 5 and not failed
    txt = next(a for a in arts if a.source.endswith("a.txt"))
    assert (txt.title, txt.byline, txt.language) == ("Border talks resume", ["Jane Doe"], "en")
    html = next(a for a in arts if a.source.endswith("b.html"))
    assert "All rights reserved" not in html.text and "foreign minister" in html.text


def test_read_path_gzip_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt.gz"
    p.write_bytes(gzip.compress(ARTICLE.encode()))
    assert getattr(_items(p)[0], "text", "").startswith("Ministers")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.rss",
                                                   "x.warc", "x.warc.gz", "x.gz", "x"]))
def test_readers_raise_only_our_errors_on_bytes(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        failed: list[tuple[str, str]] = []
        for a in read_articles([p], Settings(), failed):
            assert a.text.strip()


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=3000))
def test_readers_raise_only_our_errors_on_text(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for name in ("x.txt", "x.html", "x.jsonl"):
            p = Path(d) / name
            p.write_text(text, encoding="utf-8")
            list(read_articles([p], Settings(), []))


def test_read_warc_a_record_cut_off_by_truncation_is_reported_not_stored_whole() -> None:
    data = gzip.decompress(_warc())
    items = [i for _, i in read_warc("x.warc", data[: int(len(data) * 0.9)])]
    assert [type(i).__name__ for i in items] == ["RawItem", "MalformedInput"]
    assert str(items[1]) == ("the record is cut off (the WARC file is truncated); re-download "
                             "the file")


def test_read_warc_a_body_inflating_past_the_limit_is_refused() -> None:
    items = [i for _, i in read_warc("x.warc.gz", _warc(), max_bytes=500)]
    assert [str(i) for i in items] == [
        "the record's body inflates past the 500-byte limit; raise STORYLINE_MAX_BYTES if it is "
        "a real page"] * 2


@pytest.mark.parametrize(("record", "reason"), [
    ({"text": ARTICLE, "byline": 7}, "line 1: field 'byline' is a number, not a string or a list "
                                     "of strings; fix or drop the record"),
    ({"text": ARTICLE, "authors": ["A", 2]}, "line 1: field 'authors' is a list holding "
                                             "non-strings, not a string or a list of strings; "
                                             "fix or drop the record"),
    ({"text": 12}, "line 1: field 'text' is a number, not a string; fix or drop the record"),
    ({"html": {"p": 1}}, "line 1: field 'html' is an object, not a string; fix or drop the "
                         "record"),
    ({"text": ARTICLE, "id": False}, "line 1: field 'id' is a boolean, not a string or a "
                                     "number; fix or drop the record"),
])
def test_read_jsonl_a_field_of_the_wrong_type_is_named(record: dict[str, object],
                                                       reason: str) -> None:
    items = [i for _, i in read_jsonl("x.jsonl", json.dumps(record).encode())]
    assert [str(i) for i in items] == [reason]


def test_read_jsonl_deep_nesting_is_malformed_not_a_crash() -> None:
    data = ("{\"a\":" * 50_000 + "1" + "}" * 50_000).encode()
    assert [str(i) for _, i in read_jsonl("x.jsonl", data)] == [
        "line 1 is nested too deeply to read; an article record is one flat object"]


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                     lambda kids: st.lists(kids, max_size=4)
                     | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=20)
_FIELDS = st.sampled_from(["text", "html", "title", "byline", "authors", "url", "id", "outlet",
                           "date", "source", "body"])


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_FIELDS, _JSON | st.text(min_size=1), max_size=6))
def test_read_jsonl_arbitrary_json_values_give_only_our_errors(record: dict[str, object]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.jsonl"
        p.write_text(json.dumps(record) + "\n", encoding="utf-8")
        failed: list[tuple[str, str]] = []
        arts = list(read_articles([p], Settings(), failed))
        assert len(arts) + len(failed) == 1
        assert not any(r.startswith("could not") for _, r in failed)  # none unexpected
        for a in arts:
            a.text.encode("utf-8")  # storable: no lone surrogate survived


def test_read_articles_does_not_follow_a_link_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Border talks resume\n" + ARTICLE * 2)
    (tmp_path / "secret.txt").write_text("Private notes\n" + ARTICLE.upper() * 2)
    (tmp_path / "in" / "b.txt").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "in" / "c.txt").symlink_to(tmp_path / "in" / "a.txt")  # inside: read
    failed: list[tuple[str, str]] = []
    arts = list(read_articles([tmp_path / "in"], Settings(), failed))
    assert [Path(a.source).name for a in arts] == ["a.txt", "c.txt"]
    assert failed == [(str(tmp_path / "in" / "b.txt"), "a link to a file outside the folder, "
                       "not followed; give that file itself to ingest it")]


PAGE = ("<html><head><title>Border talks resume</title><style>p {{ margin: 0 }}</style></head>"
        "<body><article><h1>Border talks resume</h1>{filler}"
        + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines())
        + "</article></body></html>")


BODY = ARTICLE.rstrip("\n")


@pytest.mark.parametrize(("filler", "failed", "texts"), [
    # 100,000 tiny blocks (4 minutes to clean before): refused with the reason, at once
    ("<div>w</div>" * 100_000, [("page.html", "100,003 lines of text, over the 5,000 one article "
                                              "can hold and be cleaned in bounded time; split it "
                                              "into articles")], []),
    # 100,000 empty formatting tags: unwrapped, the page cleaned as usual (its heading kept)
    ("<b></b><i></i>" * 50_000, [], ["Border talks resume\n" + BODY]),
    # 30,000 empty links: too many elements still, read as plain text
    ("<a href='#'></a>" * 30_000, [], [BODY]),
])
def test_read_articles_a_page_of_many_tiny_elements_is_bounded_in_time(
        tmp_path: Path, filler: str, failed: list[tuple[str, str]], texts: list[str]) -> None:
    import time

    page = tmp_path / "page.html"
    page.write_text(PAGE.format(filler=filler), encoding="utf-8")
    reasons: list[tuple[str, str]] = []
    started = time.monotonic()
    articles = list(read_articles([tmp_path], Settings(), reasons))
    took = time.monotonic() - started
    assert [(Path(s).name, r) for s, r in reasons] == failed
    assert [(a.title, a.text) for a in articles] == [("Border talks resume", t) for t in texts]
    assert took < 60, took  # seconds, models loaded included, on a loaded machine: under 20


def test_plain_text_drops_script_style_and_head_in_linear_scans() -> None:
    from storyline.ingest._plain import plain_text

    page = ("<html><head><title>Port &amp; harbour</title><script>var x = '<p>no</p>';</script>"
            "</head><body><header>Ostrana Daily</header><style>p {}</style><p>The port opened."
            "</p><script>unclosed <p>never shown</p>" + "<script>" * 10_000)
    assert plain_text(page) == ("Port & harbour", "Ostrana Daily\nThe port opened.")
    assert plain_text("<body><!-- c --><p>One&nbsp;line</p><br><p>Two <a>links</a></p>") == (
        None, "One line\nTwo links")
