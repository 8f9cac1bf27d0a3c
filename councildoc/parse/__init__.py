"""PARSING: metadata by YAML, text by Pandoc, both into the model with positions.

Pandoc reads the Markdown (``commonmark_x`` with ``sourcepos``), so authors get Pandoc's syntax.
One module per concern:

- :mod:`.metadata`: ``document.yaml`` and the edition's front matter;
- :mod:`.checks`: what is read from the source text itself, before Pandoc and after conversion;
- :mod:`.pandoc`: running Pandoc, and typed access to the JSON AST it returns;
- :mod:`.convert`: the AST → the model, by tables of rules per node type;
- :mod:`.grid`: grid tables, which the CommonMark reader lacks, cut out before Pandoc and put back after;
- :mod:`.limits` and :mod:`.syntax`: the bounds on a source, and councildoc's own syntax.
"""

from __future__ import annotations

from .. import languages
from ..diagnostics import Diagnostic, error
from ..model import Document
from ..read import SourceText
from .checks import check_after_conversion, check_before_pandoc
from .convert import Converter
from .grid import find_grid_tables, splice_ast, splice_text
from .limits import (
    MAX_ANNEXES,
    MAX_HEADING_LEVEL,
    MAX_NESTING,
    MAX_NOTES,
    MAX_PARAGRAPH,
    MAX_REFERENCES,
    MAX_SOURCE,
    MAX_SUBPARAGRAPH_DEGREE,
)
from .metadata import (
    DOCUMENT_FIELDS,
    EDITION_FIELDS,
    PLACEHOLDER_INFO,
    REQUIRED_EDITION_FIELDS,
    TITLE_NOTE_LABEL,
    DocumentInfo,
    edition_metadata,
    parse_document_info,
    read_front_matter,
)
from .pandoc import PANDOC_READER, PANDOC_TIMEOUT, pandoc_path, read_pandoc, run_pandoc
from .syntax import REFERENCE_KINDS

__all__ = [
    "DOCUMENT_FIELDS", "EDITION_FIELDS", "MAX_ANNEXES", "MAX_HEADING_LEVEL", "MAX_NESTING", "MAX_NOTES",
    "MAX_PARAGRAPH", "MAX_REFERENCES", "MAX_SOURCE", "MAX_SUBPARAGRAPH_DEGREE", "PANDOC_READER",
    "PANDOC_TIMEOUT", "PLACEHOLDER_INFO", "REFERENCE_KINDS", "REQUIRED_EDITION_FIELDS", "TITLE_NOTE_LABEL",
    "DocumentInfo", "pandoc_path", "parse_document_info", "parse_edition", "run_pandoc",
]


def parse_edition(
    source: SourceText, info: DocumentInfo, name: str, expected_lang: str,
    catalogue: languages.Catalogue = languages.BUILT_IN,
) -> tuple[Document | None, list[Diagnostic]]:
    """One edition's source → an unnumbered :class:`Document`.

    A broken front matter does not hide the body's problems: the body is still read (in the
    language the file is named for), its problems reported, and nothing built from it.
    """
    front, diagnostics = read_front_matter(source, expected_lang, catalogue)
    if front is None:
        return None, diagnostics
    refused = check_before_pandoc(source)
    if refused:
        return None, diagnostics + refused
    edition = catalogue.load(front.lang)
    grids, _ = find_grid_tables(source)  # a malformed one was refused by check_before_pandoc
    spliced, mapped = splice_text(front.pandoc_text(source), source, grids)
    ast, message = read_pandoc(spliced)
    del spliced
    blocks = ast.whole() if ast is not None and grids else None  # grid tables are spliced into the whole tree
    if ast is None or ast.failure:
        return None, [*diagnostics, error(source.pos(front.body_line),
                                          f"Pandoc could not read the file: {message or ast.failure}")]
    lost = splice_ast({"blocks": blocks}, source, grids) if grids else []
    if lost:
        return None, diagnostics + lost

    converter = Converter(mapped, front.lang)
    title, subtitle = converter.title(ast.meta, front.fields)
    parts = converter.parts(ast.blocks(), source.pos(front.body_line), edition, catalogue)  # a block at a time
    del blocks
    if ast.failure:  # a block nested too deep to decode: as if Pandoc's JSON had not been read
        return None, [*diagnostics, error(source.pos(front.body_line),
                                          f"Pandoc could not read the file: {ast.failure}")]
    diagnostics += converter.diagnostics + check_after_conversion(source, parts, converter.labels)
    metadata = edition_metadata(front, info, title, subtitle, edition)
    return Document(name, source.path, metadata, edition, catalogue, tuple(parts)), diagnostics
