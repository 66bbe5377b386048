"""Line-level accuracy of the parser on hand-labelled excerpts, one per layout style.

Each fixture under tests/fixtures/labeled/ holds `label|line` rows written for the tests
(no real script text). The raw lines are cleaned exactly as the corpus is (`clean_text`),
labelled by `label_lines`, and compared with the hand labels on every line that is not
blank after cleaning. Run: `.venv/bin/pytest tests/test_parser_accuracy.py -s` prints the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelcast.read import clean_text
from reelcast.screenplay import label_lines

LABELED = Path(__file__).parent / "fixtures" / "labeled"
STYLES = sorted(p.stem for p in LABELED.glob("*.txt"))


def load_labeled(path: Path) -> tuple[list[str], list[str]]:
    labels, lines = [], []
    for row in path.read_text(encoding="utf-8").split("\n")[:-1]:
        label, _, line = row.partition("|")
        labels.append(label)
        lines.append(line)
    return labels, lines


def style_accuracy(style: str) -> tuple[int, int]:
    """(correct, total) over lines whose hand label is not blank."""
    expected, lines = load_labeled(LABELED / f"{style}.txt")
    text, _ = clean_text("\n".join(lines))
    predicted = label_lines(text)
    assert len(predicted) == len(expected), "cleaning must keep one output line per input line"
    scored = [(e, p) for e, p in zip(expected, predicted) if e != "blank"]
    return sum(e == p for e, p in scored), len(scored)


def test_there_are_enough_styles():
    assert len(STYLES) >= 5


@pytest.mark.parametrize("style", STYLES)
def test_each_style_is_mostly_right(style):
    correct, total = style_accuracy(style)
    assert correct / total >= 0.85, f"{style}: {correct}/{total}"


def test_overall_accuracy_at_least_95_percent():
    results = {style: style_accuracy(style) for style in STYLES}
    print("\n| style | lines | accuracy |\n|---|---:|---:|")
    for style, (correct, total) in results.items():
        print(f"| {style} | {total} | {correct / total:.3f} |")
    correct = sum(c for c, _ in results.values())
    total = sum(t for _, t in results.values())
    print(f"| **overall** | {total} | {correct / total:.3f} |")
    assert correct / total >= 0.95
