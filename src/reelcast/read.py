"""Bytes → clean screenplay text, and files → scripts.

Two jobs, one module:
- the corpus: stream IMSDb batches (`*.tar.xz`, or plain folders of `.txt`) without extracting
  them, decode, clean, reject placeholders and pick one version of duplicated titles;
- uploads: `read_document` turns a .txt/.html/.pdf/.fdx/.fountain upload into a `Screenplay`,
  the same way for the CLI and the HTTP API.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reelcast.screenplay import (
    Element,
    Screenplay,
    build_screenplay,
    draft_year,
    label_lines,
    normalise_character,
    parse,
    parse_title_page,
)


class UnreadableScript(ValueError):
    """The input cannot be read as a screenplay; the message says what is wrong and what to do."""


@dataclass
class RawScript:
    """One screenplay file as found in the corpus, before decoding."""

    source: str   # stable id: 'batch-001.tar.xz:scripts/Abyss, The.txt' or 'batch-002/Abyss, The.txt'
    title: str    # the file stem, i.e. the IMSDb title ('Abyss, The')
    batch: str    # 'batch-001.tar.xz' or the folder name
    data: bytes
    sha256: str


# --- corpus: batches --------------------------------------------------------------------------

def list_batches(scripts_dir: Path) -> list[tuple[str, str]]:
    """(batch name, fingerprint) for every `*.tar.xz` and sub-folder, sorted by name.

    The fingerprint is the archive's sha256, or for a folder the sha256 of its sorted
    (name, size, mtime) listing, so the dataset can skip batches it has already processed.
    """
    scripts_dir = Path(scripts_dir)
    batches = []
    for path in sorted(scripts_dir.iterdir()) if scripts_dir.is_dir() else []:
        if path.is_file() and path.name.endswith(".tar.xz"):
            batches.append((path.name, file_sha256(path)))
        elif path.is_dir():
            batches.append((path.name, _folder_fingerprint(path)))
    return batches


def iter_raw_scripts(scripts_dir: Path, batches: list[str] | None = None) -> Iterator[RawScript]:
    """Every script of every batch (or of the named ones), archives streamed member by member."""
    scripts_dir = Path(scripts_dir)
    for name, _ in list_batches(scripts_dir):
        if batches is not None and name not in batches:
            continue
        path = scripts_dir / name
        yield from (_iter_archive(path) if path.is_file() else _iter_folder(path))


def _iter_archive(path: Path) -> Iterator[RawScript]:
    # Members are read in archive order, which is fixed for a given file: deterministic.
    with tarfile.open(path, mode="r:xz") as archive:
        for member in archive:
            if not (member.isfile() and member.name.lower().endswith(".txt")):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            yield _raw(f"{path.name}:{member.name}", Path(member.name).stem, path.name, data)


def _iter_folder(folder: Path) -> Iterator[RawScript]:
    for path in sorted(folder.rglob("*.txt")):
        data = path.read_bytes()
        yield _raw(f"{folder.name}/{path.relative_to(folder).as_posix()}", path.stem, folder.name, data)


def _raw(source: str, title: str, batch: str, data: bytes) -> RawScript:
    return RawScript(source=source, title=title, batch=batch, data=data, sha256=hashlib.sha256(data).hexdigest())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _folder_fingerprint(folder: Path) -> str:
    listing = sorted(
        f"{p.relative_to(folder).as_posix()}\t{p.stat().st_size}\t{p.stat().st_mtime_ns}" for p in folder.rglob("*.txt")
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()


# --- bytes → text -------------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Windows editors' "Unicode" text


def decode(data: bytes) -> str:
    """UTF-16 with a BOM, else UTF-8 (BOM allowed), else cp1252, else latin-1 (which accepts every byte). Never raises."""
    encodings = ("utf-16", "utf-8-sig", "cp1252") if data.startswith(_UTF16_BOMS) else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_HTML_SIGN = re.compile(r"<\s*/?\s*(?:b|i|u|html|head|body|pre|br|p|font|script|style|title|div|span|a)\b[^>]*>|<!--", re.I)
_HTML_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_HTML_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LONG_RUN = re.compile(r"(?<=\S) {6,}(?=\S)")  # a run of spaces that used to be a newline plus indentation


# C1 control characters (U+0080–U+009F) never belong in a script: they are punctuation that went
# through the wrong code page on its way to IMSDb. 54 of the 286 corpus files carry them, as Windows
# bytes read as Latin-1 ('don\x92t' for don’t, 'CITY HALL \x96 MORNING') or UTF-8 bytes read as
# Latin-1 ('â\x80\x9cMILK' for “MILK”). Left alone, the tokenizer cut 'don\x92t' into 'don' and 't'.
_C1_CHARACTERS = "".join(map(chr, range(0x80, 0xA0)))
_C1_CONTROL = re.compile(f"[{_C1_CHARACTERS}]")
_UTF8_READ_AS_LATIN1 = re.compile("[\xc2-\xf4][\x80-\xbf]{1,3}")


def _repair_mojibake(text: str) -> str:
    """UTF-8 sequences read as Latin-1 decoded again, then the remaining C1 characters read as the
    Windows-1252 punctuation they were (its five unassigned bytes dropped)."""
    text = _UTF8_READ_AS_LATIN1.sub(_as_utf8, text)
    return _C1_CONTROL.sub(lambda m: m.group(0).encode("latin-1").decode("cp1252", errors="ignore"), text)


def _as_utf8(match: re.Match) -> str:
    chars = match.group(0)
    if not _C1_CONTROL.search(chars):  # 'Ã©' may be a real word's letters; only a control character is sure
        return chars
    try:
        return chars.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return chars


def clean_text(text: str) -> tuple[str, str]:
    """Normalise line endings, spaces and HTML, keeping the line layout the parser relies on.

    Returns (text, 'html' | 'text').
    """
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    # 32 substring scans take ~0.3 ms on a 250 kB script where a regex character class takes ~3 ms
    if not text.isascii() and any(c in text for c in _C1_CHARACTERS):
        text = _repair_mojibake(text)
    detected = "html" if _HTML_SIGN.search(text) else "text"
    if detected == "html":
        text = _strip_html(text)
    lines = text.split("\n")
    if "\t" in text:
        lines = [line.expandtabs(8) for line in lines]
    lines = [line.rstrip() for line in lines]
    lines = [line if len(line) < _FLATTENED_LINE else _restore_flattened_line(line) for line in lines]
    if _double_spaced(lines):
        lines = _single_spaced(lines)
    return "\n".join(lines), detected


# Double-spaced text: every line followed by a blank one, as when a '\r\r\n' file is read as two line
# breaks or some copy-pastes do it. The parser reads a cue and its speech only when they touch, so such
# text loses its dialogue and doubles its page count. It is told from a script that simply puts blank
# lines between elements by two signs: almost no two written lines touch, and nearly every run of blank
# lines is odd (k blank lines became 2k + 1).
_DOUBLE_SPACED_MIN_LINES = 50
_DOUBLE_SPACED_MAX_TOUCHING = 0.02
_DOUBLE_SPACED_MIN_ODD_RUNS = 0.95


def _blank_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, length) of every run of blank lines."""
    runs, start = [], None
    for i, line in enumerate([*lines, "end"]):
        if not line and start is None:
            start = i
        elif line and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def _double_spaced(lines: list[str]) -> bool:
    written = sum(1 for line in lines if line)
    if written < _DOUBLE_SPACED_MIN_LINES:
        return False
    touching = sum(1 for line, after in zip(lines, lines[1:]) if line and after)
    if touching >= _DOUBLE_SPACED_MAX_TOUCHING * written:  # nearly every script stops here, before the runs
        return False
    inner = [length for start, length in _blank_runs(lines) if 0 < start and start + length < len(lines)]
    return sum(1 for length in inner if length % 2) >= _DOUBLE_SPACED_MIN_ODD_RUNS * max(len(inner), 1)


