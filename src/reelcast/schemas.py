"""Pydantic models of the outside contract (/work/shared/contract.md): what the HTTP API takes and gives.

Every field carries a description so the OpenAPI page (/docs) documents it. Objects the contract
says may grow (a prediction, stats, arc, content flags, ...) allow extra fields, so a richer model
never breaks the API.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

BudgetUSD = Annotated[
    float,
    Field(
        gt=0,
        lt=1e10,
        allow_inf_nan=False,
        description="Planned production budget in US dollars (a positive number below 10 billion, e.g. 25000000). "
        "When given, break-even is judged against it instead of the predicted budget.",
        examples=[25_000_000],
    ),
]


class Open(BaseModel):
    """A contract object that may carry more fields than listed."""

    model_config = ConfigDict(extra="allow")


class PredictRequest(BaseModel):
    """The JSON body of /v1/predict, /v1/explain and /v1/coverage."""

    model_config = ConfigDict(extra="forbid")

    # minLength documents the rule in OpenAPI; the validator below enforces it with a clearer message
    text: str = Field(json_schema_extra={"minLength": 1}, description="The whole screenplay as plain text (Fountain-style or plain layout).")
    budget_usd: BudgetUSD | None = None

    @field_validator("text")
    @classmethod
    def text_has_content(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the screenplay text is empty: paste the script, or upload a file instead")
        return text


class Interval(Open):
    """A point estimate with the interval that should contain the truth with probability `level`."""

    estimate: float = Field(description="Point estimate (US dollars).")
    low: float = Field(description="Lower end of the interval (US dollars).")
    high: float = Field(description="Upper end of the interval (US dollars).")
    level: float = Field(gt=0, lt=1, description="Probability that the interval holds the truth, e.g. 0.8.")


class Prediction(Open):
    """A box-office forecast for one screenplay."""

    model_version: str = Field(description="Version of the model artifact that made the forecast.")
    worldwide_gross_usd: Interval = Field(description="Worldwide theatrical gross.")
    production_budget_usd: Interval = Field(description="Production budget the script implies.")
    p_break_even: float = Field(
        ge=0, le=1,
        description="Probability that worldwide gross reaches 2.5 × production budget "
        "(the planned budget when one is given, else the predicted one).",
    )
    budget_used_usd: float = Field(description="The budget break-even was judged against (US dollars).")
    budget_source: str = Field(
        description='Where that budget came from: "planned" (given in the request) or "estimated from the script".'
    )
    budget_tier: str = Field(description='The budget tier the script implies, e.g. "mid ($20–60M)".')
    warnings: list[str] = Field(default_factory=list, description="Caveats about this forecast, in words.")


class Contribution(Open):
    """How much one driver moved each output, relative to the model's baseline."""

    worldwide_gross_usd: float = Field(description="Change in predicted worldwide gross (US dollars).")
    p_break_even: float = Field(description="Change in break-even probability.")


class ModelOutputs(Open):
    """The two explained outputs at one point: the model's baseline, or its answer for this script."""

    worldwide_gross_usd: float = Field(description="Worldwide gross (US dollars), unrounded.")
    p_break_even: float = Field(description="Break-even probability, unrounded.")


class OtherFeatures(Open):
    """The summed effect of every feature not listed among the drivers."""

    count: int = Field(description="How many features are summed here.")
    contribution: Contribution = Field(description="Their summed effect on each output.")


class Confidence(Open):
    """How far to trust this forecast, and why."""

    level: str = Field(description='"low", "medium" or "high".')
    reasons: list[str] = Field(description="The reasons, in words.")


