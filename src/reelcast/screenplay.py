"""Text → `Screenplay`: scenes made of typed elements, characters, title-page and footer metadata.

This module owns the typed model every later stage reads (features, explain, coverage).
The parser itself lives below the types; readers (`read`) turn PDF/FDX/Fountain into
elements or text before they reach it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
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
        # one split of the joined texts counts the same words as a split of each, in less time
        return len(" ".join([e.text for e in self.elements]).split())

    @property
    def light(self) -> Light | None:
        """The heading's time of day read as light: 'NIGHT', 'LATE EVENING' → night; 'DAY - CONTINUOUS'
        → day; 'CONTINUOUS', 'MOMENTS LATER' → continuous; 'PRESENT' → other; no time → None."""
        return light_of(self.time_of_day)


Light = Literal["day", "night", "continuous", "other"]
_NIGHT_LIGHT = re.compile(r"\b(?:NIGHT(?:FALL|TIME)?|EVENING|DUSK|SUNSET|MIDNIGHT|TWILIGHT)\b")
_DAY_LIGHT = re.compile(r"\b(?:DAY(?:TIME|BREAK|LIGHT)?|MORNING|AFTERNOON|NOON|DAWN|SUNRISE)\b")
_CONTINUOUS_LIGHT = re.compile(r"\b(?:CONTINUOUS|CONTINUING|LATER|SAME|MOMENTS?)\b")


def light_of(time_of_day: str | None) -> Light | None:
    """A heading's time of day as the light it sets (see `Scene.light`). A lapse ('TWO DAYS LATER')
    says how much time passed, not the light, so it counts with the continuous scenes."""
    if not time_of_day:
        return None
    time = time_of_day.upper()
    if _is_lapse(time.split()):
        return "continuous"
    if _NIGHT_LIGHT.search(time):
        return "night"
    if _DAY_LIGHT.search(time):
        return "day"
    return "continuous" if _CONTINUOUS_LIGHT.search(time) else "other"


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


# ---------------------------------------------------------------------------
# Parser: text → labelled lines → elements → scenes.
#
# Screenplay text has no markup, only layout conventions, so the parser labels each
# line from (a) what it says (heading / transition / cue patterns) and (b) where it sits
# (indentation relative to the script's own action column, blank lines around it).
# A short prepass measures the layout; one pass labels the lines; a second pass groups
# labelled lines into elements and scenes.
# ---------------------------------------------------------------------------


ELEMENT_KINDS = ("heading", "action", "cue", "parenthetical", "dialogue", "transition")
# Line labels that are not elements: they are accounted for elsewhere (title page, footer)
# or are print artefacts (page numbers, CONTINUED, (MORE)). "speech" is a transcript line
# holding a cue and its dialogue at once ('SARAH: Hello.').
NON_ELEMENT_LABELS = ("blank", "title", "footer", "noise")
SPEECH_LABEL = "speech"

# A scene number may open and close the heading, bare or as 'Sc 12' (some UK and Australian scripts,
# whose copies can lose the space before the closing one: 'BEDROOM NIGHTSc 6'). An inserted scene's
# number carries a letter or two in either case ('27A', '20a', '104pt'); 61 corpus headings in 6
# scripts have a lower-case one.
_HEADING = re.compile(
    r"^(?P<num>(?:S[Cc]\.?\s*)?\d+[A-Za-z]{0,2}\.?)?\s*"
    r"(?P<prefix>INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT\.?-EXT|I\s*/\s*E|E\s*/\s*I|INTERIOR|EXTERIOR|INT|EXT)"
    r"(?:[.:/\-\s]|$)\s*(?P<rest>.*?)\s*(?:\s\d+[A-Z]{0,2}\.?|\s*S[Cc]\.?\s*\d+[A-Z]{0,2})?$"
)
_TRANSITION = re.compile(
    r"^(?:(?:FADE|CUT|DISSOLVE|SMASH CUT|MATCH CUT|JUMP CUT|WIPE|IRIS|TIME CUT|HARD CUT)"
    r"(?: (?:IN|OUT|TO|BACK TO))?(?: [A-Z ]+)?[:.]?|[A-Z][A-Z .'\-]* TO:|FADE IN|FADE OUT|THE END\.?|FADE TO BLACK\.?)$"
)
_CUE = re.compile(r"^(?P<name>[A-Z0-9][A-Z0-9 .'’\-&#/,]*?)\s*(?P<ext>(?:\([^()]*\)\s*)*)\^?$")
_EXTENSION_PAREN = re.compile(r"\(([^()]*)\)")
_CONTD = re.compile(r"\bCONT(?:'|’)?(?:D|INUED|INUING)\b\.?|\bCONT\.", re.I)
_NOISE = re.compile(
    r"^(?:\d{1,3}\.?|\(?MORE\)?|\(?CONTINUED\)?:?(?: \(\d+\))?|CONT(?:'|’)D:?|OMITTED|\d+\s+OMITTED\s+\d*|-\s*\d+\s*-|PAGE \d+)$",
    re.I,
)
_FOOTER_START = re.compile(r"^Writers\s*:")
# A transcript's scene note: '[Scene: Peter's room. Morning.]', '[Scene The staff meeting.]'.
_SCENE_NOTE = re.compile(r"^\[?\s*Scene\s*:\s*|^\[\s*Scene\s+", re.I)
_YEAR = re.compile(r"\b(19\d\d|20[0-2]\d|2030)\b")
_MONTH_DATE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b",
    re.I,
)
_BY_LINE = re.compile(r"^(?:(?:original )?(?:screenplay|written|story|teleplay|script)\s+)?by\b[:\s]*(?P<rest>.*)$", re.I)
# A credit for the material the script adapts: "Based on the novel by Charles Portis", "From the
# stage play", "Adapted from ...", "Inspired by true events". Read only from the front matter (the
# title page, or the lines before the first scene), never from dialogue. Only "based on" may sit
# mid-line ("SILVER BULLET by Stephen King Based on his story"); the other phrases must open the
# line, since an opening action line may well take "a page from the book".
_SOURCE_CREDIT = re.compile(
    r"^\W*(?:adapted\s+from|inspired\s+by|from\s+the\s+(?:novel|book|(?:stage\s+)?play|short\s+story|story|"
    r"comic|graphic\s+novel|article|memoir)|(?:novel|book|play|short\s+story|memoir)\s+by)\b|\bbased\s+(?:up)?on\b", re.I)
_DANGLING_CREDIT = re.compile(r"\b(?:by|on|from)\s*$", re.I)  # 'Based on the novel by' / 'Charles Portis'
_FRONT_MATTER_LINES = 40
# A draft's date outside a recognised title page: a revision mark on any page ('Rev. 06/20/94 (Pink)',
# 'REVISED 2nd DRAFT 6/4/08'); a transcriber's note ('scanned in by ... on Dec 28, 1996') is not one.
_DRAFT_MARK = re.compile(r"\b(?:rev(?:ised|ision)?|draft)\b", re.I)
_DRAFT_HINT = re.compile("rev|draft")  # what every _DRAFT_MARK match holds, once lowered
_TRANSCRIBER_NOTE = re.compile(r"\b(?:scanned|reformatted|transcribed|typed\s+(?:in|up|by)|converted)\b", re.I)
# Nor is a caption on screen, which an opening may print before its first heading ('SUPER: NORMANDY,
# JUNE 6, 1944'): that date is the story's.
_CAPTION = re.compile(r"\b(?:super(?:imposed?)?|title card|caption|chyron|subtitle)\b|^(?:card|title|insert)\s*:", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_TWO_DIGIT_YEAR_PIVOT = 30  # '5.2.00' is 2000, '06/20/94' is 1994
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_SPACE_RUN = re.compile(r"\s{2,}")
_TIMES = {
    "DAY", "NIGHT", "MORNING", "EVENING", "AFTERNOON", "DUSK", "DAWN", "SUNSET", "SUNRISE", "NOON", "MIDNIGHT",
    "CONTINUOUS", "LATER", "MOMENTS LATER", "SAME", "SAME TIME", "PREDAWN", "TWILIGHT", "MAGIC HOUR", "LATE NIGHT",
}
# Caps lines with these words are camera directions / places, never speakers.
_SLUG_WORDS = re.compile(
    r"\b(?:POV|ANGLE|CLOSE|CLOSEUP|SHOT|INSERT|VIEW|WIDE|WIDER|BACK TO|INTERIOR|EXTERIOR|MONTAGE|SERIES OF|"
    r"FLASHBACK|LATER|NIGHT|DAY|CONTINUOUS|SUPER|TITLE|CREDITS|ROOM|HOUSE|STREET|OFFICE)\b"
)
_MAX_TITLE_PAGE_LINES = 40
_FEW_HEADINGS_PER_LINES = 300  # fewer than one INT./EXT. heading per this many lines → fallback splitting


@lru_cache(maxsize=8192)  # a script repeats a few dozen names thousands of times
def normalise_character(cue: str) -> tuple[str, str | None]:
    """'JAKE (V.O.) (CONT'D)' → ('JAKE', 'V.O.'): uppercase name without extensions, and the main extension."""
    extensions = [e.strip().upper() for e in _EXTENSION_PAREN.findall(cue)]
    name = _EXTENSION_PAREN.sub(" ", cue)
    name = _CONTD.sub(" ", name).replace("^", " ")
    name = " ".join(name.split()).strip(" .,:;-").upper()
    if bare := _BARE_EXTENSION.search(name):  # "SAYER O.S", "JAMAL V/O": the extension without brackets
        name = name[:bare.start()].rstrip(" .,:;-")
        extensions.append(bare.group("extension"))
    heard = _HEARD_CUE.match(name)
    if heard:  # "HANS' VOICE", "TEDDY ON THE RADIO": Hans and Teddy speaking, heard but not seen
        name, how = heard.group("name"), heard.group("voice") or heard.group("device")
        extensions.append("VOICE" if how.endswith("VOICE") else how)
    return name, _main_extension(extensions)


