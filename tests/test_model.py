"""The model's pieces on small made-up inputs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from reelcast.model import TermCounter

TEXTS = [
    "the ship leaves at dawn.\nthe crew boards the ship",
    "Dawn breaks; THE CREW sings — 42 bottles, 42 songs!",
    "a b c the ship\tthe_ship café naïve über dawn",
    "",
]


def sklearn_counts(terms: list[str], texts: list[str]) -> np.ndarray:
    vectorizer = CountVectorizer(ngram_range=(1, 2), vocabulary={term: i for i, term in enumerate(terms)})
    return vectorizer.transform(texts).toarray()


def test_term_counter_matches_scikit_learn_counts():
    terms = list(CountVectorizer(ngram_range=(1, 2)).fit(TEXTS).get_feature_names_out())
    kept = terms[::2]  # a vocabulary that keeps some pairs without their words and the reverse
    assert np.array_equal(TermCounter(kept).transform(TEXTS).toarray(), sklearn_counts(kept, TEXTS))


def test_term_counter_without_pairs_or_matches():
    counter = TermCounter(["ship", "dawn"])
    counts = counter.transform(["no such words here", "ship ship dawn"]).toarray()
    assert counts.tolist() == [[0, 0], [2, 1]]


words = st.sampled_from(["ship", "dawn", "the", "crew", "a", "42", "café", "x_y"])
separators = st.sampled_from([" ", "\n", ", ", ". ", "-", "  "])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=30))
def test_term_counter_agrees_on_any_word_sequence(parts):
    text = "".join(word + sep for word, sep in parts)
    terms = list(CountVectorizer(ngram_range=(1, 2)).fit(TEXTS + ["ship dawn crew x_y"]).get_feature_names_out())
    assert np.array_equal(TermCounter(terms).transform([text]).toarray(), sklearn_counts(terms, [text]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_term_counter_agrees_on_any_unicode_text(text):
    try:
        terms = list(CountVectorizer(ngram_range=(1, 2)).fit([text]).get_feature_names_out())
    except ValueError:  # no token of 2+ word characters: nothing to count, nothing to compare
        terms = ["placeholder"]
    assert np.array_equal(TermCounter(terms).transform([text]).toarray(), sklearn_counts(terms, [text]))
