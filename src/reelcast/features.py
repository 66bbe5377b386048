"""`Screenplay` → named numbers, the same code for training and serving.

Every number has an entry in `FEATURES` (name, one-line meaning, unit, group, what a higher
value means); the analysis report, the model card and the explanation all read that registry.
`featurize` returns exactly the registry's names, always finite.

Rules worth knowing (also in docs/features.md):
- Pages: each element is wrapped at its standard column width (action 60 characters, dialogue
  35, parenthetical 25), a blank line precedes headings, action, cues and transitions, and a
  page holds 55 lines. Runtime ≈ 1 minute per page.
- Sentiment: VADER's lexicon and its negation rule and normalisation (compound = s/√(s²+15)),
  scored per action paragraph and per speech. VADER's full rule set (boosters, capitals,
  "but") costs ~3 µs a word, too slow for a 25,000-word script inside 60 ms.
- Lexicon rates are per 1,000 words of action and dialogue (lexicons.py explains matching).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from itertools import accumulate, chain, compress
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from reelcast import lexicons
from reelcast.screenplay import Scene, Screenplay

# ----------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Feature:
    """One named number: what it measures, in which unit, and how to read a higher value."""

    name: str
    meaning: str
    unit: str
    group: str
    higher_means: str


GENRE_TAGS = (
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Drama", "Family", "Fantasy",
    "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
)
ARC_SHAPES = (
    "rags to riches", "riches to rags", "man in a hole", "icarus", "cinderella", "oedipus",
)
CONTENT_CATEGORIES = tuple(lexicons.CONTENT)
GENRE_SIGNALS = tuple(lexicons.GENRE)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def genre_tag_feature(tag: str) -> str:
    """The feature name of an IMSDb genre tag: 'Sci-Fi' → 'genre_tag_sci_fi'."""
    return f"genre_tag_{_slug(tag)}"


_CONTENT_LABELS = {
    "profanity_severe": "severe profanity (the f-word family)",
    "profanity_mild": "mild profanity (shit, damn, hell, bitch ...)",
    "violence": "violence words (kill, blood, gun, stab ...)",
    "sexual": "sexual-content words",
    "drugs": "drug words",
    "alcohol": "alcohol and drinking words",
}
_ARC_DESCRIPTIONS = {
    "rags to riches": "steady rise",
    "riches to rags": "steady fall",
    "man in a hole": "fall then rise",
    "icarus": "rise then fall",
    "cinderella": "rise, fall, rise",
    "oedipus": "fall, rise, fall",
}

_CORE_FEATURES = [
    # name, meaning, unit, group, higher_means
    ("words", "words in the script", "words", "length", "a longer script"),
    ("pages", "estimated pages in standard screenplay format (55 lines a page)", "pages", "length",
     "a longer script"),
    ("runtime_minutes", "estimated running time at one minute a page", "minutes", "length",
     "a longer film"),
    ("scenes", "scenes (scene headings)", "scenes", "scenes", "more scenes"),
    ("scenes_per_page", "scenes per estimated page", "scenes per page", "scenes",
     "faster cutting between scenes"),
    ("scene_words_median", "median scene length", "words", "scenes", "longer typical scenes"),
    ("scene_words_mean", "mean scene length", "words", "scenes", "longer scenes on average"),
    ("scene_words_p90", "length of the longest tenth of scenes (90th percentile)", "words",
     "scenes", "some very long scenes"),
    ("short_scene_share", "share of scenes under 50 words (about a quarter page)",
     "share of scenes", "scenes", "more quick, fragmentary scenes"),
    ("int_share", "share of scenes set indoors (INT, including INT/EXT)", "share of scenes",
     "setting", "more interior scenes, usually cheaper to shoot"),
    ("ext_share", "share of scenes set outdoors (EXT, including INT/EXT)", "share of scenes",
     "setting", "more exterior scenes, more location work"),
    ("day_share", "share of scenes set by day", "share of scenes", "setting", "more day scenes"),
    ("night_share", "share of scenes set at night", "share of scenes", "setting",
     "more night scenes, often costlier to shoot"),
    ("distinct_locations", "distinct places named in scene headings (before the first ' - ')",
     "locations", "setting", "more sets and locations to build or find"),
    ("location_repeat_share", "share of scenes that return to a place already used",
     "share of scenes", "setting", "fewer, reused locations"),
    ("speaking_characters", "characters with at least one line of dialogue", "characters",
     "characters", "a bigger speaking cast"),
    ("characters_10_lines", "characters with at least 10 lines of dialogue", "characters",
     "characters", "more substantial roles"),
    ("lead_line_share", "the lead character's share of all lines of dialogue", "share of lines",
     "characters", "a story centred on one protagonist"),
    ("top2_line_share", "share of lines spoken by the two biggest roles", "share of lines",
     "characters", "a story carried by a pair"),
    ("top5_line_share", "share of lines spoken by the five biggest roles", "share of lines",
     "characters", "dialogue concentrated in a small core cast"),
    ("line_gini", "inequality of lines across speaking characters (Gini, 0 = equal)", "index 0-1",
     "characters", "a few roles dominate the dialogue"),
    ("scene_characters_mean", "mean number of speaking characters in a scene", "characters",
     "characters", "more crowded scenes"),
    ("female_pronoun_share", "she/her as a share of she/her + he/him in action lines "
     "(0.5 when neither occurs)", "share", "characters", "action lines follow women more"),
    ("dialogue_share", "share of action and dialogue words that are dialogue", "share of words",
     "dialogue", "a talkier script"),
    ("action_share", "share of action and dialogue words that are action description",
     "share of words", "dialogue", "a more visual, description-heavy script"),
    ("speech_words_mean", "mean length of a speech", "words", "dialogue", "longer speeches"),
    ("parentheticals_per_speech", "parentheticals (acting directions) per speech",
     "per speech", "dialogue", "more directing on the page"),
    ("voice_over_share", "share of speeches in voice-over (V.O.)", "share of speeches",
     "dialogue", "more narration"),
    ("off_screen_share", "share of speeches off screen (O.S./O.C.)", "share of speeches",
     "dialogue", "more voices heard but not seen"),
    ("question_share", "share of speeches that ask a question", "share of speeches", "dialogue",
     "more questioning, investigative dialogue"),
    ("exclamation_share", "share of speeches with an exclamation mark", "share of speeches",
     "dialogue", "more shouted, heightened dialogue"),
    ("type_token_ratio", "distinct words per word, averaged over 1,000-word stretches",
     "ratio", "style", "a richer vocabulary"),
    ("word_length_mean", "mean word length", "letters", "style", "longer words"),
    ("action_sentence_words_mean", "mean sentence length in action lines", "words", "style",
     "denser action writing"),
    ("reading_ease", "Flesch reading ease of action and dialogue (higher = easier)", "score",
     "style", "an easier read"),
    ("spectacle_per_1000", "spectacle words (explosion, helicopter, crash, army ...)",
     "per 1,000 words", "spectacle", "more action and visual effects on the page"),
    ("sentiment_mean", "mean VADER sentiment of speeches and action paragraphs (-1 to 1)",
     "score", "sentiment", "a more positive tone"),
    ("sentiment_dialogue_mean", "mean VADER sentiment of speeches (-1 to 1)", "score",
     "sentiment", "more positive dialogue"),
    ("sentiment_action_mean", "mean VADER sentiment of action paragraphs (-1 to 1)", "score",
     "sentiment", "more positive action description"),
    ("arc_start", "emotional arc: sentiment over the opening tenth of the script", "score",
     "arc", "a happier opening"),
    ("arc_end", "emotional arc: sentiment over the closing tenth of the script", "score", "arc",
     "a happier ending"),
    ("arc_min_position", "emotional arc: where the low point falls (0 = start, 1 = end)",
     "share of script", "arc", "a later low point"),
    ("arc_end_minus_start", "emotional arc: ending minus opening sentiment", "score", "arc",
     "the story ends happier than it starts"),
    ("arc_volatility", "emotional arc: how much the tone swings from point to point", "score",
     "arc", "a bumpier emotional ride"),
]


def _content_features() -> list[tuple[str, str, str, str, str]]:
    return [(f"{category}_per_1000", _CONTENT_LABELS[category], "per 1,000 words", "content",
             f"more {_CONTENT_LABELS[category].split(' (')[0]}") for category in CONTENT_CATEGORIES]


def _arc_shape_features() -> list[tuple[str, str, str, str, str]]:
    return [(f"arc_shape_{_slug(shape)}",
             f"the emotional arc is closest to '{shape}' ({_ARC_DESCRIPTIONS[shape]})",
             "1 = yes", "arc", f"a '{shape}' story shape") for shape in ARC_SHAPES]


def _genre_features() -> list[tuple[str, str, str, str, str]]:
    signals = [(f"genre_signal_{genre}", f"words typical of {genre.replace('_', '-')} scripts",
                "per 1,000 words", "genre", f"reads more like {genre.replace('_', '-')}")
               for genre in GENRE_SIGNALS]
    tags = [(genre_tag_feature(tag), f"IMSDb tags the script as {tag}", "1 = yes", "genre",
             f"tagged {tag}") for tag in GENRE_TAGS]
    count = [("genre_tags_count", "IMSDb genre tags on the script (0 for scripts from elsewhere)",
              "tags", "genre", "a cross-genre script")]
    return signals + tags + count


_ERA_FEATURES = [
    ("title_year", "year the draft is dated: its title page, else a date before the first scene or in a revision "
     "mark (0 when none is given)", "year", "era",
     "a more recent draft"),
    ("title_year_known", "the draft is dated", "1 = yes", "era", "a dated draft"),
    ("modern_tech_per_1000", "modern technology words (cell phone, computer, email, laptop ...)",
     "per 1,000 words", "era", "a contemporary setting"),
    ("period_tech_per_1000", "period technology words (telegram, typewriter, carriage ...)",
     "per 1,000 words", "era", "a period setting"),
]

_SOURCE_FEATURES = [
    ("source_credit", "the front matter credits adapted material ('Based on the novel by ...', a play, "
     "a story, true events)", "1 = yes", "source", "an adaptation"),
]

FEATURES: dict[str, Feature] = {
    row[0]: Feature(*row)
    for row in _CORE_FEATURES + _content_features() + _arc_shape_features() + _genre_features()
    + _ERA_FEATURES + _SOURCE_FEATURES
}


def features_markdown() -> str:
    """The registry as a Markdown table (docs/features.md embeds it verbatim)."""
    lines = ["| name | meaning | unit | group |", "|---|---|---|---|"]
    lines += [f"| `{f.name}` | {f.meaning} | {f.unit} | {f.group} |" for f in FEATURES.values()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- lexicon matching

# The words of lowercased text, apostrophes kept inside ("don't"): the tokens of the features and of the
# text model alike, so a script is tokenised once per request.
TOKEN_PATTERN = r"[a-z0-9]+(?:'[a-z]+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)


# Byte tables for ASCII text, most of a script's: the regular expressions below give the same answers,
# but they cost a third of `featurize`, and translating the bytes then splitting or counting is 2-3× faster.
_ASCII_TOKEN_CHARS = frozenset(string.ascii_lowercase + string.digits)
_TOKEN_BYTES = bytes(c if chr(c) in _ASCII_TOKEN_CHARS else ord(" ") for c in range(256))
_SENTENCE_MARK_BYTES = bytes(ord(".") if chr(c) in ".!?" else ord(" ") if chr(c).isspace() else ord("_")
                             for c in range(256))


def tokenize(text: str) -> list[str]:
    """The tokens of `document_text` output, as the features and the text model see them."""
    if text.isascii() and "'" not in text:  # no apostrophe: a token is a run of [a-z0-9]
        return text.encode().translate(_TOKEN_BYTES).decode().split()
    return _TOKEN_RE.findall(text)


_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)")


def _sentences(text: str) -> int:
    """Sentence ends (runs of . ! ? before a space or the end of the text), at least one."""
    if text.isascii():  # a run ends in one '.' of its marks; a space after it makes a '. '
        marks = text.encode().translate(_SENTENCE_MARK_BYTES)
        return max(marks.count(b". ") + marks.endswith(b"."), 1)
    return max(len(_SENTENCE_END_RE.findall(text)), 1)


@dataclass(frozen=True)
class _Lexicon:
    exact: frozenset[str]
    stems: tuple[str, ...]


def _compile(entries: tuple[str, ...]) -> _Lexicon:
    singles = [e for e in entries if " " not in e]
    return _Lexicon(exact=frozenset(e for e in singles if not e.endswith("*")),
                    stems=tuple(e[:-1] for e in singles if e.endswith("*")))


@dataclass(frozen=True)
class _Phrase:
    rest: tuple[str, ...]   # the words after the first
    stem_last: bool         # the last word is a stem (``cell phone*``)
    label: str
    category: str

    def matches(self, following: list[str]) -> bool:
        if len(following) != len(self.rest) or following[:-1] != list(self.rest[:-1]):
            return False
        last, wanted = following[-1], self.rest[-1]
        return last.startswith(wanted) if self.stem_last else last == wanted


_LEXICON_ENTRIES: dict[str, tuple[str, ...]] = {
    **lexicons.CONTENT,
    "spectacle": lexicons.SPECTACLE,
    **{f"genre_{genre}": words for genre, words in lexicons.GENRE.items()},
    **lexicons.ERA,
}
_LEXICONS = {category: _compile(entries) for category, entries in _LEXICON_ENTRIES.items()}


def _phrase_index() -> dict[str, list[_Phrase]]:
    """First word → the phrases that start with it, so only those positions are checked."""
    index: dict[str, list[_Phrase]] = {}
    for category, entries in _LEXICON_ENTRIES.items():
        for entry in (e for e in entries if " " in e):
            first, *rest = entry.rstrip("*").split()
            index.setdefault(first, []).append(
                _Phrase(tuple(rest), entry.endswith("*"), entry.rstrip("*"), category))
    return index


_PHRASES = _phrase_index()
_PHRASE_STARTS = frozenset(_PHRASES)


@lru_cache(maxsize=200_000)
def _token_categories(token: str) -> tuple[str, ...]:
    return tuple(category for category, lexicon in _LEXICONS.items()
                 if token in lexicon.exact or token.startswith(lexicon.stems))


def _term_hits(token_lists: list[list[str]], counts: Counter[str] | None = None
               ) -> dict[str, Counter[str]]:
    """Category → matched terms with counts; phrases never span two speeches or paragraphs.

    `counts` (the token counts of `token_lists`) may be passed in when the caller has them.
    """
    hits: dict[str, Counter[str]] = {category: Counter() for category in _LEXICONS}
    for tokens in token_lists:
        if _PHRASE_STARTS.isdisjoint(tokens):
            continue
        for i in [i for i, token in enumerate(tokens) if token in _PHRASES]:
            for phrase in _PHRASES[tokens[i]]:
                if phrase.matches(tokens[i + 1:i + 1 + len(phrase.rest)]):
                    hits[phrase.category][phrase.label] += 1
    if counts is None:
        counts = Counter(chain.from_iterable(token_lists))
    for token, count in counts.items():
        for category in _token_categories(token):
            hits[category][token] += count
    return hits


# ----------------------------------------------------------------------------- sentiment


@lru_cache(maxsize=1)
def _vader() -> tuple[dict[str, float], frozenset[str], float]:
    """VADER's lexicon, negation words and negation factor, loaded once per process."""
    from vaderSentiment import vaderSentiment

    analyzer = vaderSentiment.SentimentIntensityAnalyzer()
    return analyzer.lexicon, frozenset(vaderSentiment.NEGATE), vaderSentiment.N_SCALAR


