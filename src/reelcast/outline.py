"""The story at a glance, in the script's own words: a beat outline and a one-line premise.

A coverage report opens with a logline and a synopsis. reelcast does not write prose about a story it
cannot understand, so both are built from the parse: the premise line from facts (genre, who has the
most lines, where most scenes play), the outline from quotations. Each beat sits at a conventional
place in a feature's structure (a share of the pages, or an act break of the report's act estimate)
and quotes the action there that names the most of the leading cast: what a reader skims to recall
the story, with the scene to turn to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from reelcast.screenplay import Scene

# (beat, where): a share of the pages, or the act (2 or 3) whose first scene the beat is. Listed in the
# order they claim scenes: when a short script puts two beats on one scene, the ends and the act breaks
# keep it and the beats between them give way.
BEATS: tuple[tuple[str, float | int], ...] = (
    ("Opening", 0.0), ("Final scene", 1.0), ("End of act one", 2), ("End of act two", 3),
    ("Midpoint", 0.5), ("Climax", 0.9), ("Inciting incident", 0.12),
)
MIN_SCENES = 3  # fewer scenes than this have no structure to outline
LEAD_CAST = 5   # the names a beat's quotation is chosen for
MIN_QUOTE_WORDS = 4
QUOTE_CHARS = 240
METHOD = ("extractive: each beat is the scene at that share of the pages (act breaks from the act estimate); "
          "its quotation is the action sentence there naming the most of the five characters with the "
          "most lines (the first sentence on a tie), or the first line of dialogue in a scene without action")
LOGLINE_METHOD = ("built from the parse: the genres, the three characters with the most lines and the most "
                  "used locations; a reader's logline says what happens, which this does not")

_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)\"'][.!?])\s+")


# ----------------------------------------------------------------------------- quoting the script

def sentence_at(text: str, position: int) -> str:
    """The sentence around `position`, with the next one when it is short, cut at a word near QUOTE_CHARS."""
    starts = _sentence_starts(text)
    start = max(s for s in starts if s <= position)
    later = [s for s in starts if s > position]
    end = later[0] if later else len(text)
    if end - start < 60 and len(later) > 1:
        end = later[1]
    return clipped(" ".join(text[start:end].split()))


def clipped(text: str) -> str:
    if len(text) <= QUOTE_CHARS:
        return text
    return text[:QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)]


# ----------------------------------------------------------------------------- the outline

@dataclass(frozen=True)
class Beat:
    beat: str
    scene: Scene
    page: float
    position: float  # the share of the pages before the scene
    text: str

    def as_dict(self) -> dict:
        return {"beat": self.beat, "scene": self.scene.number, "heading": self.scene.heading,
                "page": round(self.page, 1), "position": round(self.position, 3),
                "characters": self.scene.characters, "text": self.text}


def outline(scenes: list[Scene], pages: list[float], act_starts: dict[int, int], cast: list[str]) -> list[Beat]:
    """The beats of `scenes` (each `pages` long), one scene per beat, in script order.

    `act_starts` maps acts 2 and 3 to their first scene's number; `cast` is the characters by lines,
    most first. Only story scenes hold a beat: not the text before the first heading (a title page, a
    cast list, 'FADE IN:'), nor a scene with neither dialogue nor action worth quoting ('THE END'); a
    beat that lands on one moves to the next story scene. A beat that lands on a scene an earlier beat
    took is left out, so a short script has fewer."""
    story = [i for i, scene in enumerate(scenes) if _is_story(scene) and (scene.heading or i > 0)]
    if len(story) < MIN_SCENES:
        return []
    ends = list(accumulate(pages))
    total = ends[-1]
    by_number = {scene.number: i for i, scene in enumerate(scenes)}
    beats, taken = [], set()
    for name, where in BEATS:
        if isinstance(where, float):  # the scene whose pages hold that share of the script
            index = bisect_right(ends, where * total)
        else:
            index = by_number.get(act_starts.get(where))
        if index is None:
            continue
        index = next((i for i in story if i >= index), story[-1])
        if index in taken:
            continue
        taken.add(index)
        before = ends[index] - pages[index]
        beats.append(Beat(name, scenes[index], before + 1, before / total if total else 0.0,
                          quotation(scenes[index], cast[:LEAD_CAST])))
    return sorted(beats, key=lambda b: b.page)


def quotation(scene: Scene, cast: list[str]) -> str:
    """The scene's action sentence that names the most of `cast` (prose before a line in capitals,
    sentences of MIN_QUOTE_WORDS before shorter ones, the first on a tie), else its first dialogue line."""
    patterns = [re.compile(rf"(?<![\w']){re.escape(name)}(?![\w'])", re.I) for name in cast if any(c.isalpha() for c in name)]
    best, best_score = "", (-1, -1, -1)
    for element in scene.elements:
        if element.kind != "action":
            continue
        for start in _sentence_starts(element.text):
            sentence = sentence_at(element.text, start)
            if not _quotable(sentence):
                continue
            # prose before a line in capitals ('3  ON JOHN MCCLANE  3': a shot), then names, then length
            score = (any(c.islower() for c in sentence), sum(bool(p.search(sentence)) for p in patterns),
                     len(sentence.split()) >= MIN_QUOTE_WORDS)
            if score > best_score:
                best, best_score = sentence, score
    if best:
        return best
    for element in scene.elements:
        if element.kind == "dialogue":
            return clipped(f"{element.character}: “{' '.join(element.text.split())}”")
    return scene.heading


def _quotable(text: str) -> bool:
    """Words worth quoting: not a scene number ('10   10'), and, in capitals, not a mark such as 'THE END',
    'WIPE,' or 'GROUND :' (a script typed all in capitals is quoted in them, at MIN_QUOTE_WORDS or more)."""
    return any(c.isalpha() for c in text) and (any(c.islower() for c in text) or len(text.split()) >= MIN_QUOTE_WORDS)


def _is_story(scene: Scene) -> bool:
    return any(e.kind == "dialogue" or (e.kind == "action" and _quotable(e.text)) for e in scene.elements)


# ----------------------------------------------------------------------------- the premise line

def logline(genres: list[str], cast: list[str], locations: list[str],
            abbreviations: frozenset[str] = frozenset()) -> str | None:
    """'A drama story centred on MARGARET, with TOMAS and ELENA; its main locations: Lighthouse, Rocky Coast.'
    Place names are in title case except the script's `abbreviations` ('FBI Headquarters')."""
    if not cast:
        return None
    kinds = [re.sub(r"\s*\(.*?\)\s*", "", g).strip().lower() for g in genres]
    kind = "/".join(dict.fromkeys(k for k in kinds if k))
    opening = f"{'An' if kind[0] in 'aeiou' else 'A'} {kind} story" if kind else "A story"
    line = f"{opening} centred on {cast[0]}"
    if len(cast) > 1:
        line += ", with " + " and ".join(cast[1:3])
    # a place with a comma in it ('MOTEL ROOM, LAS VEGAS') would read as two places in a list
    places = [" ".join(word if word in abbreviations else word.capitalize() for word in place.split())
              for place in locations if place and "," not in place][:3]
    if places:
        line += "; its main locations: " + ", ".join(places)
    return line + "."


_WORD = re.compile(r"[A-Za-z][A-Za-z'&.-]*[A-Za-z]")
_MAX_ABBREVIATION = 5


def abbreviations(scenes: list[Scene], names: list[str]) -> frozenset[str]:
    """Short words a script writes in capitals inside its sentences at least twice ('two FBI agents',
    'the NYPD') and never in lower or title case: its abbreviations. Words of the characters' `names`
    do not count (many scripts write a name in capitals throughout), nor does a word stressed once
    ('the SEDAN explodes')."""
    capitals, other = Counter(), set()
    for scene in scenes:
        for element in scene.elements:
            if element.kind in ("action", "dialogue") and any(c.islower() for c in element.text):
                for word in _WORD.findall(element.text):
                    if word.isupper():
                        capitals[word] += 1
                    else:
                        other.add(word.upper())
    named = {word for name in names for word in name.split()}
    return frozenset(word for word, count in capitals.items()
                     if count >= 2 and len(word) <= _MAX_ABBREVIATION and word not in other and word not in named)
