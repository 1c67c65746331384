"""Workstream updates as HTML: Markdown through markdown-it-py with raw HTML
off, so ``<script>`` or any tag someone types is shown as text, and with
links limited to http(s) and mail (a ``javascript:`` or ``data:`` link is
refused by the validator and stays text). The same HTML goes into the
preview and the PDF."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _safe_link(url: str) -> bool:
    url = url.strip().lower()
    # Relative links have no scheme; anything with one must be on the list.
    if ":" not in url.split("/", 1)[0]:
        return True
    return url.startswith(SAFE_SCHEMES)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")  # nothing is fetched when the PDF is rendered
    parser.validateLink = _safe_link
    return parser


_PARSER = _parser()


def render_markdown(text: str) -> SafeString:
    """The update's Markdown as HTML that is safe to put in a page."""
    return mark_safe(_PARSER.render(text or ""))
