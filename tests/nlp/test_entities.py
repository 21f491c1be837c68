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
    ("Prime Minister Ivan Dorn arrived. Mr Dorn then left for Brussels.", "Ivan Dorn", "Mr Dorn"),
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


def _people(nlp, text: str) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.name, sorted(e.aliases)) for e in nlp(text)._.entities if e.label == "PERSON"]


@pytest.mark.parametrize(("text", "people"), [
    # a courtesy title is how the person is written, not the name
    ("Sir Ivan Petrov opened the hearing. Sir Ivan said little, and Mr Petrov left early.",
     [("Ivan Petrov", ["Mr Petrov", "Sir Ivan", "Sir Ivan Petrov"])]),
    # a peerage with one name is the name
    ("Lord Avonmore spoke in the debate. Avonmore later wrote to the committee.",
     [("Lord Avonmore", ["Avonmore"])]),
    # a lone titled surname keeps its title as printed, the name drops it
    ("Dr Halvorsen declined to comment on Tuesday.", [("Halvorsen", ["Dr Halvorsen"])]),
])
def test_titles_join_the_person(nlp, text: str, people: list[tuple[str, list[str]]]) -> None:  # type: ignore[no-untyped-def]
    assert _people(nlp, text) == people


@pytest.mark.parametrize(("text", "orgs"), [
    ("Shares rose on the Ostrana Stock Exchange on Monday.", ["Ostrana Stock Exchange"]),
    ("Leaders of the Valdorian Women's League met on Monday.", ["Valdorian Women's League"]),
])
def test_organisation_names_are_whole(nlp, text: str, orgs: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.name for e in nlp(text)._.entities if e.label == "ORG"] == orgs


def test_a_country_name_is_not_a_demonym(nlp) -> None:  # type: ignore[no-untyped-def]
    assert [(e.name, e.label) for e in nlp("The US tycoon bought the club.")._.entities] == [
        ("United States", "GPE")]


# Organisations named "X and Y …" and their acronyms: each text and all its entities (name,
# label, aliases).
@pytest.mark.parametrize(("text", "found"), [
    ("The Civil and Harbour Workers Union (CHWU) will strike. The CHWU said so.",
     {"Civil and Harbour Workers Union": ("ORG", {"CHWU"})}),
    ("Anna Berg, of the Civil and Harbour Services union said a walkout was likely.",
     {"Anna Berg": ("PERSON", set()), "Civil and Harbour Services": ("ORG", set())}),
    # the acronym without the suffix, and with it
    ("The Public and Coastal Services Union will strike. PCS leaders met. The PCS Union agreed.",
     {"Public and Coastal Services Union": ("ORG", {"PCS", "PCS Union"})}),
    # two bodies named side by side stay two
    ("Ostrana and the Valdoria Teachers Union signed the deal on Monday.",
     {"Ostrana": ("ORG", set()), "Valdoria Teachers Union": ("ORG", set())}),
])
def test_organisations_joined_with_and(nlp, text: str, found: dict[str, tuple[str, set[str]]]) -> None:  # type: ignore[no-untyped-def]
    assert _ents(nlp, text) == found


@pytest.mark.parametrize(("text", "found"), [
    # a paper named for its day, after "the"
    ("The Sunday Courier says the board met twice.", {"Sunday Courier": ("ORG", set())}),
    # a day before a name without "the" stays a day
    ("On Sunday Reuters reported a deal.", {"Reuters": ("ORG", set())}),
])
def test_papers_named_for_a_day(nlp, text: str, found: dict[str, tuple[str, set[str]]]) -> None:  # type: ignore[no-untyped-def]
    assert _ents(nlp, text) == found
