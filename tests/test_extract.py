"""End-to-end extraction on a news page written for these tests (tests/fixtures/border_page.txt):
speakers, countries, dates from weekday cues, stance signs, and boilerplate that yields nothing."""
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extraction.extract import Extractor
from pipeline.extraction.speakers import most_named_country
from pipeline.schema import EVENT_COLUMNS, Article, events_to_frame

PAGE = Path(__file__).parent / "fixtures" / "border_page.txt"
PUBLISHED = dt.date(2024, 3, 8)  # a Friday


@pytest.fixture(scope="module")
def events(extractor):
    text = PAGE.read_text(encoding="utf-8")
    return extractor.extract([Article("border", text, PUBLISHED, source="The Northern Dispatch")])[0]


def by_quote(events, words):
    matches = [e for e in events if words in e.quote]
    assert matches, f"no event quoting {words!r}; got {[e.quote for e in events]}"
    return matches[0]


def test_role_speaker_keeps_its_phrase_and_takes_country_from_the_capital(events):
    event = by_quote(events, "only the first warning")
    assert event.speaker == "a senior army commander in Islamabad"
    assert event.country == "Pakistan"
    assert event.date == "2024-03-08" and event.date_basis == "Friday"
    assert event.stance == "escalation"


def test_late_weekday_cue_resolves_to_the_day_before_publication(events):
    event = by_quote(events, "would retaliate")
    assert event.speaker == "Ishaq Dar"
    assert event.date == "2024-03-07"
    assert event.score > 0


def test_surname_with_honorific_resolves_and_continued_quote_keeps_speaker_and_date(events):
    first = by_quote(events, "We will not hesitate")
    second = by_quote(events, "Our patience has limits")
    assert first.speaker == second.speaker == "Ishaq Dar"
    assert first.speaker_mention == "Mr. Dar"
    assert second.date == first.date == "2024-03-07"
    assert (first.found_by, second.found_by) == ("reporting verb", "continued quotation")


def test_negated_intent_is_de_escalation_by_the_rules_and_never_escalation_with_the_model(events):
    event = by_quote(events, "did not seek escalation")
    assert event.speaker == "Subrahmanyam Jaishankar"
    assert event.country == "India"
    assert event.date == "2024-03-05"
    # the model is torn on negated "escalation" and its guard against flips leaves it neutral
    assert event.stance in ("de-escalation", "neutral") and event.score <= 0
    rules = Extractor.default(learned_stance=False)
    by_rules = by_quote(rules.extract([Article("border", PAGE.read_text(encoding="utf-8"), PUBLISHED)])[0], "did not seek escalation")
    assert by_rules.stance == "de-escalation" and by_rules.score < 0


def test_pronoun_resolves_to_the_previous_speaker_and_inherits_his_date(events):
    event = by_quote(events, "open to talks")
    assert event.speaker == "Subrahmanyam Jaishankar"
    assert event.speaker_mention == "He"
    assert event.date == "2024-03-05"
    assert event.score < 0


def test_time_cue_of_another_event_does_not_date_the_statement(events):
    event = by_quote(events, "destroyed two launch pads")
    assert event.country == "India"
    assert event.date == "2024-03-08" and event.date_basis == "published"
    assert "according to" not in event.quote


def test_call_on_others_not_to_strike_is_de_escalation(events):
    event = by_quote(events, "not to carry out further strikes")
    assert event.speaker == "Antonio Guterres"  # the dictionary name, in the article's spelling
    assert event.country == "United Nations"
    assert event.stance == "de-escalation"


def test_analysts_and_boilerplate_give_no_events(events):
    quotes = " ".join(e.quote for e in events)
    assert "Neither capital wants a war" not in quotes
    assert not any("Menon" in e.speaker or "analyst" in e.speaker for e in events)
    assert not any(word in quotes for word in ("newsletter", "Copyright", "comments"))


def test_every_quote_is_the_text_at_its_offsets(events):
    text = PAGE.read_text(encoding="utf-8")
    assert events
    for event in events:
        assert text[event.start:event.end] == event.quote
        assert text[event.sentence_start:event.sentence_start + len(event.sentence)] == event.sentence
        assert -1.0 <= event.score <= 1.0 and 0.0 <= event.confidence <= 1.0


