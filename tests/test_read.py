"""Readers: batches, decoding, cleaning, rejects, duplicates and uploads (txt/HTML/PDF/FDX/Fountain)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelcast import features
from reelcast.read import (
    RawScript,
    UnreadableScript,
    clean_text,
    decode,
    iter_raw_scripts,
    list_batches,
    pick_best,
    read_document,
    read_pdf_text,
    read_text,
    reject_reason,
    title_key,
)

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
LIGHTHOUSE = (SCRIPTS / "lighthouse.txt").read_bytes()
PLACEHOLDER = (SCRIPTS / "placeholder.txt").read_bytes()


def make_batch(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:xz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"scripts/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def raw(source: str, data: bytes) -> RawScript:
    return RawScript(source=source, title=Path(source).stem, batch="b", data=data, sha256="x")


# --- batches ---------------------------------------------------------------------------------

def test_iter_raw_scripts_streams_archives_and_folders_in_stable_order(tmp_path):
    make_batch(tmp_path / "batch-001.tar.xz", {"Lighthouse, The.txt": LIGHTHOUSE, "Kate & Leo.txt": PLACEHOLDER})
    (tmp_path / "batch-002").mkdir()
    (tmp_path / "batch-002" / "Orchard.txt").write_bytes(b"INT. ORCHARD - DAY\n")
    scripts = list(iter_raw_scripts(tmp_path))
    assert [s.source for s in scripts] == [
        "batch-001.tar.xz:scripts/Lighthouse, The.txt",
        "batch-001.tar.xz:scripts/Kate & Leo.txt",
        "batch-002/Orchard.txt",
    ]
    assert [s.title for s in scripts] == ["Lighthouse, The", "Kate & Leo", "Orchard"]
    assert scripts[0].data == LIGHTHOUSE and scripts[2].batch == "batch-002"
    assert [s.source for s in iter_raw_scripts(tmp_path)] == [s.source for s in scripts]
    assert not any(p.suffix == ".txt" for p in tmp_path.iterdir())  # nothing extracted to disk


def test_iter_raw_scripts_can_limit_to_named_batches(tmp_path):
    make_batch(tmp_path / "batch-001.tar.xz", {"A.txt": b"a"})
    make_batch(tmp_path / "batch-002.tar.xz", {"B.txt": b"b"})
    assert [s.title for s in iter_raw_scripts(tmp_path, batches=["batch-002.tar.xz"])] == ["B"]


def test_list_batches_fingerprint_changes_only_with_content(tmp_path):
    make_batch(tmp_path / "batch-001.tar.xz", {"A.txt": b"one"})
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "B.txt").write_bytes(b"two")
    first = list_batches(tmp_path)
    assert [name for name, _ in first] == ["batch-001.tar.xz", "extra"]
    assert list_batches(tmp_path) == first
    (folder / "C.txt").write_bytes(b"three")
    second = dict(list_batches(tmp_path))
    assert second["batch-001.tar.xz"] == dict(first)["batch-001.tar.xz"]
    assert second["extra"] != dict(first)["extra"]


def test_list_batches_of_missing_folder_is_empty(tmp_path):
    assert list_batches(tmp_path / "nope") == []


# --- decoding and cleaning -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Caf\u00e9 \u2014 ok".encode("utf-8"), "Caf\u00e9 \u2014 ok"),
        (b"\xef\xbb\xbfFADE IN:", "FADE IN:"),
        (b"\x93Hello\x94 she said", "\u201cHello\u201d she said"),  # cp1252 smart quotes
        (b"caf\xe9 \x81", "caf\u00e9 \x81"),  # 0x81 is undefined in cp1252 → latin-1
    ],
)
def test_decode(data, expected):
    assert decode(data) == expected


@given(st.binary(max_size=500))
def test_decode_never_raises(data):
    assert isinstance(decode(data), str)


def test_clean_text_normalises_line_endings_spaces_and_tabs():
    text, kind = clean_text("A\r\r\nB\r\nC\rD\n\tE\u00a0F")
    assert kind == "text"
    assert text.split("\n") == ["A", "B", "C", "D", "        E F"]


@pytest.mark.parametrize(("garbled", "meant"), [
    ("I don\x92t know.", "I don’t know."),                        # Windows bytes read as Latin-1
    ("CITY HALL \x96 MORNING", "CITY HALL – MORNING"),
    ("The sign reads \xe2\x80\x9cMILK.\xe2\x80\x9d", "The sign reads “MILK.”"),  # UTF-8 bytes read as Latin-1
    ("a \x9dstray byte", "a stray byte"),                          # unassigned in Windows-1252
    ("CAF\xc3\x89", "CAFÉ"),
    ("caf\xc3\xa9 and café", "caf\xc3\xa9 and café"),                # no control character: left alone
])
def test_clean_text_repairs_punctuation_read_through_the_wrong_code_page(garbled, meant):
    assert clean_text(garbled)[0] == meant


def test_a_garbled_apostrophe_keeps_a_contraction_whole():
    garbled = read_text(LIGHTHOUSE.decode().replace("radio's", "radio\x92s"))
    assert "Maggie? The radio’s gone dead too!" in [e.text for e in garbled.elements if e.kind == "dialogue"]
    assert features.tokenize(features.document_text(garbled)) == features.tokenize(features.document_text(read_text(LIGHTHOUSE.decode())))


def test_clean_text_strips_html_but_keeps_layout():
    source = (SCRIPTS.parent / "labeled" / "html_bold.txt").read_text()
    lines = [row.partition("|")[2] for row in source.split("\n")[:-1]]
    text, kind = clean_text("\n".join(lines))
    out = text.split("\n")
    assert kind == "html"
    assert len(out) == len(lines)  # removed blocks keep their newlines
    assert "window" not in text and "<" not in text
    assert "Lin Harper & Tomas Vey" in text
    assert out[10] == "          EXT. NIGHT MARKET - HONG KONG - NIGHT"
    assert out[15] == "                              MEI"


def test_clean_text_restores_a_script_flattened_onto_one_line():
    flat = ("   TITLE" + "        INT. ROOM - DAY" + "        Action line here." + "                    BOB"
            + "          Hi there.") * 40
    text, _ = clean_text(flat)
    lines = text.split("\n")
    assert "        INT. ROOM - DAY" in lines and "                    BOB" in lines


def test_double_spaced_text_reads_as_the_script_it_came_from():
    """A '\\r\\r\\n' file read as two breaks per line: every line gets a blank one after it."""
    original = decode(LIGHTHOUSE).replace("\r\n", "\n")
    doubled = original.replace("\n", "\n\n")
    assert clean_text(doubled)[0] == clean_text(original)[0]
    single, twice = read_text(original), read_text(doubled)
    assert [s.heading for s in twice.scenes] == [s.heading for s in single.scenes]
    assert [(e.kind, e.text) for e in twice.elements] == [(e.kind, e.text) for e in single.elements]


def test_blank_lines_between_elements_are_not_mistaken_for_double_spacing():
    # cues apart from their speech and runs of one or two blank lines: a layout, not double spacing
    body = "".join(f"INT. ROOM {i} - DAY\n\nShe waits.\n\n\nBOB\n\nHello {i}.\n\n" for i in range(40))
    assert clean_text(body)[0] == body


# --- rejects and duplicates ------------------------------------------------------------------

def test_real_script_is_not_rejected():
    assert reject_reason(clean_text(decode(LIGHTHOUSE))[0]) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        (decode(PLACEHOLDER), "placeholder"),
        ("Speed\nWriters :   Graham Y\nGenres :   Action\nUser Comments\n\nBack to IMSDb\n", "placeholder"),
        ("INT. ROOM - DAY\n\nShort.\n", "placeholder"),
        ("It was a dark and stormy night, and the rain fell in torrents. " * 40, "not a screenplay"),
    ],
)
def test_reject_reason(text, fragment):
    reason = reject_reason(clean_text(text)[0])
    assert reason is not None and fragment in reason


def test_title_key_matches_imsdb_spellings():
    assert title_key("Kate-&-Leopold") == title_key("Kate & Leopold") == "kate & leopold"
    assert title_key("Abyss, The") != title_key("Abyss")


def test_pick_best_prefers_real_script_over_placeholder():
    placeholder, script = raw("b:Kate & Leo.txt", PLACEHOLDER), raw("b:Kate-&-Leo.txt", LIGHTHOUSE)
    keep, reasons = pick_best([placeholder, script])
    assert keep is script
    assert len(reasons) == 1 and "placeholder" in reasons[0] and "b:Kate & Leo.txt" in reasons[0]


def test_pick_best_prefers_longer_of_two_real_scripts_and_is_order_free():
    short, long = raw("b:A.txt", LIGHTHOUSE), raw("b:A2.txt", LIGHTHOUSE + b"\n          More action here.\n")
    assert pick_best([short, long])[0] is long
    assert pick_best([long, short])[0] is long
    assert "longer" in pick_best([short, long])[1][0]


def test_pick_best_needs_candidates():
    with pytest.raises(ValueError):
        pick_best([])


# --- uploads -----------------------------------------------------------------------------------

def test_read_document_txt_and_latin1():
    screenplay = read_document("lighthouse.txt", LIGHTHOUSE)
    assert screenplay.source_format == "text" and len(screenplay.scenes) == 7
    latin = read_document("x.txt", "INT. CAF\u00c9 - DAY\n\nJos\u00e9 waits.\n".encode("latin-1"))
    assert latin.scenes[0].location == "CAF\u00c9"


def test_read_document_html():
    source = (SCRIPTS.parent / "labeled" / "html_bold.txt").read_text()
    html_bytes = "\n".join(row.partition("|")[2] for row in source.split("\n")).encode()
    screenplay = read_document("night.html", html_bytes)
    assert screenplay.source_format == "html"
    assert [s.heading for s in screenplay.scenes if s.heading] == [
        "EXT. NIGHT MARKET - HONG KONG - NIGHT", "INT. NOODLE SHOP - KITCHEN - CONTINUOUS"]
    assert screenplay.scenes[0].characters == ["MEI", "VOICE"]


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF file of these numbered objects (1 is the catalogue), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Courier, one line per 12 points)."""
    ops = ["BT /F1 10 Tf 12 TL 40 760 Td"] + [
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines
    ] + ["ET"]
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
    ]
    return pdf_file(objects)


