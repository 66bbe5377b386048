"""Parser: layouts, headings, cues, title page, footer, fallbacks, and properties on arbitrary text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelcast.screenplay import (
    DUAL_LABEL,
    ELEMENT_KINDS,
    SPEECH_LABEL,
    _split_lines,
    date_year,
    label_lines,
    light_of,
    normalise_character,
    parse,
    parse_heading,
)

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
LABELED = Path(__file__).parent / "fixtures" / "labeled"


def fixture_text(name: str) -> str:
    """The text column of a labelled fixture (the labels are checked in test_parser_accuracy)."""
    rows = (LABELED / name).read_text().split("\n")[:-1]
    return "\n".join(row.partition("|")[2] for row in rows)


@pytest.fixture(scope="module")
def lighthouse():
    return parse((SCRIPTS / "lighthouse.txt").read_text())


def test_indented_script_scenes_and_headings(lighthouse):
    assert [s.heading for s in lighthouse.scenes[1:4]] == [
        "EXT. ROCKY COAST - NIGHT", "INT. LIGHTHOUSE - LAMP ROOM - CONTINUOUS", "EXT. OPEN SEA - AURORA - NIGHT"]
    assert [s.number for s in lighthouse.scenes] == list(range(1, 8))
    assert lighthouse.scenes[0].heading == "" and lighthouse.scenes[0].elements[0].text == "FADE IN:"
    lamp_room = lighthouse.scenes[2]
    assert (lamp_room.int_ext, lamp_room.location, lamp_room.time_of_day) == ("INT", "LIGHTHOUSE - LAMP ROOM", "CONTINUOUS")
    assert [e.kind for e in lamp_room.elements[:6]] == ["heading", "action", "cue", "parenthetical", "dialogue", "action"]


def test_cues_carry_normalised_character_and_extension(lighthouse):
    cues = [(e.character, e.extension) for e in lighthouse.elements if e.kind == "cue"]
    assert ("TOMAS", "O.S.") in cues and ("TOMAS", "CONT'D") in cues and ("CAPTAIN REYES", "V.O.") in cues
    speech = [e for e in lighthouse.scenes[2].elements if e.kind == "dialogue"]
    assert speech[2].text == "Then bring me the spare fuses and stop shouting up the stairs."
    assert speech[2].character == "MARGARET" and speech[1].character == "TOMAS"


def test_dialogue_split_by_parenthetical_keeps_speaker(lighthouse):
    wheelhouse = lighthouse.scenes[4]
    kinds = [(e.kind, e.character) for e in wheelhouse.elements if e.character == "CAPTAIN REYES"]
    assert kinds == [("cue", "CAPTAIN REYES"), ("dialogue", "CAPTAIN REYES"),
                     ("parenthetical", "CAPTAIN REYES"), ("dialogue", "CAPTAIN REYES")]


def test_footer_gives_writers_genres_title_and_is_not_in_last_scene(lighthouse):
    assert lighthouse.writers == ["Dana Whitlow"]
    assert lighthouse.genres == ["Drama", "Thriller"]
    assert lighthouse.title == "The Lighthouse Keeper"
    last_texts = " ".join(e.text for e in lighthouse.scenes[-1].elements)
    assert "Writers" not in last_texts and "IMSDb" not in last_texts and "Genres" not in last_texts


def test_title_page(lighthouse):
    page = lighthouse.title_page
    assert page["title"] == "THE LIGHTHOUSE KEEPER"
    assert page["written_by"] == "Dana Whitlow"
    assert page["draft_date"] == "May 3, 1994" and page["year"] == "1994"


def test_flush_left_cues():
    screenplay = parse(fixture_text("flush_left.txt"))
    assert screenplay.writers == ["Ruth Calloway", "Ben Ng"]  # no footer: from the title page
    assert screenplay.scenes[0].characters == ["JUNE", "EARL", "STRANGER"]
    assert not screenplay.warnings or "few" not in screenplay.warnings[0]


def test_numbered_headings_lose_their_numbers_and_print_noise_is_not_text():
    screenplay = parse(fixture_text("numbered.txt"))
    assert [s.heading for s in screenplay.scenes] == [
        "EXT. LAUNCH PAD - DAWN", "INT. MISSION CONTROL - CONTINUOUS",
        "INT./EXT. ROCKET CAPSULE - DAY", "I/E. HALE'S CAR - NIGHT"]
    assert [s.int_ext for s in screenplay.scenes] == ["EXT", "INT", "INT/EXT", "INT/EXT"]
    assert "CONTINUED" not in " ".join(e.text for e in screenplay.elements)
    assert screenplay.title_page["year"] == "2003"


def test_few_headings_fall_back_to_slug_lines_and_warn():
    screenplay = parse(fixture_text("few_headings.txt"))
    assert [s.heading for s in screenplay.scenes if s.heading][-3:] == ["A COUNTRY ROAD", "THE RIVER", "NIGHT CAMP"]
    assert any("few INT./EXT. scene headings" in w for w in screenplay.warnings)
    assert screenplay.scenes[-1].characters == ["OWEN"]


def test_few_headings_split_on_transitions_when_there_are_no_slugs():
    block = "Someone walks in the rain and keeps walking for a long while.\n\nANNA\nWhere now?\n\nBEN\nHome.\n\nCUT TO:\n\n"
    screenplay = parse(block * 4)
    assert len(screenplay.scenes) == 4
    assert all(s.characters == ["ANNA", "BEN"] for s in screenplay.scenes)


def test_double_spaced_cues():
    screenplay = parse(fixture_text("double_spaced.txt"))
    assert screenplay.scenes[0].characters == ["BRAM", "KIT"]
    assert screenplay.scenes[1].characters == ["RIDER", "BRAM"]


def test_transcript_colon_speech():
    lines = ["INT. NURSERY - NIGHT", ""] + [
        f"{name}: Line number {i} of the talk.\n" for i in range(8) for name in ("SARAH", "TOBY")]
    screenplay = parse("\n".join(lines))
    assert screenplay.scenes[0].characters == ["SARAH", "TOBY"]
    dialogue = [e for e in screenplay.elements if e.kind == "dialogue"]
    assert dialogue[0].text == "Line number 0 of the talk."


def test_title_case_colon_speech_in_a_script_written_that_way_throughout():
    """'Fran:<tab>NO YOU'RE NOT.': names in title case, a shot number before some, speech running on
    at a deeper indent; the action between stays action."""
    exchange = ("\tFran stares at the monitors, still trying to clear her head.\n\n"
                "{n}\tFran:\tWHAT ARE THEY SAYING?\n\n"
                "\tTV Man 1:    I DON'T BELIEVE THAT, DOCTOR, AND I DON'T\n\t\t\tBELIEVE A WORD OF IT.\n\n"
                "\tTony:\tWE'RE GOING TO LOSE THE SIGNAL.\n\n")
    screenplay = parse("".join(exchange.format(n=n) for n in range(1, 21)))
    speakers = {e.character for e in screenplay.elements if e.kind == "cue"}
    assert speakers == {"FRAN", "TV MAN 1", "TONY"}
    speeches = [e.text for e in screenplay.elements if e.kind == "dialogue"]
    assert len(speeches) == 60 and "I DON'T BELIEVE THAT, DOCTOR, AND I DON'T BELIEVE A WORD OF IT." in speeches
    assert sum(e.kind == "action" for e in screenplay.elements) == 20


def test_title_case_colon_lines_in_a_screenplay_stay_action():
    """'Oliver's POV: ...' and 'Music: ...' open action lines; a few of them do not make a transcript."""
    speech = "INT. KITCHEN - DAY\n\nOliver's POV: Hal and Andy kiss.\n\nMusic: A slow song.\n\nOLIVER\nHi.\n\n"
    screenplay = parse(speech * 12)
    assert {e.character for e in screenplay.elements if e.kind == "cue"} == {"OLIVER"}