# A cue that names how a character is heard inside the name itself: 281 cues of 115 corpus scripts
# read "NAME'S VOICE", and a few "NAME ON THE PHONE"; each is the character NAME, not a new one.
_HEARD_CUE = re.compile(
    r"^(?P<name>.+?)(?:(?P<voice>'S VOICE|' VOICE)(?: OVER)?"
    r"|\s+(?P<device>(?:ON|OVER) (?:THE )?(?:PHONE|TELEPHONE|RADIO|TV|TAPE|SPEAKER|SPEAKERPHONE|INTERCOM|WALKIE-TALKIE|P\.A\.)))$")


# 472 cues of 12 corpus scripts write the extension after the name with no brackets (`SAYER O.S`,
# `JAMAL V/O`, `ETHAN VO`); each split its character in two in the cast list. Spelled-out forms and
# the bare `OS` / `OC` (which could end a name) are left alone: no corpus cue writes them.
_BARE_EXTENSION = re.compile(r"(?<=\S)\s+(?P<extension>V\.O\.?|V/O|VO|O\.S\.?|O/S|O\.C\.?|O/C)$")


def _main_extension(extensions: list[str]) -> str | None:
    """The extension that says *how* the line is heard (V.O./O.S./...) wins over CONT'D."""
    canonical = []
    for raw in extensions:
        compact = raw.replace(".", "").replace(" ", "")
        if compact in ("VO", "V/O"):
            canonical.append("V.O.")
        elif compact in ("OS", "O/S"):
            canonical.append("O.S.")
        elif compact in ("OC", "O/C"):
            canonical.append("O.C.")
        elif _CONTD.search(raw) or compact.startswith("CONT"):
            canonical.append("CONT'D")
        elif raw:
            canonical.append(raw)
    for extension in canonical:
        if extension != "CONT'D":
            return extension
    return canonical[0] if canonical else None


def parse_heading(heading: str) -> tuple[str | None, str | None, str | None]:
    """'12 INT. KITCHEN - NIGHT 12' → ('INT', 'KITCHEN', 'NIGHT'). Slug lines that do not open with
    INT./EXT., as older and European scripts write them, are read the same way: 'LATER' and
    'A MINUTE LATER' are times, not places; 'WHITECHAPEL - NIGHT' and 'NEW YORK - A STREET -
    EXTERIOR DAY' end in their time (and interior or exterior); '1. HARRY'S HOME. INT. NIGHT.'
    numbers its scene and ends its pieces with full stops."""
    match = _HEADING.match(heading.strip())
    if match:
        prefix = match["prefix"].replace(" ", "").replace(".", "")
        return _read_slug_pieces(_split_pieces(_SLUG_DASH, match["rest"]), _INT_EXT_WORDS.get(prefix, "INT/EXT"))
    if note := _SCENE_NOTE.match(heading):
        return _read_scene_note(heading[note.end():])
    text = re.sub(r"^\d+[A-Z]{0,2}\.?\s+|\s+\d+[A-Z]{0,2}\.?$", "", heading.strip())
    return _read_slug_pieces(_split_pieces(_SLUG_PIECE_BREAK, text), None)