class Driver(Open):
    """A feature of the script that moved the forecast."""

    feature: str = Field(description="Feature name, as in the feature registry.")
    value: float | str | None = Field(description="The script's value of the feature.")
    label: str | None = Field(default=None, description="The feature's name in words, for display.")
    percentile: float | None = Field(default=None, description="Where the value sits in the training corpus (0-100).")
    band: str | None = Field(default=None, description='The percentile in words: "very low" ... "very high"; for a '
                             'yes/no input or an undated draft, its state instead ("tagged", "credited", "not given").')
    ranked: bool = Field(default=True, description="True when `band` is a rank among produced scripts, False when it "
                         "is a state, which has no rank: a percentile beside it would mislead.")
    contribution: Contribution = Field(description="Signed effect on each output; exact for the model.")
    sentence: str = Field(description="The effect in words a producer understands.")


class Comparable(Open):
    """A real film from the dataset whose script resembles this one."""

    title: str = Field(description="Film title.")
    year: int | None = Field(default=None, description="Release year.")
    similarity: float = Field(description="Similarity to the script, 0-1.")
    worldwide_gross_usd: float | None = Field(default=None, description="The film's real worldwide gross.")
    production_budget_usd: float | None = Field(default=None, description="The film's real production budget.")
    genres: list[str] = Field(default_factory=list, description="The film's genres.")
    why: str = Field(default="", description="What the two scripts share.")


class Evidence(Open):
    """A claim about the script tied to the scene that shows it."""

    scene: int = Field(description="Scene number (1-based).")
    heading: str = Field(default="", description="The scene heading (empty for text before the first heading).")
    place: str = Field(default="", description="The scene named for a reader: its heading, or "
                       "`(the opening, before the first scene heading)` when it has none.")
    feature: str | None = Field(default=None, description="The driver this scene supports.")
    claim: str = Field(description="What the scene shows.")


class Explanation(Open):
    """Why the model forecast what it did: baseline + driver contributions + other features = model output."""

    prediction: Prediction = Field(description="The forecast being explained.")
    baseline: ModelOutputs = Field(description="The model's answer for an average training script.")
    drivers: list[Driver] = Field(description="Features that moved the forecast most, largest first.")
    other_features: OtherFeatures = Field(description="Everything the drivers leave out, summed.")
    model_output: ModelOutputs = Field(description="The model's answer for this script (the prediction, unrounded).")
    comparables: list[Comparable] = Field(description="Most similar real films and their results.")
    evidence: list[Evidence] = Field(default_factory=list, description="Scene-level support for the drivers.")
    confidence: Confidence = Field(description="How far to trust this forecast.")
    summary: str = Field(description="A few plain sentences.")


class Stats(Open):
    """Size of the script. May carry more counts (dialogue_words, action_words, ...)."""

    pages: float = Field(description="Estimated page count (about 55 lines a page).")
    scenes: int = Field(description="Number of scenes.")
    words: int = Field(description="Number of words.")
    runtime_min: float = Field(description="Estimated running time in minutes (about a minute a page).")
    speaking_characters: int = Field(description="Characters with at least one speech (the list below may be cut).")
    locations: int = Field(description="Distinct locations in the scene headings.")
    dialogue_words: int = Field(description="Words of dialogue.")
    action_words: int = Field(description="Words of action and description.")
    dialogue_share: float = Field(description="Dialogue's share of the words, 0-1.")


class CharacterIntroduction(BaseModel):
    """Where the action first names a character in capitals, as a screenplay introduces one."""

    scene: int = Field(description="Scene number (1-based).")
    text: str = Field(description="That sentence of the action (with the next one when it is short; "
                                  "a shot line in capitals is joined to the description under it).")


class CharacterStat(Open):
    """One speaking character."""

    name: str = Field(description="Character name as it appears in cues.")
    lines: int = Field(description="Number of speeches.")
    words: int = Field(description="Words spoken.")
    scenes: int = Field(description="Scenes in which the character speaks.")
    first_scene: int = Field(description="Number of the first scene the character speaks in.")
    introduction: CharacterIntroduction | None = Field(
        default=None, description="Coverage reports only: the character's introduction in the action, "
                                  "or null when the action never names the character in capitals.")


