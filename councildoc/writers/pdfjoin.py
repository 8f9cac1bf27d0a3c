"""WRITING PDF, by parts: the PDFs of an edition's parts, laid out apart, joined into one (pikepdf).

The body (with the cover) and each annex begin on a new page with their own page numbering and
running head: each is an independent layout (:func:`councildoc.writers.pdf.write_pdf` lays them out
one by one or at once in worker processes). The joined PDF is the one a single layout of the
whole edition gives, object for object where it matters:

- the pages in order, each with what its part's PDF gave it (contents, fonts, annotations);
- a link to an anchor in another part: the part's layout writes it as a URI action to
  :data:`PART_LINK` + the anchor (WeasyPrint 70 drops an internal link to an anchor it has not
  laid out, ``anchors.resolve_links``), and the join makes it a link to the named destination,
  as a single layout writes it (``/Dest`` (anchor), ``/Contents`` (anchor) when tagged);
- one name tree of every part's named destinations, sorted as WeasyPrint sorts them;
- one outline, built from every part's bookmarks by WeasyPrint's own rule (a heading nests
  under the last heading of a lower level, across parts as within one);
- the page labels of the joined page indices;
- for a tagged PDF, one structure tree: the ``Document`` element holds every part's elements in
  order; the parent tree numbers the pages 0…n−1 and the link annotations after them, as
  WeasyPrint does (pages' ``/StructParents``, annotations' ``/StructParent``); the ``/Pg``
  references are to the copied pages;
- the catalogue's ``/Lang``, ``/MarkInfo``, ``/ViewerPreferences``, XMP metadata, document
  information (with :data:`~councildoc.writers.pdf.LAYOUT_KEY`) and output intents: the first
  part's, which a single layout writes the same.

Each part embeds its own font subsets (docs/pdf.md says what that costs). The file is written
with a file identifier computed from its content: the same parts give the same bytes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from io import BytesIO
from types import SimpleNamespace

PART_LINK = "councildoc-part:#"
"""The URI a part's layout gives a link to an anchor it does not hold (see the module's text)."""


@dataclass
class PartPdf:
    """One part's PDF and what the join needs from its layout."""

    pdf: bytes
    pages: list[tuple[float, list]] = field(default_factory=list)
    """Each page's height (CSS px) and WeasyPrint's bookmarks on it (``Page.bookmarks``)."""
    labels: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """The part's page-label runs (index of the part's page, label), see ``pdf.page_labels``."""


def _pairs(array) -> list:
    return [(array[i], array[i + 1]) for i in range(0, len(array), 2)]


