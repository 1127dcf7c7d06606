"""Who speaks and what is said, sentence by sentence, on constructions of wire copy."""
import datetime as dt

import pytest

from pipeline.extraction.extract import FOUND_BY_KIND
from pipeline.schema import FOUND_BY, Article

PUBLISHED = dt.date(2024, 4, 18)  # a Thursday


def extract(extractor, text):
    return extractor.extract([Article("t", text, PUBLISHED)])[0]


@pytest.mark.parametrize(
    ("text", "speaker", "country", "quoted"),
    [
        ('"We will respond to any aggression," said Israeli Prime Minister Benjamin Netanyahu.',
         "Benjamin Netanyahu", "Israel", "We will respond to any aggression"),
        ("Hamas said in a statement that it would not accept a deal without a full withdrawal.",
         "Hamas", "Palestine", "it would not accept a deal"),
        ("Russian Foreign Minister Sergei Lavrov told reporters: “The West is playing with fire.”",
         "Sergei Lavrov", "Russia", "The West is playing with fire"),
        ("North Korean leader Kim Jong Un was quoted as saying by the Korean Central News Agency that the drills showed the country's resolve.",
         "Kim Jong Un", "North Korea", "the drills showed the country's resolve"),
        ("A senior Israeli military official said the air force had struck 40 targets overnight.",
         "a senior Israeli military official", "Israel", "the air force had struck 40 targets"),
        ("Ukraine would keep fighting until every occupied village was freed, according to President Volodymyr Zelensky.",
         "Volodymyr Zelensky", "Ukraine", "Ukraine would keep fighting"),
        ("Venezuelan envoy Rander Pena Ramirez also posted a Twitter message saying that “our historical ties summon us to work together.”",
         "Rander Pena Ramirez", "Venezuela", "our historical ties summon us"),
        ("“We call for calm,” Moldova's government said in a statement, Guardian reported.",
         "Moldova's government", "Moldova", "We call for calm"),
        # the parser hangs the speaker elsewhere: the noun phrase right before the verb speaks
        ("Speaking in London, Qatari foreign minister Sheikh Mohammed bin Abdulrahman al-Thani, said the charges “were clearly designed to create anti-Qatar sentiment”.",
         "Mohammed bin Abdulrahman Al Thani", "Qatar", "were clearly designed"),
        # what a party believes or considers is its statement
        ("Following an investigation, the Finnish police believe that the vessel damaged the cable with its anchor.",
         "the Finnish police", "Finland", "the vessel damaged the cable"),
        ("Azerbaijan considers the elections in Karabakh a violation of its sovereignty.",
         "Azerbaijani government", "Azerbaijan", "a violation of its sovereignty"),
        # what a thing is described as is said too
        ("Japan's defence ministry described the incursion as a severe and dangerous escalation.",
         "Japanese Defence Ministry", "Japan", "the incursion as a severe and dangerous escalation"),
        # a passive reporting verb's agent speaks its subject
        ("Turkey’s ambassador to Baghdad, Fatih Yildiz, was summoned by the Iraqi foreign ministry on Thursday.",
         "Iraqi Foreign Ministry", "Iraq", "Turkey’s ambassador to Baghdad"),
        # "called X a Y" describes X: a statement framed as said, not a call
        ("Israeli Prime Minister Benjamin Netanyahu called the day “a pivot of history, a new dawn of peace.”",
         "Benjamin Netanyahu", "Israel", "a pivot of history"),
        ("As per the Eastern Theater Command, the military drill will start tonight near the island.",
         "PLA Eastern Theater Command", "China", "the military drill will start tonight"),
        ("Somalia also recalled its ambassador to Ethiopia for consultations over the port agreement.",
         "Somali government", "Somalia", "its ambassador to Ethiopia"),
        ("The Houthi movement's spokesman, Yahya Saree, said the group had targeted a cargo ship in the Red Sea.",
         "Yahya Saree", "Yemen", "the group had targeted a cargo ship"),
        ("The NATO secretary general, Mark Rutte, on Monday confirmed that North Korean troops had been deployed in Kursk.",
         "Mark Rutte", "NATO", "North Korean troops had been deployed"),
        ("Kataib Hezbollah Secretary-General Abu Hussein al-Hamidawi said the group would suspend operations.",
         "Abu Hussein al-Hamidawi", "Iraq", "the group would suspend operations"),
        ('The Commander-in-Chief also noted that "there is no agreement or deal with the RSF."',
         "the Commander-in-Chief", "", "there is no agreement or deal"),
        ("The cross-border strikes inflicted significant casualties, Israeli army spokesman Avi Dor told reporters.",
         "Avi Dor", "Israel", "The cross-border strikes inflicted significant casualties"),
        ('"The new era of peace has finally opened," South Korean President Moon Jae-in told reporters through a translator.',
         "Moon Jae-in", "South Korea", "The new era of peace has finally opened"),
    ],
)
def test_speaker_country_and_content(extractor, text, speaker, country, quoted):
    events = extract(extractor, text)
    assert len(events) == 1, [(e.speaker, e.quote) for e in events]
    event = events[0]
    assert event.speaker == speaker
    assert event.country == country
    assert quoted in event.quote


