"""Main text, title and publication date out of an HTML page, with trafilatura."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement, document_fromstring  # type: ignore[import-untyped]

from warledger.ingest.decode import normalise_newlines

# The only parts of a page whose dates are the page's own statement of when it was
# published; body text is left out so that a copyright line or a date in the story is
# never taken for the publication date.
_DATE_MARKUP = ".//meta | .//script[@type='application/ld+json'] | .//time"


@dataclass(slots=True)
class HtmlParts:
    """What one HTML page gives: ``text`` is ``None`` when no article text was found."""

    text: str | None
    title: str | None
    published: date | None


def markup_date(tree: HtmlElement) -> date | None:
    """Publication date from meta tags, ``<time>`` elements and JSON-LD only."""
    kept = tree.xpath(_DATE_MARKUP)
    if not kept:
        return None
    page = document_fromstring("<html><head></head><body></body></html>")
    head, body = page.find("head"), page.find("body")
    for elem in kept:
        clone = copy.deepcopy(elem)
        clone.tail = None  # the tail is the story text that follows the element
        (body if clone.tag == "time" else head).append(clone)
    # url="" stops htmldate from reading a date out of the canonical link.
    found = find_date(page, extensive_search=False, original_date=True, url="")
    if not found:
        return None
    try:
        return date.fromisoformat(found)
    except ValueError:
        return None


def extract_html(html: str) -> HtmlParts:
    """Extract the main text (no comments, tables or scripts), title and markup date."""
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if text is not None:
        text = normalise_newlines(text)
        if not text.strip():
            text = None
    meta = trafilatura.extract_metadata(html, extensive=False)
    title = meta.title or None
    tree = trafilatura.load_html(html)
    published = markup_date(tree) if tree is not None else None
    return HtmlParts(text=text, title=title, published=published)