def _single_spaced(lines: list[str]) -> list[str]:
    """Each inner run of 2k + 1 blank lines back to k; a run at either end (2k there) back to k."""
    out, previous_end = [], 0
    for start, length in _blank_runs(lines):
        at_edge = start == 0 or start + length == len(lines)
        out += lines[previous_end:start] + [""] * (length // 2 if at_edge else (length - 1) // 2)
        previous_end = start + length
    return out + lines[previous_end:]


def _strip_html(text: str) -> str:
    # Removed blocks keep their newlines so the line numbers of everything after them stay true.
    text = _HTML_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text).replace("\u00a0", " ")


_FLATTENED_LINE = 2000  # characters: no screenplay line is this long unless its newlines were lost


def _restore_flattened_line(line: str) -> str:
    """Some scrapes lost their newlines: a whole script on one line (over _FLATTENED_LINE characters),
    each old line still indented.

    Split such a line at every long run of spaces, keeping the run as the new line's indentation.
    """
    if line.count("      ") < 20:
        return line
    return _LONG_RUN.sub(lambda run: "\n" + run.group(0), line)


# --- rejects and duplicates ---------------------------------------------------------------------

_MIN_SCRIPT_CHARS = 1000  # IMSDb placeholders are a few hundred bytes; real scripts tens of thousands
_MIN_STRUCTURE_LINES = 5


