from storyline.link import link_store, merge_entities, split_entities
from storyline.records import Analysis, Article, MentionRec
from storyline.store import Entity, Pending, Store


def _doc(i: int, *mentions: tuple[str, str, list[str]]) -> Pending:
    art = Article(source=f"s{i}", kind="txt", text="x" * 50, content_hash=f"{i:064d}")
    an = Analysis(mentions=[MentionRec(key=n, name=n, label=lab, aliases=al, spans=[(0, 1)])
                            for n, lab, al in mentions])
    return Pending(article=art, analysis=an)


def _names(store: Store) -> dict[str, set[str]]:
    with store.session() as s:
        return {e.name: set(e.aliases) for e in s.query(Entity)}


def test_link_store_merges_variants_and_keeps_apart(store: Store) -> None:
    store.add([
        _doc(1, ("Andriy Sybiga", "PERSON", []), ("North Korea", "GPE", []),
             ("Mark Rutte", "PERSON", []), ("Kursk Oblast", "GPE", [])),
        _doc(2, ("Andrii Sybiha", "PERSON", []), ("South Korea", "GPE", []),
             ("Mark Cancian", "PERSON", []), ("Kursk region", "GPE", []), ("Rutte", "ORG", [])),
    ])
    link_store(store)
    names = _names(store)
    merged = [n for n, al in names.items() if {"Andriy Sybiga", "Andrii Sybiha"} <= al | {n}]
    assert len(merged) == 1
    assert "North Korea" in names and "South Korea" in names
    assert "Rutte" in names["Mark Rutte"] and "Mark Cancian" in names
    assert any({"Kursk Oblast", "Kursk region"} <= al | {n} for n, al in names.items())


def test_link_store_analyst_decisions_are_reapplied(store: Store) -> None:
    store.add([_doc(1, ("Anna Berg", "PERSON", [])), _doc(2, ("A. Berg", "PERSON", []))])
    link_store(store)
    assert len(_names(store)) == 2
    merge_entities(store, "Anna Berg", "A. Berg", who="tester")
    assert len(_names(store)) == 1
    split_entities(store, "Anna Berg", "A. Berg", who="tester")
    assert len(_names(store)) == 2
