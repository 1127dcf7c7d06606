"""The actor dictionary, the places table and the news outlets: their data files and matching."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extraction.actors import (
    ACTOR_KINDS,
    PLACE_KINDS,
    Actor,
    ActorDictionary,
    DataFileError,
    NewsOutlets,
    Places,
    normalise,
)
from pipeline.datafiles import DATA_DIR, read_data_rows

ACTORS_CSV = DATA_DIR / "actors.csv"
PLACES_CSV = DATA_DIR / "places.csv"
OUTLETS_CSV = DATA_DIR / "news_outlets.csv"

# Transnational bodies an actor may speak for instead of a country.
ORGANISATIONS = {
    "United Nations",
    "European Union",
    "NATO",
    "IAEA",
    "International Criminal Court",
    "International Committee of the Red Cross",
    "Arab League",
    "African Union",
    "Gulf Cooperation Council",
}


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


@pytest.fixture(scope="module")
def outlets() -> NewsOutlets:
    return NewsOutlets.load()


def _actor_rows() -> list[dict[str, str]]:
    return read_data_rows(ACTORS_CSV)


def _spellings(row: dict[str, str]) -> list[str]:
    return [row["name"], *(a.strip() for a in row.get("aliases", "").split("|") if a.strip())]


def _is_acronym_name(name: str) -> bool:
    words = name.replace(".", "").replace("-", " ").split()
    return any(any(c.isupper() for c in word[1:]) for word in words)


# ----------------------------------------------------------------------------- data files


@pytest.mark.parametrize("path", [ACTORS_CSV, PLACES_CSV, OUTLETS_CSV], ids=lambda p: p.name)
def test_actors_data_file_starts_with_comments(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#"), f"{path.name} must open with comments saying how to extend it"


def test_actors_data_every_row_complete_with_known_kind():
    for row in _actor_rows():
        assert row["name"] and row["country"], row
        assert row["kind"] in ACTOR_KINDS, row
        aliases = row["aliases"].split("|") if row["aliases"] else []
        assert all(a and a == a.strip() for a in aliases), row


def test_actors_data_names_unique():
    names = [row["name"] for row in _actor_rows()]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates


def test_actors_data_each_spelling_names_one_actor():
    owners: dict[str, set[str]] = defaultdict(set)
    for row in _actor_rows():
        for spelling in _spellings(row):
            owners[normalise(spelling)].add(row["name"])
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert not clashes


def test_actors_data_countries_spelled_canonically(places: Places):
    allowed = places.countries | ORGANISATIONS
    unknown = {row["country"] for row in _actor_rows()} - allowed
    assert not unknown


def test_actors_data_has_several_hundred_rows(actors: ActorDictionary):
    assert len(actors) >= 300


def test_actors_data_every_spelling_looks_up_its_actor(actors: ActorDictionary):
    wrong = {}
    for row in _actor_rows():
        for spelling in _spellings(row):
            found = actors.lookup(spelling)
            if found is None or found.name != row["name"]:
                wrong[spelling] = found
    assert not wrong


def test_actors_data_every_spelling_found_in_text(actors: ActorDictionary):
    wrong = {}
    for row in _actor_rows():
        for spelling in _spellings(row):
            mentions = actors.find_in(f"Yesterday {spelling} said so.")
            if [m.actor.name for m in mentions if m.actor] != [row["name"]]:
                wrong[spelling] = mentions
    assert not wrong


def test_actors_places_data_every_row_complete_with_known_kind():
    for row in read_data_rows(PLACES_CSV):
        assert row["kind"] in PLACE_KINDS, row
        assert row["term"] and bool(row["country"]) == (row["kind"] != "region"), row


def test_actors_places_data_each_term_names_one_country():
    owners: dict[str, set[str]] = defaultdict(set)
    for row in read_data_rows(PLACES_CSV):
        owners[normalise(row["term"])].add(row["country"])
    assert not {key: countries for key, countries in owners.items() if len(countries) > 1}


def test_actors_places_data_covers_un_members_and_listed_entities(places: Places):
    # 193 UN member states plus Palestine, Taiwan, Kosovo and the Vatican.
    assert len(places.countries) == 197
    for country in ("United States", "United Kingdom", "Russia", "Iran", "Palestine", "Taiwan",
                    "Kosovo", "North Korea", "South Korea", "Saudi Arabia", "Yemen", "Sudan"):
        assert country in places.countries


def test_actors_places_data_every_country_is_its_own_term(places: Places):
    for country in places.countries:
        assert places.country_of(country) == country


def test_actors_places_data_countries_used_by_rows_exist(places: Places):
    used = {row["country"] for row in read_data_rows(PLACES_CSV) if row["kind"] != "region"}
    assert used <= places.countries


def test_actors_outlets_data_not_actors():
    actor_keys = {normalise(s) for row in _actor_rows() for s in _spellings(row)}
    for row in read_data_rows(OUTLETS_CSV):
        for spelling in _spellings(row):
            assert normalise(spelling) not in actor_keys, f"{spelling!r} is an outlet and an actor"


# ----------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    "mention, name",
    [
        ("Iranian Supreme Leader Seyed Ali Khamenei", "Ali Khamenei"),
        ("Ayatollah Khamenei", "Ali Khamenei"),
        ("Sayyed Ali Khamenei", "Ali Khamenei"),
        ("Mr. Zarif", "Mohammad Javad Zarif"),
        ("Iran\u2019s Foreign Minister Mohammad Javad Zarif", "Mohammad Javad Zarif"),
        ("Zarif\u2019s", "Mohammad Javad Zarif"),
        ("the Pentagon", "Pentagon"),
        ("Islamic Revolution Guards Corps", "Islamic Revolutionary Guard Corps"),
        ("IRGC", "Islamic Revolutionary Guard Corps"),
        ("al Hashd al Shaabi", "Popular Mobilization Forces"),
        ("the PMF", "Popular Mobilization Forces"),
        ("Moqtada Al-Sadr", "Muqtada al-Sadr"),
        ("Secretary of State Mike Pompeo", "Mike Pompeo"),
        ("Russian President Vladimir V. Putin", "Vladimir Putin"),
        ("North Korean leader Kim Jong-un", "Kim Jong Un"),
        ("President Recep Tayyip Erdogan", "Recep Tayyip Erdo\u011fan"),
        ("Brigadier General Amir Ali Hajizadeh", "Amir Ali Hajizadeh"),
        (
            "Islamic Revolution Guards Corps Aerospace Force Commander Brigadier General "
            "Amir Ali Hajizadeh",
            "Amir Ali Hajizadeh",
        ),
        ("Commander of the IRGC Quds Force Esmail Qaani", "Esmail Qaani"),
        ("the Kremlin", "Kremlin"),
        ("Fars", "Fars News Agency"),
        ("the semi-official Tasnim news agency", "Tasnim News Agency"),
        ("Kataib Hezbollah", "Kataib Hezbollah"),
        ("Hezbollah leader Sayyed Hassan Nasrallah", "Hassan Nasrallah"),
        ("the Houthis'", "Houthis"),
        ("Iran's foreign ministry", "Iranian Foreign Ministry"),
    ],
)
def test_actors_lookup_titled_and_variant_mentions(actors: ActorDictionary, mention, name):
    found = actors.lookup(mention)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    "mention",
    [
        # The head is a person the dictionary does not know, never the IRGC named before it.
        "Islamic Revolution Guards Corps Aerospace Force Commander Brigadier General Kourosh "
        "Farzadnia",
        "a spokesman for the Pentagon",
        "an adviser to Supreme Leader Ali Khamenei",
        "Iran's foreign ministry spokesman",
        "Commander of the IRGC Quds Force",
        "Hamid Khamenei",  # a bare surname after another given name is someone else
        "us",
        "irgc",
        "the Iranian",
        "",
    ],
)
def test_actors_lookup_refuses_phrases_headed_elsewhere(actors: ActorDictionary, mention: str):
    assert actors.lookup(mention) is None


_PLAIN_NAMES = sorted(row["name"] for row in _actor_rows() if not _is_acronym_name(row["name"]))
_LONGEST = max(map(len, _PLAIN_NAMES))


def test_actors_lookup_reads_a_lowered_dotted_capital_i(actors):
    """ "İ".lower() is "i" plus a combining dot, which must not split the word."""
    assert actors.lookup("\u0130brahim Kal\u0131n".lower()).name == "\u0130brahim Kal\u0131n"


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(_PLAIN_NAMES),
    flips=st.lists(st.booleans(), min_size=_LONGEST, max_size=_LONGEST),
    before=st.text(alphabet=" \t\n", max_size=3),
    after=st.text(alphabet=" \t\n", max_size=3),
)
def test_actors_lookup_invariant_to_case_and_whitespace(actors, name, flips, before, after):
    varied = "".join(c.swapcase() if flip else c for c, flip in zip(name, flips))
    found = actors.lookup(before + varied + after)
    assert found is not None and found.name == name


def test_actors_lookup_acronym_needs_its_capitals():
    dictionary = ActorDictionary([(Actor("Lashkar-e-Taiba", "Pakistan", "armed_group"), ["LeT"])])
    assert dictionary.lookup("LeT").name == "Lashkar-e-Taiba"
    assert dictionary.lookup("let") is None
    assert dictionary.lookup("LET") is None


# ----------------------------------------------------------------------------- find_in


def _found(mentions) -> list[tuple[str, str]]:
    return [(m.text, m.actor.name) for m in mentions]


def test_actors_find_in_sentence_names_every_actor(actors: ActorDictionary):
    text = (
        "Iran's Foreign Minister Mohammad Javad Zarif said the IRGC and Kataib Hezbollah would "
        "respond, while Vladimir V. Putin and Gen. Milley urged restraint."
    )
    assert _found(actors.find_in(text)) == [
        ("Mohammad Javad Zarif", "Mohammad Javad Zarif"),
        ("IRGC", "Islamic Revolutionary Guard Corps"),
        ("Kataib Hezbollah", "Kataib Hezbollah"),
        ("Vladimir V. Putin", "Vladimir Putin"),
        ("Milley", "Mark Milley"),
    ]


def test_actors_find_in_spans_exclude_possessive(actors: ActorDictionary):
    text = "Zarif\u2019s remarks echoed the Pentagon's warning."
    mentions = actors.find_in(text)
    assert [m.text for m in mentions] == ["Zarif", "Pentagon"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert mentions[0].country == "Iran"


def test_actors_find_in_pronoun_us_and_common_words_never_match(actors, places):
    text = "Let us play the trump card, he told us; the US and the PMF declined."
    assert _found(actors.find_in(text)) == [("PMF", "Popular Mobilization Forces")]
    assert [(m.text, m.country) for m in places.find_in(text)] == [("US", "United States")]


def test_actors_find_in_longest_name_wins(actors: ActorDictionary):
    text = (
        "Kataib Hezbollah, unlike Hezbollah, praised Islamic Revolution Guards Corps Aerospace "
        "Force units."
    )
    assert [m.actor.name for m in actors.find_in(text)] == [
        "Kataib Hezbollah",
        "Hezbollah",
        "IRGC Aerospace Force",
    ]


def test_actors_find_in_bare_surname_not_after_another_given_name():
    dictionary = ActorDictionary([
        (Actor("Ali Khamenei", "Iran", "person"), ["Khamenei"]),
        (Actor("Bashar al-Assad", "Syria", "person"), ["Assad"]),
    ])
    for text in ("His son Hamid Khamenei spoke.", "His brother Maher al-Assad spoke."):
        assert dictionary.find_in(text) == [], text
    for text in ("Supreme Leader Khamenei spoke.", "But Khamenei spoke.", "Iran's Khamenei spoke.",
                 "Then Ali Khamenei spoke.", "President al-Assad spoke.", "Syria's Assad spoke."):
        assert len(dictionary.find_in(text)) == 1, text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(_PLAIN_NAMES), min_size=1, max_size=6),
    st.sampled_from([" and ", ", ", "; then "]),
)
def test_actors_find_in_mentions_are_exact_ordered_and_disjoint(actors, names, joiner):
    text = "Officials said " + joiner.join(names) + " spoke."
    mentions = actors.find_in(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


# ----------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    "term, country",
    [
        ("Iranian", "Iran"),
        ("Iranians", "Iran"),
        ("Tehran", "Iran"),
        ("U.S.", "United States"),
        ("USA", "United States"),
        ("America", "United States"),
        ("Britain", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("Israel's", "Israel"),
        ("the Kremlin", "Russia"),
        ("Downing Street", "United Kingdom"),
        ("\u00c9lys\u00e9e", "France"),
        ("Elysee", "France"),
        ("Kiev", "Ukraine"),
        ("Kyiv", "Ukraine"),
        ("Emirati", "United Arab Emirates"),
        ("Saudi", "Saudi Arabia"),
        ("Gaza", "Palestine"),
        ("West Bank", "Palestine"),
        ("Qom", "Iran"),
        ("Iraq-based", "Iraq"),
        ("Iranian-backed", "Iran"),
        ("T\u00fcrkiye", "Turkey"),
        ("Guinea-Bissau", "Guinea-Bissau"),
    ],
)
def test_actors_places_country_of(places: Places, term: str, country: str):
    assert places.country_of(term) == country


@pytest.mark.parametrize(
    "term", ["us", "Korean", "Persian", "Hague", "Iran-Iraq", "Iran-Iraq war", "pro-Iranian"]
)
def test_actors_places_country_of_unknown_or_ambiguous(places: Places, term: str):
    assert places.country_of(term) is None


def test_actors_places_regions_shadow_country_words(places: Places):
    text = "Latin American envoys and Chinese ships in the South China Sea worried America."
    assert [(m.text, m.country) for m in places.find_in(text)] == [
        ("Chinese", "China"),
        ("America", "United States"),
    ]
    assert places.country_of("South China Sea") is None
    assert places.kind_of("South China Sea") == "region"


def test_actors_places_kind_of(places: Places):
    assert places.kind_of("Tehran") == "capital"
    assert places.kind_of("Iraqi") == "demonym"
    assert places.kind_of("Pentagon") == "institution"


def test_actors_places_find_in_demonyms_capitals_and_compounds(places: Places):
    text = (
        "Iraq-based militias backed by Tehran fired on U.S.-led forces near Basra, Iraqi "
        "officials said."
    )
    assert [(m.text, m.country) for m in places.find_in(text)] == [
        ("Iraq", "Iraq"),
        ("Tehran", "Iran"),
        ("U.S.", "United States"),
        ("Basra", "Iraq"),
        ("Iraqi", "Iraq"),
    ]


def test_actors_places_find_in_longest_place_wins(places: Places):
    text = "Rockets hit Gaza City and East Jerusalem, not Jerusalem."
    assert [(m.text, m.country) for m in places.find_in(text)] == [
        ("Gaza City", "Palestine"),
        ("East Jerusalem", "Palestine"),
        ("Jerusalem", "Israel"),
    ]


# ----------------------------------------------------------------------------- outlets


@pytest.mark.parametrize(
    "mention",
    ["Reuters", "The New York Times", "the Associated Press", "AP", "Al Jazeera", "the Hill"],
)
def test_actors_outlets_is_outlet(outlets: NewsOutlets, mention: str):
    assert outlets.is_outlet(mention)


@pytest.mark.parametrize("mention", ["Fars", "Tasnim", "KCNA", "ap", "Hill", "the Pentagon"])
def test_actors_outlets_state_media_and_others_are_not_outlets(outlets: NewsOutlets, mention: str):
    assert not outlets.is_outlet(mention)


def test_actors_outlets_find_in(outlets: NewsOutlets):
    text = "Speaking to The Washington Post, not to Fars, he repeated what he told AFP."
    assert [m.text for m in outlets.find_in(text)] == ["Washington Post", "AFP"]


# ----------------------------------------------------------------------------- loading


def test_actors_load_merges_files_later_ones_winning(tmp_path: Path):
    extra = tmp_path / "demo_actors.csv"
    extra.write_text(
        "# demo actors\nname,country,kind,aliases\n"
        "Jane Example,Iran,person,Example\n"
        "Zarif Impostor,Iraq,person,Javad Zarif\n",
        encoding="utf-8",
    )
    merged = ActorDictionary.load(ACTORS_CSV, extra)
    assert merged.lookup("Minister Jane Example").name == "Jane Example"
    assert merged.lookup("Javad Zarif").name == "Zarif Impostor"
    assert merged.lookup("Mohammad Javad Zarif").name == "Mohammad Javad Zarif"
    assert len(merged) == len(ActorDictionary.load()) + 2


def test_actors_load_refuses_unknown_kind_naming_it(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country,kind,aliases\nSomeone,Iran,militray,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="'militray'.*person"):
        ActorDictionary.load(bad)


def test_actors_places_load_refuses_unknown_kind(tmp_path: Path):
    bad = tmp_path / "bad_places.csv"
    bad.write_text("term,country,kind\nAtlantis,Atlantis,continent\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="continent"):
        Places.load(bad)


@pytest.mark.parametrize(
    ("url", "country"),
    [("https://tribune.com.pk/story/1", "Pakistan"), ("https://www.bbc.co.uk/news/x", "United Kingdom"),
     ("http://en.kabar.kg/news", "Kyrgyzstan"), ("https://www.mmtimes.com.mm/a", "Myanmar"),
     ("https://www.reuters.com/world", None), ("https://example.org:443/a", None), ("not a url", None)],
)
def test_a_country_code_domain_names_its_country_in_the_places_spelling(places: Places, url, country):
    assert places.country_of_domain(url) == country