def _split_pieces(breaks: re.Pattern, text: str) -> list[str]:
    return [part for piece in breaks.split(text) for part in _split_at_times(piece)]


def _split_at_times(piece: str) -> list[str]:
    """A piece that holds its time or INT./EXT. behind a full stop or comma, not a dash, comes apart
    there: 'DAY. FBI HEADQUARTERS' → ['DAY', 'FBI HEADQUARTERS'], 'CAB, SAME TIME' → ['CAB', 'SAME TIME'],
    'ASTAPOVO. PLATFORM.NIGHT' → ['ASTAPOVO. PLATFORM', 'NIGHT']. The other stops stay ('ST. LOUIS',
    'MOTEL ROOM, LAS VEGAS'), and so does a piece that is a time already ('DAY, 1942') or opens with
    one before a comma ('LATE AFTERNOON, ESTABLISHING'); 'SAME TIME. FBI SAFEHOUSE' comes apart."""
    stripped = piece.strip(" .,:")
    marks = _STOP_OR_COMMA.split(stripped)  # text, separator, text, ...
    if len(marks) == 1 or _is_time(stripped) or (_opens_with_time(stripped) and marks[1].startswith(",")):
        return [piece]
    groups, current = [], marks[0]
    for separator, part in zip(marks[1::2], marks[2::2]):
        if part.startswith("("):  # an aside stays with what it qualifies: 'DAY. (MONTAGE)' → 'DAY (MONTAGE)'
            current += " " + part
        elif _stands_apart(part) or (_stands_apart(current) and len(part) > 1):  # not '3.A.M.'
            groups.append(current)
            current = part
        else:
            current += separator + part
    return groups + [current] if groups else [piece]


def _stands_apart(part: str) -> bool:
    return _is_time(part) or part in _MARKS


# Corpus headings that put the time (or a second INT./EXT.) behind a stop or comma ('INT. NIGHT.
# AIRPLANE', 'INT CAB, SAME TIME', '64:ELENA'S HOUSE.EXT.NIGHT') had it read as part of the place:
# this split and the story-time labels changed 453 of 38,860 headings in 65 scripts (session 32).
_STOP_OR_COMMA = re.compile(r"((?:\.\s*)+|,\s+)")


_INT_EXT_WORDS = {"INTERIOR": "INT", "EXTERIOR": "EXT", "INT": "INT", "EXT": "EXT"}
# Pieces of a slug line that name neither a place nor a time: print marks and story-time labels.
# Story-time labels say when the scene falls in the story, not where or at what hour; they are
# dropped as pieces ('FLASHBACK, CHURCH', 'THE PRESENT. FBI HEADQUARTERS') and as asides in
# brackets ('CITY STREET (FLASHBACK)'), so a place recounted in another time stays one place.
_STORY_TIME = frozenset({
    "FLASHBACK", "FLASH BACK", "FLASHBACK SEQUENCE", "END FLASHBACK", "END OF FLASHBACK", "BACK TO PRESENT",
    "BACK TO THE PRESENT", "PRESENT", "THE PRESENT", "PRESENT DAY", "THE PAST", "PAST"})
_STORY_TIME_ASIDE = re.compile(r"\s*\((?:" + "|".join(sorted(_STORY_TIME, key=len, reverse=True)) + r")\)", re.I)
_SLUG_NOISE = {"CONTINUED", "CONT'D"} | _STORY_TIME
_MARKS = _INT_EXT_WORDS.keys() | _STORY_TIME  # parts of a piece that stand apart, as a time does
# A dash between pieces; PDF copies print it as a soft hyphen ('VAN \xad MOMENTS LATER'), others as an en or em dash.
_SLUG_DASH = re.compile(r"\s+[-\xad\u2013\u2014\x96\x97]+\s*|\s*[-\xad\u2013\u2014\x96\x97]+\s+|--")
# ... or, in slug lines without INT./EXT., a full stop that closes no abbreviation ('ST. LOUIS').
_SLUG_PIECE_BREAK = re.compile(_SLUG_DASH.pattern + r"|(?<!\bMR)(?<!\bMRS)(?<!\bDR)(?<!\bST)(?<!\bMT)(?<!\bJR)(?<!\bSR)\.\s+")
# 'A FEW MINUTES LATER', 'TWO DAYS LATER': how much time has passed, before LATER.
_LAPSE_WORDS = frozenset(
    "A AN FEW SOME SEVERAL MUCH LITTLE BIT SHORT TIME STILL HALF-HOUR ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN TWENTY "
    "SECOND SECONDS MOMENT MOMENTS MINUTE MINUTES HOUR HOURS DAY DAYS WEEK WEEKS MONTH MONTHS YEAR YEARS".split())


def _read_scene_note(note: str) -> tuple[None, str | None, str | None]:
    """'Peter's room. Morning. He is in bed.]' → (None, "Peter's room", 'MORNING'): the first sentence
    names the place (after 'returns to'); a later one may give the time; the others describe the scene."""
    sentences = [s.strip(" .;") for s in re.split(r"(?<=[.;])\s+", note.strip(" []"))]
    times = [s.upper() for s in sentences[1:] if _is_time(s.upper())]
    place = _NOTE_MOVES_TO.sub("", sentences[0])
    return None, place or None, times[0] if times else None


# '[Scene returns to Fangorn forest.]', '[Scene moves from the trackers into the forest.]'
_NOTE_MOVES_TO = re.compile(r"^(?:moves|returns|shifts|cuts|changes|goes)\b.*?\b(?:to|into)\s+", re.I)