def test_events_fill_the_schema_columns_in_order(events):
    frame = events_to_frame(events)
    assert tuple(frame.columns) == EVENT_COLUMNS
    assert frame["event_id"].is_unique


def test_event_ids_are_stable_across_runs(extractor, events):
    text = PAGE.read_text(encoding="utf-8")
    again = extractor.extract([Article("border", text, PUBLISHED)])[0]
    assert [e.event_id for e in again] == [e.event_id for e in events]


@pytest.mark.parametrize(
    ("text", "quoted", "day"),
    [
        ("Speaking at the United Nations on Tuesday, Turkish President Tayyip Erdogan said Turkey backed Azerbaijan.",
         "Turkey backed Azerbaijan", "2024-03-05"),
        ("Gallant, touring the site on Sunday, told residents that Israel would hit back hard.",
         "Israel would hit back hard", "2024-03-03"),
        ("Referring to Monday night's strike, the general said the attack was a crime.",
         "the attack was a crime", "2024-03-08"),
        ("Kyiv's top commander said on Wednesday that his troops held the line. Russian President Vladimir Putin, "
         "chairing a meeting of his generals the same day, accused Kyiv of seeking leverage before any talks.",
         "Kyiv of seeking leverage", "2024-03-06"),
    ],
)
def test_the_circumstances_of_the_speaking_date_it(extractor, text, quoted, day):
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    event = by_quote(events, quoted)
    assert event.date == day, (event.date, event.date_basis)


@pytest.mark.parametrize(
    ("text", "quoted", "day"),
    [
        ('"If they go on, they will see a new response," Kim said in a statement carried by the state news agency KCNA late Sunday.',
         "they will see a new response", "2024-03-03"),
        ("Serbian President Aleksandar Vucic, in an address to the nation late Sunday, condemned the killing but said the gunmen were locals.",
         "the gunmen were locals", "2024-03-03"),
    ],
)
def test_a_day_the_parse_hung_on_the_medium_or_the_speaker_still_dates_the_statement(extractor, text, quoted, day):
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], quoted)
    assert event.date == day, (event.date, event.date_basis)


def test_an_unnamed_body_speaks_for_the_country_of_the_dateline(extractor):
    text = "SEOUL, June 10 - North Korea flew more balloons overnight, the military said on Monday."
    events = extractor.extract([Article("t", text, dt.date(2024, 6, 10))])[0]
    assert [(e.speaker, e.country, e.date) for e in events] == [("the military", "South Korea", "2024-06-10")]