def reject_reason(text: str) -> str | None:
    """Why this cleaned text is not a usable screenplay (placeholder, prose, empty), or None."""
    labels = label_lines(text)
    lines = text.split("\n")
    body = [line for line, label in zip(lines, labels) if label not in ("blank", "footer")]
    body_chars = sum(len(line.strip()) for line in body)
    if not text.strip():
        return "empty file"
    if body_chars == 0:
        return "placeholder: only the IMSDb footer, no script text"
    if body_chars < _MIN_SCRIPT_CHARS:
        return f"placeholder: only {body_chars} characters of script text (a screenplay has tens of thousands)"
    structure = _structure_lines(labels)
    if structure < _MIN_STRUCTURE_LINES:
        return f"not a screenplay: {body_chars} characters of prose with no scene headings, character cues or transitions"
    return None


def _structure_lines(labels: list[str]) -> int:
    return sum(1 for label in labels if label in ("heading", "cue", "transition"))


def _structure_elements(screenplay: Screenplay) -> int:
    """`_structure_lines` for an already parsed script (labelling the text again would double the cost)."""
    headings = sum(1 for scene in screenplay.scenes if scene.heading)
    return headings + sum(1 for e in screenplay.elements if e.kind in ("cue", "transition"))


def title_key(title: str) -> str:
    """Key under which two file names are the same IMSDb title ('Kate-&-Leopold' == 'Kate & Leopold')."""
    return " ".join(re.sub(r"[-_]+", " ", title).lower().split())


def pick_best(candidates: list[RawScript]) -> tuple[RawScript, list[str]]:
    """Of several files with the same title, keep the real script (else the longest); say why."""
    if not candidates:
        raise ValueError("pick_best needs at least one candidate")
    scored = []
    for raw in candidates:
        text, _ = clean_text(decode(raw.data))
        reason = reject_reason(text)
        scored.append((reason is None, len(text.strip()), raw.source, raw, reason))
    # Sort by (usable, length) descending; source breaks ties so the choice is deterministic.
    scored.sort(key=lambda s: (not s[0], -s[1], s[2]))
    keep = scored[0][3]
    reasons = [
        f"kept {keep.source} over {raw.source}: " + (f"the other is rejected ({reason})" if reason else "it is longer")
        for _, _, _, raw, reason in scored[1:]
    ]
    return keep, reasons


# --- uploads --------------------------------------------------------------------------------------

_FORMATS_HINT = "upload a .txt, .pdf (with a text layer), .fdx (Final Draft) or .fountain file, or paste the text"


def read_text(text: str) -> Screenplay:
    """Pasted text → `Screenplay` (same cleaning as the corpus); prose is read, with a warning."""
    if not isinstance(text, str) or not text.strip():
        raise UnreadableScript(f"the text is empty — {_FORMATS_HINT}")
    if _looks_binary([ord(char) for char in text[:4096]]):
        raise UnreadableScript(f"the text holds binary data (NUL or control characters), not a script — {_FORMATS_HINT}")
    cleaned, detected = clean_text(text)
    screenplay = _require_content(parse(cleaned, source_format=detected))
    structure = _structure_elements(screenplay)
    if structure < _MIN_STRUCTURE_LINES:
        screenplay.warnings.append(
            f"this reads like prose or a fragment, not a screenplay: only {structure} scene headings, character "
            "cues or transitions — a forecast for it means little; send the script itself"
        )
    return screenplay


def read_document(filename: str, data: bytes) -> Screenplay:
    """An uploaded file → `Screenplay`, by extension first and content sniffing second."""
    if not data or not data.strip():
        raise UnreadableScript(f"the file {filename!r} is empty — {_FORMATS_HINT}")
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _require_content(read_pdf(data))
    if suffix == ".fdx" or (suffix in ("", ".xml") and b"<FinalDraft" in data[:2000]):
        return _require_content(read_fdx(data))
    if suffix in (".docx", ".doc", ".odt", ".pages", ".rtf"):
        raise UnreadableScript(f"{suffix} word-processor files are not supported — export as PDF or text, or {_FORMATS_HINT}")
    if not data.startswith(_UTF16_BOMS) and _looks_binary(data):
        raise UnreadableScript(f"the file {filename!r} looks binary (an image, archive or word file?), not text — {_FORMATS_HINT}")
    text = decode(data)
    if suffix == ".fountain":
        return _require_content(read_fountain(text))
    return read_text(text)