def _read_slug_pieces(pieces: list[str], int_ext: str | None) -> tuple[str | None, str | None, str | None]:
    """A slug line's pieces → (interior/exterior, place, time). The time is the run of time pieces
    at its end ('STREET - DAY - CONTINUOUS'), else the last time piece ('LATER - KITCHEN'), else a
    time that ends the last piece without a dash ('FOREST NIGHT')."""
    kept = []
    for piece in pieces:
        words = _STORY_TIME_ASIDE.sub("", piece).strip(" .,:").split()
        # the INT./EXT. that opens the first piece, or one alone ('EXT. INT. DAY CARE': both)
        if words and words[0].rstrip(".") in _INT_EXT_WORDS and (int_ext is None or len(words) == 1):
            marked = _INT_EXT_WORDS[words[0].rstrip(".")]
            int_ext, words = marked if int_ext in (None, marked) else "INT/EXT", words[1:]
        piece = " ".join(words).strip(" .,")
        if piece and piece not in _SLUG_NOISE and not piece.isdigit():  # a bare year is a caption, not a place
            kept.append(piece)
    times = []
    # The last piece is the time slot when it opens with one: 'DAY (DREAM SEQUENCE)'. After INT./EXT.
    # a lone piece is the place unless it is all time: 'INT. DAY ROOM, ALPINE GROVE'.
    lone_place = int_ext is not None and len(kept) == 1
    if kept and (_is_time(kept[-1]) or (not lone_place and _opens_with_time(kept[-1]))):
        times.append(kept.pop())
        while len(kept) > 1 and _is_time(kept[-1]):  # 'DAY - CONTINUOUS'; the first piece stays a place
            times.insert(0, kept.pop())
    if not times:  # 'LATER - KITCHEN', 'STREET - NIGHT - RAIN'
        inner = [i for i, piece in enumerate(kept) if _is_time(piece)]
        if inner:
            times.append(kept.pop(inner[-1]))
    if not times and kept and (cut := _time_suffix(kept[-1].split())) is not None:
        words = kept.pop().split()
        times.append(" ".join(words[cut:]))
        kept += [" ".join(words[:cut]).strip(" .,")]
    return int_ext, " - ".join(p for p in kept if p) or None, " - ".join(times) or None


_PARENTHESIS = re.compile(r"\([^()]*\)")
# Words that may come before a time word ('LATE AFTERNOON', 'THE NEXT MORNING') and after it ('LATE AT
# NIGHT', 'DAY AND NIGHT', 'CONTINUOUS ACTION') inside one time; the qualifiers also lead a time that
# ends a piece without a dash ('HOUSE, LATE AT NIGHT').
_TIME_QUALIFIERS = frozenset({"LATE", "EARLY", "AT", "THAT", "LATER", "NEXT", "SAME"})
_TIME_LEADS = frozenset({"LATE", "EARLY", "NEXT", "THAT", "PRE"})
_TIME_WORDS_AFTER = _TIME_QUALIFIERS | {"AND", "TO", "INTO", "ACTION"}


def _opens_with_time(part: str) -> bool:
    """A slug line's last piece is its time when it opens with one: 'MORNING LIGHT', 'LATER STILL',
    'LATE AFTERNOON, ESTABLISHING'; but 'THE NIGHT SKY' is a place."""
    words = _leading_words(part.strip("(").replace(",", " ").split(), _TIME_LEADS)
    return _is_time(part) or (bool(words) and words[0] in _TIMES)


def _is_time(part: str) -> bool:
    """'NIGHT', 'LATE AFTERNOON', 'MORNING (PRESENT DAY)', 'DAY, 1942', and time passing: 'LATER',
    '(A FEW MINUTES LATER)'; not a place named after one ('DAY ROOM', 'SUNSET BOULEVARD')."""
    if part in _TIMES:
        return True
    words = _time_words(part)
    return bool(words) and (_is_lapse(words) or (
        words[0] in _TIMES and all(w in _TIMES or w in _TIME_WORDS_AFTER or w.isdigit() for w in words[1:])))


def _time_words(part: str) -> list[str]:
    """The words of a time, without an aside in brackets or the qualifiers before it ('THE NEXT MORNING')."""
    if part.startswith("(") and part.endswith(")"):
        part = part[1:-1]
    return _leading_words(_PARENTHESIS.sub(" ", part).replace(",", " ").split(), _TIME_LEADS | {"THE"})


def _leading_words(words: list[str], leads: frozenset[str]) -> list[str]:
    """`words` from the first that is not one of `leads` (keeping the last word)."""
    while len(words) > 1 and words[0] in leads:
        words = words[1:]
    return words


def _is_lapse(words: list[str]) -> bool:
    return bool(words) and words[-1] == "LATER" and all(w in _LAPSE_WORDS or w.isdigit() for w in words[:-1])


def _time_suffix(words: list[str]) -> int | None:
    """Where the trailing time of a dashless piece starts: 'FOREST NIGHT' → 1, 'GYM. MOMENTS LATER' → 2,
    'HOUSE, LATE AT NIGHT' → 1."""
    for cut in range(max(len(words) - 4, 0), len(words)):
        if _is_lapse(words[cut:]):
            return cut
    if words and words[-1] in _TIMES:
        cut = len(words) - 1
        while cut > 0 and words[cut - 1] in _TIME_QUALIFIERS:
            cut -= 1
        return cut
    return None



def clean_heading(line: str) -> str:
    """Heading text as a reader wants it: without the scene numbers printed on either side, the
    revision asterisks of the right margin, or the runs of spaces of a typewriter layout."""
    text = line.strip()
    # Only a line that ends in '*' can carry a mark, and the mark's search backtracks through every
    # run of spaces (~10 µs for a typewriter heading), so the others skip it.
    if text.endswith("*"):
        text = _REVISION_MARK.sub("", text)
    text = _MARGIN_NUMBER.sub("", text)
    match = _HEADING.match(text)
    if match and match["num"]:
        text = text[len(match["num"]):].strip()
        gap = r"\s*" if match["num"][0] == "S" else r"\s+"  # 'NIGHTSc 6' ends in its number; 'ROOM 101' does not
        text = re.sub(gap + re.escape(match["num"].rstrip(".")) + r"\.?$", "", text)
    return " ".join(text.split())


_REVISION_MARK = re.compile(r"(?:\s+\*+)+$")  # 'INT. LAB - DAY          *': a revised line in a shooting script
# A scene number at the right margin, far from the heading's last word ('INT. CORRIDOR      121').
_MARGIN_NUMBER = re.compile(r"\s{3,}\d+[A-Z]{0,2}\.?$")


# --- layout prepass -------------------------------------------------------------------------

def _line_shape(text: str) -> str:
    """What a stripped line looks like on its own: blank, noise, heading, transition, cuelike, caps or text.

    Computed once per line; every later decision reads these shapes instead of re-running regexes.
    """
    if not text:
        return "blank"
    if len(text) <= 40 and _NOISE.match(text):
        return "noise"
    if text[0] in _HEADING_FIRST and _HEADING.match(text):
        return "heading"
    if text == text.upper():
        if not any(map(str.isalpha, text)):
            return "text"
        if len(text) <= 50 and _TRANSITION.match(text):
            return "transition"
        if len(text) <= 50 and _cue_shaped(text):
            return "cuelike"
        return "caps"
    if len(text) <= 50 and "(" in text and _cue_shaped(text):  # 'JAKE (cont'd)': lowercase only in the extension
        return "cuelike"
    if ":" in text[:32] and _COLON_SPEECH.match(text):
        return "colon"
    if len(text) <= 30 and _NAMELIKE.match(text):
        return "namelike"
    return "text"


