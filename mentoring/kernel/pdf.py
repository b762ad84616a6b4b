"""Every PDF the site writes starts here: fpdf2 with a Unicode font embedded from a Python package.

The 14 built-in PDF fonts know only Latin-1, so "Łukasz Wiśniewski" came out as "?ukasz
Wi?niewski" and Cyrillic names as "?????". Fira Sans (SIL Open Font License, shipped as TTF
files by the pinned package ``fontpkg-fira-sans``) covers every Latin letter with diacritics,
Greek including polytonic, Cyrillic and the typographic signs German text uses („“ – …).
Nothing is loaded from the network; fpdf2 embeds only the glyphs a document uses.

Every document is a tagged PDF (``Document``): a screen reader finds its headings, paragraphs,
lists and tables as such (PDF/UA's structure types H1, H2, P, L/LI/LBody, Table/TR/TH/TD), the
lines drawn around them are artifacts, and the language and title are set. fpdf2 (pinned in
requirements.txt) builds a structure tree only for images' alternative texts; ``Document``
adds the nested elements through the same builder, and ``_TaggedOutput`` names the page of each.
"""
import functools
import unicodedata
from contextlib import contextmanager

import fontpkg
from fpdf import FPDF, ViewerPreferences
from fpdf.output import OutputProducer
from fpdf.structure_tree import StructElem, StructureTreeBuilder

FONT_FAMILY = "FiraSans"


@functools.cache
def _font_files() -> dict[str, str]:
    return {style: str(fontpkg.path("Fira Sans", weight=weight)) for style, weight in (("", 400), ("B", 700))}


class _NestedStructure(StructureTreeBuilder):
    """fpdf2's structure tree with elements inside elements (a cell in a row in a table)."""

    def __init__(self):
        super().__init__()
        self.mcids: dict[int, int] = {}  # page number -> marked-content ids used on it

    def leaf(self, *, parent: StructElem, kind: str, page: int) -> tuple[StructElem, int, int]:
        """A new element of ``kind`` under ``parent`` holding the next marked content of ``page``."""
        mcid = self.mcids.get(page, 0)
        self.mcids[page] = mcid + 1
        element = StructElem(struct_type=f"/{kind}", parent=parent, kids=[mcid], page_number=page)
        parent.k.append(element)
        spid = self.spid_per_page_number.setdefault(page, len(self.spid_per_page_number))
        self.struct_tree_root.parent_tree.nums[spid].append(element)  # the list's index is the mcid
        while parent is not self.doc_struct_elem and parent._page_number is None:
            parent._page_number = page  # a container's page: where its first content stands
            parent = parent.p
        return element, mcid, spid

    def __iter__(self):
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        stack = list(reversed(self.doc_struct_elem.k))
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed([kid for kid in element.k if isinstance(kid, StructElem)]))

    def elements(self):
        return [obj for obj in self if isinstance(obj, StructElem) and obj is not self.doc_struct_elem]


class _TaggedOutput(OutputProducer):
    """Names the page of every structure element (fpdf2 does it only for the top level)."""

    def _insert_resources(self, page_objs):
        self._tagged_pages = page_objs
        return super()._insert_resources(page_objs)

    def _add_structure_tree(self):
        for element in self.fpdf.struct_builder.elements():
            if element.page_number() is not None:
                element.pg = self._tagged_pages[element.page_number() - 1]
        return super()._add_structure_tree()