class SceneSummary(Open):
    """One scene. May carry more (words, pages, ...)."""

    number: int = Field(description="Scene number (1-based).")
    heading: str = Field(description="Scene heading as written.")
    int_ext: str | None = Field(description='"INT", "EXT", "INT/EXT" or null.')
    time_of_day: str | None = Field(description='"DAY", "NIGHT", "CONTINUOUS", ... or null.')
    light: Literal["day", "night", "continuous", "other"] | None = Field(
        default=None, description='The time of day read as light: "day", "night", "continuous" (also a lapse '
        'such as "MOMENTS LATER"), "other" (e.g. "PRESENT"), or null when the heading gives no time.')
    location: str | None = Field(default=None, description="The place in the heading, or null.")
    characters: list[str] = Field(description="Speaking characters, in order of first speech.")
    words: int = Field(description="Words in the scene.")
    page: float = Field(description="Estimated page the scene starts on.")


class Act(Open):
    """One act of the estimated three-act structure."""

    act: int = Field(description="Act number, 1-3.")
    start_scene: int = Field(description="Number of the act's first scene.")
    end_scene: int = Field(description="Number of the act's last scene.")
    start_page: float = Field(description="Estimated page the act starts on.")


class ArcPoint(Open):
    """The smoothed sentiment at one point of the script."""

    scene: int | None = Field(description="The scene at this point.")
    position: float = Field(description="Position in the script, 0 (first page) to 1 (last).")
    sentiment: float = Field(description="Smoothed sentiment, -1 (dark) to 1 (hopeful).")


class Arc(Open):
    """The emotional arc: its shape and the smoothed sentiment from first page to last."""

    shape: str | None = Field(default=None, description='Name of the arc shape, e.g. "man in a hole".')
    shape_scores: dict[str, float] = Field(default_factory=dict, description="How well each shape fits, -1 to 1.")
    points: list[ArcPoint] = Field(default_factory=list, description="The sentiment curve, in script order.")
    acts: list[Act] = Field(default_factory=list, description="The estimated acts.")
    method: str | None = Field(default=None, description="How the curve was measured.")


class SceneRef(Open):
    """A scene cited for a claim."""

    scene: int = Field(description="Scene number.")
    heading: str = Field(default="", description="The scene heading.")


class Citation(SceneRef):
    """A scene where flagged content occurs."""

    count: int = Field(description="How many flagged words the scene holds.")
    terms: dict[str, int] = Field(description="The flagged words found, with their counts.")


class ContentFlag(Open):
    """One kind of rating-relevant content."""

    category: str = Field(description='e.g. "violence", "profanity_severe".')
    label: str = Field(description="The category in words.")
    level: str = Field(description='"none", "mild", "moderate" or "strong": the rate against the corpus.')
    count: int = Field(description="Flagged words in the script.")
    per_1000_words: float = Field(description="Flagged words per 1,000 words.")
    corpus_percentile: int | None = Field(default=None, description="Where that rate sits among produced scripts.")
    scenes: list[int] = Field(description="Every scene with flagged words.")
    citations: list[Citation] = Field(default_factory=list, description="The scenes with the most, with the words.")


class ContentFlags(Open):
    """Content that affects the rating."""

    mpaa_estimate: str | None = Field(default=None, description='Estimated MPAA rating, e.g. "PG-13".')
    mpaa_note: str | None = Field(default=None, description="What the estimate is (and is not).")
    flags: list[ContentFlag] = Field(default_factory=list, description="One entry per content category.")


class Finding(Open):
    """A strength or risk of the script, with the scenes that show it."""

    text: str = Field(description="The finding in words.")
    basis: str = Field(description='What the finding rests on, e.g. "parse", "model", "corpus".')
    severe: bool = Field(default=False, description="A risk serious enough to weigh on the verdict.")
    scenes: list[int] = Field(default_factory=list, description="Scene numbers that show it.")
    evidence: list[SceneRef] = Field(default_factory=list, description="The same scenes with their headings.")