def _line_shapes(stripped: list[str]) -> list[str]:
    """`_line_shape` of every line, each distinct line once: half of a script's lines repeat (blank
    lines, cues, CONTINUED), so this halves the cost."""
    shapes = {text: _line_shape(text) for text in dict.fromkeys(stripped)}
    return list(map(shapes.__getitem__, stripped))


# 'Mattie', 'Old Man': cues some scripts print in title case (recognised only at the cue column).
_NAMELIKE = re.compile(r"^(?:[A-Z][a-z'’]*\.? ){0,3}[A-Z][a-z'’]*$")
# 'SARAH: Why does everything happen to me?': transcript-style cue and speech on one line. Some
# scripts write the name in title case ('Tony: YOU OK?') or after a shot number ('4  Voice: ...').
_COLON_SPEECH = re.compile(
    r"^(?:\d{1,3}[A-Z]?\.?\s+)?(?P<cue>(?P<name>[A-Z][A-Z0-9 .'’\-]{0,29}?|[A-Z][A-Za-z0-9.'’\-]*(?: [A-Z0-9][A-Za-z0-9.'’\-]*){0,3})"
    r"\s*(?:\([^()]*\))?)\s*:\s+(?P<speech>\S.*)$")
_NOT_SPEAKERS = re.compile(r"\b(?:NOTE|SUPER|TITLE|CAPTION|CARD|SCENE|SOUND|SFX|MUSIC|TIME|PLACE|NB|POV|P\.O\.V|ANGLE|CLOSE|INSERT|CU|ECU)\b")
# Title-case names before a colon open action lines in many scripts ('Oliver's POV:', 'Afterwards:'),
# so they are read as speakers only in a script that writes its dialogue that way throughout.
_TITLE_CASE_COLON_LINES = 50


_HEADING_FIRST = frozenset("0123456789IES")


def _cue_shaped(text: str) -> bool:
    match = _CUE.match(text.upper())
    if not match:
        return False
    name = match["name"].strip()
    raw_name = text[: len(name)]
    return (
        raw_name == raw_name.upper()
        and any(map(str.isalpha, name))
        and len(name) <= 35
        and len(name.split()) <= 4
        and not name.endswith((":", "!", "?", ",", "-"))
    )


_LAYOUT_SHAPES = frozenset(("colon", "cuelike", "namelike"))


class _Layout:
    """The script's own layout: action column, cue and dialogue columns, how often each name is cued."""

    def __init__(self, stripped: list[str], indents: list[int], shapes: list[str]):
        self.action_indent = _action_indent(stripped, indents)
        self.name_counts: Counter[str] = Counter()
        self.colon_counts: Counter[str] = Counter()
        cue_indents: Counter[int] = Counter()
        speech_indents: Counter[int] = Counter()
        # only colon lines and name-shaped lines count; the others are skipped at C speed
        counted = map(_LAYOUT_SHAPES.__contains__, shapes[:len(stripped) - 2])
        for i in compress(range(len(stripped) - 2), counted):
            if shapes[i] == "colon":
                self.colon_counts[_COLON_SPEECH.match(stripped[i])["name"].strip()] += 1
                continue
            # A cue is followed by its speech, directly or after one blank line (double-spaced scripts).
            speech = i + 1 if shapes[i + 1] != "blank" else i + 2
            if shapes[speech] not in ("text", "namelike"):
                continue
            deep = indents[i] > self.action_indent + 4
            if shapes[i] == "cuelike":
                self.name_counts[normalise_character(stripped[i])[0]] += 1
            elif not (shapes[i] == "namelike" and deep and indents[speech] < indents[i] - 3):
                continue
            if deep:
                cue_indents[indents[i]] += 1
                if not stripped[speech].startswith("("):
                    speech_indents[indents[speech]] += 1
        self.cue_indent = cue_indents.most_common(1)[0][0] if sum(cue_indents.values()) >= 3 else None
        # Some scripts indent cues but print dialogue at the action column; then only blank lines end a speech.
        speech_indent = speech_indents.most_common(1)[0][0] if speech_indents else self.action_indent
        self.speech_indented = self.cue_indent is not None and speech_indent > self.action_indent + 2
        recurring = [(name, n) for name, n in self.colon_counts.items() if n >= 2]
        self.title_case_colon_layout = sum(n for name, n in recurring if not name.isupper()) >= _TITLE_CASE_COLON_LINES
        self.colon_layout = self.title_case_colon_layout or sum(n for name, n in recurring if name.isupper()) >= 10

    @property
    def indented(self) -> bool:
        return self.cue_indent is not None

    def at_cue_column(self, indent: int) -> bool:
        return self.cue_indent is not None and indent >= min(self.cue_indent - 4, self.action_indent + 8)


def _action_indent(stripped: list[str], indents: list[int]) -> int:
    """The most common indent of long lines: those are action (dialogue columns are narrow)."""
    long_indents = Counter(ind for text, ind in zip(stripped, indents) if len(text) >= 50)
    if long_indents:
        return long_indents.most_common(1)[0][0]
    present = [ind for text, ind in zip(stripped, indents) if text]
    return min(present) if present else 0


# --- line labelling -------------------------------------------------------------------------

def _split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.expandtabs(8).rstrip() for line in text.split("\n")]


def label_lines(text: str) -> list[str]:
    """One label per line of `text`: an element kind, or blank / title / footer / noise."""
    return _Labeller(_split_lines(text)).labels


