"""The model's pieces on small made-up inputs."""

import numpy as np
import pytest
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reelcast.features import tokenize
from scipy import sparse
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import normalize

from reelcast.features import GENRE_TAGS, genre_tag_feature
from reelcast.model import (CHUNKS, GENRE_TAG_WEIGHT, GenreImputer, LinearHead, ScoreNeighbours, TermCounter, TextScorer,
                            TrainingSet, _count_vectorizer, FilmPrior, _oof, chunked, fit_draft_lag, genre_vector,
                            input_weights, rare_tags, year_estimate)

TEXTS = [
    "the ship leaves at dawn.\nthe crew boards the ship",
    "dawn breaks; the crew sings — 42 bottles, 42 songs! don't stop",
    "a b c the ship\tthe_ship café naïve über dawn 'tis rock'n'roll",
    "",
]


def vectorizer_counts(terms: list[str], texts: list[str]) -> np.ndarray:
    """What training counts: the model's CountVectorizer, restricted to `terms`."""
    vectorizer = _count_vectorizer().set_params(min_df=1)
    counts = vectorizer.fit_transform(texts).toarray()
    index = {term: i for i, term in enumerate(vectorizer.get_feature_names_out())}
    return np.column_stack([counts[:, index[t]] if t in index else np.zeros(len(texts)) for t in terms])


def all_terms(texts: list[str]) -> list[str]:
    texts = [t for t in texts if tokenize(t)]
    return list(_count_vectorizer().set_params(min_df=1).fit(texts).get_feature_names_out()) if texts else ["none"]


def counter_counts(terms: list[str], texts: list[str]) -> np.ndarray:
    return TermCounter(terms).transform([tokenize(t) for t in texts]).toarray()


def test_term_counter_matches_the_training_counts():
    kept = all_terms(TEXTS)[::2]  # a vocabulary that keeps some pairs without their words and the reverse
    assert np.array_equal(counter_counts(kept, TEXTS), vectorizer_counts(kept, TEXTS))
    assert "don't" in all_terms(TEXTS)  # the features' tokens: contractions stay whole


def test_term_counter_without_pairs_or_matches():
    counts = TermCounter(["ship", "dawn"]).transform([tokenize("no such words here"), tokenize("ship ship dawn")])
    assert counts.toarray().tolist() == [[0, 0], [2, 1]]


words = st.sampled_from(["ship", "dawn", "the", "crew", "a", "42", "café", "x_y", "don't", "'"])
separators = st.sampled_from([" ", "\n", ", ", ". ", "-", "  ", "'"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=30))
def test_term_counter_agrees_on_any_word_sequence(parts):
    text = "".join(word + sep for word, sep in parts)
    terms = all_terms(TEXTS + ["ship dawn crew x_y don't"])
    assert np.array_equal(counter_counts(terms, [text]), vectorizer_counts(terms, [text] + TEXTS)[:1])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_term_counter_agrees_on_any_text(text):
    text = text.lower()  # the document texts the model reads are lowercase
    terms = all_terms([text])
    assert np.array_equal(counter_counts(terms, [text]), vectorizer_counts(terms, [text] + TEXTS)[:1])


def made_up_corpus(n: int = 12) -> TrainingSet:
    rng = np.random.default_rng(0)
    words = ["ship", "dawn", "crew", "storm", "gun", "kiss", "car", "city", "night", "the", "don't", "run"]
    texts = [" ".join(rng.choice(words, size=40 + 25 * i)) + "\nthe end" for i in range(n)]
    return TrainingSet(pd.DataFrame({"title": [f"film {i}" for i in range(n)]}), texts, []).with_counts()


def test_a_script_is_scored_as_the_mean_of_its_parts_in_training_and_serving():
    ts = made_up_corpus()
    y = np.arange(len(ts.texts), dtype=float)
    scorer = TextScorer().fit(ts.counts, ts.vocab, {"y": y})
    tokens = [tokenize(t) for t in ts.texts]
    served = scorer.vectors(tokens).toarray()
    assert np.allclose(served, scorer.vectors_from_counts(ts.counts).toarray())
    # the ridge is linear: the script's score is the mean of its parts' scores
    parts = scorer.tfidf.transform(scorer.counter.transform(chunked(tokens[3])))
    assert np.isclose(scorer._scores(scorer.vectors(tokens[3:4]))[0, 0], scorer.ridges["y"].predict(parts).mean())
    assert len(chunked(tokens[3])) == CHUNKS and sum(map(len, chunked(tokens[3]))) == len(tokens[3])


