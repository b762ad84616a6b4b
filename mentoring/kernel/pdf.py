"""Every PDF the site writes starts here: fpdf2 with a Unicode font embedded from a Python package.

The 14 built-in PDF fonts know only Latin-1, so "Łukasz Wiśniewski" came out as "?ukasz
Wi?niewski" and Cyrillic names as "?????". Fira Sans (SIL Open Font License, shipped as TTF
files by the pinned package ``fontpkg-fira-sans``) covers every Latin letter with diacritics,
Greek including polytonic, Cyrillic and the typographic signs German text uses („“ – …).
Nothing is loaded from the network; fpdf2 embeds only the glyphs a document uses.
"""
import functools
import unicodedata

import fontpkg
from fpdf import FPDF

FONT_FAMILY = "FiraSans"


@functools.cache
def _font_files() -> dict[str, str]:
    return {style: str(fontpkg.path("Fira Sans", weight=weight)) for style, weight in (("", 400), ("B", 700))}


def document(*, title: str, author: str, lang: str = "de") -> FPDF:
    """An A4 document with the embedded font (regular and ``B`` for bold) set at 11 pt."""
    pdf = FPDF(format="A4")
    for style, path in _font_files().items():
        pdf.add_font(FONT_FAMILY, style, path)
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang(lang)
    return pdf


def text(value: object) -> str:
    """Text for a PDF in composed form: fpdf2 draws one glyph per character and does not combine
    a letter with a following combining accent (as a name typed on some systems arrives)."""
    return unicodedata.normalize("NFC", str(value))