class _Labeller:
    def __init__(self, lines: list[str]):
        self.stripped = [line.strip() for line in lines]
        self.indents = [len(line) - len(line.lstrip()) for line in lines]
        self.shapes = _line_shapes(self.stripped)
        self.layout = _Layout(self.stripped, self.indents, self.shapes)
        self.footer_start = _footer_start(self.stripped)
        self.labels = ["blank" if not s else "" for s in self.stripped]
        self.dual_blocks: dict[int, int] = {}  # first line → end of a block of two speeches side by side
        self.heading_count = 0
        self._label_body()
        self._label_title_page()
        self.few_headings = self._few_headings()
        if self.few_headings:
            self._promote_slug_lines()

    def _label_body(self) -> None:
        in_speech = in_paren = False
        dual_end = 0
        for i, text in enumerate(self.stripped):
            if i >= self.footer_start:
                self.labels[i] = "footer" if text else "blank"
                continue
            if i < dual_end:
                self.labels[i] = DUAL_LABEL
                continue
            if not in_speech and (end := self._dual_block_end(i)):
                self.labels[i], self.dual_blocks[i], dual_end = DUAL_LABEL, end, end
                continue
            if not text:
                # Double-spaced scripts put a blank line between cue and speech.
                in_speech = in_speech and self.labels[i - 1] == "cue"
                in_paren = False
                continue
            label = self._label_line(i, text, in_speech, in_paren)
            self.labels[i] = label
            in_speech = label in ("cue", "dialogue", "parenthetical", "speech") or (label == "noise" and in_speech)
            in_paren = label == "parenthetical" and not text.endswith(")")

    def _label_line(self, i: int, text: str, in_speech: bool, in_paren: bool) -> str:
        shape = self.shapes[i]
        if shape == "noise":
            return "noise"
        if in_paren:
            return "parenthetical"
        if shape == "heading":
            self.heading_count += 1
            return "heading"
        if shape == "transition" and (
            text.endswith((":", ".")) or text.startswith("FADE") or self.indents[i] > self.layout.action_indent + 20
        ):
            return "transition"
        if shape == "colon" and self._is_colon_speech(text):
            return "speech"
        if in_speech:
            return self._speech_line(i, text)
        return "cue" if self._is_cue(i) else "action"

    def dual_block_lines(self) -> dict[int, list[str]]:
        """Each dual-dialogue block's lines as printed (indentation restored), by its first line."""
        return {start: [" " * self.indents[j] + self.stripped[j] for j in range(start, end)]
                for start, end in self.dual_blocks.items()}

    def _dual_block_end(self, i: int) -> int | None:
        """Where a block of dual dialogue that starts at line `i` ends: two characters' cues side by side
        ('THEODORE (CONT'D)          SAMANTHA') over their lines, printed in two columns, down to the
        next blank line; None if line `i` opens no such block."""
        text = self.stripped[i]
        if "      " not in text or self.shapes[i] not in ("caps", "cuelike") or (i > 0 and self.stripped[i - 1]):
            return None  # the space test first: most lines have no wide gap, and it costs least
        if _dual_cues(text) is None or i + 1 >= self.footer_start:
            return None
        after = self.stripped[i + 1]
        if not any(c.islower() for c in after) or self.shapes[i + 1] in ("heading", "transition"):
            return None
        end = i + 1
        while end < self.footer_start and self.stripped[end] and self.shapes[end] != "heading":
            end += 1
        return end

    def _is_colon_speech(self, text: str) -> bool:
        name = _COLON_SPEECH.match(text)["name"].strip()
        layout = self.layout
        return (layout.colon_layout and layout.colon_counts[name] >= 2 and not _NOT_SPEAKERS.search(name.upper())
                and (name.isupper() or layout.title_case_colon_layout))

    def _speech_line(self, i: int, text: str) -> str:
        layout = self.layout
        # Where dialogue has its own column, a line back at the action column ends the speech.
        if layout.speech_indented and self.indents[i] <= layout.action_indent + 2 and not text.startswith("("):
            return "cue" if self._is_cue(i) else "action"
        if self._is_cue(i) and (layout.indented or self.labels[i - 1] != "cue"):
            return "cue"
        return "parenthetical" if text.startswith("(") else "dialogue"

    def _is_cue(self, i: int) -> bool:
        shape = self.shapes[i]
        if shape not in ("cuelike", "namelike") or i + 2 >= self.footer_start:
            return False
        speech = i + 1 if self.shapes[i + 1] != "blank" else i + 2
        speech_shape = self.shapes[speech]
        if speech_shape in ("blank", "heading", "transition"):
            return False
        layout = self.layout
        if shape == "namelike":  # title-case names count only at the cue column, above a shallower speech
            return (
                layout.cue_indent is not None
                and abs(self.indents[i] - layout.cue_indent) <= 3
                and self.indents[speech] < self.indents[i] - 3
            )
        if layout.at_cue_column(self.indents[i]):
            return True
        name, extension = normalise_character(self.stripped[i])
        if _SLUG_WORDS.search(name):
            return False
        after = self.stripped[speech]
        known = layout.name_counts[name] >= (2 if speech == i + 1 else 3)
        speech_follows = after.startswith("(") or speech_shape != "cuelike"
        return speech_follows and (known or extension is not None or after.startswith("("))

    def _label_title_page(self) -> None:
        """Lines before the body are the title page, when that block is short and not prose.

        The body starts at the first heading, transition ('FADE IN:') or scene note; centred title lines
        ('TRAINING DAY' over 'by') look like cues, so a cue only counts when neither comes early.
        """
        end = self._title_page_end(("heading", "transition"))
        if end is None:
            end = self._title_page_end(("heading", "transition", "cue"))
        for j in range(end or 0):
            if self.labels[j] != "blank":
                self.labels[j] = "title"

    def _title_page_end(self, body_labels: tuple[str, ...]) -> int | None:
        seen = 0
        for i, label in enumerate(self.labels):
            if label in body_labels or _SCENE_NOTE.match(self.stripped[i]):
                return i
            if i >= self.footer_start or label == "blank":
                continue
            seen += 1
            if seen > _MAX_TITLE_PAGE_LINES or len(self.stripped[i]) >= 60:
                return None
        return None

    def _few_headings(self) -> bool:
        body_lines = sum(1 for label in self.labels if label not in ("blank", "title", "footer"))
        return self.heading_count * _FEW_HEADINGS_PER_LINES < body_lines or self.heading_count < 3 < body_lines / 50

    def _promote_slug_lines(self) -> None:
        """Without INT./EXT. headings, stand-alone caps lines ('HOUSE INTERIOR', 'THE WASTELAND. DAY.') start scenes."""
        for i, label in enumerate(self.labels):
            if label != "action":
                continue
            text = self.stripped[i]
            before_blank = i == 0 or self.labels[i - 1] in ("blank", "title", "transition", "heading")
            if not before_blank:
                continue
            if _SCENE_NOTE.match(text) or (
                self.shapes[i] in ("caps", "cuelike")
                and len(text) <= 60
                and len(text.split()) <= 8
                and self.indents[i] <= self.layout.action_indent + 2
                and not text.endswith(("!", "?", ","))
            ):
                self.labels[i] = "heading"


def _footer_start(stripped: list[str]) -> int:
    """Index where the IMSDb footer starts (the title line before 'Writers :'), or len(lines)."""
    for i in range(len(stripped) - 1, max(-1, len(stripped) - 60), -1):
        if _FOOTER_START.match(stripped[i]):
            if i > 0 and stripped[i - 1] and len(stripped[i - 1]) <= 80:
                return i - 1
            return i
    return len(stripped)


# --- dual dialogue ---------------------------------------------------------------------------

