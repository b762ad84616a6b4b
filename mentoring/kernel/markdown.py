"""Markdown for participants' text (forum posts, event descriptions), rendered safely.

markdown-it-py with raw HTML switched off, then nh3 (the Rust ammonia sanitiser) as a
second line of defence; every link gets rel="nofollow noopener" and only http(s) and
mailto schemes survive. Images load only from this site: a reader's browser must never
contact another host because of someone's text, so an image with a foreign, scheme-
or protocol-relative address becomes a plain link to it.
"""
import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"}}

# Browsers drop tabs and newlines inside a URL and strip leading C0 controls and spaces, and
# read "\" as "/": "/\evil.example" and "/\t/evil.example" both mean "//evil.example".
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SITE_PATH = re.compile(r"/(?![/\\])[^\\\x00-\x20\x7f]*")


def is_site_image_url(url: str) -> bool:
    """True only for a path on this site ("/…"), never for a scheme, host or "//…" address."""
    url = _URL_IGNORED.sub("", url or "").lstrip("".join(map(chr, range(0x21))))
    return _SITE_PATH.fullmatch(url) is not None


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if is_site_image_url(src):
        title = token.attrGet("title")
        title_attr = f' title="{escape(title)}"' if title else ""
        return f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attr}>'
    return f'<a href="{escape(src)}">{escape(alt or src)}</a>'


_md.add_render_rule("image", _render_image)

# Gender-inclusive German ("Mentor*in", "Kolleg*innen") puts a star between letters. Two of
# them in one paragraph would open and close an emphasis ("Kolleg<em>innen und Mentor</em>innen"),
# so a single star after a letter and before "in" is plain text.
_GENDER_STAR = re.compile(r"(?<=[^\W\d_])\*(?=in)")


def _gender_star(state, silent: bool) -> bool:
    if not _GENDER_STAR.match(state.src, state.pos):
        return False
    if not silent:
        state.push("text", "", 0).content = "*"
    state.pos += 1
    return True


_md.inline.ruler.before("emphasis", "gender_star", _gender_star)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_site_image_url(value):
        return None
    return value


def _table_box(label: str) -> str:
    return f'<div class="table-responsive" role="region" tabindex="0" aria-label="{escape(label)}">'


# The wording of the table box in stored HTML (``render_markdown_stored``); the reader's language replaces it.
_STORED_TABLE_LABEL = "Tabelle (seitlich verschiebbar)"


def _sanitise(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="nofollow noopener", attribute_filter=_attribute_filter)


def _boxed(clean: str, label: str) -> str:
    if "<table>" in clean:
        # A wide table scrolls in its own box, never the page (WCAG 1.4.10); the box takes the
        # focus, so that a keyboard can scroll it too. Added after nh3: fixed markup, no user text.
        clean = clean.replace("<table>", _table_box(label) + "<table>").replace("</table>", "</table></div>")
    return clean


def render_markdown(text: str) -> SafeString:
    """Markdown source → sanitised HTML, safe to put in a template."""
    return mark_safe(_boxed(_sanitise(text), gettext("Tabelle (seitlich verschiebbar)")))  # noqa: S308 - nh3


def render_markdown_stored(text: str) -> str:
    """Markdown source → sanitised HTML to store next to the source (forum posts), the same in every language.

    Print it with ``stored_html``, which puts the table box's label into the reader's language.
    When the sanitising policy changes, stored HTML is rendered again (``manage.py forum_rerender``).
    """
    return _boxed(_sanitise(text), _STORED_TABLE_LABEL)


def stored_html(html: str) -> SafeString:
    """HTML from ``render_markdown_stored``, safe for a template, its table box labelled in the active language.

    nh3 lets no ``<div>`` through, so the only box in stored HTML is the one added after sanitising.
    """
    html = html or ""
    if "<table>" in html:
        label = gettext("Tabelle (seitlich verschiebbar)")
        if label != _STORED_TABLE_LABEL:
            html = html.replace(_table_box(_STORED_TABLE_LABEL), _table_box(label))
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 when it was stored


def markdown_text(text: str) -> str:
    """Markdown source → plain text for the text/plain part of a mail: no ``**`` or ``[…](…)`` left;
    a link reads "words (address)", list items start with "- " or their number, table cells are
    separated by " | ". Only what the HTML part shows survives (no raw HTML, as there)."""
    lines: list[str] = []
    prefixes: list[str] = []  # "> " per blockquote level
    lists: list[list] = []  # per open list: [ordered?, next number]
    row: list[str] = []
    current = ""

    def flush(blank: bool = True):
        nonlocal current
        if current.strip():
            lines.append("".join(prefixes) + current.rstrip())
        current = ""
        if blank and not lists and lines and lines[-1] != "":
            lines.append("")

    for token in _md.parse(text or ""):
        kind = token.type
        if kind == "inline":
            current += _inline_text(token.children or [])
        elif kind in ("fence", "code_block"):
            flush()
            lines.extend("".join(prefixes) + "    " + line for line in token.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "blockquote_open":
            flush()
            prefixes.append("> ")
        elif kind == "blockquote_close":
            flush()
            prefixes.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            flush(blank=False)
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            flush()
        elif kind == "list_item_open":
            flush(blank=False)
            ordered, number = lists[-1]
            current = "  " * (len(lists) - 1) + (f"{number}. " if ordered else "- ")
            lists[-1][1] += 1
        elif kind in ("paragraph_close", "heading_close"):
            flush(blank=not lists)
        elif kind in ("th_close", "td_close"):
            row.append(current.strip())
            current = ""
        elif kind == "tr_close":
            lines.append("".join(prefixes) + " | ".join(row))
            row = []
        elif kind == "table_close":
            lines.append("")
        elif kind == "hr":
            flush()
            lines.extend(["----------", ""])
    flush()
    return "\n".join(lines).strip()


def _inline_text(children) -> str:
    out, links = [], []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content or "")
        elif child.type == "link_open":
            links.append((len(out), child.attrGet("href") or ""))
        elif child.type == "link_close" and links:
            start, href = links.pop()
            words = "".join(out[start:])
            if href and href not in (words, f"mailto:{words}"):
                out.append(f" ({href})")
    return "".join(out)
