"""Sentence splitting, quotations and candidate sentences (pipeline/extraction/sentences.py)."""
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extraction.sentences import SentenceSplitter, load_reporting_verbs, quotation_spans

SPLITTER = SentenceSplitter(load_reporting_verbs())


def texts(text):
    return [s.text for s in SPLITTER.split(text)]


def test_an_opening_quote_starts_the_next_sentence_not_the_previous_one():
    text = "He said it was over. “We will not stop. They will pay,” he added."
    assert texts(text) == ["He said it was over.", "“We will not stop.", "They will pay,” he added."]


def test_a_nested_single_quote_does_not_split_its_sentence():
    text = "“We told them, ‘Enough. You can’t keep firing,’” the minister said."
    assert texts(text) == [text]


def test_a_quotation_ending_in_an_exclamation_stays_with_its_attribution_and_no_other_sentence():
    assert texts("“All is well!” Trump wrote in a message. “Missiles hit two bases.”") == [
        "“All is well!” Trump wrote in a message.", "“Missiles hit two bases.”"]
    assert texts("“Why?” The army attacked the town.") == ["“Why?”", "The army attacked the town."]


def test_quotations_pair_curly_and_straight_marks_and_run_to_paragraph_end_when_open():
    paragraph = 'He said "stop now" and “wait.” Then: “more'
    spans = [paragraph[s:e] for s, e in quotation_spans(paragraph)]
    assert spans == ["stop now", "wait.", "more"]


def test_only_sentences_with_a_quote_a_reporting_verb_or_according_to_are_candidates():
    text = ("The strike hit a depot. The army said it was ready. Casualties rose, according to medics. "
            "“Enough,” it read.")
    assert [s.candidate for s in SPLITTER.split(text)] == [False, True, True, True]


def test_a_sentence_inside_an_open_quotation_knows_it():
    sentences = SPLITTER.split("“We will respond. We always do,” he said.")
    assert [s.opens_inside_quote for s in sentences] == [False, True]
    assert sentences[0].quotations == sentences[1].quotations


@given(st.text(alphabet=st.sampled_from(list("ab .“”\"\n,’‘")), max_size=80))
def test_offsets_slice_back_to_the_sentence_and_quotes_lie_inside_it(text):
    for sentence in SPLITTER.split(text):
        assert text[sentence.start:sentence.end] == sentence.text
        for start, end in sentence.quotes:
            assert sentence.start <= start < end <= sentence.end


def test_a_wire_dateline_is_not_part_of_the_first_sentence():
    assert texts("KYIV, Ukraine (AP) — Ukraine's commander said his troops held the line.")[0].startswith("Ukraine's commander")
    assert texts("SEOUL, June 10 - North Korea flew more balloons, the military said.")[0].startswith("North Korea")
    assert texts("US officials said talks would resume.")[0].startswith("US officials")