@pytest.mark.parametrize(
    "text",
    [
        "No group has claimed the attack.",
        "The strike was the deadliest in the region in a decade.",
        '"The risk of miscalculation is very high," said Mark Hollis, an analyst at the Centre for Strategic Studies.',
        "Reuters reported that the convoy was hit near the border.",
        "The minister was told of the attack late on Tuesday.",
    ],
)
def test_no_statement(extractor, text):
    assert extract(extractor, text) == []


def test_quotation_over_two_paragraphs_keeps_its_speaker(extractor):
    text = (
        '“We have shown restraint for too long,” Defence Minister Yoav Gallant said on Tuesday. '
        '“That time is over.”\n\n'
        '“Hezbollah will pay a heavy price for every rocket.”'
    )
    events = extract(extractor, text)
    assert [e.speaker for e in events] == ["Yoav Gallant"] * 3
    assert {e.date for e in events} == {"2024-04-16"}


def test_two_speakers_in_one_sentence_give_two_events(extractor):
    text = ("The Kremlin said the talks had failed, and Ukrainian President Volodymyr Zelensky "
            "said Kyiv would not cede territory.")
    events = extract(extractor, text)
    assert {e.speaker for e in events} == {"Kremlin", "Volodymyr Zelensky"}
    zelensky = [e for e in events if e.speaker == "Volodymyr Zelensky"]
    assert zelensky and "would not cede territory" in zelensky[0].quote


def test_report_nested_in_what_somebody_said_is_not_a_second_statement(extractor):
    text = "Lavrov said Washington had warned Kyiv against any offensive."
    events = extract(extractor, text)
    assert len(events) == 1
    assert events[0].speaker == "Sergei Lavrov"


def test_a_dateline_is_not_the_speaker(extractor):
    text = "KYIV, March 5, 2024 — The foreign minister of Ukraine said Thursday that talks would resume next week."
    events = extract(extractor, text)
    assert [e.speaker for e in events] == ["the foreign minister of Ukraine"]
    assert events[0].country == "Ukraine"


def test_a_hyphenated_surname_resolves_to_the_canonical_name_of_the_person_named_before(extractor):
    text = ("Hezbollah official Hashem al-Safieddine said on Monday that the group was ready. "
            "“Every base is within range,” al-Safieddine told a rally on Tuesday night.")
    events = extract(extractor, text)
    assert [e.speaker for e in events] == ["Hashem Safieddine", "Hashem Safieddine"]  # the dictionary spelling
    assert [e.date for e in events] == ["2024-04-15", "2024-04-16"]


def test_speakers_joined_by_and_each_give_a_statement(extractor):
    text = ("Sudan's army and the paramilitary Rapid Support Forces each said on Tuesday that the "
            "other had broken the truce.")
    events = extract(extractor, text)
    assert sorted(e.speaker for e in events) == ["Rapid Support Forces", "Sudanese Armed Forces"]
    assert {e.date for e in events} == {"2024-04-16"}


def test_a_named_person_relayed_by_a_department_is_the_speaker(extractor):
    text = ("Secretary of State Antony Blinken called Aliyev on Tuesday and urged him to stop military "
            "action, the State Department said.")
    events = extract(extractor, text)
    assert [(e.speaker, e.date) for e in events] == [("Antony Blinken", "2024-04-16")]


def test_a_quote_is_preferred_to_the_clause_added_after_it(extractor):
    text = '"We do not want this conflict to escalate," Blinken said, adding that talks were the best way.'
    events = extract(extractor, text)
    assert len(events) == 1 and events[0].quote == "We do not want this conflict to escalate"


@pytest.mark.parametrize(
    "text",
    [
        "Vietnam and Malaysia also claim parts of the sea, which China says it has ruled for centuries.",
        "China claims almost the entire South China Sea.",
    ],
)
def test_territorial_claims_and_lone_relative_words_are_not_statements(extractor, text):
    assert [e.quote for e in extract(extractor, text) if e.quote.lower() in ("which", "that") or "entire" in e.quote] == []