def _compounds(token_lists: list[list[str]]) -> list[float]:
    """VADER-style compound score of each token list: lexicon valences, flipped after a negation
    (within the list), normalised. The lexicon test runs over all tokens at C speed; Python only
    visits the sentiment words (a tenth of a script's tokens)."""
    valence, negations, negation_factor = _vader()
    flat = list(chain.from_iterable(token_lists))
    starts = list(accumulate(map(len, token_lists), initial=0))
    totals = [0.0] * len(token_lists)
    unit = 0
    for i in compress(range(len(flat)), map(valence.__contains__, flat)):
        while starts[unit + 1] <= i:
            unit += 1
        value = valence[flat[i]]
        if not negations.isdisjoint(flat[max(starts[unit], i - 3):i]):
            value *= negation_factor
        totals[unit] += value
    return [total / math.sqrt(total * total + 15.0) for total in totals]


# ----------------------------------------------------------------------------- script view


@dataclass
class _Unit:
    """An action paragraph or a dialogue element, tokenized once."""

    scene: Scene
    kind: str
    text: str
    tokens: list[str]
    sentences: int


@dataclass
class _Speech:
    """A cue's speech: its dialogue elements joined, parentheticals counted."""

    character: str
    scene: int
    extension: str
    parentheticals: int = 0
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


