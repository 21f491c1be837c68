import numpy as np
import pytest

from storyline.errors import NotFound, StoreError
from storyline.records import Analysis, Article, QuoteRec
from storyline.store import Document, Pending, Quote, Store


def _article(i: int, text: str | None = None) -> Article:
    return Article(source=f"s{i}.txt", kind="txt", text=text or f"Body number {i} about a harbour.",
                   title=f"Title {i}", content_hash=f"{i:064d}")


def test_store_add_skips_stored_hashes(store: Store) -> None:
    ids = store.add([Pending(article=_article(1)), Pending(article=_article(2))])
    again = store.add([Pending(article=_article(1)), Pending(article=_article(3))])
    assert None not in ids and again[0] is None and again[1] is not None
    assert store.count(Document) == 3


def test_store_add_keeps_analysis(store: Store) -> None:
    an = Analysis(quotes=[QuoteRec(text="we will", kind="direct", start=0, end=7)])
    store.add([Pending(article=_article(1), analysis=an)])
    assert [q.text for q in store.analysis_rows(Quote)] == ["we will"]


@pytest.mark.parametrize(("query", "hits"), [("harbour", 2), ("lighthouse", 1), ("zebra", 0),
                                             ("", 0)])
def test_store_search_full_text(store: Store, query: str, hits: int) -> None:
    store.add([Pending(article=_article(1)), Pending(article=_article(2)),
               Pending(article=_article(3, "A lighthouse keeper spoke."))])
    assert len(store.search(query)) == hits


def test_store_near_duplicates_by_band(store: Store) -> None:
    sig = np.arange(128, dtype=np.uint64)
    store.add([Pending(article=_article(1), signature=sig, bands=list(range(16)))])
    other = sig.copy()
    other[:10] = 999
    assert [s for _, s in store.near_duplicates(other, list(range(16)), 0.8)] == [118 / 128]
    assert store.near_duplicates(other, [-1] * 16, 0.8) == []


def test_store_document_not_found_says_what_to_do(store: Store) -> None:
    with pytest.raises(NotFound, match="storyline docs"):
        store.document(999)


def test_store_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="sqlite:///PATH"):
        Store("nosuchdb://x")