def test_a_government_saying_what_its_capital_will_do_speaks_for_that_country(extractor):
    events = extract(extractor, "Executive Secretary Lucas Bersamin said Manila would not invoke the treaty.")
    assert [(e.speaker, e.country) for e in events] == [("Lucas Bersamin", "Philippines")]


@pytest.mark.parametrize(
    ("text", "speaker", "country"),
    [
        ("Kinshasa said on Saturday that it was severing ties with Kigali.", "Congolese government", "Democratic Republic of the Congo"),
        ("Another Iran-aligned group, Harakat al-Nujaba, said it would keep up its operations.", "Harakat al-Nujaba", "Iraq"),
        ("U.S. Ambassador to Manila MaryKay Carlson condemned what she called dangerous manoeuvres.", "MaryKay Carlson", "United States"),
    ],
)
def test_governments_appositions_and_titles_before_names(extractor, text, speaker, country):
    events = extract(extractor, text)
    assert [(e.speaker, e.country) for e in events] == [(speaker, country)]


@pytest.mark.parametrize(
    "text",
    [
        "Human Rights Watch said the evacuation order risked amounting to forcible transfer.",
        "Republican lawmakers said the response had come too late.",
        "Kosovo declared independence from Serbia in 2008.",
    ],
)
def test_rights_groups_lawmakers_and_history_are_not_statements(extractor, text):
    assert extract(extractor, text) == []


def test_a_current_post_outweighs_a_former_one(extractor):
    text = "African Union envoy Olusegun Obasanjo, a former Nigerian president, said the two parties had agreed to a truce."
    assert [e.speaker for e in extract(extractor, text)] == ["Olusegun Obasanjo"]


def test_whoever_issued_a_statement_speaks_in_it(extractor):
    events = extract(extractor, "Japanese Chief Cabinet Secretary Hirokazu Matsuno issued a statement saying that the missiles were a serious threat.")
    assert [(e.speaker, e.country, e.quote) for e in events] == [("Hirokazu Matsuno", "Japan", "the missiles were a serious threat")]


def test_a_statement_nobody_is_said_to_have_issued_is_the_latest_speakers(extractor):
    events = extract(extractor, "Pakistan's army said on Sunday that it had repulsed the attacks. "
                                '"The enemy suffered heavy losses," the statement said.')
    assert [(e.speaker, e.quote) for e in events] == [("Pakistan Armed Forces", "it had repulsed the attacks"),
                                                      ("Pakistan Armed Forces", "The enemy suffered heavy losses")]
    assert extract(extractor, '"The enemy suffered heavy losses," the statement said.') == []


def test_a_joint_statement_of_parties_the_phrase_names_gives_each_its_row(extractor):
    events = extract(extractor, "The Turkish and Armenian foreign ministries said the two sides agreed to open the border.")
    assert [(e.speaker, e.country) for e in events] == [("Turkish foreign ministry", "Turkey"), ("Armenian foreign ministry", "Armenia")]
    events = extract(extractor, "The governments of the United States and Iraq announced that they would end the coalition mission.")
    assert [(e.speaker, e.country) for e in events] == [("American government", "United States"), ("Iraqi government", "Iraq")]


def test_a_countrys_president_is_the_president_the_article_introduced(extractor):
    events = extract(extractor, "Azerbaijani President Ilham Aliyev visited the border town on Monday.\n\n"
                                "Azerbaijan's president said the talks with Yerevan had been useful.")
    assert [(e.speaker, e.country) for e in events] == [("Ilham Aliyev", "Azerbaijan")]


def test_each_statement_says_how_it_was_found(extractor):
    [according] = extract(extractor, "Ukraine would keep fighting until every occupied village was freed, according to President Volodymyr Zelensky.")
    [said] = extract(extractor, "Hamas said in a statement that it would not accept a deal without a full withdrawal.")
    assert (according.found_by, said.found_by) == ("according to", "reporting verb")
    assert sorted(FOUND_BY_KIND.values()) == sorted(FOUND_BY)  # every kind of statement has its value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The ministry called on Israel to stop the strikes.", True),
        ("The president called the minister on Monday.", False),  # "on" of the day, not "called on"
        ("He called the strike a crime against the people.", True),  # a description
    ],
)
def test_call_reports_speech_only_as_a_call_on_or_for_or_a_description(extractor, text, found):
    sentence = extractor.resources.splitter.split(text)[0]
    statements = extractor.resources.finder.find(extractor.nlp(sentence.text), sentence)
    assert bool(statements) is found
