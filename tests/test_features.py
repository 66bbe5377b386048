"""Features: registry completeness, known values on hand-built screenplays, flags, arc shapes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from reelcast import features
from reelcast.features import (
    ARC_SHAPES,
    FEATURES,
    arc_shape,
    character_stats,
    content_flags,
    document_text,
    emotional_arc,
    estimated_pages,
    featurize,
    features_markdown,
    mpaa_signal,
)
from reelcast.screenplay import Element, Scene, Screenplay

DOCS = Path(__file__).resolve().parents[1] / "docs" / "features.md"


def scene(number: int, heading: str, *blocks: tuple[str, ...]) -> Scene:
    """Build a scene from ("action", text) and ("say", CHARACTER, text[, extension]) blocks."""
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.partition(" - ")
    elements = [Element("heading", heading)]
    for block in blocks:
        if block[0] == "action":
            elements.append(Element("action", block[1]))
        elif block[0] == "paren":
            elements.append(Element("parenthetical", block[2], character=block[1]))
        else:
            extension = block[3] if len(block) > 3 else None
            elements.append(Element("cue", block[1], character=block[1], extension=extension))
            elements.append(Element("dialogue", block[2], character=block[1]))
    return Scene(number, heading, int_ext, location, time_of_day, elements)


def say(character: str, text: str, extension: str | None = None) -> tuple[str, ...]:
    return ("say", character, text) + ((extension,) if extension else ())


def small_script() -> Screenplay:
    """Four scenes: 3 INT / 1 EXT, 3 speaking characters, ANNA has 4 of 7 lines."""
    return Screenplay(
        scenes=[
            scene(1, "INT. KITCHEN - DAY",
                  ("action", "Anna makes coffee. She smiles at the window."),
                  say("ANNA", "Good morning. What a lovely day!"),
                  say("BEN", "Is it?")),
            scene(2, "EXT. STREET - NIGHT",
                  ("action", "Ben runs. He is bleeding. A gun lies in the gutter."),
                  say("BEN", "Fuck. Not now.")),
            scene(3, "INT. KITCHEN - NIGHT",
                  say("ANNA", "Where were you?"),
                  ("paren", "ANNA", "(quietly)"),
                  say("ANNA", "Tell me."),
                  say("CARL", "He was at the bar, drinking whiskey.", "O.S.")),
            scene(4, "INT. OFFICE - DAY",
                  say("ANNA", "We start again tomorrow.", "V.O.")),
        ],
        title="Small",
        genres=["Drama", "Sci-Fi"],
        title_page={"draft_date": "Revised March 2, 1998"},
    )


def long_script(words_per_scene: int = 200, scenes: int = 60) -> Screenplay:
    rng = np.random.default_rng(0)
    vocabulary = "the door opens slowly and light falls on a quiet room where nobody waits".split()
    built = []
    for n in range(1, scenes + 1):
        text = " ".join(rng.choice(vocabulary, size=words_per_scene)) + "."
        built.append(scene(n, f"INT. ROOM {n} - DAY", ("action", text), say("ANNA", "Yes.")))
    return Screenplay(scenes=built)


# ----------------------------------------------------------------------------- registry


def test_featurize_returns_every_registry_feature_finite():
    values = featurize(small_script())
    assert list(values) == list(FEATURES)
    assert all(isinstance(v, float) and math.isfinite(v) for v in values.values())


def test_featurize_empty_screenplay_is_finite_not_an_error():
    values = featurize(Screenplay(scenes=[]))
    assert list(values) == list(FEATURES)
    assert all(math.isfinite(v) for v in values.values())
    assert values["words"] == 0 and values["female_pronoun_share"] == 0.5


def test_registry_entries_are_complete_sentences_for_producers():
    for name, feature in FEATURES.items():
        assert feature.name == name
        assert feature.meaning and feature.unit and feature.group and feature.higher_means


def test_featurize_rejects_text_with_a_clear_message():
    with pytest.raises(TypeError, match="parse the text first"):
        featurize("INT. KITCHEN - DAY")


def test_docs_embed_the_generated_table():
    assert features_markdown() in DOCS.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- known values


def test_counts_and_shares_on_a_hand_built_script():
    values = featurize(small_script())
    assert values["scenes"] == 4
    assert values["speaking_characters"] == 3
    assert values["int_share"] == 0.75 and values["ext_share"] == 0.25
    assert values["day_share"] == 0.5 and values["night_share"] == 0.5
    assert values["distinct_locations"] == 3
    assert values["location_repeat_share"] == 0.25
    assert values["lead_line_share"] == pytest.approx(4 / 7)
    assert values["top2_line_share"] == pytest.approx(6 / 7)
    assert values["parentheticals_per_speech"] == pytest.approx(1 / 7)
    assert values["voice_over_share"] == pytest.approx(1 / 7)
    assert values["off_screen_share"] == pytest.approx(1 / 7)
    assert values["question_share"] == pytest.approx(2 / 7)
    assert values["female_pronoun_share"] == 0.5  # one "She", one "He"


def test_text_before_the_first_heading_is_not_a_scene():
    sp = small_script()
    sp.scenes.insert(0, Scene(0, elements=[Element("action", "FADE IN on a title card.")]))
    assert featurize(sp)["scenes"] == 4


def test_genre_tags_and_title_year():
    values = featurize(small_script())
    assert values["genre_tag_drama"] == 1 and values["genre_tag_sci_fi"] == 1
    assert values["genre_tag_comedy"] == 0
    assert values["genre_tags_count"] == 2
    assert values["title_year"] == 1998 and values["title_year_known"] == 1


def test_pages_follow_the_line_rule():
    # 60 scenes x (heading 1+1, action 200 words ≈ 1,100 chars → 19+1 lines, cue 1+1, speech 1).
    sp = long_script()
    lines = sum(2 + math.ceil(len(s.elements[1].text) / 60) + 1 + 2 + 1 for s in sp.scenes)
    assert estimated_pages(sp) == pytest.approx(lines / 55)
    assert featurize(sp)["runtime_minutes"] == pytest.approx(estimated_pages(sp))


def test_type_token_ratio_does_not_fall_with_length():
    short = featurize(long_script(scenes=10))["type_token_ratio"]
    long = featurize(long_script(scenes=60))["type_token_ratio"]
    assert long == pytest.approx(short, abs=0.01)


def test_gini_is_zero_for_equal_roles_and_high_for_one_dominant_role():
    assert features._gini([5, 5, 5]) == 0
    assert features._gini([100, 1, 1, 1]) > 0.7


def test_sentiment_sign_and_negation():
    lovely, unhappy, neutral, empty = features._compounds(
        [["what", "a", "lovely", "day"], ["i", "am", "not", "happy"], ["the", "door", "opens"], []])
    assert lovely > 0.3 and unhappy < 0 and neutral == 0 and empty == 0
    # a negation reaches back three words within its own unit only
    assert features._compounds([["not"], ["happy"]])[1] == features._compounds([["happy"]])[0] > 0


def test_lexicon_stems_phrases_and_unit_boundaries():
    hits = features._term_hits([["he", "grabs", "his", "cell", "phone"], ["fucking", "hell"]])
    assert hits["modern_tech"]["cell phone"] == 1
    assert hits["profanity_severe"]["fucking"] == 1 and hits["profanity_mild"]["hell"] == 1
    split = features._term_hits([["in", "his", "cell"], ["phone", "rings"]])
    assert not split["modern_tech"]


# ----------------------------------------------------------------------------- flags, arc


def test_content_flags_cite_the_scenes():
    flags = content_flags(small_script())
    assert [s["scene"] for s in flags["profanity_severe"]["scenes"]] == [2]
    assert flags["profanity_severe"]["scenes"][0]["heading"] == "EXT. STREET - NIGHT"
    assert [s["scene"] for s in flags["violence"]["scenes"]] == [2]
    assert flags["violence"]["count"] == 2  # bleeding, gun
    assert [s["scene"] for s in flags["alcohol"]["scenes"]] == [3]
    assert flags["sexual"] == {"count": 0, "per_1000_words": 0.0, "scenes": []}


def test_mpaa_signal_rules():
    def flags(**counts):
        return {c: {"count": counts.get(c, 0), "per_1000_words": counts.get(c, 0) / 20}
                for c in features.CONTENT_CATEGORIES}

    assert mpaa_signal(flags()) == "G"
    assert mpaa_signal(flags(alcohol=1)) == "PG"
    assert mpaa_signal(flags(profanity_severe=1)) == "PG-13"
    assert mpaa_signal(flags(profanity_severe=4)) == "PG-13"
    assert mpaa_signal(flags(profanity_severe=5)) == "R"
    # Two violence words in about 60 words is far above 10 per 1,000.
    assert mpaa_signal(content_flags(small_script())) == "R"


def curve(shape: str, points: int = 20, noise: float = 0.1, seed: int = 0) -> list[float]:
    x = np.linspace(0, 1, points)
    clean = {
        "rags to riches": np.tanh(4 * (x - 0.5)),
        "riches to rags": -np.tanh(4 * (x - 0.5)),
        "man in a hole": (x - 0.4) ** 2,
        "icarus": -((x - 0.6) ** 2),
        "cinderella": np.sin(2.6 * np.pi * x - 0.5 * np.pi) + x,
        "oedipus": -np.sin(2.6 * np.pi * x - 0.5 * np.pi) - x,
    }[shape]
    rng = np.random.default_rng(seed)
    return list(clean / clean.std() + noise * rng.standard_normal(points))


@pytest.mark.parametrize("shape", ARC_SHAPES)
def test_arc_shape_recognises_synthetic_curves(shape):
    assert arc_shape(curve(shape)) == shape


def test_arc_shape_of_a_constant_arc_is_flat():
    assert arc_shape([0.1] * 20) == "flat"


def test_emotional_arc_follows_the_story():
    sad = ("action", "He dies. Everyone weeps. It is a terrible, miserable, tragic loss.")
    happy = ("action", "They laugh and dance. A wonderful, joyful, beautiful wedding.")
    scenes = [scene(n, "INT. ROOM - DAY", sad if n <= 10 else happy) for n in range(1, 21)]
    arc = emotional_arc(Screenplay(scenes=scenes), points=10)
    assert len(arc) == 10
    assert arc[0] < -0.5 and arc[-1] > 0.5
    assert arc_shape(arc) == "rags to riches"


def test_emotional_arc_needs_two_points():
    with pytest.raises(ValueError, match="at least 2 points"):
        emotional_arc(small_script(), points=1)


# ----------------------------------------------------------------------------- text and cast


@pytest.mark.parametrize("text", [
    "", "don't stop", "rock'n'roll 'quoted' dogs' it's9 a''b 90's", "x.y", "wait... what?! no.\tyes!\x0bok",
    "end?!", "café, naïve. crème", "a\x1cb.\x1c", "tab\tline\nbreak.\n", "u.s.a. 3.5 ...", "’tis. ok\xa0.\xa0",
])
def test_fast_ascii_paths_match_the_regular_expressions(text):
    assert features.tokenize(text) == features._TOKEN_RE.findall(text)
    assert features._sentences(text) == max(len(features._SENTENCE_END_RE.findall(text)), 1)


def test_document_text_is_lowercased_action_and_dialogue_only():
    text = document_text(small_script())
    assert "anna makes coffee." in text and "good morning." in text
    assert "kitchen" not in text and "(quietly)" not in text
    assert text == text.lower()


def test_character_stats_sorted_by_lines():
    stats = character_stats(small_script())
    assert [row["name"] for row in stats] == ["ANNA", "BEN", "CARL"]
    anna = stats[0]
    assert (anna["lines"], anna["scenes"], anna["first_scene"]) == (4, 3, 1)
    assert stats[1]["words"] == len("Is it?".split()) + len("Fuck. Not now.".split())


def test_featurize_is_deterministic():
    assert featurize(small_script()) == featurize(small_script())
    assert featurize(long_script()) == featurize(long_script())