WORDS = ["said", "told", "according", "to", "“", "”", '"', "Putin", "he", "the", "minister", ",", ".", "Tuesday",
         "night", "not", "war", "Iran", "officials", "who", "warned", "that", "would", "attack", "\n\n", "-", "’s"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_extraction_never_fails_and_quotes_stay_exact_on_any_word_salad(extractor, words):
    text = " ".join(words)
    for event in extractor.extract([Article("salad", text, PUBLISHED)])[0]:
        assert text[event.start:event.end] == event.quote
        assert event.date <= PUBLISHED.isoformat()


@pytest.mark.parametrize(
    ("text", "quoted", "speaker"),
    [
        # the title that introduced them gives the country
        (("BISHKEK - Kyrgyz President Almaz Tokon met regional leaders in Tashkent.\n\n"
          "“The border will stay open to trade,” Almaz Tokon said."),
         "border will stay open", ("Almaz Tokon", "Kyrgyzstan")),
        # or the description after their name
        (("WASHINGTON - The ceremony was attended by Khalid Al-Farsi, the foreign minister of Bahrain, and others.\n\n"
          "“This is a historic step toward peace,” Al-Farsi said, adding that talks would continue."),
         "historic step toward peace", ("Khalid Al-Farsi", "Bahrain")),
        # an abbreviated rank between the title and the name does not stop the reading
        (("MOSCOW - Pentagon spokesman Capt. Jeff Dorne said the strike was over.\n\n"
          "“We took precautions to avoid the area where Russian forces are,” Dorne said."),
         "took precautions", ("Jeff Dorne", "United States")),
        # a role phrase is the person the article introduced with that title
        (("Greek Prime Minister Nikos Varvakis met his counterpart in Athens on Monday.\n\n"
          "The Greek Prime Minister said the two countries should work together for a better future."),
         "work together", ("Nikos Varvakis", "Greece")),
        # a country's leader is the person it titles president or prime minister
        (("Turkish President Emre Kaya met the Dutch envoy in Ankara on Monday.\n\n"
          "The Turkish leader said the two countries should work together for a better future."),
         "work together", ("Emre Kaya", "Turkey")),
        # a headline's bare role with a demonym: the person titled so, with the role's country
        (("Dutch prime minister says the visit would threaten public order.\n\n"
          "Dutch Prime Minister Jan Vermeer refused permission for the plane to land on Saturday."),
         "threaten public order", ("Jan Vermeer", "Netherlands")),
        # a country's role held by the one person the article titles so and places nowhere
        (("Moroccan foreign minister says the embassy in Tehran will close.\n\n"
          "Foreign Minister Karim Alaoui said the decision was final."),
         "embassy in Tehran", ("Karim Alaoui", "Morocco")),
        # a hyphenated title
        (("President Joe Biden said the deal was done. President-elect Donald Trump was the first to announce it.\n\n"
          "Soon after, the president-elect said the hostages would return home soon."),
         "hostages would return", ("Donald Trump", "United States")),
        # he: the titled person named in a sentence never parsed, after the last speaker
        (("Prime Minister Ravi Kaul said on Friday that the army would respond.\n\n"
          "India's finance minister Anil Mehra spelt out the trade measures in a speech.\n\n"
          "He said the measures would include removing trade privileges."),
         "removing trade privileges", ("Anil Mehra", "India")),
        # "it" in a clause hung on the sentence: the subject before it
        ("The Lebanese militia Hezbollah fired missiles at an Israeli border post on Sunday in what it called payback for an airstrike.",
         "what it called payback", ("Hezbollah", "Lebanon")),
        # but "..., it said" after a reported clause is who spoke before, not that clause's subject
        (("Pakistan's army said on Monday that the firing had stopped.\n\n"
          "Both sides agreed to observe the ceasefire strictly from midnight, it said."),
         "observe the ceasefire", ("Pakistan Armed Forces", "Pakistan")),
        # he: the person who spoke earlier in the same sentence
        (('"We insist that we have no connection to what happened," Kremlin spokesman Oleg Varin said.\n\n'
          "British Foreign Secretary Alan Marsh accused Moscow of the attack, which he described as a way of scaring critics."),
         "a way of scaring critics", ("Alan Marsh", "United Kingdom")),
        # he: the person whose name opens the sentence never parsed before it
        (("Colombian President Ramon Vela said on Friday that a new era had begun, and rebel commander Tomas Arce agreed.\n\n"
          "Arce, whose presence was made possible by a court ruling, was more cautious.\n\n"
          '"We have not yet signed substantial agreements," he said.'),
         "not yet signed", ("Tomas Arce", "Colombia")),
        # a title heading the speaker phrase names the person after it, not a later proper noun
        ("President Dr. Mohamed Irfaan Ali, during his Independence Day speech marking 59 years of independence, said Guyana would never yield.",
         "never yield", ("Irfaan Ali", "Guyana")),
        # a predicate noun speaks as the subject it describes
        ("Army chief Ravi Kaul was the first official to announce on Wednesday that the deal was complete.",
         "deal was complete", ("Ravi Kaul", "")),
        # a country's president is its titled head of state when nobody is titled president
        (("Azerbaijani head of state Elnur Mammadli met foreign envoys in Baku on Monday.\n\n"
          "Azerbaijan’s president said the operation would end soon."),
         "operation would end", ("Elnur Mammadli", "Azerbaijan")),
        # a head of government the article names without the title: the one person of that country it names
        (("Kosovo’s prime minister has said the attack was planned in Belgrade.\n\n"
          "Albin Kurti said masked gunmen had fired on the police patrol."),
         "attack was planned", ("Albin Kurti", "Kosovo")),
        # a family name said first is the one dictionary name the article writes starting with it
        (("Defence ministers gathered in Singapore on Saturday. China's new defence minister, Dong Jun, met his US counterpart.\n\n"
          "Dong said that whoever split Taiwan from China would be crushed."),
         "whoever split Taiwan", ("Dong Jun", "China")),
        # "the group", "the rebels": the armed group named last
        (("Israeli jets struck Hezbollah positions in southern Lebanon on Monday.\n\n"
          "The group said it would respond at a time of its choosing."),
         "respond at a time", ("Hezbollah", "Lebanon")),
        (("Fighting resumed near Goma between the army and M23 on Monday.\n\n"
          "The rebels said on Tuesday that they would withdraw from the town."),
         "withdraw from the town", ("M23", "Democratic Republic of the Congo")),
        # "the premier": the one person the article titles a head of government
        (("Prime Minister Avi Stern met the army chief on Monday.\n\n"
          "The premier further warned that the current conflict may last for some time."),
         "conflict may last", ("Avi Stern", "")),
        # a hyphenated surname is the person the article named in full
        (("Iranian army spokesman Reza Talayi-Nik spoke on Tuesday.\n\n"
          "Talayi-Nik denounced the strikes on civilians as a crime."),
         "the strikes on civilians", ("Reza Talayi-Nik", "Iran")),
        # an acronym the parser takes for a common noun is an organisation
        (("Fighting continued near Bangui on Friday.\n\n"
          "MINUSCA added that four of its peacekeepers were wounded on Saturday by mortar fire."),
         "four of its peacekeepers", ("MINUSCA", "Central African Republic")),
        # a body's website speaks for the body
        ("The Kremlin's website stated that the meeting will be held in Sochi.",
         "the meeting will be held", ("Kremlin", "Russia")),
        # "the official", "the Prime Minister": the person who spoke just before, titled or not
        (("Kuala Lumpur will keep pressing both sides to hold their fire, says Amir Razak.\n\n"
          "The Prime Minister said that although both leaders agreed to a truce, fighting persisted."),
         "fighting persisted", ("Amir Razak", "")),
        (("Deputy Chairman Edil Tokon reported that the summit would be held in Osh.\n\n"
          "The official noted that the leaders would discuss the border."),
         "leaders would discuss", ("Edil Tokon", "")),
        # "the Malian side" is Mali's government
        (("Algeria and Mali held talks in Algiers on Monday.\n\n"
          "The Malian side said the border would reopen next week."),
         "border would reopen", ("Malian government", "Mali")),
    ],
)
def test_a_role_or_pronoun_is_the_person_the_article_names(extractor, text, quoted, speaker):
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], quoted)
    assert (event.speaker, event.country) == speaker


