"""Members write Markdown; what reaches a page is sanitised HTML.

markdown-it-py renders CommonMark with raw HTML switched off, and nh3 then keeps only
an allow-list of tags and attributes, so neither a `<script>` in the text nor a crafted
Markdown construct gets through. Links get rel="nofollow ugc noopener"; images are not
part of Markdown here (members upload them with a post, see models.PostImage).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    .enable(["table", "strikethrough"])
    .disable(["image"])
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "span": {"class"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Headings members type as # or ## become the smaller headings a post may hold.
_BIG_HEADING = re.compile(r"<(/?)h[12]>")
# "@handle" in text (not in a tag, a link, or code), as mentions.html renders it.
MENTION = re.compile(r"(?<![\w@./-])@([a-z0-9][a-z0-9_-]{1,39})\b")
_SEGMENTS = re.compile(r"(<[^>]*>)")


def render(body: str, mention: Callable[[str], str | None] | None = None) -> str:
    """Markdown → safe HTML. `mention(handle)` returns a display name for a handle that
    is a mentionable person, or None; those become marked mentions."""
    rendered = _BIG_HEADING.sub(lambda m: f"<{m.group(1)}h3>", _markdown.render(body or ""))
    if mention is not None:
        rendered = _mark_mentions(rendered, mention)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        filter_style_properties={"text-align"},
    )


def _mark_mentions(rendered: str, mention: Callable[[str], str | None]) -> str:
    out, skip_depth = [], 0
    for segment in _SEGMENTS.split(rendered):
        if segment.startswith("<"):
            name = segment.strip("</>").split()[0].lower() if segment.strip("</>") else ""
            if name in {"a", "code", "pre"}:
                skip_depth += -1 if segment.startswith("</") else 1
            out.append(segment)
        elif skip_depth:
            out.append(segment)
        else:
            out.append(MENTION.sub(lambda m: _mention_span(m, mention), segment))
    return "".join(out)


def _mention_span(match: re.Match, mention: Callable[[str], str | None]) -> str:
    handle = match.group(1)
    if mention(handle) is None:
        return match.group(0)
    return f'<span class="mention">@{handle}</span>'


def handles_in(body: str) -> set[str]:
    """The handles a text mentions, outside code and quotes (a rough but safe
    over-estimate is fine: only people who may read the topic are ever notified)."""
    without_code = re.sub(r"```.*?```|`[^`]*`", " ", body or "", flags=re.S)
    # A quote repeats someone else's words: the people mentioned there were told then.
    own_words = "\n".join(
        line for line in without_code.splitlines() if not line.lstrip().startswith(">")
    )
    return {m.group(1).lower() for m in MENTION.finditer(own_words)}


def plain_text(body: str, limit: int = 300) -> str:
    """The text of a post without markup (not escaped: templates escape it)."""
    text = html.unescape(nh3.clean(_markdown.render(body or ""), tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
