"""The closed model: every walker knows every node type, and a node type nobody knows fails loudly."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from conftest import compile_text

import councildoc
from councildoc import model
from councildoc.diagnostics import SourcePos
from councildoc.model import NODE_TYPES, Paragraph, Text
from councildoc.visitor import Rebuilder, UnknownNode, Visitor


def _all_walkers() -> list[type[Visitor]]:
    """Every visitor class defined anywhere in councildoc (each module imported first)."""
    for info in pkgutil.walk_packages(councildoc.__path__, "councildoc."):
        importlib.import_module(info.name)
    found, todo = [], [Visitor]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("councildoc.") and not issubclass(sub, Rebuilder):
                found.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


WALKERS = _all_walkers()

# The walkers each part of councildoc must have: a module that stops walking the model
# with a visitor shows up here, not as a quietly passing completeness test.
EXPECTED_MODULES = {
    "councildoc.dump", "councildoc.transforms", "councildoc.typography", "councildoc.parity", "councildoc.redline",
    "councildoc.writers.html", "councildoc.writers.pdf", "councildoc.writers.parallel", "councildoc.writers.docx",
    "councildoc.writers.text", "councildoc.writers.akn", "councildoc.markdown", "councildoc.xliff",
}


def test_every_part_of_councildoc_that_walks_the_model_has_a_visitor():
    modules = {cls.__module__ for cls in WALKERS}
    assert EXPECTED_MODULES <= modules, sorted(EXPECTED_MODULES - modules)


@pytest.mark.parametrize("walker", WALKERS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_walker_has_a_method_for_every_node_type_it_covers(walker):
    assert walker.missing() == []


@dataclass(frozen=True)
class Chart:
    """A node type added to the model without a method in the walkers."""

    caption: str


def test_a_new_node_type_makes_the_completeness_test_fail(monkeypatch):
    monkeypatch.setattr(model, "NODE_TYPES", (*NODE_TYPES, Chart))
    import councildoc.visitor as visitor

    monkeypatch.setattr(visitor, "NODE_TYPES", model.NODE_TYPES)
    for walker in WALKERS:
        if walker.covers is NODE_TYPES:
            monkeypatch.setattr(walker, "covers", model.NODE_TYPES)
    full = [walker for walker in WALKERS if Chart in walker.covers]
    assert full, "no walker covers every node type"
    assert all("Chart" in walker.missing() for walker in full)


def test_an_unknown_node_raises_in_a_visitor_and_in_a_rebuilder():
    class Plain(Visitor):
        def visit_Text(self, node):
            return node.text

    assert Plain().visit(Text("x")) == "x"
    with pytest.raises(UnknownNode, match="Plain has no visit_Chart"):
        Plain().visit(Chart("budget"))
    # A rebuilder rebuilds the model's own nodes it has no method for, but nothing else.
    paragraph = Paragraph((Text("a"),), SourcePos("x.md"))
    assert Rebuilder().visit(paragraph) == paragraph
    with pytest.raises(UnknownNode):
        Rebuilder().visit(Paragraph((Chart("budget"),), SourcePos("x.md")))


def test_an_unknown_node_in_a_document_stops_the_dump():
    from councildoc.dump import dump

    document, diagnostics = compile_text("---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n")
    assert diagnostics == []
    section = document.body.children[0]
    broken = Paragraph((Text("a"), Chart("budget")), SourcePos("doc.md", 9, 1))
    from dataclasses import replace

    document = replace(document, parts=(replace(document.body, children=(replace(section, children=(broken,)),)),))
    with pytest.raises(UnknownNode, match="visit_Chart"):
        dump(document)


@pytest.mark.parametrize("writer", ["html", "txt", "docx", "akn", "parity", "redline"])
def test_an_unknown_node_in_a_document_stops_every_writer(writer, tmp_path):
    """No writer prints nothing for a node it does not know: each raises, naming the node type."""
    from dataclasses import replace

    document, diagnostics = compile_text("---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n")
    assert diagnostics == []
    section = document.body.children[0]
    broken = Paragraph((Text("a"),), SourcePos("doc.md", 9, 1), attachments=(Chart("budget"),), number=1)
    document = replace(document, parts=(replace(document.body, children=(replace(section, children=(broken,)),)),))
    with pytest.raises(UnknownNode, match="visit_Chart"):
        if writer == "html":
            from conftest import ROOT

            from councildoc.writers.html import make_environment, write_html

            write_html(document, make_environment(ROOT / "templates"), "")
        elif writer == "txt":
            from councildoc.writers.text import write_text

            write_text(document)
        elif writer == "docx":
            from councildoc.writers.docx import to_pandoc

            to_pandoc(document)
        elif writer == "akn":
            from councildoc.writers.akn import write_akn

            write_akn(document)
        elif writer == "parity":
            from councildoc.parity import check_parity

            check_parity({"en": document, "fr": replace(document, meta=replace(document.meta, lang="fr"))})
        else:
            from councildoc.redline import compare

            compare(document, document)
