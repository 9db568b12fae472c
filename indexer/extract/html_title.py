"""The title a web page shows: its `<h1>`, unless that is the site's section label.

Sites built from one template often print the section's name as the `<h1>` of every page
("Investigation", "Actualités", "Blog") and the page's own title just below it in a styled
block (`<div class="pitch">…</div>`), which no heading marks. So when the first `<h1>` is a
single word, the first block that follows it and reads as a title, before any subheading,
is the page's title: a paragraph or a block of three words or more, at most a long line, not
a sentence ending in a period, not mostly link text (a breadcrumb, "Toutes les
investigations") and not a date. Otherwise the `<h1>` stays.
"""

from __future__ import annotations

from typing import Any

from indexer.extract.safexml import local_name

_TITLE_BLOCKS = frozenset({"div", "p"})
# Tags whose start ends the search: a subheading (the label's own sections begin) or a
# table or list (content, not a title).
_STOPS = frozenset({"h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl"})
_NESTED_BLOCKS = frozenset({
    "address", "article", "blockquote", "div", "dl", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "ul",
})  # fmt: skip
_UNSEEN = frozenset({"script", "style", "noscript", "template", "button", "select"})
_MAX_BLOCKS = 6  # blocks with text looked at after the label: the page's head, not its body
_MIN_WORDS = 3
_MAX_WORDS = 30
_MAX_CHARS = 200
_LINK_SHARE = 0.5
SOURCE = "block under the page's one-word <h1>"


def title_under_label(content: Any, first_h1: str | None) -> str | None:
    """The title block under a one-word `<h1>` in `content` (the page's main element or
    body), or None when the `<h1>` says more than one word or no block reads as a title."""
    if not first_h1 or len(first_h1.split()) != 1:
        return None
    seen_h1, looked = False, 0
    inside: set[Any] = set()
    for el in content.iter():
        if not isinstance(el.tag, str):
            continue
        name = local_name(el.tag).lower()
        if not seen_h1:
            if name == "h1" and _text(el) == first_h1:
                seen_h1, inside = True, set(el.iter())
            continue
        if el in inside:
            continue
        if name in _STOPS:
            return None
        if name not in _TITLE_BLOCKS or _has_block_inside(el) or _hidden(el):
            continue
        text = _text(el)
        if not text:
            continue
        looked += 1
        if looked > _MAX_BLOCKS:
            return None
        if _reads_as_title(text) and not _mostly_links(el, text):
            return text
    return None


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _has_block_inside(el: Any) -> bool:
    return any(
        isinstance(child.tag, str) and local_name(child.tag).lower() in _NESTED_BLOCKS | _UNSEEN
        for child in el.iterdescendants()
    )


def _hidden(el: Any) -> bool:
    return el.get("hidden") is not None or el.get("aria-hidden") == "true"


def _reads_as_title(text: str) -> bool:
    # A date or a status ("En cours") is too short; a paragraph ends with a period.
    words = text.split()
    return (
        _MIN_WORDS <= len(words) <= _MAX_WORDS
        and len(text) <= _MAX_CHARS
        and not text.endswith((".", ":", ";", ","))
        and sum(c.isalpha() for c in text) * 2 > len(text)
    )


def _mostly_links(el: Any, text: str) -> bool:
    linked = sum(
        len(_text(a)) for a in el.iter() if isinstance(a.tag, str) and local_name(a.tag) == "a"
    )
    return linked >= _LINK_SHARE * len(text)