def test_camera_directions_before_a_colon_are_not_speakers():
    lines = ["INT. NURSERY - NIGHT", ""] + [
        f"{name}: Line number {i} of the talk.\n" for i in range(8) for name in ("SARAH", "TOBY", "CLOSE ON")]
    screenplay = parse("\n".join(lines))
    assert screenplay.scenes[0].characters == ["SARAH", "TOBY"]


def test_a_transcript_scene_note_starts_a_scene_and_names_its_place():
    block = ("[Scene: Peter's room. Morning. He is in bed.]\n\nPeter stares at the ceiling.\n\nPETER\nNot today.\n\n"
             "[Scene The staff meeting. Everyone stands outside the cubicles.]\n\nBill walks in.\n\nBILL\nMorning.\n\n")
    scenes = [s for s in parse("Transcript\n\n" + block * 3).scenes if s.heading]
    assert len(scenes) == 6
    assert [(s.location, s.time_of_day) for s in scenes[:2]] == [("Peter's room", "MORNING"), ("The staff meeting", None)]
    assert [s.characters for s in scenes[:2]] == [["PETER"], ["BILL"]]
    assert parse_heading("[Scene returns to Fangorn forest. Gimli looks up.]") == (None, "Fangorn forest", None)


def test_scene_numbers_written_as_sc_open_and_close_a_heading():
    text = ("Sc 2     EXT     SCOTTISH FIELD     DAY     Sc 2\n\nA woman sits against a tree.\n\n"
            "Sc 3     INT     SCOTTISH HOUSE BEDROOM NIGHTSc 3\n\nThe girl sleeps in her skates.\n")
    scenes = parse(text).scenes
    assert [s.heading for s in scenes] == ["EXT SCOTTISH FIELD DAY", "INT SCOTTISH HOUSE BEDROOM NIGHT"]
    assert [(s.int_ext, s.location, s.time_of_day) for s in scenes] == [
        ("EXT", "SCOTTISH FIELD", "DAY"), ("INT", "SCOTTISH HOUSE BEDROOM", "NIGHT")]