def test_a_minister_is_not_the_spokesperson_who_spoke_before(extractor):
    text = ("Foreign ministry spokesperson Li Wen said the visit was a provocation.\n\n"
            "The foreign minister said the talks would go ahead as planned.")
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], "talks would go ahead")
    assert event.speaker == "the foreign minister"  # the role as written, not the spokesperson


def test_a_family_name_two_dictionary_people_share_names_neither(extractor):
    text = ("Kim Jong Un watched the launch on Sunday, and Kim Yo Jong was at his side.\n\n"
            "Kim said the Pacific did not belong to the United States.")
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], "Pacific did not belong")
    assert event.speaker not in ("Kim Jong Un", "Kim Yo Jong")


def test_a_capitalised_word_before_a_surname_that_is_no_name_names_nobody(extractor):
    text = ("On Twitter the exchange drew thousands of replies on Monday.\n\n"
            "Twitter said that the posts broke no rules.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert all(event.speaker != "On Twitter" for event in events)


def test_the_group_is_no_armed_group_when_another_organisation_was_named_after_it(extractor):
    text = ("Israeli jets struck Hezbollah positions in southern Lebanon on Monday.\n\n"
            "Human Rights Watch counted twelve civilians among the dead.\n\n"
            "The group said the strikes must be investigated.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert all(event.speaker != "Hezbollah" for event in events)


def test_an_acronym_speaker_is_written_in_the_long_form_the_article_spells_out(extractor):
    text = ("Fighting resumed near Goma between the army and the March 23 Movement (M23) on Monday.\n\n"
            "The M23 said on Tuesday that it would withdraw from the town.")
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], "withdraw from the town")
    assert event.speaker == "March 23 Movement"
    from pipeline.extraction.speakers import spelled_out
    assert spelled_out("UNSMIL", "the United Nations Support Mission in Libya (UNSMIL) said") == "United Nations Support Mission in Libya"
    assert spelled_out("NATO", "NATO said, and Russia (RU) agreed") == "NATO"


