"""The coverage report as plain text, for a reader at a terminal (`reelcast coverage --format text`).

It prints the same report the web page shows, in the order a reader's coverage runs: verdict, logline,
forecast, the numbers, the cast, the outline, strengths and risks, content. It reads only the report's
JSON, so it says nothing the JSON does not.
"""

from __future__ import annotations

import textwrap

WIDTH = 100
CAST_ROWS = 8


def render_text(report: dict) -> str:
    sections = [_header(report), _forecast(report), _numbers(report), _cast(report), _outline(report),
                _findings("Strengths", report["strengths"]), _findings("Risks", report["risks"]), _content(report)]
    return "\n\n".join(section for section in sections if section) + "\n"


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent)


def _money(usd: float) -> str:
    return f"${usd / 1e6:,.1f}M"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _header(report: dict) -> str:
    byline = [f"written by {', '.join(report['writers'])}"] if report["writers"] else []
    if report["genres"]:  # words-read genres say so in their names: 'Drama (from the text)'
        byline.append("/".join(report["genres"]) + (" (IMSDb tags)" if report["genre_source"] == "tags" else ""))
    if report["source_material"]:
        byline.append(report["source_material"])
    lines = [report["title"].upper()]
    if byline:
        lines.append(_wrap(" · ".join(byline)))
    lines += ["", _wrap(f"Verdict: {report['verdict'].upper()}: {report['verdict_reason']}", "  ", "")]
    if report["logline"]:
        lines += ["", _wrap(f"Logline (built from the parse): {report['logline']}", "  ", "")]
    return "\n".join(lines)


def _forecast(report: dict) -> str:
    p = report["prediction"]
    gross, budget = p["worldwide_gross_usd"], p["production_budget_usd"]
    lines = ["FORECAST",
             f"  Worldwide gross    {_money(gross['estimate']):>9}   80% range {_money(gross['low'])} – {_money(gross['high'])}",
             f"  Production budget  {_money(budget['estimate']):>9}   80% range {_money(budget['low'])} – {_money(budget['high'])}"
             f"   ({p['budget_source']}; {p['budget_tier']})",
             f"  Break-even chance  {p['p_break_even']:>8.0%}",
             _wrap(report["explanation"]["summary"], "  ")]
    lines += [_wrap(f"warning: {w}", "    ", "  ") for w in p["warnings"]]
    return "\n".join(lines)


def _numbers(report: dict) -> str:
    stats, structure = report["stats"], report["structure"]
    acts = ", ".join(f"act {a['act']} from scene {a['start_scene']} (page {a['start_page']:.0f})" for a in structure["acts"])
    places = ", ".join(f"{row['location']} ({row['scenes']})" for row in structure["top_locations"][:5])
    lines = [
        "THE NUMBERS",
        f"  {_count(stats['pages'], 'page')} (about {_count(stats['runtime_min'], 'minute')}) · "
        f"{_count(stats['scenes'], 'scene')} · {_count(stats['speaking_characters'], 'speaking character')} · "
        f"{_count(stats['locations'], 'location')}",
        f"  dialogue {stats['dialogue_share']:.0%} of the words · interior {structure['int_share']:.0%}, "
        f"exterior {structure['ext_share']:.0%} · day {structure['day_share']:.0%}, night {structure['night_share']:.0%}",
    ]
    if places:
        lines.append(_wrap(f"main locations: {places}", "    ", "  "))
    if acts:
        lines.append(_wrap(f"{acts} ({structure['act_method']})", "    ", "  "))
    return "\n".join(lines)


def _cast(report: dict) -> str:
    if not report["characters"]:
        return ""
    lines = ["CHARACTERS"]
    for c in report["characters"][:CAST_ROWS]:
        lines.append(f"  {c['name']}: {_count(c['lines'], 'line')} in {_count(c['scenes'], 'scene')}, "
                     f"first in scene {c['first_scene']}")
        if c["introduction"]:
            lines.append(_wrap(f"“{c['introduction']['text']}” (scene {c['introduction']['scene']})", "      ", "    "))
    return "\n".join(lines)


def _outline(report: dict) -> str:
    if not report["outline"]["beats"]:
        return ""
    lines = ["OUTLINE"]
    for beat in report["outline"]["beats"]:
        lines.append(_wrap(f"{beat['beat']}, scene {beat['scene']} (page {beat['page']:.0f}) {beat['heading']}: "
                           f"{beat['text']}", "      ", "  "))
    return "\n".join(lines)


def _findings(title: str, findings: list[dict]) -> str:
    if not findings:
        return ""
    return "\n".join([title.upper()] + [_wrap(f"- {f['text']}", "    ", "  ") for f in findings])


def _content(report: dict) -> str:
    content = report["content_flags"]
    lines = ["CONTENT", f"  rating estimate {content['mpaa_estimate']} ({content['mpaa_note']})"]
    lines += [_wrap(f"- {flag['label']}: {flag['level']}, {_count(flag['count'], 'use')}", "    ", "  ")
              for flag in content["flags"]]
    return "\n".join(lines)