DUAL = """INT. OFFICE - NIGHT

They both start to talk at once.

       THEODORE (CONT'D)                      SAMANTHA
 So I was thinking-                I wanted to say-

They both laugh.

                 SALESMAN                      OPERATOR
                   They gonna open that    Camp Blood?
                   place again?
                                                 TRUDY
                 WHOLESALER              What is it, Eddie?
                 (V.O.)                     (laughing)
                   Lotsa luck.           Forty miles?

                    ADAM   LEAVITT (O.S.)
          I already know   the answer, but any
          chance in Hell   we get to go?
"""


def test_dual_dialogue_gives_each_character_their_own_lines():
    """Two speeches printed side by side become two speeches, left column first; a column may hold
    more than one speech, and a cue's extension may wrap onto the next line. A name whose words sit
    three spaces apart over justified text is one cue."""
    elements = parse(DUAL).scenes[0].elements
    speeches = [(e.kind, e.character, e.text) for e in elements if e.kind != "heading"]
    assert speeches == [
        ("action", None, "They both start to talk at once."),
        ("cue", "THEODORE", "THEODORE (CONT'D)"), ("dialogue", "THEODORE", "So I was thinking-"),
        ("cue", "SAMANTHA", "SAMANTHA"), ("dialogue", "SAMANTHA", "I wanted to say-"),
        ("action", None, "They both laugh."),
        ("cue", "SALESMAN", "SALESMAN"), ("dialogue", "SALESMAN", "They gonna open that place again?"),
        ("cue", "WHOLESALER", "WHOLESALER (V.O.)"), ("dialogue", "WHOLESALER", "Lotsa luck."),
        ("cue", "OPERATOR", "OPERATOR"), ("dialogue", "OPERATOR", "Camp Blood?"),
        ("cue", "TRUDY", "TRUDY"), ("dialogue", "TRUDY", "What is it, Eddie?"),
        ("parenthetical", "TRUDY", "(laughing)"), ("dialogue", "TRUDY", "Forty miles?"),
        ("cue", "ADAM LEAVITT", "ADAM   LEAVITT (O.S.)"),
        ("dialogue", "ADAM LEAVITT", "I already know   the answer, but any chance in Hell   we get to go?"),
    ]
    assert [e.line for e in elements if e.character == "SAMANTHA"] == [5, 6]