def test_a_subset_keeps_each_scripts_own_parts():
    ts = made_up_corpus()
    part = ts.subset(np.array([5, 1]))
    whole = TermCounter(list(ts.vocab)).transform(chunked(tokenize(ts.texts[5])) + chunked(tokenize(ts.texts[1])))
    assert (part.counts != whole).nnz == 0 and part.texts == [ts.texts[5], ts.texts[1]]


def _neighbours(k: int) -> tuple[ScoreNeighbours, np.ndarray, np.ndarray]:
    scores = np.array([[0.0, 0.0, 0.0], [0.1, 0.0, 0.0], [5.0, 5.0, 5.0], [5.2, 5.0, 5.0], [9.0, 1.0, 0.0]])
    outcomes = np.array([[1.0, 10.0, 0.0], [2.0, 20.0, 1.0], [3.0, 30.0, 0.0], [4.0, 40.0, 1.0], [5.0, 50.0, 1.0]])
    neighbours = ScoreNeighbours().fit(scores, outcomes)
    neighbours.K = k
    return neighbours, scores, outcomes


def test_a_training_script_is_not_its_own_comparable():
    neighbours, scores, outcomes = _neighbours(k=1)
    assert np.array_equal(neighbours.transform(scores), outcomes)
    # leave one out: each script gets the outcome of its nearest *other* script (on standardised scores,
    # the lone fifth script is nearer the second than the fourth)
    assert np.array_equal(neighbours.transform(scores, leave_one_out=True), outcomes[[1, 0, 3, 2, 1]])


def test_comparables_are_a_closeness_weighted_mean_and_survive_the_artifact():
    neighbours, scores, outcomes = _neighbours(k=2)
    new = np.array([[0.05, 0.0, 0.0]])
    out = neighbours.transform(new)[0]
    assert outcomes[0, 0] < out[0] < outcomes[1, 0] and out[1] == 10 * out[0]
    assert out[0] == pytest.approx(1.5)  # equidistant from the two nearest: the plain mean
    restored = ScoreNeighbours.from_arrays(neighbours.to_arrays("n_"), "n_")
    restored.K = 2
    assert np.array_equal(restored.transform(new), neighbours.transform(new))


def _dated_drafts(title_years: list[int | None], release_years: list[int]) -> TrainingSet:
    frame = pd.DataFrame({"year": release_years,
                          "f_title_year": [y or 0 for y in title_years],
                          "f_title_year_known": [float(y is not None) for y in title_years]})
    return TrainingSet(frame, [""] * len(frame), ["title_year", "title_year_known"])


def test_a_dated_draft_points_to_its_release_year_plus_the_usual_lag():
    # lags 1, 1, 3 and one period date 40 years off: the median (2) is not dragged by the outlier as the
    # mean (11.25) would be; the undated script does not count
    ts = _dated_drafts([1990, 2004, 1995, 1960, None], [1991, 2005, 1998, 2000, 2010])
    lag = fit_draft_lag(ts)
    assert lag == 2.0
    text_year = np.array([1980.0, 1980.0, 1980.0, 1980.0, 2012.0])
    assert year_estimate(ts.X, ts.feature_names, text_year, lag).tolist() == [1992, 2006, 1997, 1962, 2012]


def test_without_dated_drafts_the_lag_is_zero():
    assert fit_draft_lag(_dated_drafts([None, None], [1990, 2000])) == 0.0