def _looks_binary(codes: bytes | list[int]) -> bool:
    """NUL, or more than 5% control characters, in the first 4 KB (bytes, or a text's code points)."""
    sample = codes[:4096]
    if 0 in sample:
        return True
    control = sum(1 for code in sample if code < 32 and code not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _require_content(screenplay: Screenplay) -> Screenplay:
    if not screenplay.elements:
        raise UnreadableScript(f"no screenplay text found (no scenes, action or dialogue) — {_FORMATS_HINT}")
    return screenplay


def read_pdf(data: bytes) -> Screenplay:
    """PDF text layer → `Screenplay`."""
    return parse(read_pdf_text(data), source_format="pdf")


def read_pdf_text(data: bytes) -> str:
    """A PDF's text layer as cleaned text; layout-mode extraction keeps the indentation cues rely on."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [_page_text(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableScript(f"this PDF cannot be read ({error}) — {_FORMATS_HINT}") from error
    text = "\n".join(pages)
    if len(text.strip()) < 20:
        raise UnreadableScript(
            "this PDF has no text layer (scanned?) — export it with text or upload .txt/.fdx/.fountain"
        )
    return clean_text(text)[0]


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout", layout_mode_scale_weight=_layout_scale(page)) or ""
    except Exception:  # pypdf's layout mode fails on some fonts; plain mode still gives the words
        return page.extract_text() or ""


def _layout_scale(page) -> float:
    """pypdf's layout mode widens every column by 1.25 so that proportional fonts do not run together;
    on a page set in Courier (nearly every screenplay) that stretches the gap between the action, speech
    and cue columns by a quarter, and centred cues spill past the cue column. Courier needs none."""
    try:
        fonts = page["/Resources"]["/Font"]
        names = [str(fonts[key].get_object().get("/BaseFont", "")) for key in fonts]
    except (KeyError, TypeError, AttributeError):
        return 1.25
    return 1.0 if names and all("courier" in n.lower() or "mono" in n.lower() for n in names) else 1.25


# --- Final Draft (.fdx) -----------------------------------------------------------------------------

_FDX_KINDS = {
    "Scene Heading": "heading",
    "Action": "action",
    "General": "action",
    "Shot": "heading",
    "Character": "cue",
    "Parenthetical": "parenthetical",
    "Dialogue": "dialogue",
    "Transition": "transition",
}


def read_fdx(data: bytes) -> Screenplay:
    """Final Draft XML → `Screenplay`, parsed with defusedxml (no entity expansion, no external fetches)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UnreadableScript(
            "this .fdx declares XML entities, which are refused for safety — re-export it from Final Draft"
        ) from error
    except ParseError as error:
        raise UnreadableScript(f"this .fdx is not valid XML ({error}) — re-export it from Final Draft or {_FORMATS_HINT}") from error
    content = root.find("Content")
    if root.tag != "FinalDraft" or content is None:
        raise UnreadableScript(f"this XML is not a Final Draft document (no <FinalDraft><Content>) — {_FORMATS_HINT}")
    elements = _fdx_elements(content)
    title_lines = [_fdx_text(p) for p in root.iterfind("TitlePage/Content/Paragraph")]
    title_page = _dated_title_page([line for line in title_lines if line])
    screenplay = build_screenplay(elements, title=title_page.get("title"), title_page=title_page, source_format="fdx")
    screenplay.writers = [w for w in re.split(r"\s*(?:,|&|\band\b)\s*", title_page.get("written_by", "")) if w]
    return screenplay


def _fdx_elements(content) -> list[Element]:
    elements = []
    character = extension = None
    for number, paragraph in enumerate(_fdx_paragraphs(content), start=1):
        kind = _FDX_KINDS.get(paragraph.get("Type", ""), "action")
        text = _fdx_text(paragraph)
        if not text:
            continue
        if kind == "cue":
            character, extension = normalise_character(text)
        elif kind in ("heading", "action", "transition"):
            character = None
        speaker = character if kind in ("cue", "parenthetical", "dialogue") else None
        elements.append(Element(kind, text, number, speaker, extension if kind == "cue" else None))
    return elements


def _fdx_paragraphs(content):
    """The body's paragraphs in order, with each dual-dialogue block's speeches one after the other.
    Final Draft wraps two characters speaking at once in `<Paragraph><DualDialogue>`; other writers
    put `<DualDialogue>` straight into the body. Read as one paragraph, the wrapper's cues and lines
    became one action paragraph ('BOB Hi. ALICE Hello.'); skipped, they were lost."""
    for child in content:
        dual = child if child.tag == "DualDialogue" else child.find("DualDialogue") if child.tag == "Paragraph" else None
        if dual is not None:
            yield from dual.iterfind("Paragraph")
        elif child.tag == "Paragraph":
            yield child


def _fdx_text(paragraph) -> str:
    return " ".join("".join(t.text or "" for t in paragraph.iter("Text")).split())


# --- Fountain ----------------------------------------------------------------------------------

_BONEYARD = re.compile(r"/\*.*?\*/", re.S)
_NOTE = re.compile(r"\[\[.*?\]\]", re.S)
_FOUNTAIN_HEADING = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|EXT\.?/INT|I/E)[. ]", re.I)
_FOUNTAIN_KEY = re.compile(r"^([A-Za-z][A-Za-z ]*):\s*(.*)$")