DUAL_LABEL = "dual"  # a line of a dual-dialogue block: two speeches printed side by side
# Columns sit far apart; a name's words ('ADAM   LEAVITT') and justified text sit closer.
_DUAL_GAP = re.compile(r"\s{6,}")
_COLUMN_START = re.compile(r"(?:^|\s{2,})(?=\S)")  # where text starts after two or more spaces
_CUE_EXTENSION_LINE = re.compile(r"^\((?:V\.?\s*O|O\.?\s*S|O\.?\s*C|CONT)", re.I)  # 'WHOLESALER' over '(V.O.)'


def _dual_cues(text: str) -> list[str] | None:
    """The two cues of a dual-dialogue line ('PAUL          TATIANA' → ['PAUL', 'TATIANA']), or None."""
    cues = _DUAL_GAP.split(text)
    if len(cues) != 2 or text != text.upper():
        return None
    for cue in cues:
        name = normalise_character(cue)[0]
        if (not cue[0].isalpha() or sum(map(str.isalpha, name)) < 2 or len(cue) > 40 or not _cue_shaped(cue)
                or _NOISE.match(cue) or _SLUG_WORDS.search(name)):
            return None
    return cues


def _dual_groups(lines: list[str], start: int) -> list[tuple[str, int, list[str]]]:
    """A dual-dialogue block (lines as printed, with their indentation; the first holds the two cues)
    → its two speeches one after the other, left column first: (kind, line index, texts) groups.

    A line's right-hand part starts at its first text after two or more spaces beyond the middle
    between the two cues; within a column a cue-shaped line starts another speech ('TRUDY' under
    'OPERATOR')."""
    cue_columns = [m.end() for m in _COLUMN_START.finditer(lines[0])]
    middle = (cue_columns[0] + cue_columns[-1]) / 2
    columns: tuple[list, list] = ([], [])
    for offset, line in enumerate(lines[1:], start=1):
        split = next((m.end() for m in _COLUMN_START.finditer(line) if m.end() >= middle), len(line))
        for column, text in zip(columns, (line[:split].strip(), line[split:].strip())):
            if text and not _NOISE.match(text):
                column.append((start + offset, text))
    groups = []
    for cue, column in zip(_DUAL_GAP.split(lines[0].strip()), columns):
        groups.append(("cue", start, [cue]))
        _column_groups(column, groups)
    return groups


def _column_groups(column: list[tuple[int, str]], groups: list) -> None:
    in_paren = False
    for index, text in column:
        if not in_paren and text == text.upper() and _cue_shaped(text):
            groups.append(("cue", index, [text]))
            continue
        if groups[-1][0] == "cue" and _CUE_EXTENSION_LINE.match(text):
            groups[-1][2].append(text)
            continue
        kind = "parenthetical" if in_paren or text.startswith("(") else "dialogue"
        if groups[-1][0] == kind == "dialogue" or (in_paren and groups[-1][0] == kind):
            groups[-1][2].append(text)
        else:
            groups.append((kind, index, [text]))
        in_paren = kind == "parenthetical" and not text.endswith(")")


# --- elements and scenes --------------------------------------------------------------------

def parse(text: str, source_format: str = "text") -> Screenplay:
    """Screenplay text (already decoded and cleaned) → `Screenplay`. Deterministic; never raises on a str."""
    lines = _split_lines(text)
    labeller = _Labeller(lines)
    labels = labeller.labels
    stripped = labeller.stripped
    elements = _elements(stripped, labels, labeller.dual_block_lines())
    footer = [s for s, label in zip(stripped, labels) if label == "footer"]
    title_lines = [s for s, label in zip(stripped, labels) if label == "title"]
    title_page = parse_title_page(title_lines)
    if "source" not in title_page and (source := source_credit(_front_matter(stripped, labels))):
        title_page["source"] = source  # a credit outside a recognised title page
    if "year" not in title_page and (year := draft_year(stripped, labels)):
        title_page["year"] = str(year)  # a date outside a recognised title page, or one with a 2-digit year
    writers, genres, footer_title = parse_footer(footer)
    warnings = []
    if labeller.few_headings:
        warnings.append(
            f"few INT./EXT. scene headings ({labeller.heading_count}); scenes were also split on slug lines and transitions"
        )
    if elements and not any(e.kind == "cue" for e in elements):
        warnings.append("no character cues found; dialogue may have been read as action")
    screenplay = build_screenplay(
        elements,
        title=footer_title or title_page.get("title"),
        title_page=title_page,
        source_format=source_format,
        split_on_transitions=labeller.few_headings,
    )
    screenplay.writers = writers or _split_names(title_page.get("written_by", ""))
    screenplay.genres = genres
    screenplay.warnings.extend(warnings)
    return screenplay


def _elements(stripped: list[str], labels: list[str], dual_blocks: dict[int, list[str]]) -> list[Element]:
    """Group labelled lines into elements: consecutive action/dialogue/parenthetical lines merge; each
    dual-dialogue block (by its first line) gives its two speeches."""
    groups: list[tuple[str, int, list[str]]] = []  # (kind, first line index, lines)
    previous = None
    for i, label in enumerate(labels):
        if label == DUAL_LABEL:
            if i in dual_blocks:
                groups += _dual_groups(dual_blocks[i], i)
            previous = None
            continue
        if label not in _ELEMENT_KIND_SET and label != "speech":
            if label == "blank" or label == "footer":
                previous = None
            continue
        text = stripped[i]
        if label == "speech":  # 'SARAH: Hello.' → a cue and the start of a speech, from one line
            match = _COLON_SPEECH.match(text)
            groups.append(("cue", i, [match["cue"].strip() + ":"]))
            groups.append(("dialogue", i, [match["speech"].strip()]))
            previous = "dialogue"
            continue
        if (
            label != previous
            or label in _ONE_LINE_KINDS
            or (label == "parenthetical" and text[0] == "(" and groups[-1][2][-1][-1] == ")")
        ):
            groups.append((label, i, [text]))
        else:
            groups[-1][2].append(text)
        previous = label
    return _group_elements(groups)


_ELEMENT_KIND_SET = frozenset(ELEMENT_KINDS)
_ONE_LINE_KINDS = frozenset(("heading", "cue", "transition"))
_SPEECH_KINDS = frozenset(("cue", "parenthetical", "dialogue"))


def _group_elements(groups: list[tuple[str, int, list[str]]]) -> list[Element]:
    elements = []
    character = extension = None
    for kind, start, texts in groups:
        text = texts[0] if len(texts) == 1 else " ".join(texts)
        if kind == "cue":
            character, extension = normalise_character(text)
            elements.append(Element(kind, text, start + 1, character, extension))
        elif kind in _SPEECH_KINDS:
            elements.append(Element(kind, text, start + 1, character))
        else:
            character = None
            elements.append(Element(kind, text, start + 1))
    return elements


