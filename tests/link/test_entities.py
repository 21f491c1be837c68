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


def _groups(store: Store) -> list[tuple[str, list[str], list[str]]]:
    with store.session() as s:
        return sorted((e.name, sorted(e.aliases), sorted(e.reasons)) for e in s.query(Entity))


def test_titles_acronyms_and_spellings_join_across_documents(store: Store) -> None:
    store.add([
        _doc(1, ("Ivan Petrov", "PERSON", []), ("Valdorian Teachers Union", "ORG", []),
             ("OFM Fund Management", "ORG", []), ("House of Elders", "ORG", []),
             ("VT Bank", "ORG", []), ("Rosalind Orsk", "PERSON", [])),
        _doc(2, ("Mr Petrov", "PERSON", []), ("VTU", "ORG", []), ("OFM", "ORG", []),
             ("Elders", "ORG", []), ("VTBank", "ORG", []), ("Rosalin Orsk", "PERSON", [])),
    ])
    link_store(store)
    assert _groups(store) == [
        ("House of Elders", ["Elders"], ["short form elders of house of elders"]),
        ("Ivan Petrov", ["Mr Petrov"], ["surname petrov"]),
        ("OFM Fund Management", ["OFM"], ["acronym OFM of ofm fund management"]),
        ("Rosalind Orsk", ["Rosalin Orsk"],
         ["given name spelt two ways (rosalin orsk ~ rosalind orsk, similarity 93)"]),
        ("VTBank", ["VT Bank"], ["one name written two ways (vt bank ~ vtbank)"]),
        ("Valdorian Teachers Union", ["VTU"], ["acronym VTU of valdorian teachers union"]),
    ]


def test_confusable_names_stay_apart(store: Store) -> None:
    store.add([
        _doc(1, ("Ivan Petrov", "PERSON", []), ("Oleg Petrov", "PERSON", []),
             ("Ostrana Life", "ORG", []), ("VT Bank", "ORG", [])),
        _doc(2, ("Mr Petrov", "PERSON", []), ("Ostrana Life Investments", "ORG", []),
             ("VT", "PERSON", [])),
    ])
    link_store(store)
    assert [g[0] for g in _groups(store)] == [
        "Ivan Petrov", "Mr Petrov", "Oleg Petrov", "Ostrana Life", "Ostrana Life Investments",
        "VT", "VT Bank"]


def test_clipped_club_names_join_the_place_name_they_clip(store: Store) -> None:
    store.add([
        _doc(1, ("Tarnow", "GPE", []), ("Tarnow United", "PERSON", []), ("Samuel Orsk", "PERSON", []),
             ("Valdor Rovers", "ORG", [])),
        _doc(2, ("Tar Utd", "PERSON", []), ("Tar United", "ORG", []), ("Tar City", "ORG", []),
             ("Sam Orsk", "PERSON", []), ("Val Rovers", "PERSON", [])),
    ])
    link_store(store)
    assert _groups(store) == [
        ("Sam Orsk", [], []), ("Samuel Orsk", [], []), ("Tar City", [], []), ("Tarnow", [], []),
        ("Tarnow United", ["Tar United", "Tar Utd"],
         ["clipped form tar united of tarnow united", "clipped form tar utd of tar united"]),
        ("Valdor Rovers", ["Val Rovers"], ["clipped form val rovers of valdor rovers"]),
    ]
