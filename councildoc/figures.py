"""READING a figure's image: only a file of the document's own folder, checked before any writer sees it.

A source comes from a pull request, and its ``![Title](file)`` names a file the build reads:
the name must be a plain relative path inside the document's folder (no URL, no absolute path,
no ``..``, no symbolic link that leads out of it), the file a PNG, a JPEG or an SVG by its own
bytes, and not over a size or pixel limit — the dimensions are read from the file's header
(Pillow opens lazily; an SVG is parsed without entities, DTDs or network), so a decompression
bomb is a diagnostic, never decoded. The bytes go into the model: the writers embed exactly
what was checked and read no file themselves.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import replace
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, error
from .model import Document, Figure, Section
from .safety import Refused, is_inside, read_file

MAX_IMAGE_BYTES = 10_000_000
"""The largest image file read (a chart is tens of kilobytes; a photograph a few megabytes)."""
MAX_IMAGE_PIXELS = 40_000_000
"""The most pixels an image may have (8000 × 5000): more is refused before anything is decoded."""
MAX_IMAGE_SIDE = 20_000
"""The longest side, in pixels."""
SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SVG = "{http://www.w3.org/2000/svg}"
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class BadImage(Exception):
    """The file is not an image the build takes; the message says why."""


def name_problem(src: str) -> str | None:
    """Why ``src`` may not name a figure's file, or None."""
    if _SCHEME.match(src) or src.startswith("//"):
        return "a figure's image must be a file in the document's folder, not a URL"
    if src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
        return "a figure's image must be named relative to the document's folder, not by an absolute path"
    if ".." in PurePosixPath(src.replace("\\", "/")).parts:
        return "a figure's image must be inside the document's folder ('..' leads out of it)"
    if PurePosixPath(src).suffix.lower() not in SUFFIXES:
        return "a figure's image must be a PNG, a JPEG or an SVG (.png, .jpg, .jpeg, .svg)"
    return None


def _raster(data: bytes, expected: str) -> tuple[int, int]:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                kind, (width, height) = (image.format or "").lower(), image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise BadImage(f"its header claims more pixels than Pillow will open (a decompression bomb), over "
                           f"the limit of {MAX_IMAGE_PIXELS:,} pixels and {MAX_IMAGE_SIDE:,} a side") from None
        except Exception:  # noqa: BLE001 - any file Pillow cannot identify or read the header of
            raise BadImage(f"it is not a readable {expected.upper()} image") from None
    if kind != expected:
        raise BadImage(f"it is not a {expected.upper()} image (its bytes say {kind.upper() or 'unknown'})")
    return width, height


def _svg_length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None


def _svg(data: bytes) -> tuple[int, int]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadImage(f"it is not a readable SVG ({exc})") from None
    if root.tag != f"{_SVG}svg":
        raise BadImage("it is not an SVG (its root element is not <svg>)")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in (f"{_SVG}script", f"{_SVG}foreignObject"):
            raise BadImage(f"it holds a <{etree.QName(element).localname}> element (a figure is a picture)")
        for name, value in element.attrib.items():
            if etree.QName(name).localname == "href" and not value.startswith("#"):
                raise BadImage(f"it refers to another file or address ({value[:60]}); a figure is one file")
            if "url(" in value.replace(" ", "") and not re.search(r"url\(\s*['\"]?#", value):
                raise BadImage("it refers to another file or address in a url(); a figure is one file")
        if element.tag == f"{_SVG}style" and re.search(r"@import|url\(\s*['\"]?[^#'\"\s]", element.text or ""):
            raise BadImage("its style sheet refers to another file or address; a figure is one file")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    width = _svg_length(root.get("width")) or (float(box[2]) if len(box) == 4 else None)
    height = _svg_length(root.get("height")) or (float(box[3]) if len(box) == 4 else None)
    if not width or not height:
        raise BadImage("it gives no size: give the <svg> a width and a height, or a viewBox")
    return round(width), round(height)


def read_image(folder: Path, src: str) -> tuple[str, bytes, int, int]:
    """(kind, bytes, width, height) of the figure file ``src`` of ``folder``, or :class:`BadImage`."""
    path = folder / src
    if not path.exists() and not path.is_symlink():
        raise BadImage("no such file in the document's folder")
    if not is_inside(path, folder):
        raise BadImage("it is a symbolic link that leaves the document's folder")
    real = path.resolve()
    if real.stat().st_size > MAX_IMAGE_BYTES:
        raise BadImage(f"it is larger than {MAX_IMAGE_BYTES:,} bytes (MAX_IMAGE_BYTES)")
    try:
        data = read_file(real, folder.resolve(), MAX_IMAGE_BYTES)
    except Refused as exc:
        raise BadImage(str(exc.strerror)) from None
    kind = SUFFIXES[PurePosixPath(src).suffix.lower()]
    width, height = _svg(data) if kind == "svg" else _raster(data, kind)
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise BadImage(f"it is {width} × {height} pixels, over the limit of {MAX_IMAGE_PIXELS:,} pixels "
                       f"and {MAX_IMAGE_SIDE:,} a side")
    return kind, data, width, height


def load_figures(document: Document, folder: Path) -> tuple[Document, list[Diagnostic]]:
    """Each figure with its image's bytes and size, or a diagnostic at the figure for what is wrong."""
    diagnostics: list[Diagnostic] = []
    names: dict[str, str] = {}

    def load(figure: Figure) -> Figure:
        problem = name_problem(figure.src)
        if problem is None:
            try:
                kind, data, width, height = read_image(folder, figure.src)
            except BadImage as exc:
                problem = f"cannot use '{figure.src}' as a figure: {exc}"
            else:
                other = names.setdefault(figure.file_name, figure.src)
                if other != figure.src:
                    problem = f"'{figure.src}' and '{other}' would be written under one name: rename one"
                else:
                    return replace(figure, kind=kind, data=data, width=width, height=height)
        diagnostics.append(error(figure.pos, problem, "put the image in the document's folder, beside "
                                 "the editions' .md files, and name it relative to it: ![Title](chart.svg)"))
        return figure

    def walk(children: tuple) -> tuple:
        return tuple(replace(child, children=walk(child.children)) if isinstance(child, Section)
                     else load(child) if isinstance(child, Figure) else child for child in children)

    parts = tuple(replace(part, children=walk(part.children)) for part in document.parts)
    return replace(document, parts=parts), diagnostics