def read_fountain(text: str) -> Screenplay:
    """Fountain markup → `Screenplay` (title page keys, forced elements, boneyard and notes removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _BONEYARD.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _NOTE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    title_page, body_start = _fountain_title_page(lines)
    elements = _fountain_elements(lines, body_start)
    screenplay = build_screenplay(elements, title=title_page.get("title"), title_page=title_page, source_format="fountain")
    writers = title_page.get("author") or title_page.get("authors") or title_page.get("written_by", "")
    screenplay.writers = [w for w in re.split(r"\s*(?:,|&|\band\b)\s*", writers) if w]
    return screenplay


def _dated_title_page(lines: list[str]) -> dict[str, str]:
    """`parse_title_page` of a title page the format marks as one (Final Draft, Fountain): when it writes
    no 4-digit year, a numeric date on it ('Draft date: 06/20/94') still dates the draft, as it does in
    a plain-text script's front matter."""
    page = parse_title_page(lines)
    year = draft_year(lines, ["title"] * len(lines))
    if "year" not in page and year:
        page["year"] = str(year)
    return page


def _fountain_title_page(lines: list[str]) -> tuple[dict[str, str], int]:
    """'Key: value' lines (values may continue on indented lines) up to the first blank line."""
    if not lines or not _FOUNTAIN_KEY.match(lines[0]):
        return {}, 0
    raw: dict[str, str] = {}
    key = None
    for i, line in enumerate(lines):
        if not line.strip():
            break
        match = _FOUNTAIN_KEY.match(line)
        if match and not line.startswith((" ", "\t")):
            key = match[1].strip().lower()
            raw[key] = match[2].strip()
        elif key:
            raw[key] = (raw[key] + " " + line.strip()).strip()
    else:
        i = len(lines)
    page = _dated_title_page([raw[k] for k in raw if k in ("title", "credit", "author", "authors", "draft date", "date")])
    page.update({k.replace(" ", "_"): v for k, v in raw.items() if v})
    if "author" in raw or "authors" in raw:
        page["written_by"] = raw.get("author") or raw.get("authors", "")
    return page, i


def _fountain_elements(lines: list[str], start: int) -> list[Element]:
    elements: list[Element] = []
    character = None
    in_speech = False
    for i in range(start, len(lines)):
        line = lines[i].strip()
        blank_before = i == 0 or not lines[i - 1].strip()
        next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line or line.startswith(("#", "=")):  # sections, synopses and page breaks are not script text
            in_speech = False
            continue
        if in_speech:
            kind = "parenthetical" if line.startswith("(") and line.endswith(")") else "dialogue"
            elements.append(Element(kind, line, i + 1, character))
            continue
        kind, text = _fountain_kind(line, blank_before, bool(next_line))
        if kind == "cue":
            character, extension = normalise_character(text)
            elements.append(Element("cue", text, i + 1, character, extension))
            in_speech = True
        elif kind == "action" and elements and elements[-1].kind == "action" and not blank_before:
            previous = elements.pop()
            elements.append(Element("action", previous.text + " " + text, previous.line))
        else:
            elements.append(Element(kind, text, i + 1))
    return elements


def _fountain_kind(line: str, blank_before: bool, has_next: bool) -> tuple[str, str]:
    if line.startswith("!"):
        return "action", line[1:].strip()
    if line.startswith(".") and not line.startswith(".."):
        return "heading", line[1:].strip()
    if blank_before and _FOUNTAIN_HEADING.match(line):
        return "heading", line
    if line.startswith(">") and not line.endswith("<"):
        return "transition", line[1:].strip()
    if line.startswith(">") and line.endswith("<"):
        return "action", line[1:-1].strip()  # centered text
    if blank_before and line.isupper() and line.endswith("TO:"):
        return "transition", line
    if line.startswith("@") and has_next:
        return "cue", line[1:].strip()
    name = re.sub(r"\(.*?\)|\^", "", line).strip()
    if blank_before and has_next and name and name == name.upper() and any(c.isalpha() for c in name):
        return "cue", line
    return "action", line
