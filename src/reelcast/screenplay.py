"""Text → `Screenplay`: scenes made of typed elements, characters, title-page and footer metadata.

This module owns the typed model every later stage reads (features, explain, coverage).
The parser itself lives below the types; readers (`read`) turn PDF/FDX/Fountain into
elements or text before they reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ElementKind = Literal["heading", "action", "cue", "parenthetical", "dialogue", "transition"]


@dataclass(frozen=True)
class Element:
    """One block of the script: a heading, an action paragraph, a cue, a parenthetical, a speech, a transition."""

    kind: ElementKind
    text: str
    line: int = 0                   # first source line (1-based) the element came from; 0 if unknown
    character: str | None = None    # speaker, for cue / parenthetical / dialogue
    extension: str | None = None    # cue extension: "V.O.", "O.S.", "CONT'D", ...


@dataclass
class Scene:
    """A scene: its heading (empty for text before the first heading) and its elements in order."""

    number: int                     # 1-based, in script order
    heading: str = ""
    int_ext: str | None = None      # "INT", "EXT", "INT/EXT" or None
    location: str | None = None     # "KITCHEN", "JOHN'S APARTMENT - BEDROOM"
    time_of_day: str | None = None  # "DAY", "NIGHT", "CONTINUOUS", ...
    elements: list[Element] = field(default_factory=list)

    @property
    def characters(self) -> list[str]:
        """Speaking characters of the scene, in order of first speech."""
        seen: dict[str, None] = {}
        for element in self.elements:
            if element.kind == "dialogue" and element.character:
                seen.setdefault(element.character, None)
        return list(seen)

    @property
    def words(self) -> int:
        return sum(len(e.text.split()) for e in self.elements)


@dataclass
class Screenplay:
    """A whole script, whatever format it came in."""

    scenes: list[Scene]
    title: str | None = None
    writers: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)          # IMSDb footer tags when present
    title_page: dict[str, str] = field(default_factory=dict)  # e.g. {"draft_date": "May 3, 1994"}
    source_format: str = "text"                                # text | html | pdf | fdx | fountain
    warnings: list[str] = field(default_factory=list)

    @property
    def elements(self) -> list[Element]:
        return [e for scene in self.scenes for e in scene.elements]
