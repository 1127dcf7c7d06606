"""Shared fixtures: the spaCy model and the extraction resources load once per test session."""
import pytest

from pipeline.extraction.extract import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.default()