def test_the_genre_imputer_reaches_the_same_optimum_as_a_fit_over_all_columns():
    # more columns than rows, as with 20k terms and a few hundred scripts
    rng = np.random.default_rng(1)
    matrix = sparse.csr_matrix(rng.random((40, 300)) * (rng.random((40, 300)) < 0.1))
    tags = np.column_stack([matrix[:, :5].sum(axis=1).A1 > 0.4, np.ones(40), np.zeros(40)])
    imputer = GenreImputer().fit(matrix, tags)
    direct = LogisticRegression(C=GenreImputer.C, tol=1e-10, max_iter=100000).fit(normalize(matrix), tags[:, 0] > 0)
    probs = imputer.probabilities(matrix)
    assert np.allclose(probs[:, 0], direct.predict_proba(normalize(matrix))[:, 1], atol=1e-4)
    # a tag every script carries (or none does) is certain either way
    assert (probs[:, 1] > 0.99).all() and (probs[:, 2] < 0.01).all()


def test_inner_folds_keep_a_scripts_views_together():
    # pure noise that a near-unpenalised ridge can memorise: a copy of a test script in the training
    # part would give back its own target
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(60, 100)), rng.normal(size=60)
    memorise = lambda: Ridge(alpha=1e-6)
    # folds drawn over rows put most copies on the other side of a test script (4 in 5)
    leaky = _oof(memorise, np.vstack([X, X]), np.tile(y, 2), seed=0, views=1)[60:]
    honest = _oof(memorise, np.vstack([X, X]), np.tile(y, 2), seed=0, views=2)
    assert np.corrcoef(leaky, y)[0, 1] > 0.6
    assert abs(np.corrcoef(honest, y)[0, 1]) < 0.3
    assert np.array_equal(_oof(memorise, X, y, seed=0), _oof(memorise, X, y, seed=0, views=1))


def test_the_film_prior_answers_for_the_runtimes_a_page_count_allows():
    """Budgets jump from $10M to $40M at 100 minutes in the film table; a script's pages fix its runtime
    only to about a fifth, so the prior's answer rises through that step instead of jumping with it."""
    rng = np.random.default_rng(0)
    runtime = rng.uniform(70, 130, 3000)
    films = pd.DataFrame({"year": 2000.0, "runtime_min": runtime, "genres": "Drama",
                          "production_budget_usd": np.where(runtime < 100, 10e6, 40e6) * rng.lognormal(0, 0.05, 3000),
                          "worldwide_gross_usd": 60e6})
    prior = FilmPrior().fit(films)
    minutes = np.arange(80.0, 121.0)
    budget = np.exp(prior.transform(prior.design(np.full(len(minutes), 2000.0), minutes, [genre_vector("Drama")] * len(minutes)))[:, 0])
    steps = budget[1:] / budget[:-1]
    assert np.all(steps > 0.99), "more minutes never cost less here"
    assert steps.max() < 1.15, f"no minute jumps the budget: {steps.max():.2f}"
    assert budget[0] < 15e6 and budget[-1] > 30e6, "far from the step, the prior still knows both sides"


def test_the_film_prior_reads_a_genre_probability_as_a_chance_not_as_a_tag():
    """Horror films cost $5M and untagged ones $50M in this film table. A script without IMSDb's footer has
    tag probabilities from its words; the boosters split a 0/1 tag at 1e-35, so a 2% Horror chance once
    priced the script as a horror film. It is priced as the chance says: near $50M at 2%, between the
    two at 50%, and a 0/1 tag as before."""
    rng = np.random.default_rng(0)
    horror = rng.random(3000) < 0.4
    films = pd.DataFrame({"year": 2000.0, "runtime_min": rng.uniform(90, 110, 3000),
                          "genres": np.where(horror, "Horror", ""),
                          "production_budget_usd": np.where(horror, 5e6, 50e6) * rng.lognormal(0, 0.05, 3000),
                          "worldwide_gross_usd": 60e6})
    prior = FilmPrior().fit(films)
    chances = np.array([0.0, 0.02, 0.5, 1.0])
    tags = np.zeros((len(chances), len(GENRE_TAGS)))
    tags[:, GENRE_TAGS.index("Horror")] = chances
    budget = np.exp(prior.transform(prior.design(np.full(len(chances), 2000.0), np.full(len(chances), 100.0), tags))[:, 0])
    assert budget[0] > 40e6 and budget[3] < 7e6, "a 0/1 tag still prices as its genre"
    assert budget[1] > 40e6, f"a 2% horror chance is priced like a horror film: ${budget[1]:,.0f}"
    assert 8e6 < budget[2] < 30e6, f"an even chance sits between the two: ${budget[2]:,.0f}"
    assert np.array_equal(prior.transform(prior.design(np.full(2, 2000.0), np.full(2, 100.0), tags[[1, 2]])),
                          prior.transform(prior.design(np.full(2, 2000.0), np.full(2, 100.0), tags[[1, 2]]))), \
        "a script with tag probabilities always gets the same answer (its draws are fixed)"
    alone = prior.transform(prior.design(np.array([2000.0]), np.array([100.0]), tags[[3]]))
    assert np.allclose(alone, prior.transform(prior.design(np.full(2, 2000.0), np.full(2, 100.0), tags[[2, 3]]))[[1]]), \
        "a script with 0/1 tags gets the same answer beside a script with probabilities"