def test_title_case_cues_at_the_cue_column():
    speech = "                                              {}\n                     {}\n\n"
    body = "".join(speech.format(n, "Some words spoken here, more or less.") for n in ("Mattie", "Sheriff") * 3)
    action = "      A long line of action that sets the scene in the office of the sheriff.\n\n"
    screenplay = parse("      INT. SHERIFF'S OFFICE - DAY\n\n" + action + body)
    assert screenplay.scenes[0].characters == ["MATTIE", "SHERIFF"]


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("JAKE", ("JAKE", None)),
        ("JAKE (V.O.)", ("JAKE", "V.O.")),
        ("JAKE (O.S.) (CONT'D)", ("JAKE", "O.S.")),
        ("JAKE (CONT’D)", ("JAKE", "CONT'D")),
        ("JAKE (cont'd)", ("JAKE", "CONT'D")),
        ("JAKE (CONTD)", ("JAKE", "CONT'D")),
        ("JAKE CONT'D", ("JAKE", None)),
        ("MRS.  DALLOWAY (O.C.)", ("MRS. DALLOWAY", "O.C.")),
        ("Mattie", ("MATTIE", None)),
        ("BEN ^", ("BEN", None)),
        ("DR. NO:", ("DR. NO", None)),
        ("HANS' VOICE", ("HANS", "VOICE")),
        ("DR. PALEY'S VOICE (CONT'D)", ("DR. PALEY", "VOICE")),
        ("TEDDY ON THE RADIO", ("TEDDY", "ON THE RADIO")),
        ("MAN ON PHONE (V.O.)", ("MAN", "V.O.")),
        ("VOICE", ("VOICE", None)),
        ("YOUNG OLIVER", ("YOUNG OLIVER", None)),
        ("GARY'S VOICE OVER", ("GARY", "VOICE")),
        ("SAYER O.S", ("SAYER", "O.S.")),
        ("JAMAL V/O", ("JAMAL", "V.O.")),
        ("HOLDEN V.O.", ("HOLDEN", "V.O.")),
        ("REPORTER #1 V.O (CONT'D)", ("REPORTER #1", "V.O.")),
        ("ETHAN VO", ("ETHAN", "V.O.")),
        ("LEO O.C.", ("LEO", "O.C.")),
        ("V.O.", ("V.O", None)),
        ("GUSTAVO", ("GUSTAVO", None)),
    ],
)
def test_normalise_character(cue, expected):
    assert normalise_character(cue) == expected


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("INT. KITCHEN - NIGHT", ("INT", "KITCHEN", "NIGHT")),
        ("EXT./INT. CAR - MOVING - DAY", ("INT/EXT", "CAR - MOVING", "DAY")),
        ("I/E HALE'S CAR - NIGHT", ("INT/EXT", "HALE'S CAR", "NIGHT")),
        ("12 INT. KITCHEN - NIGHT 12", ("INT", "KITCHEN", "NIGHT")),
        ("1EXTERIOR FOREST NIGHT", ("EXT", "FOREST", "NIGHT")),
        ("INT. OFFICE", ("INT", "OFFICE", None)),
        ("INT.  RESTAURANT - MORNING (PRESENT DAY)", ("INT", "RESTAURANT", "MORNING")),
        ("THE RIVER", (None, "THE RIVER", None)),
        # slug lines without a leading INT./EXT.
        ("MINUTES LATER", (None, None, "MINUTES LATER")),
        ("WHITECHAPEL - NIGHT", (None, "WHITECHAPEL", "NIGHT")),
        ("EVENING--BOARDING HOUSE PORCH", (None, "BOARDING HOUSE PORCH", "EVENING")),
        ("NEW YORK - A STREET - EXTERIOR DAY", ("EXT", "NEW YORK - A STREET", "DAY")),
        ("1. HARRY'S HOME. INT. NIGHT.", ("INT", "HARRY'S HOME", "NIGHT")),
        ("2. FLASHBACK. 1994. LANZAROTE HOSPITAL. INT. DAY.", ("INT", "LANZAROTE HOSPITAL", "DAY")),
        ("ST. LOUIS - DAY", (None, "ST. LOUIS", "DAY")),
        ("MR. SMITH'S HOUSE", (None, "MR. SMITH'S HOUSE", None)),
        # a time written without a dash, with its qualifiers
        ("INT. GYM. MOMENTS LATER.", ("INT", "GYM", "MOMENTS LATER")),
        ("INT. A ROOM, NOLAN HOUSE - LATE AT NIGHT, 1930", ("INT", "A ROOM, NOLAN HOUSE", "LATE AT NIGHT")),
        ("INT. STARKS' ROOM, ICU, LATE NIGHT, 1992", ("INT", "STARKS' ROOM, ICU", "LATE NIGHT")),
        ("INT. VAN \xad MOMENTS LATER", ("INT", "VAN", "MOMENTS LATER")),
        # one reader for both kinds of slug line: a dashless time ends a place without INT./EXT. too
        ("WHITECHAPEL NIGHT", (None, "WHITECHAPEL", "NIGHT")),
        ("EXT. STREET - DAY - CONTINUOUS", ("EXT", "STREET", "DAY - CONTINUOUS")),
        ("EXT. STREET - NIGHT - RAIN", ("EXT", "STREET - RAIN", "NIGHT")),
        ("LATER - THE KITCHEN", (None, "THE KITCHEN", "LATER")),
        # a place named after a time of day is a place
        ("EXT. SUNSET BOULEVARD - NIGHT", ("EXT", "SUNSET BOULEVARD", "NIGHT")),
        ("INT. DAY ROOM - NIGHT", ("INT", "DAY ROOM", "NIGHT")),
        ("INT. DAY ROOM, ALPINE GROVE", ("INT", "DAY ROOM, ALPINE GROVE", None)),  # after INT. a lone piece is a place
        ("EXT. NIGHT", ("EXT", None, "NIGHT")),
        ("DAWN AT THE JOLLY ROGER", (None, None, "DAWN AT THE JOLLY ROGER")),
        # a time behind a full stop or comma, not a dash
        ("INT. DAY.   FBI HEADQUARTERS", ("INT", "FBI HEADQUARTERS", "DAY")),
        ("INT CAB, SAME TIME", ("INT", "CAB", "SAME TIME")),
        ("INT. SAME TIME. FBI SAFEHOUSE", ("INT", "FBI SAFEHOUSE", "SAME TIME")),
        ("EXT. FIELD - LATE AFTERNOON, ESTABLISHING", ("EXT", "FIELD", "LATE AFTERNOON, ESTABLISHING")),
        ("EXT. ASTAPOVO. PLATFORM.NIGHT", ("EXT", "ASTAPOVO. PLATFORM", "NIGHT")),
        ("INT. LAURIE'S CAR. NIGHT. (MOVING)", ("INT", "LAURIE'S CAR", "NIGHT (MOVING)")),
        ("INT. NAOMI'S APARTMENT. DAY - CONTINUOUS", ("INT", "NAOMI'S APARTMENT", "DAY - CONTINUOUS")),
        ("64:ELENA'S HOUSE.EXT.NIGHT", ("EXT", "64:ELENA'S HOUSE", "NIGHT")),
        ("INT. EXT. COMMUNITY CENTER - SAME", ("INT/EXT", "COMMUNITY CENTER", "SAME")),
        # story-time labels say when in the story, not where: one place in both times
        ("INT. THE PRESENT. FBI HEADQUARTERS", ("INT", "FBI HEADQUARTERS", None)),
        ("INT. CITY MORGUE -- EXAMINATION ROOM (FLASHBACK)", ("INT", "CITY MORGUE - EXAMINATION ROOM", None)),
        ("INT. BACK TO PRESENT, CHURCH -- MOMENTS LATER", ("INT", "CHURCH", "MOMENTS LATER")),
        ("EXT. PARKING GARAGE - THE PAST -- NIGHT", ("EXT", "PARKING GARAGE", "NIGHT")),
        # ... while stops and commas that hold no time stay in the place
        ("INT. U.S. EMBASSY - DAY", ("INT", "U.S. EMBASSY", "DAY")),
        ("INT. MOTEL ROOM, LAS VEGAS - NIGHT", ("INT", "MOTEL ROOM, LAS VEGAS", "NIGHT")),
    ],
)
def test_parse_heading(heading, expected):
    assert parse_heading(heading) == expected