def test_read_document_pdf_with_text_layer():
    pdf = make_pdf(["INT. ARCHIVE - NIGHT", "", "Iris opens the box.", "", "                    IRIS",
                    "          It was here all along.", "", "EXT. STREET - DAY", "", "Rain."])
    screenplay = read_document("archive.pdf", pdf)
    assert screenplay.source_format == "pdf"
    assert [s.int_ext for s in screenplay.scenes] == ["INT", "EXT"]
    assert "Iris opens the box." in " ".join(e.text for e in screenplay.elements)


def make_typeset_pdf(pages: list[list[str]], font: str = "Courier") -> bytes:
    """A PDF typeset as a screenplay program does it: every written line placed at its own x and y
    (12-point Courier, 7.2 points a character, 12 points a line); blank lines are only space."""
    def page_stream(lines: list[str]) -> bytes:
        ops = [f"BT /F1 12 Tf {72 + 7.2 * (len(line) - len(line.lstrip())):.1f} {740 - 12 * row} Td "
               "(" + line.strip().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj ET"
               for row, line in enumerate(lines) if line.strip()]
        return "\n".join(ops).encode("latin-1")

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /" + font.encode() + b" >>"]
    kids = []
    for lines in pages:
        stream = page_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    return pdf_file(objects)


def _typed_script(scenes: int = 24) -> str:
    """A typed script: action at the margin, speeches at column 18, cues centred on column 41 (older
    scripts centre them, so a cue's indent varies with its name's length)."""
    names = ["Mattie", "Rooster", "Lucky Ned", "Mrs. Floyd", "Ned", "Tom"]
    lines = []
    for n in range(scenes):
        lines += [f"INT. ROOM {n + 1} - NIGHT", "", "A lamp burns low. Somebody waits by the door.", ""]
        for k in range(4):
            name = names[(n + k) % len(names)]
            lines += [" " * (41 - len(name) // 2) + name,
                      " " * 18 + "I have a thing to say and I will say it now,",
                      " " * 18 + "before the light goes.", ""]
    return "\n".join(lines)


def _pages(text: str, rows: int = 50) -> list[list[str]]:
    lines = text.split("\n")
    return [lines[i:i + rows] for i in range(0, len(lines), rows)]


def test_a_typeset_courier_pdf_keeps_its_columns():
    """pypdf's layout mode widens every gap by a quarter unless the page is monospaced: a speech at
    column 18 came back at 22 and a centred cue at 38 at 47, beyond the cue column the parser reads."""
    text = _typed_script()
    extracted = read_pdf_text(make_typeset_pdf(_pages(text)))
    indent = lambda line: len(line) - len(line.lstrip())
    source = {line.strip(): indent(line) for line in text.split("\n") if line.strip()}
    for line in extracted.split("\n"):
        if line.strip() in source:
            assert abs(indent(line) - source[line.strip()]) <= 1, (line, source[line.strip()])


def test_a_typeset_pdf_reads_like_its_text():
    text = _typed_script()
    from_pdf, from_text = read_document("typed.pdf", make_typeset_pdf(_pages(text))), read_text(text)
    kinds = lambda sp: [(e.kind, e.character, e.text) for e in sp.elements]
    assert from_pdf.source_format == "pdf" and len(from_text.scenes) == 24
    assert kinds(from_pdf) == kinds(from_text)


def test_read_document_pdf_without_text_layer_says_what_to_do():
    with pytest.raises(UnreadableScript, match="no text layer"):
        read_document("scan.pdf", make_pdf([]))


def test_read_document_broken_pdf():
    with pytest.raises(UnreadableScript, match="PDF"):
        read_document("bad.pdf", b"%PDF-1.4\nthis is not really a pdf")


def test_read_document_fdx():
    screenplay = read_document("archive.fdx", (SCRIPTS / "sample.fdx").read_bytes())
    assert screenplay.source_format == "fdx"
    assert screenplay.title == "THE ARCHIVIST" and screenplay.writers == ["Sam Oduya"]
    assert screenplay.title_page["year"] == "2021"
    assert screenplay.title_page["source"] == "Based on the memoir by Lena Ortiz"
    first = screenplay.scenes[0]
    assert [e.kind for e in first.elements] == ["heading", "action", "cue", "parenthetical", "dialogue", "transition"]
    cue = first.elements[2]
    assert (cue.character, cue.extension) == ("IRIS", "V.O.")
    assert first.elements[1].text == "Dust motes in a flashlight beam. IRIS pulls a box from the shelf."
    assert screenplay.scenes[1].characters == ["GUARD", "IRIS"]


def test_fdx_dual_dialogue_is_two_speeches():
    """Two characters speaking at once: in Final Draft's `<Paragraph><DualDialogue>` wrapper and in a
    bare `<DualDialogue>`, each cue keeps its own lines."""
    steps = read_document("archive.fdx", (SCRIPTS / "sample.fdx").read_bytes()).scenes[1].elements
    speeches = [(e.kind, e.character, e.text) for e in steps[3:]]
    assert speeches == [
        ("cue", "IRIS", "IRIS"), ("dialogue", "IRIS", "Watch me."),
        ("cue", "GUARD", "GUARD"), ("dialogue", "GUARD", "Put it back."),
        ("cue", "IRIS", "IRIS"), ("dialogue", "IRIS", "No."),
        ("cue", "GUARD", "GUARD (O.S.)"), ("parenthetical", "GUARD", "(shouting)"), ("dialogue", "GUARD", "Stop!"),
    ]


@pytest.mark.parametrize(("name", "dated", "two_digit"), [
    ("archive.fdx", b"First Draft, March 3, 2021", b"First Draft 06/20/94"),
    ("orchard.fountain", b"Draft date: June 12, 2019", b"Draft date: 6.20.94"),
])
def test_a_two_digit_draft_date_dates_a_formatted_title_page(name, dated, two_digit):
    data = (SCRIPTS / f"sample{Path(name).suffix}").read_bytes()
    assert dated in data
    assert read_document(name, data.replace(dated, two_digit)).title_page["year"] == "1994"
    undated = read_document(name, data.replace(dated, b"First Draft"))
    assert "year" not in undated.title_page


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&lol9;</Text></Paragraph></Content></FinalDraft>"""


def test_fdx_entity_bomb_is_refused():
    with pytest.raises(UnreadableScript, match="entities"):
        read_document("bomb.fdx", BILLION_LAUGHS)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"<FinalDraft><Content>", "not valid XML"), (b"<html><body>hi</body></html>", "not a Final Draft")],
)
def test_fdx_invalid_input(data, fragment):
    with pytest.raises(UnreadableScript, match=fragment):
        read_document("x.fdx", data)


def test_read_document_fountain():
    screenplay = read_document("orchard.fountain", (SCRIPTS / "sample.fountain").read_bytes())
    assert screenplay.source_format == "fountain"
    assert screenplay.title == "The Orchard"
    assert screenplay.writers == ["Priya Nand", "Joel Amsel"]
    assert screenplay.title_page["draft_date"] == "June 12, 2019"
    assert screenplay.title_page["source"] == "Based on the novel by Tove Hale"
    assert [s.heading for s in screenplay.scenes] == ["EXT. ORCHARD - DAY", "THE CELLAR", "INT. KITCHEN - NIGHT"]
    texts = " ".join(e.text for e in screenplay.elements)
    assert "BARN" not in texts and "autumn" not in texts  # boneyard and notes are dropped
    orchard = screenplay.scenes[0]
    assert orchard.characters == ["NORA", "MCCLANE"]
    assert [e.kind for e in orchard.elements[2:5]] == ["cue", "parenthetical", "dialogue"]
    assert screenplay.scenes[1].characters == ["BEN"]  # dual-dialogue caret stripped
    last = screenplay.scenes[1].elements[-1]
    assert (last.kind, last.text) == ("transition", "CUT TO:")


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("x.txt", b"", "empty"),
        ("x.txt", b"   \n\n ", "empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("script.docx", b"PK\x03\x04 whatever", "export"),
    ],
)
def test_read_document_rejects_unreadable_input_with_advice(name, data, fragment):
    with pytest.raises(UnreadableScript, match=fragment) as error:
        read_document(name, data)
    assert ".txt" in str(error.value) or "text" in str(error.value)


def test_read_text():
    assert read_text(LIGHTHOUSE.decode()).scenes[2].characters == ["MARGARET", "TOMAS"]
    with pytest.raises(UnreadableScript):
        read_text("  \n ")


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_read_document_only_ever_raises_unreadable_script(data):
    for name in ("x.txt", "x.fdx", "x.fountain", "x.pdf"):
        try:
            read_document(name, data)
        except UnreadableScript:
            pass