def test_a_genre_tag_on_few_training_scripts_stays_out_of_the_break_even_heads():
    """Two Westerns that both broke even are no rule: the tag gets no weight in a break-even head."""
    names = [genre_tag_feature(g) for g in GENRE_TAGS]
    tagged = {"Drama": 20, "Comedy": 12, "Western": 2}
    frame = pd.DataFrame({f"f_{n}": [float(i < tagged.get(g, 0)) for i in range(50)] for g, n in zip(GENRE_TAGS, names)})
    western = genre_tag_feature("Western")
    rare = rare_tags(TrainingSet(frame, [""] * 50, names))
    assert western in rare and genre_tag_feature("Comedy") not in rare
    weights = input_weights(names, "logistic", rare_tags=rare)
    assert weights[names.index(western)] == 0.0 and weights[names.index(genre_tag_feature("Drama"))] == GENRE_TAG_WEIGHT["logistic"]
    assert input_weights(names, "ridge", rare_tags=rare)[names.index(western)] == GENRE_TAG_WEIGHT["ridge"]

    X = frame.to_numpy()
    y = np.array([1.0, 1.0] + [0.0, 1.0] * 24)  # the two Westerns (4% of 50) broke even
    with np.errstate(all="raise"):
        head = LinearHead("logistic", 1.0, weights[: X.shape[1]]).fit(X, y)
        contributions = head.contributions(X)
    assert np.all(contributions[:, names.index(western)] == 0.0)
    unweighted = LinearHead("logistic", 1.0, np.where(weights == 0.0, 1.0, weights)[: X.shape[1]]).fit(X, y)
    assert np.all(unweighted.contributions(X)[:2, names.index(western)] > 0.1)


def test_the_text_ridges_learn_money_beyond_the_prior_and_the_heads_get_it_back(trained_home):
    """The ridges' targets are log money minus PRIOR_SHARE of the prior's estimate; the heads' text inputs
    add that share back, so they stay estimates in log dollars (a forgotten add-back is ~4 logs off)."""
    from reelcast import config
    from reelcast.model import PRIOR_SHARE, films_without, load, load_training_set, text_targets_beyond_prior

    ts = load_training_set(trained_home)
    films = pd.read_parquet(config.dataset_dir(trained_home) / "films.parquet")
    prior = FilmPrior().fit(films_without(films, ts.frame))
    targets = text_targets_beyond_prior(ts, prior)
    taken = ts.text_targets["log_budget"] - targets["log_budget"]
    assert PRIOR_SHARE > 0 and np.all(taken > PRIOR_SHARE * 10)  # a share of a log budget in dollars (> e^10)
    np.testing.assert_array_equal(targets["year"], ts.text_targets["year"])

    forecaster, manifest = load(trained_home)
    inputs = pd.DataFrame(manifest["corpus"]["inputs"], columns=forecaster.input_names)
    for target, money in (("log_budget", manifest["corpus"]["budget"]), ("log_gross", manifest["corpus"]["gross"])):
        assert abs(inputs[f"text_{target}"].mean() - np.log(money).mean()) < 1.0, target