@pytest.mark.parametrize(
    ("time_of_day", "light"),
    [
        ("NIGHT", "night"), ("LATE AT NIGHT", "night"), ("NIGHTFALL", "night"), ("EVENING", "night"),
        ("DAY", "day"), ("MORNING (PRESENT DAY)", "day"), ("DAY - CONTINUOUS", "day"), ("DAYBREAK", "day"),
        ("CONTINUOUS", "continuous"), ("MOMENTS LATER", "continuous"), ("TWO DAYS LATER", "continuous"),
        ("SAME TIME", "continuous"), ("MAGIC HOUR", "other"), ("PRESENT", "other"), ("HOLIDAY", "other"),
        (None, None), ("", None),
    ],
)
def test_a_time_of_day_reads_as_the_light_it_sets(time_of_day, light):
    assert light_of(time_of_day) == light


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("12 INT. KITCHEN - NIGHT 12", "INT. KITCHEN - NIGHT"),
        ("INT. CORRIDOR                                   121", "INT. CORRIDOR"),
        ("INT. FBI OFFICE - DAY            15R   *", "INT. FBI OFFICE - DAY"),
        ("INT.   MANZANO'S OFFICE  - NIGHT", "INT. MANZANO'S OFFICE - NIGHT"),
        ("NIGHT                          *", "NIGHT"),
        ("INT. ROOM 101", "INT. ROOM 101"),
        ("20a INT.   BUTTLES' FLAT                     NIGHT          20a", "INT. BUTTLES' FLAT NIGHT"),
        ("104pt   EXT. STREET -- DAY", "EXT. STREET -- DAY"),  # an inserted scene's number in lower case
    ],
)
def test_a_scene_heading_reads_without_margin_numbers_revision_marks_or_space_runs(line, heading):
    screenplay = parse(f"{line}\n\nShe waits by the door.\n")
    assert screenplay.scenes[-1].heading == heading


