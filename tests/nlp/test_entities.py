import pytest


def _ents(nlp, text: str) -> dict[str, tuple[str, set[str]]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return {e.name: (e.label, set(e.aliases)) for e in doc._.entities}


@pytest.mark.parametrize(("text", "name", "label"), [
    ("Officials in Kiev said the talks had failed.", "Kyiv", "GPE"),
    ("The talks took place in Kyiv on Monday.", "Kyiv", "GPE"),
    ("Britain and the EU signed the deal.", "United Kingdom", "GPE"),
    ("Britain and the EU signed the deal.", "European Union", "ORG"),
    ("The minister told POLITICO on Sunday that it was time.", "POLITICO", "ORG"),
    ("Troops moved into Kursk Oblast overnight.", "Kursk Oblast", "GPE"),
    ("Mark Cancian, senior advisor at the Center for Strategic and International Studies, spoke.",
     "Center for Strategic and International Studies", "ORG"),
    ("Russian forces shelled the town again.", "Russia", "GPE"),
    ("The army relies on Iranian weapons deliveries for its drones.", "Iran", "GPE"),
])
def test_doc_entities_names_and_labels(nlp, text: str, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
    ents = _ents(nlp, text)
    assert name in ents and ents[name][0] == label, ents


@pytest.mark.parametrize(("text", "name", "alias"), [
    ("Lithuanian Foreign Minister Gabrielius Landsbergis spoke first. Landsbergis said more.",
     "Gabrielius Landsbergis", "Landsbergis"),
    ("Prime Minister Tony Blair arrived. Mr Blair then left for Brussels.", "Tony Blair", "Blair"),
])
def test_doc_entities_surnames_join_full_name(nlp, text: str, name: str, alias: str) -> None:  # type: ignore[no-untyped-def]
    ents = _ents(nlp, text)
    assert alias in ents[name][1]


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Lithuanian Foreign Minister Gabrielius Landsbergis said so.", "Gabrielius Landsbergis",
     "Lithuanian Foreign Minister"),
    ("NATO chief Mark Rutte stressed the point.", "Mark Rutte", "NATO chief"),
    ("The plan was backed by Jane Holm, a former defence minister, on Friday.", "Jane Holm",
     "former defence minister"),
])
def test_doc_entities_roles(nlp, text: str, name: str, role: str) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    roles = {e.name: e.roles for e in doc._.entities}
    assert role in roles[name]


def test_doc_entities_north_and_south_korea_apart(nlp) -> None:  # type: ignore[no-untyped-def]
    ents = _ents(nlp, "North Korea and South Korea held talks.")
    assert {"North Korea", "South Korea"} <= set(ents)