def test_an_acronym_speaker_is_the_name_the_article_writes_with_those_initials(extractor):
    text = ("Critics blamed the government of President Andres Manuel Lopez Obrador for the row.\n\n"
            "AMLO said on Tuesday that Mexico would file a suit against Ecuador.")
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], "file a suit")
    assert event.speaker == "Andres Manuel Lopez Obrador"
    from pipeline.extraction.speakers import spelled_out
    assert spelled_out("SPLA-IO", "Machar (SPLA-IO, the Sudan People's Liberation Army In Opposition) agreed") == "Sudan People's Liberation Army In Opposition"


def test_a_role_is_the_titled_person_whose_name_holds_lower_case_particles(extractor):
    text = ("Omani Foreign Minister Sayyid Hamid bin Faisal bin Saif Al-Harthy said on Tuesday that talks had resumed.\n\n"
            "The minister said the agreement would bring peace to the region.\n\n"
            "Ahead of a meeting with Canadian Prime Minister Paul Lavoie, the president spoke to reporters.")
    event = by_quote(extractor.extract([Article("t", text, PUBLISHED)])[0], "bring peace")
    assert (event.speaker, event.country) == ("Hamid bin Faisal bin Saif Al-Harthy", "Oman")
    from pipeline.extraction.speakers import person_with_title
    before = text.index("The minister")
    assert person_with_title("minister", text, extractor.resources.speakers, before=before) == ("Hamid bin Faisal bin Saif Al-Harthy", "Oman")