def build_screenplay(
    elements: list[Element],
    title: str | None = None,
    title_page: dict[str, str] | None = None,
    source_format: str = "text",
    split_on_transitions: bool = False,
) -> Screenplay:
    """Elements in script order → scenes (a heading starts one; optionally a transition ends one)."""
    scenes: list[Scene] = []
    scene: Scene | None = None
    after_transition = False
    for element in elements:
        if element.kind == "heading":
            scene = _new_scene(len(scenes) + 1, element.text)
            scenes.append(scene)
        elif scene is None or (after_transition and split_on_transitions):
            scene = Scene(number=len(scenes) + 1)
            scenes.append(scene)
        scene.elements.append(element)
        after_transition = element.kind == "transition"
    return Screenplay(scenes=scenes, title=title, title_page=dict(title_page or {}), source_format=source_format)


def _new_scene(number: int, heading_line: str) -> Scene:
    heading = clean_heading(heading_line)
    int_ext, location, time_of_day = parse_heading(heading)
    return Scene(number=number, heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day)


# --- title page and footer ------------------------------------------------------------------

def parse_title_page(lines: list[str]) -> dict[str, str]:
    """Title, writers ('written by'), draft and its date, a plausible year and a credit for adapted
    material ('source') from title-page lines."""
    page: dict[str, str] = {}
    lines = [line for line in lines if line]
    if not lines:
        return page
    page["title"] = lines[0].strip("\"'“” ")
    for i, line in enumerate(lines):
        by = _BY_LINE.match(line)
        if by and "written_by" not in page:
            names = by["rest"] or (lines[i + 1] if i + 1 < len(lines) else "")
            if names:
                page["written_by"] = names
        if "draft" in line.lower() and "draft" not in page:
            page["draft"] = line
        if _TRANSCRIBER_NOTE.search(line):
            continue  # 'Scanned in by ... on Dec 28, 1996' dates a copy, not the draft
        date = _MONTH_DATE.search(line)
        if date and "draft_date" not in page:
            page["draft_date"] = date.group(0)
        year = _YEAR.search(line)
        if year and "year" not in page:
            page["year"] = year.group(1)
    source = source_credit(lines)
    if source:
        page["source"] = source
    return page


def source_credit(lines: list[str]) -> str | None:
    """The front matter's credit for adapted material, joined with the next line when it ends mid-credit
    ('Based on the novel by' / 'Charles Portis'), or None."""
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        if _SOURCE_CREDIT.search(line):
            dangling = _DANGLING_CREDIT.search(line) and i + 1 < len(lines)
            return f"{line} {lines[i + 1]}" if dangling else line
    return None


def date_year(text: str) -> int | None:
    """The year of the first date written in `text`: 'May 3, 1994' → 1994, '06/20/94' → 1994,
    '5.2.00' → 2000; None when there is no date (or a numeric one no calendar has)."""
    date = _MONTH_DATE.search(text)
    if not date:
        return None
    numeric = _NUMERIC_DATE.fullmatch(date.group(0))
    if not numeric:  # a month written out ends with its 4-digit year; '1.2.345' is no date
        tail = date.group(0)[-4:]
        return int(tail) if tail.isdigit() else None
    first, second, year = (int(part) for part in numeric.groups())
    if min(first, second) < 1 or min(first, second) > 12 or max(first, second) > 31:
        return None
    if len(numeric.group(3)) == 2:
        year += 2000 if year <= _TWO_DIGIT_YEAR_PIVOT else 1900
    return year if 1900 <= year <= 2030 else None


def draft_year(stripped: list[str], labels: list[str]) -> int | None:
    """The year of the latest draft date: dates in the first lines before the first scene heading
    (a title page the labeller did not recognise, a date under the credits) and in revision marks on
    any page. Dates inside the story are left alone: '10-31-18' tattooed on a shoulder is no draft."""
    years = []
    for i in _front_lines(stripped, labels) | _draft_mark_lines(stripped):
        line = stripped[i]
        if not (_TRANSCRIBER_NOTE.search(line) or _CAPTION.search(line)) and (year := date_year(line)):
            years.append(year)
    return max(years, default=None)


def _front_lines(stripped: list[str], labels: list[str]) -> set[int]:
    """Indices of the lines before the first scene heading, up to its _FRONT_MATTER_LINES-th non-blank one."""
    front, seen = set(), 0
    for i, (line, label) in enumerate(zip(stripped, labels)):
        seen += bool(line)
        if label == "heading" or seen > _FRONT_MATTER_LINES:
            break
        front.add(i)
    return front


def _draft_mark_lines(lines: list[str]) -> set[int]:
    """Indices of the lines with a revision mark. `_DRAFT_MARK` (case-insensitive, word-bounded) run on
    every line cost 7.3 ms of CPU a corpus script; a plain search of the lowered text finds the few
    candidate lines first: 3.1 ms, the same years for all 280 corpus scripts (session 27)."""
    text = "\n".join(lines)
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter lowered into two ('İ'): offsets no longer line up
        return {i for i, line in enumerate(lines) if _DRAFT_MARK.search(line)}
    ends = list(accumulate(len(line) + 1 for line in lines))
    candidates = {bisect_right(ends, match.start()) for match in _DRAFT_HINT.finditer(lowered)}
    return {i for i in candidates if _DRAFT_MARK.search(lines[i])}


def _front_matter(stripped: list[str], labels: list[str]) -> list[str]:
    """Non-dialogue lines before the first scene heading, at most _FRONT_MATTER_LINES of them."""
    lines: list[str] = []
    for line, label in zip(stripped, labels):
        if label == "heading" or len(lines) >= _FRONT_MATTER_LINES:
            break
        if label in ("action", "transition", "title") and line:
            lines.append(line)
    return lines


def parse_footer(lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """IMSDb footer lines → (writers, genres, title line)."""
    writers: list[str] = []
    genres: list[str] = []
    title = None
    for line in lines:
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "writers" and value:
            writers = [w for w in _SPACE_RUN.split(value.strip()) if w]
        elif key == "genres" and value:
            genres = [g for g in _SPACE_RUN.split(value.strip()) if g]
        elif title is None and not line.lower().startswith(("user comments", "back to imsdb", "writers", "genres")):
            title = line
    return writers, genres, title


def _split_names(names: str) -> list[str]:
    return [n for n in _NAME_SPLIT.split(names) if n]