@dataclass
class _Script:
    """Everything the features read, computed in one pass over the screenplay."""

    sp: Screenplay
    units: list[_Unit]
    speeches: list[_Speech]
    scenes: list[Scene]
    scene_words: dict[int, int] = field(init=False)  # id(scene) → words, every scene

    def __post_init__(self) -> None:
        self.scene_words = {id(scene): scene.words for scene in self.sp.scenes}

    @cached_property
    def tokens(self) -> list[str]:
        return list(chain.from_iterable(unit.tokens for unit in self.units))


def _normalize(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def _units(sp: Screenplay) -> list[_Unit]:
    units = []
    for scene in sp.scenes:
        for element in scene.elements:
            if element.kind in ("action", "dialogue"):
                text = _normalize(element.text)
                units.append(_Unit(scene, element.kind, text, tokenize(text), _sentences(text)))
    return units


def _speeches(sp: Screenplay) -> list[_Speech]:
    """Group cue → (parenthetical | dialogue)* runs into speeches."""
    speeches: list[_Speech] = []
    for scene in sp.scenes:
        current: _Speech | None = None
        for element in scene.elements:
            speaker = (element.character or "").strip().upper()
            if element.kind == "cue":
                current = _Speech(speaker, scene.number, element.extension or "")
            elif element.kind in ("dialogue", "parenthetical") and speaker:
                if current is None or current.character != speaker:
                    current = _Speech(speaker, scene.number, element.extension or "")
                if element.kind == "parenthetical":
                    current.parentheticals += 1
                    continue
                if not current.parts:
                    speeches.append(current)
                current.parts.append(element.text)
                current.extension = current.extension or element.extension or ""
            else:
                current = None
    return speeches


def _story_scenes(sp: Screenplay) -> list[Scene]:
    """Non-empty scenes, less the text before the first heading (title page, notes)."""
    scenes = [s for s in sp.scenes if s.elements]
    if len(scenes) > 1 and not scenes[0].heading.strip():
        return scenes[1:]
    return scenes


def _checked(sp: Screenplay) -> Screenplay:
    if not isinstance(sp, Screenplay):
        raise TypeError(f"expected a reelcast.screenplay.Screenplay, got {type(sp).__name__}; "
                        "parse the text first with reelcast.screenplay.parse")
    return sp


def _script(sp: Screenplay) -> _Script:
    sp = _checked(sp)
    return _Script(sp, _units(sp), _speeches(sp), _story_scenes(sp))


# ----------------------------------------------------------------------------- small helpers


def _ratio(numerator: float, denominator: float, default: float = 0.0) -> float:
    return numerator / denominator if denominator else default


def _per_1000(count: float, words: int) -> float:
    return 1000.0 * _ratio(count, words)


def _gini(values: list[int]) -> float:
    x = np.sort(np.asarray(values, dtype=float))
    if x.size < 2 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, x.size + 1)
    return float(2 * (ranks * x).sum() / (x.size * x.sum()) - (x.size + 1) / x.size)