def test_a_press_service_speaks_for_the_body_it_belongs_to(extractor):
    text = ("The ambassador was summoned to the Azerbaijani Foreign Ministry, which lodged a protest, the ministry’s press service reported.\n\n"
            "The press service of the Ural branch of the Russian Investigative Committee said that six people were detained.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert by_quote(events, "lodged a protest").speaker == "Azerbaijani Foreign Ministry"
    assert by_quote(events, "six people were detained").speaker == "Russian Investigative Committee"


def test_a_countrys_military_is_the_one_military_command_of_that_country_the_article_names(extractor):
    text = ("The South Korean military said the North had blown up sections of a road.\n\n"
            "South Korea's Joint Chiefs of Staff said the blasts occurred at noon.\n\n"
            "The military said it fired warning shots.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert by_quote(events, "blown up").speaker == "South Korean Joint Chiefs of Staff"
    assert by_quote(events, "warning shots").speaker == "South Korean Joint Chiefs of Staff"


def test_a_titled_name_may_begin_with_a_place_word(extractor):
    from pipeline.extraction.speakers import person_with_title

    text = "Israel's foreign minister rejects the truce.\n\n\"Quiet will be answered with quiet,\" Foreign Minister Israel Adler told Army Radio."
    assert person_with_title("foreign minister", text, extractor.resources.speakers, country="Israel") == ("Israel Adler", "Israel")


def test_a_counted_plural_gives_each_party_its_own_statement(extractor):
    text = ("Indian Foreign Minister Ravi Kaul said on Friday that he had met Chinese Foreign Minister Li Wen in Moscow.\n\n"
            "The two ministers agreed that the troops of both sides should disengage quickly.")
    events = [e for e in extractor.extract([Article("t", text, PUBLISHED)])[0] if "disengage" in e.quote]
    assert sorted((e.speaker, e.country) for e in events) == [("Li Wen", "China"), ("Ravi Kaul", "India")]


def test_a_joint_document_speaks_for_the_parties_of_the_joint_statement_before_it(extractor):
    text = ("Guyana and Venezuela met in Argyle on Thursday. The two countries agreed not to use force in their dispute.\n\n"
            "The declaration said the two sides would meet again in Brazil within three months.")
    events = [e for e in extractor.extract([Article("t", text, PUBLISHED)])[0] if "meet again" in e.quote]
    assert sorted(e.speaker for e in events) == ["Guyanese government", "Venezuelan government"]
    alone = extractor.extract([Article("t", text.split("\n\n")[1], PUBLISHED)])[0]
    assert [e.speaker for e in alone if "meet again" in e.quote] in ([], ["the declaration"])  # no parties known: not guessed


def test_the_ministers_of_a_story_naming_two_countries_people_are_those_two(extractor):
    # the first sentence holds no reporting verb (never parsed): the dictionary names them
    text = ("Indian Foreign Minister Subrahmanyam Jaishankar met Chinese Foreign Minister Wang Yi in Moscow on Thursday.\n\n"
            "The ministers agreed that the troops of both sides should disengage quickly.")
    events = [e for e in extractor.extract([Article("t", text, PUBLISHED)])[0] if "disengage" in e.quote]
    assert sorted((e.speaker, e.country) for e in events) == [("Subrahmanyam Jaishankar", "India"), ("Wang Yi", "China")]
    three = text.replace("on Thursday.", "on Thursday, with Russian Foreign Minister Sergey Lavrov.")
    events = [e for e in extractor.extract([Article("t", three, PUBLISHED)])[0] if "disengage" in e.quote]
    assert [e.speaker for e in events] == ["the ministers"]  # three countries' ministers: which two is a guess


def test_a_quoted_paragraph_after_an_attributed_one_keeps_its_speaker_sentence_after_sentence(extractor):
    text = ("“We are fighting for democracy,” General Omar Dalo of Sudan said.\n\n"
            "“We did not attack anyone. Our actions are merely a response to the siege.”")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert [(e.speaker, e.quote) for e in events] == [
        ("Omar Dalo", "We are fighting for democracy"), ("Omar Dalo", "We did not attack anyone."),
        ("Omar Dalo", "Our actions are merely a response to the siege."),
    ]


def test_a_speakers_day_carries_to_their_later_undated_statements(extractor):
    text = ("Army spokesman Adan Bek said on Tuesday that the border was calm.\n\n"
            "Shops reopened in the town. Buses ran again. Schools stayed shut.\n\n"
            "Adan Bek added that talks with the neighbours would resume soon.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert [(e.speaker, e.date) for e in events] == [("Adan Bek", "2024-03-05"), ("Adan Bek", "2024-03-05")]


def test_officials_named_nowhere_else_speak_for_the_country_of_a_papers_domain_when_the_story_names_it(extractor):
    text = "The Foreign Office said on Friday that Indian troops had violated the ceasefire along the Line of Control near Pakistan."
    home = extractor.extract([Article("t", text, PUBLISHED, url="https://tribune.com.pk/story/1")])[0]
    assert [(e.speaker, e.country) for e in home] == [("Foreign Office", "Pakistan")]
    abroad = extractor.extract([Article("t", text.replace("near Pakistan", "in the north"), PUBLISHED,
                                        url="https://www.vanguardngr.com.ng/x")])[0]
    assert [(e.speaker, e.country) for e in abroad] == [("Foreign Office", "")]


def test_a_bare_title_that_fits_two_people_names_neither(extractor):
    from pipeline.extraction.speakers import person_with_title

    lexicon = extractor.resources.speakers
    text = "Foreign Minister Tomas Varga met Defence Minister Ilse Brandt in Vienna. The minister said more."
    assert person_with_title("minister", text, lexicon, before=len(text) - 20) is None
    assert person_with_title("Defence Minister", text, lexicon, before=len(text) - 20) == ("Ilse Brandt", "")
    assert person_with_title("minister", text, lexicon, country="Austria", before=len(text) - 20) is None


def test_officials_no_rule_places_speak_for_the_country_the_story_names_most_outside_what_was_said(extractor):
    text = ("Pakistan closed two crossings on Thursday. Traders in Pakistan said trucks were stranded.\n\n"
            "The Foreign Office said on Friday that Indian troops had violated the ceasefire in India and India alone.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert ("Foreign Office", "Pakistan") in [(e.speaker, e.country) for e in events]
    lexicon = extractor.resources.speakers
    assert most_named_country("India, India and Pakistan.", lexicon) == "India"
    assert most_named_country("India, India and Pakistan.", lexicon, said=[(0, 12)]) == "Pakistan"
    assert most_named_country("Nothing named here.", lexicon) == ""
