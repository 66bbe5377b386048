"""A coverage report as one HTML file that opens anywhere: the web page's own CSS and drawing code
with the report inlined, so a saved report and the page at / are the same report drawn the same way.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

WEB_DIR = Path(__file__).parent / "web"  # the page the app serves at / and its static files


def standalone_report(report: dict) -> str:
    """The page for one coverage report, with nothing to fetch: no form, no server, no network."""
    css = (WEB_DIR / "app.css").read_text()
    script = (WEB_DIR / "app.js").read_text()
    title = html.escape(f"{report.get('title') or 'Untitled'} · coverage · reelcast")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{title}</title><style>{css}</style></head>"
        "<body class=\"standalone\"><main class=\"page\"><article id=\"report\" class=\"report\"></article></main>"
        f"<script>{_inline(script)}</script>"
        f"<script>window.reelcast.showReport({_inline(json.dumps(report))});</script>"
        "</body></html>\n"
    )


def _inline(code: str) -> str:
    """Safe inside a <script> element: '</' would end it early (a script's text may contain '</script>')."""
    return code.replace("</", "<\\/")
