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
        allow_inf_nan=False,
        description="Planned production budget in US dollars (a positive number, e.g. 25000000). "
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

    text: str = Field(description="The whole screenplay as plain text (Fountain-style or plain layout).")
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
    warnings: list[str] = Field(default_factory=list, description="Caveats about this forecast, in words.")


class Contribution(Open):
    """How much one driver moved each output, relative to the model's baseline."""

    worldwide_gross_usd: float = Field(description="Change in predicted worldwide gross (US dollars).")
    p_break_even: float = Field(description="Change in break-even probability.")


class Driver(Open):
    """A feature of the script that moved the forecast."""

    feature: str = Field(description="Feature name, as in the feature registry.")
    value: float | str | None = Field(description="The script's value of the feature.")
    percentile: float | None = Field(default=None, description="Where the value sits in the training corpus (0-100).")
    contribution: Contribution = Field(description="Signed effect on each output; exact for the model.")
    sentence: str = Field(description="The effect in words a producer understands.")


class Comparable(Open):
    """A real film from the dataset whose script resembles this one."""

    title: str = Field(description="Film title.")
    year: int | None = Field(default=None, description="Release year.")
    similarity: float = Field(description="Similarity to the script, 0-1.")
    worldwide_gross_usd: float | None = Field(default=None, description="The film's real worldwide gross.")
    production_budget_usd: float | None = Field(default=None, description="The film's real production budget.")
    why: str = Field(default="", description="What the two scripts share.")


class Evidence(Open):
    """A claim about the script tied to the scene that shows it."""

    scene: int = Field(description="Scene number (1-based).")
    heading: str = Field(default="", description="The scene heading.")
    claim: str = Field(description="What the scene shows.")


class Explanation(Open):
    """Why the model forecast what it did."""

    prediction: Prediction = Field(description="The forecast being explained.")
    drivers: list[Driver] = Field(description="Features that moved the forecast most, largest first.")
    comparables: list[Comparable] = Field(description="Most similar real films and their results.")
    evidence: list[Evidence] = Field(default_factory=list, description="Scene-level support for the drivers.")
    summary: str = Field(description="A few plain sentences.")


class Stats(Open):
    """Size of the script. May carry more counts (dialogue_words, action_words, ...)."""

    pages: float = Field(description="Estimated page count (about 55 lines a page).")
    scenes: int = Field(description="Number of scenes.")
    words: int = Field(description="Number of words.")
    runtime_min: float = Field(description="Estimated running time in minutes (about a minute a page).")


class CharacterStat(Open):
    """One speaking character."""

    name: str = Field(description="Character name as it appears in cues.")
    lines: int = Field(description="Number of speeches.")
    words: int = Field(description="Words spoken.")
    scenes: int = Field(description="Scenes in which the character speaks.")
    first_scene: int = Field(description="Number of the first scene the character speaks in.")


class SceneSummary(Open):
    """One scene. May carry more (words, pages, ...)."""

    number: int = Field(description="Scene number (1-based).")
    heading: str = Field(description="Scene heading as written.")
    int_ext: str | None = Field(description='"INT", "EXT", "INT/EXT" or null.')
    time_of_day: str | None = Field(description='"DAY", "NIGHT", "CONTINUOUS", ... or null.')
    characters: list[str] = Field(description="Speaking characters, in order of first speech.")


class Arc(Open):
    """The emotional arc. Usually `shape` and `points` ({scene, position, sentiment}); may carry acts."""

    shape: str | None = Field(default=None, description='Name of the arc shape, e.g. "man in a hole".')


class ContentFlags(Open):
    """Content that affects the rating. Usually `mpaa_estimate` and `flags` ({category, level, scenes})."""

    mpaa_estimate: str | None = Field(default=None, description='Estimated MPAA rating, e.g. "PG-13".')


class Finding(Open):
    """A strength or risk of the script, with the scenes that show it."""

    text: str = Field(description="The finding in words.")
    scenes: list[int] = Field(default_factory=list, description="Scene numbers that show it.")


class CoverageReport(Open):
    """The coverage report a studio reader writes, as data."""

    title: str | None = Field(description="Script title, from the title page when present.")
    writers: list[str] = Field(description="Credited writers.")
    genres: list[str] = Field(description="Genres, from the script's tags or estimated.")
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


class Health(BaseModel):
    """Whether the server can answer forecasts."""

    status: Literal["ok", "degraded"] = Field(description='"ok", or "degraded" when no model is loaded.')
    model_version: str | None = Field(default=None, description="Version of the loaded model.")
    detail: str | None = Field(default=None, description="When degraded: what is wrong and what to do.")


class ErrorDetail(BaseModel):
    """Every error answer."""

    detail: str = Field(description="What is wrong and what to do.")