def join_parts(parts: list[PartPdf]) -> tuple[bytes, list[str]]:
    """The joined PDF, and the anchors that links point to but no part holds (each is a
    problem: a single layout reports it as WeasyPrint's "No anchor #… for internal URI reference")."""
    import pikepdf

    base = pikepdf.open(BytesIO(parts[0].pdf))
    others = [pikepdf.open(BytesIO(part.pdf)) for part in parts[1:]]
    tagged = "/StructTreeRoot" in base.Root
    names: dict[str, object] = {}
    page_entries: list = []   # parent-tree value of each joined page, in order
    annotations: list = []    # (annotation, parent-tree value), in the order of the parts' keys
    document = base.Root.StructTreeRoot.K[0] if tagged else None

    def take(pdf, first: int) -> None:
        """Bring part ``pdf``'s pages (already appended at ``first``…) into the joined trees."""
        own = pdf is base
        copy = (lambda obj: obj) if own else base.copy_foreign
        page_index = {pdf.pages[i].obj.objgen: first + i for i in range(len(pdf.pages))}

        def page_ref(obj):
            return base.pages[page_index[obj.objgen]].obj

        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            for name, target in _pairs(pdf.Root.Names.Dests.Names):
                key = str(name)
                if key not in names:  # a single layout keeps the first anchor of a name
                    names[key] = pikepdf.Array([page_ref(target[0]), *target[1:]])
        if not tagged:
            return
        root = pdf.Root.StructTreeRoot
        if not own:
            # The part's elements are copied without the part's own Document element and tree:
            # those whose parent it is (its kids, and the elements WeasyPrint makes for the
            # margin boxes' content, in no element's kids) get the joined Document instead.
            own_document = root.K[0].objgen
            children = [obj for obj in pdf.objects
                        if isinstance(obj, pikepdf.Dictionary) and "/P" in obj and obj.P.objgen == own_document]
            for child in children:
                del child["/P"]
            for kid in root.K[0].K:
                document.K.append(copy(kid))
        count = len(pdf.pages)
        by_key = {}
        for index in range(count):
            page = base.pages[first + index].obj
            for annotation in page.get("/Annots", ()):
                if "/StructParent" in annotation:
                    by_key[int(annotation.StructParent)] = annotation
        for key, value in _pairs(root.ParentTree.Nums):
            key = int(key)
            if isinstance(value, pikepdf.Array):
                value = pikepdf.Array([copy(element) for element in value])
            else:
                value = copy(value)
            if key < count:
                page_entries.append(value)
            else:
                annotations.append((by_key[key], value))
        if not own:
            for child in children:
                copy(child).P = document

    take(base, 0)
    for other in others:
        first = len(base.pages)
        with warnings.catch_warnings():  # named destinations and links: see take()
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            base.pages.extend(other.pages)
        take(other, first)

    # Links across parts: to the named destination, as a single layout writes them.
    missing: list[str] = []
    for page in base.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(PART_LINK):
                continue
            anchor = uri[len(PART_LINK):]
            if anchor not in names:
                missing.append(anchor)
            del annotation["/A"]
            annotation.Dest = pikepdf.String(anchor)
            if tagged:
                annotation.Contents = pikepdf.String(anchor)
    if names:
        if "/Names" not in base.Root:
            base.Root.Names = pikepdf.Dictionary()
        base.Root.Names.Dests = pikepdf.Dictionary(
            Names=pikepdf.Array([x for name in sorted(names) for x in (pikepdf.String(name), names[name])]))

    if tagged:
        for index, page in enumerate(base.pages):
            page.obj.StructParents = index
        nums = []
        for index, value in enumerate(page_entries):
            nums += [index, value]
        for index, (annotation, value) in enumerate(annotations, start=len(page_entries)):
            annotation.StructParent = index
            nums += [index, value]
        base.Root.StructTreeRoot.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))

    _write_outline(base, [page for part in parts for page in part.pages])
    runs = {}
    first = 0
    for part in parts:
        for index, label in part.labels:
            runs[first + index] = label
        first += len(part.pages)
    base.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
        [x for index in sorted(runs) for x in (index, _label(runs[index]))]))

    out = BytesIO()
    base.save(out, deterministic_id=True, fix_metadata_version=False,
              object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), missing


def _label(label: dict[str, str]):
    import pikepdf

    entry = pikepdf.Dictionary()
    if "S" in label:
        entry.S = pikepdf.Name("/" + label["S"])
        entry.St = 1
    if "P" in label:
        entry.P = pikepdf.String(label["P"])
    return entry


def _write_outline(pdf, pages: list[tuple[float, list]]) -> None:
    """The outline of the joined pages, as WeasyPrint's ``add_outlines`` writes one layout's."""
    import pikepdf
    from weasyprint.document import Document

    if "/Outlines" in pdf.Root:
        del pdf.Root["/Outlines"]
    laid_out = SimpleNamespace(pages=[SimpleNamespace(height=height, bookmarks=marks) for height, marks in pages])
    tree = Document.make_bookmark_tree(laid_out, 0.75, transform_pages=True)

    def add(bookmarks, parent):
        count = len(bookmarks)
        items = []
        for title, (page, x, y), children, state in bookmarks:
            item = pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(title), Dest=pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
            kids, kids_count = add(children, item)
            item.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if items:
                item.Prev = items[-1]
                items[-1].Next = item
            if kids:
                item.First = kids[0]
                item.Last = kids[-1]
            if parent is not None:
                item.Parent = parent
            items.append(item)
        return items, count

    items, count = add(tree, None)
    if items:
        outlines = pdf.make_indirect(pikepdf.Dictionary(Count=count, First=items[0], Last=items[-1]))
        for item in items:
            item.Parent = outlines
        pdf.Root.Outlines = outlines