def test_lines_that_look_like_headings_in_prose_are_not_headings():
    assert label_lines("INTO the night they ran, faster and faster.\nEXTRA large coffee.")[:2] == ["action", "action"]


# --- properties ----------------------------------------------------------------------------------

screenplay_like = st.lists(
    st.one_of(
        st.sampled_from(["", "INT. ROOM - DAY", "   EXT. SEA - NIGHT", "          JOHN", "BOB (V.O.)", "(beat)",
                         "   CUT TO:", "Writers :  A  B", "Genres :  Drama", "12.", "(CONTINUED)", "\t\tMARY",
                         "SARAH: hi there", "<b>X</b>", "He runs.", "  \u00a0 ", "\r"]),
        st.text(max_size=60),
    ),
    max_size=60,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), screenplay_like))
def test_parse_never_crashes_and_is_deterministic(text):
    first, second = parse(text), parse(text)
    assert first == second
    assert [s.number for s in first.scenes] == list(range(1, len(first.scenes) + 1))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), screenplay_like))
def test_every_non_blank_line_is_accounted_for(text):
    lines = _split_lines(text)
    labels = label_lines(text)
    assert len(labels) == len(lines)
    for line, label in zip(lines, labels):
        assert (label == "blank") == (not line.strip())
    # Every word of every line labelled as script text ends up in exactly one element, in order; a
    # dual-dialogue block gives its words column by column, less a page number in a column.
    def words(texts):
        return " ".join(texts).replace(":", " ").split()

    element_lines = [line for line, label in zip(lines, labels) if label in ELEMENT_KINDS or label == SPEECH_LABEL]
    got_words = words(e.text for e in parse(text).elements)
    if DUAL_LABEL not in labels:
        assert got_words == words(element_lines)
    else:
        with_dual = words(line for line, label in zip(lines, labels) if label in ELEMENT_KINDS + (SPEECH_LABEL, DUAL_LABEL))
        assert Counter(words(element_lines)) <= Counter(got_words) <= Counter(with_dual)



ADAPTED = """                         TRUE NORTH

                       Written by
                       Dana Whitlow

                  Based on the novel by
                     Harriet Moss

FADE IN:

EXT. ICE FIELD - DAY

Wind over the snow.

                    MARA
          Based on what? You saw nothing.
"""


def test_the_title_page_credit_for_adapted_material_is_kept_whole():
    page = parse(ADAPTED).title_page
    assert page["source"] == "Based on the novel by Harriet Moss"


@pytest.mark.parametrize("credit", ["Adapted from the stage play by Ivo Kern", "Inspired by true events"])
def test_a_credit_before_the_first_scene_counts_without_a_recognised_title_page(credit):
    # a long prose note stops the title page from being recognised; the credit is still front matter
    text = ("THE SALT ROAD\n\n" + "A note on this draft that runs well past sixty characters in one line. " * 2
            + f"\n\n{credit}\n\nEXT. ROAD - NIGHT\n\nA truck.\n")
    page = parse(text).title_page
    assert "title" not in page and page["source"] == credit


