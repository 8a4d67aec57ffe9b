"""Analyst-written rich text: only a small set of tags survives, no attributes but links'
href (http, https, mailto) and table cell spans; scripts, styles and event handlers go.
Stored sanitised and sanitised again on output, so a stored value can never carry script."""

from __future__ import annotations

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote",
    "a", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}


def sanitise(html: str) -> str:
    """Safe HTML from whatever was typed or pasted. Plain text (no tags) becomes
    paragraphs, one per blank-line-separated block."""
    text = (html or "").strip()
    if text and "<" not in text:
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join(f"<p>{nh3.clean_text(p)}</p>".replace("\n", "<br>") for p in paragraphs)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    return nh3.clean(html or "", tags=set()).strip()