@lru_cache(maxsize=200_000)
def _syllables(word: str) -> int:
    """Vowel groups, less a silent final e (but not -le), at least one."""
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(groups, 1)


# ----------------------------------------------------------------------------- page estimate

_WRAP_COLUMNS = {"action": 60, "heading": 60, "transition": 60, "dialogue": 35,
                 "parenthetical": 25, "cue": 40}
_BLANK_LINE_BEFORE = {"heading", "action", "cue", "transition"}
LINES_PER_PAGE = 55
_PAGE_LAYOUT = {kind: (width, int(kind in _BLANK_LINE_BEFORE)) for kind, width in _WRAP_COLUMNS.items()}


def estimated_pages(sp: Screenplay) -> float:
    """Pages in standard format: each element wrapped at its column width, 55 lines a page."""
    lines = 0
    for scene in sp.scenes:
        for element in scene.elements:
            width, blank_before = _PAGE_LAYOUT.get(element.kind, (60, 0))
            lines += max(1, -(-len(element.text) // width)) + blank_before  # -(-a // b): ceil in integers
    return lines / LINES_PER_PAGE


# ----------------------------------------------------------------------------- feature groups


def _length_features(script: _Script) -> dict[str, float]:
    pages = estimated_pages(script.sp)
    return {"words": float(sum(script.scene_words.values())), "pages": pages,
            "runtime_minutes": pages}


def _scene_features(script: _Script, pages: float) -> dict[str, float]:
    lengths = np.array([script.scene_words[id(s)] for s in script.scenes], dtype=float)
    if lengths.size == 0:
        lengths = np.zeros(1)
    return {
        "scenes": float(len(script.scenes)),
        "scenes_per_page": _ratio(len(script.scenes), pages),
        "scene_words_median": float(np.median(lengths)),
        "scene_words_mean": float(lengths.mean()),
        "scene_words_p90": float(np.percentile(lengths, 90)),
        "short_scene_share": _ratio(float((lengths < 50).sum()), len(script.scenes)),
    }


def _place(location: str | None) -> str:
    return (location or "").split(" - ")[0].strip().upper()


def _setting_features(script: _Script) -> dict[str, float]:
    scenes = script.scenes
    n = len(scenes)
    int_ext = [(s.int_ext or "").upper() for s in scenes]
    lights = [s.light for s in scenes]
    places = [p for p in (_place(s.location) for s in scenes) if p]
    return {
        "int_share": _ratio(sum("INT" in v for v in int_ext), n),
        "ext_share": _ratio(sum("EXT" in v for v in int_ext), n),
        "day_share": _ratio(lights.count("day"), n),
        "night_share": _ratio(lights.count("night"), n),
        "distinct_locations": float(len(set(places))),
        "location_repeat_share": _ratio(len(places) - len(set(places)), len(places)),
    }


_PRONOUNS = lexicons.FEMALE_PRONOUNS | lexicons.MALE_PRONOUNS


def _character_features(script: _Script) -> dict[str, float]:
    lines = Counter(speech.character for speech in script.speeches)
    ranked = [count for _, count in lines.most_common()]
    total = sum(ranked)
    action = chain.from_iterable(u.tokens for u in script.units if u.kind == "action")
    pronouns = Counter(filter(_PRONOUNS.__contains__, action))  # only they are read: count only them
    female = sum(pronouns[w] for w in lexicons.FEMALE_PRONOUNS)
    male = sum(pronouns[w] for w in lexicons.MALE_PRONOUNS)
    per_scene = [len(s.characters) for s in script.scenes]
    return {
        "speaking_characters": float(len(lines)),
        "characters_10_lines": float(sum(count >= 10 for count in ranked)),
        "lead_line_share": _ratio(sum(ranked[:1]), total),
        "top2_line_share": _ratio(sum(ranked[:2]), total),
        "top5_line_share": _ratio(sum(ranked[:5]), total),
        "line_gini": _gini(ranked),
        "scene_characters_mean": _ratio(sum(per_scene), len(per_scene)),
        "female_pronoun_share": _ratio(female, female + male, default=0.5),
    }


@lru_cache(maxsize=1024)  # a script repeats a handful of extensions hundreds of times
def _extension_kind(extension: str) -> str:
    compact = re.sub(r"[^A-Z]", "", extension.upper())
    if compact.startswith("VO"):
        return "voice_over"
    if compact.startswith(("OS", "OC", "OFF")):
        return "off_screen"
    return ""


def _dialogue_features(script: _Script) -> dict[str, float]:
    speeches = script.speeches
    n = len(speeches)
    dialogue_words = sum(len(u.tokens) for u in script.units if u.kind == "dialogue")
    action_words = sum(len(u.tokens) for u in script.units if u.kind == "action")
    kinds = Counter(_extension_kind(s.extension) for s in speeches)
    texts = [s.text for s in speeches]  # each joins the speech's parts: once, not once a feature
    return {
        "dialogue_share": _ratio(dialogue_words, dialogue_words + action_words),
        "action_share": _ratio(action_words, dialogue_words + action_words),
        "speech_words_mean": _ratio(len(" ".join(texts).split()), n),
        "parentheticals_per_speech": _ratio(sum(s.parentheticals for s in speeches), n),
        "voice_over_share": _ratio(kinds["voice_over"], n),
        "off_screen_share": _ratio(kinds["off_screen"], n),
        "question_share": _ratio(sum("?" in text for text in texts), n),
        "exclamation_share": _ratio(sum("!" in text for text in texts), n),
    }


TTR_WINDOW = 1000


def _type_token_ratio(tokens: list[str]) -> float:
    """Mean distinct/total over full 1,000-word windows, so long scripts are not penalised."""
    windows = [tokens[i:i + TTR_WINDOW] for i in range(0, len(tokens) - TTR_WINDOW + 1, TTR_WINDOW)]
    if not windows:
        return _ratio(len(set(tokens)), len(tokens))
    return float(np.mean([len(set(w)) / TTR_WINDOW for w in windows]))


def _style_features(script: _Script, tokens: list[str], counts: Counter[str]) -> dict[str, float]:
    letters = sum(len(t) * c for t, c in counts.items())
    syllables = sum(_syllables(t) * c for t, c in counts.items())
    sentences = sum(u.sentences for u in script.units)
    action = [u for u in script.units if u.kind == "action"]
    words = len(tokens)
    reading_ease = (206.835 - 1.015 * _ratio(words, sentences) - 84.6 * _ratio(syllables, words)
                    if words else 0.0)
    return {
        "type_token_ratio": _type_token_ratio(tokens),
        "word_length_mean": _ratio(letters, words),
        "action_sentence_words_mean": _ratio(sum(len(u.tokens) for u in action),
                                             sum(u.sentences for u in action)),
        "reading_ease": reading_ease,
    }


def _lexicon_features(hits: dict[str, Counter[str]], words: int) -> dict[str, float]:
    rates = {category: _per_1000(sum(terms.values()), words) for category, terms in hits.items()}
    features = {f"{category}_per_1000": rates[category] for category in CONTENT_CATEGORIES}
    features["spectacle_per_1000"] = rates["spectacle"]
    features |= {f"genre_signal_{genre}": rates[f"genre_{genre}"] for genre in GENRE_SIGNALS}
    features["modern_tech_per_1000"] = rates["modern_tech"]
    features["period_tech_per_1000"] = rates["period_tech"]
    return features


def _sentiment_features(scores: list[float], units: list[_Unit]) -> dict[str, float]:
    def mean_of(kind: str | None) -> float:
        chosen = [s for s, u in zip(scores, units) if kind is None or u.kind == kind]
        return _ratio(sum(chosen), len(chosen))

    return {"sentiment_mean": mean_of(None), "sentiment_dialogue_mean": mean_of("dialogue"),
            "sentiment_action_mean": mean_of("action")}


def _arc_features(arc: list[float]) -> dict[str, float]:
    values = np.asarray(arc, dtype=float)
    shape = arc_shape(arc)
    features = {
        "arc_start": float(values[0]),
        "arc_end": float(values[-1]),
        "arc_min_position": _ratio(float(np.argmin(values)), len(values) - 1),
        "arc_end_minus_start": float(values[-1] - values[0]),
        "arc_volatility": float(np.std(np.diff(values))) if values.size > 1 else 0.0,
    }
    features |= {f"arc_shape_{_slug(s)}": float(s == shape) for s in ARC_SHAPES}
    return features


def _genre_tag_features(sp: Screenplay) -> dict[str, float]:
    tags = {_slug(tag) for tag in sp.genres if tag.strip()}
    features = {genre_tag_feature(tag): float(_slug(tag) in tags) for tag in GENRE_TAGS}
    features["genre_tags_count"] = float(len(tags))
    return features


_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")


def title_year(sp: Screenplay) -> int | None:
    """The draft's year: the title page's `year` entry (the parser fills it from a draft date outside a
    recognised title page too), else the first year in any entry."""
    values = [sp.title_page.get("year", "")] + list(sp.title_page.values())
    for value in values:
        match = _YEAR_RE.search(str(value))
        if match:
            return int(match.group(1))
    return None


def _era_features(sp: Screenplay) -> dict[str, float]:
    year = title_year(sp)
    return {"title_year": float(year or 0), "title_year_known": float(year is not None)}


# ----------------------------------------------------------------------------- public API

ARC_POINTS = 20
# Each arc point averages the units within a tenth of the script either side: wide enough to
# smooth scene-to-scene noise, narrow enough to keep a three-act shape.
ARC_HALF_WINDOW = 0.1


def featurize(sp: Screenplay) -> dict[str, float]:
    """All registry features of a screenplay, in registry order, every value finite."""
    return _features(_script(sp))


def featurize_with_tokens(sp: Screenplay) -> tuple[dict[str, float], list[str]]:
    """`featurize(sp)` and `tokenize(document_text(sp))` from one pass over the screenplay (serving needs both)."""
    script = _script(sp)
    return _features(script), script.tokens


def _features(script: _Script) -> dict[str, float]:
    sp = script.sp
    tokens = script.tokens
    counts = Counter(tokens)
    scores = _compounds([u.tokens for u in script.units])
    values = _length_features(script)
    values |= _scene_features(script, values["pages"])
    values |= _setting_features(script)
    values |= _character_features(script)
    values |= _dialogue_features(script)
    values |= _style_features(script, tokens, counts)
    values |= _lexicon_features(_term_hits([u.tokens for u in script.units], counts),
                                len(tokens))
    values |= _sentiment_features(scores, script.units)
    values |= _arc_features(_arc(script.units, scores, ARC_POINTS))
    values |= _genre_tag_features(sp)
    values |= _era_features(sp)
    values["source_credit"] = float("source" in sp.title_page)
    return {name: float(values[name]) for name in FEATURES}


def _arc(units: list[_Unit], scores: list[float], points: int) -> list[float]:
    if points < 2:
        raise ValueError(f"an emotional arc needs at least 2 points, got {points}")
    weights = np.array([max(len(u.tokens), 1) for u in units], dtype=float)
    if weights.size == 0:
        return [0.0] * points
    positions = (np.cumsum(weights) - weights / 2) / weights.sum()
    centres = (np.arange(points) + 0.5) / points
    distance = np.abs(positions[None, :] - centres[:, None])
    inside = (distance <= ARC_HALF_WINDOW) | (distance == distance.min(axis=1, keepdims=True))
    weighted = inside * weights[None, :]
    arc = weighted @ np.asarray(scores) / weighted.sum(axis=1)
    return [float(v) for v in arc]


def emotional_arc(sp: Screenplay, points: int = ARC_POINTS) -> list[float]:
    """Smoothed sentiment at `points` evenly spaced positions through the script (word-weighted)."""
    units = _units(_checked(sp))
    return _arc(units, _compounds([u.tokens for u in units]), points)


def _shape_templates(points: int) -> dict[str, np.ndarray]:
    x = np.linspace(0.0, 1.0, points)
    return {
        "rags to riches": x,
        "riches to rags": -x,
        "man in a hole": np.cos(2 * np.pi * x),
        "icarus": -np.cos(2 * np.pi * x),
        "cinderella": -np.cos(3 * np.pi * x),
        "oedipus": np.cos(3 * np.pi * x),
    }


def arc_shape_scores(arc: list[float]) -> dict[str, float]:
    """Pearson correlation of the arc with each of the six template curves."""
    values = np.asarray(arc, dtype=float)
    if values.size < 3 or np.std(values) < 1e-9:
        return {shape: 0.0 for shape in ARC_SHAPES}
    return {shape: float(np.corrcoef(values, template)[0, 1])
            for shape, template in _shape_templates(values.size).items()}


def arc_shape(arc: list[float]) -> str:
    """The Reagan et al. shape whose template correlates best with the arc; 'flat' if constant."""
    scores = arc_shape_scores(arc)
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "flat"


def content_flags(sp: Screenplay) -> dict[str, dict]:
    """Per content category: total count, rate per 1,000 words, and the scenes that carry it."""
    script = _script(sp)
    words = len(script.tokens)
    flags = {c: {"count": 0, "per_1000_words": 0.0, "scenes": []} for c in CONTENT_CATEGORIES}
    units_by_scene: dict[int, list[_Unit]] = {}
    for unit in script.units:
        units_by_scene.setdefault(id(unit.scene), []).append(unit)
    for scene in script.sp.scenes:
        units = units_by_scene.get(id(scene), [])
        hits = _term_hits([u.tokens for u in units])
        for category in CONTENT_CATEGORIES:
            terms = hits[category]
            if terms:
                flags[category]["count"] += sum(terms.values())
                flags[category]["scenes"].append(
                    {"scene": scene.number, "heading": scene.heading,
                     "count": sum(terms.values()), "terms": dict(terms.most_common())})
    for category in flags.values():
        category["per_1000_words"] = _per_1000(category["count"], words)
    return flags


def mpaa_signal(flags: dict[str, dict]) -> str:
    """A rule-of-thumb rating estimate (G/PG/PG-13/R) from content flags; not an MPA rating.

    R: five or more severe profanities, or sexual or drug words at ≥ 2 per 1,000 words, or
    violence words at ≥ 10 per 1,000.
    PG-13: any severe profanity, or mild profanity ≥ 2 per 1,000, or violence ≥ 2.5 per 1,000,
    or at least 3 sexual words, or at least 2 drug words.
    PG: any other content word (profanity, violence, sexual, drugs, alcohol).
    G: none.
    Thresholds were picked on 232 IMSDb scripts matched to IMDb ratings (73.7 % agreement in
    sample; drafts often carry more swearing than the released film, hence five f-words for R).
    """
    def count(category: str) -> int:
        return flags.get(category, {}).get("count", 0)

    def rate(category: str) -> float:
        return flags.get(category, {}).get("per_1000_words", 0.0)

    if count("profanity_severe") >= 5 or rate("sexual") >= 2 or rate("drugs") >= 2 \
            or rate("violence") >= 10:
        return "R"
    if count("profanity_severe") >= 1 or rate("profanity_mild") >= 2 or rate("violence") >= 2.5 \
            or count("sexual") >= 3 or count("drugs") >= 2:
        return "PG-13"
    if any(count(c) for c in CONTENT_CATEGORIES):
        return "PG"
    return "G"


def document_text(sp: Screenplay) -> str:
    """Action and dialogue, lowercased, one element a line: the input of text-vector models."""
    return "\n".join(u.text for u in _units(_checked(sp)))


def character_stats(sp: Screenplay) -> list[dict]:
    """Speaking characters: lines, dialogue words, scenes spoken in, first scene; most lines first."""
    stats: dict[str, dict] = {}
    for speech in _speeches(_checked(sp)):
        row = stats.setdefault(speech.character, {"name": speech.character, "lines": 0,
                                                  "words": 0, "scenes": set(),
                                                  "first_scene": speech.scene})
        row["lines"] += 1
        row["words"] += len(speech.text.split())
        row["scenes"].add(speech.scene)
        row["first_scene"] = min(row["first_scene"], speech.scene)
    rows = [{**row, "scenes": len(row["scenes"])} for row in stats.values()]
    return sorted(rows, key=lambda r: (-r["lines"], -r["words"], r["name"]))