class StoryBeat(BaseModel):
    """One beat of the outline: where it sits and the script's own words there."""

    beat: str = Field(description='"Opening", "Inciting incident", "End of act one", "Midpoint", "End of act two", '
                                  '"Climax" or "Final scene".')
    scene: int = Field(description="The scene's number.")
    heading: str = Field(description="The scene's heading.")
    page: float = Field(description="The page the scene starts on (estimated, standard format).")
    position: float = Field(description="The share of the script's pages before the scene, 0–1.")
    characters: list[str] = Field(description="Who speaks in the scene.")
    text: str = Field(description="A quotation: the scene's action sentence naming the most of the leading cast.")


class Outline(BaseModel):
    """The story at a glance, quoted from the script (reelcast writes no prose about a story)."""

    beats: list[StoryBeat] = Field(description="In script order, one scene each; none for a script of under 3 scenes.")
    method: str = Field(description="How the beats and their quotations were chosen.")


class CoverageReport(Open):
    """The coverage report a studio reader writes, as data."""

    title: str | None = Field(description="Script title, from the title page when present.")
    writers: list[str] = Field(description="Credited writers.")
    source_material: str | None = Field(default=None, description="The title page's credit for adapted material, "
                                        "as written (\"Based on the novel by Charles Portis\"); null when none.")
    logline: str | None = Field(default=None, description="A premise line built from the parse (genre, the leading "
                                "cast, the main locations; `logline_method`); null for a script with no speaking character.")
    logline_method: str | None = Field(default=None, description="How the premise line was built, and what it cannot say.")
    outline: Outline | None = Field(default=None, description="The story in seven beats, each a quotation with its scene.")
    genres: list[str] = Field(description="The genres the forecast used: the script's IMSDb tags, or those read "
                                          "from its words, marked \"(from the text)\" and listed after any footer "
                                          "tags the model does not know (\"Short\").")
    stats: Stats = Field(description="Size of the script.")
    characters: list[CharacterStat] = Field(description="Speaking characters, most lines first.")
    scenes: list[SceneSummary] = Field(description="Every scene in order.")
    arc: Arc = Field(description="The emotional arc.")
    content_flags: ContentFlags = Field(description="Rating-relevant content.")
    prediction: Prediction = Field(description="The box-office forecast.")
    explanation: Explanation = Field(description="Why the forecast is what it is.")
    strengths: list[Finding] = Field(description="What works, with scene citations.")
    risks: list[Finding] = Field(description="What may not, with scene citations.")
    verdict: Literal["pass", "consider", "recommend"] = Field(description="The reader's recommendation.")
    verdict_reason: str = Field(description="Why, in words.")
    verdict_basis: dict[str, float | int | str] = Field(
        description="The numbers behind the verdict: the break-even probability, its corpus percentile and the bands, "
                    "and which corpus forecasts it was ranked among (`budget_mode`; `genre_source`: those made "
                    "with the footer's tags or with tags read from the words, as this script's)."
    )
    genre_source: str | None = Field(
        default=None, description='"tags" (the script\'s own IMSDb tags) or "text" (read from its words: no footer, '
                                  'or a footer with no tag the model knows).'
    )
    structure: dict | None = Field(default=None, description="Settings, locations and the estimated acts.")
    presence: dict | None = Field(default=None, description="Which character speaks in which scene (a 0/1 matrix).")
    pacing: dict | None = Field(default=None, description="Scene lengths and their summary.")
    balance: dict | None = Field(default=None, description="Dialogue against action, and the lead's share of lines.")


class Health(BaseModel):
    """Whether the server can answer forecasts."""

    status: Literal["ok", "degraded"] = Field(description='"ok", or "degraded" when no model is loaded.')
    model_version: str | None = Field(default=None, description="Version of the loaded model.")
    detail: str | None = Field(default=None, description="When degraded: what is wrong and what to do.")


class ErrorDetail(BaseModel):
    """Every error answer."""

    detail: str = Field(description="What is wrong and what to do.")
