from storyline.ingest._fit import cut, scrub, scrub_item
from storyline.ingest._model import RawItem
from storyline.records import Article


def test_scrub_replaces_lone_surrogates_and_drops_nul() -> None:
    assert scrub("Valdoria\ud800 Post\x00") == "Valdoria\ufffd Post"
    assert scrub("plain") == "plain"


def test_scrub_item_drops_bidi_controls_from_one_line_fields_only() -> None:
    item = scrub_item(RawItem(source="a.txt", kind="txt", text="body \u202eword",
                              title="Port \u202ereopens", byline=["Ana \u202eRoe\u2066"],
                              outlet="Ostrana\u202d Daily"))
    assert (item.title, item.byline, item.outlet, item.text) == (
        "Port reopens", ["Ana Roe"], "Ostrana Daily", "body \u202eword")


def test_cut_keeps_whole_paragraphs_and_says_what_it_cut() -> None:
    text = "First paragraph here.\nSecond paragraph that runs long."
    a = Article(source="a.txt", kind="txt", text=text, content_hash="x")
    assert cut(a, limit=30) == ("stored the first 21 of 54 characters (longer bodies are cut at "
                                "30: the nlp stage's memory bound); split the file to keep the "
                                "rest")
    assert a.text == "First paragraph here." and a.content_hash != "x"
    b = Article(source="b.txt", kind="txt", text="short", content_hash="y")
    assert cut(b, limit=30) is None and b.text == "short"