class Document(FPDF):
    """An A4 page of text whose every line is tagged as what it is; see the module's text."""

    def __init__(self):
        super().__init__(format="A4")
        self.struct_builder = _NestedStructure()
        self._parents = [self.struct_builder.doc_struct_elem]

    @contextmanager
    def element(self, kind: str):
        """A structure element that holds others (``Table``, ``TR``, ``L``, ``LI``)."""
        element = StructElem(struct_type=f"/{kind}", parent=self._parents[-1], kids=[])
        self._parents[-1].k.append(element)
        self._parents.append(element)
        try:
            yield element
        finally:
            self._parents.pop()

    @contextmanager
    def marked(self, kind: str):
        """What is drawn inside is the content of a new element of ``kind`` (``H1``, ``P``, ``TD`` …)."""
        page = self.page
        _element, mcid, spid = self.struct_builder.leaf(parent=self._parents[-1], kind=kind, page=page)
        self.pages[page].struct_parents = spid
        self._set_min_pdf_version("1.4")
        self._out(f"/{kind} <</MCID {mcid}>> BDC")
        yield
        if self.page != page:
            raise RuntimeError("a tagged block must stand on one page: make room first (Document.room)")
        self._out("EMC")

    @contextmanager
    def artifact(self):
        """Drawn for the eye only (a rule under a table's heading): a screen reader passes over it."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def room(self, height: float) -> None:
        """A new page (as the current one is turned) unless ``height`` millimetres still fit on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page(orientation=self.cur_orientation)

    def _height(self, width: float, line_height: float, value: str) -> float:
        return self.multi_cell(width, line_height, text=value, dry_run=True, output="HEIGHT")

    def heading(self, value: str, *, level: int = 1, size: float = 15, line_height: float = 8) -> None:
        self.set_font(FONT_FAMILY, "B", size)
        self.room(self._height(0, line_height, value) + line_height)  # never alone at the foot of a page
        with self.marked(f"H{level}"):
            self.multi_cell(0, line_height, new_x="LMARGIN", new_y="NEXT", text=value)

    def paragraph(self, value: str, *, size: float = 11, line_height: float = 6, bold: bool = False) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.room(self._height(0, line_height, value))
        with self.marked("P"):
            self.multi_cell(0, line_height, new_x="LMARGIN", new_y="NEXT", text=value)

    def bullets(self, items: list[str], *, size: float = 11, line_height: float = 6, indent: float = 5) -> None:
        """A list: each item a bullet (its label, ``Lbl``) and a text (``LBody``)."""
        self.set_font(FONT_FAMILY, "", size)
        width = self.epw - indent
        with self.element("L"):
            for item in items:
                self.room(self._height(width, line_height, item))
                y = self.get_y()
                with self.element("LI"):
                    with self.marked("Lbl"):
                        self.cell(indent, line_height, text="•")
                    self.set_xy(self.l_margin + indent, y)
                    with self.marked("LBody"):
                        self.multi_cell(width, line_height, new_x="LMARGIN", new_y="NEXT", text=item)

    def data_table(self, header: list[str], rows: list[list[str]], widths: list[float], *, size: float = 10,
                   line_height: float = 6, empty: str = "", align: list[str] | None = None,
                   bold_last: bool = False) -> None:
        """A table with a heading row (``TH``), repeated on each new page; ``empty`` is said when there are no
        rows, ``align`` gives each column's "L" or "R", ``bold_last`` sets a sum row apart."""
        self.set_font(FONT_FAMILY, "", size)
        align = align or ["L"] * len(widths)
        with self.element("Table"):
            self._table_row(header, widths, align, line_height, bold=True, heading=True)
            if not rows and empty:
                self.room(self._height(sum(widths), line_height, empty))
                with self.element("TR"), self.marked("TD"):
                    self.multi_cell(sum(widths), line_height, new_x="LMARGIN", new_y="NEXT", text=empty)
            for index, row in enumerate(rows):
                if self.get_y() + self._row_height(row, widths, line_height) > self.page_break_trigger:
                    self.add_page(orientation=self.cur_orientation)
                    self._table_row(header, widths, align, line_height, bold=True, heading=True)
                self._table_row(row, widths, align, line_height, bold=bold_last and index == len(rows) - 1)

    def _row_height(self, values: list[str], widths: list[float], line_height: float) -> float:
        return max(self._height(width - 1, line_height, value) for width, value in zip(widths, values, strict=True))

    def _table_row(self, values: list[str], widths: list[float], align: list[str], line_height: float, *,
                   bold: bool = False, heading: bool = False):
        size = self.font_size_pt
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        height = self._row_height(values, widths, line_height)
        self.room(height + (line_height if heading else 0))
        top, x = self.get_y(), self.l_margin
        with self.element("TR"):
            for width, value, side in zip(widths, values, align, strict=True):
                self.set_xy(x, top)
                with self.marked("TH" if heading else "TD"):
                    self.multi_cell(width - 1, line_height, new_x="RIGHT", new_y="TOP", text=value, align=side)
                x += width
        self.set_xy(self.l_margin, top + height + 1)
        if heading:
            with self.artifact():
                self.line(self.l_margin, top + height + 0.5, self.l_margin + sum(widths), top + height + 0.5)
        self.set_font(FONT_FAMILY, "", size)

    def output(self, *args, **kwargs):
        return super().output(*args, output_producer_class=_TaggedOutput, **kwargs)


def document(*, title: str, author: str, lang: str = "de") -> Document:
    """An A4 document with the embedded font (regular and ``B`` for bold) set at 11 pt."""
    pdf = Document()
    for style, path in _font_files().items():
        pdf.add_font(FONT_FAMILY, style, path)
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang(lang)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)  # the title, not the file name
    return pdf


def text(value: object) -> str:
    """Text for a PDF in composed form: fpdf2 draws one glyph per character and does not combine
    a letter with a following combining accent (as a name typed on some systems arrives)."""
    return unicodedata.normalize("NFC", str(value))