@pytest.mark.parametrize("line", ["She tears a page from the book and burns it.",
                                  "A chapel inspired by Gaudi, its towers lit.", "The novel by the bed lies open."])
def test_an_opening_action_line_that_only_mentions_a_book_is_no_credit(line):
    text = f"FADE IN:\n\n{line}\n\nEXT. CHAPEL - NIGHT\n\nRain.\n"
    assert "source" not in parse(text).title_page


def test_a_source_phrase_in_dialogue_or_after_the_first_scene_is_no_credit():
    body = ADAPTED.replace("                  Based on the novel by\n                     Harriet Moss\n", "")
    late = body + "\nEXT. CAMP - NIGHT\n\nA sign reads: BASED ON THE NOVEL BY NOBODY.\n"
    assert "source" not in parse(body).title_page
    assert "source" not in parse(late).title_page


@pytest.mark.parametrize(("text", "year"), [
    ("May 3, 1994", 1994), ("Rev. 06/20/94 (Pink)", 1994), ("5.2.00", 2000), ("16th August 1995", 1995),
    ("DRAFT 10/14/07", 2007), ("Scene 1.2.345", None), ("13/13/99", None), ("No date here", None)])
def test_date_year_reads_written_dates_with_two_and_four_digit_years(text, year):
    assert date_year(text) == year


def test_a_draft_date_outside_a_recognised_title_page_dates_the_draft():
    # a prose note too long for a title page, then a numeric date under it, as many IMSDb files open
    text = ("THE SALT ROAD\n\n" + "A note on this draft that runs well past sixty characters in one line. " * 2
            + "\n\n11/25/90\n\nEXT. ROAD - NIGHT\n\nA truck.\n")
    assert parse(text).title_page["year"] == "1990"


def test_revision_marks_date_the_draft_and_the_latest_wins():
    text = ("FADE IN:\n\nEXT. ROAD - NIGHT\n\nA truck.\n\nTHE SALT ROAD - Rev. 5/20/10 (Buff)          12.\n\n"
            "EXT. FIELD - DAY\n\nCorn.\n\nTHE SALT ROAD - Rev. 6/02/10 (Salmon)          13.\n")
    assert parse(text).title_page["year"] == "2010"
    assert parse(text.replace("6/02/10", "6/02/11")).title_page["year"] == "2011"


@pytest.mark.parametrize("before", ["", "Café Noir, nearly empty.\n\n",
                                    "A neon sign flickers: " + "İ" * 80 + "\n\n"])
@pytest.mark.parametrize("mark", ["REVISED DRAFT 6/4/08", "revision 6/4/08", "Draft - 6/4/08"])
def test_a_revision_mark_is_found_on_any_line_whatever_the_letters_before_it(before, mark):
    # the marks are found in the lowered text; a letter that lowers into two ('İ') shifts its offsets
    text = ("FADE IN:\n\nEXT. ROAD - NIGHT\n\n" + before + "A truck.\n\n"
            + f"THE SALT ROAD - {mark}          12.\n\nEXT. FIELD - DAY\n\nA letter dated 1/2/19 lies open.\n")
    assert parse(text).title_page["year"] == "2008"


@pytest.mark.parametrize("line", ["A tattoo reads 10-31-18 on his shoulder.", "Born 3/19/68, the file says."])
def test_a_date_inside_the_story_is_no_draft_date(line):
    text = f"FADE IN:\n\nEXT. ROAD - NIGHT\n\n{line}\n\nEXT. FIELD - DAY\n\nCorn.\n"
    assert "year" not in parse(text).title_page


@pytest.mark.parametrize("caption", ["SUPER: NORMANDY, JUNE 6, 1944", "TITLE CARD: London, May 1940"])
def test_a_caption_before_the_first_scene_is_no_draft_date(caption):
    text = f"FADE IN:\n\n{caption}\n\nEXT. BEACH - DAWN\n\nLanding craft.\n"
    assert "year" not in parse(text).title_page


def test_a_transcribers_note_is_no_draft_date():
    text = "THE SALT ROAD\n\nScanned in by a fan on Dec 28, 1996\n\nEXT. ROAD - NIGHT\n\nA truck.\n"
    assert "year" not in parse(text).title_page


def test_the_title_pages_own_year_wins_over_later_revision_marks(lighthouse):
    assert lighthouse.title_page["year"] == "1994"
