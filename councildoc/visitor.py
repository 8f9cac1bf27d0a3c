"""Walking the model: every walker is a visitor that refuses a node it does not know.

Modelled on docutils' ``nodes.NodeVisitor``: ``visit(node)`` calls
``visit_<NodeType>``; a type with no such method raises instead of being passed
over, so a node type added to the model fails loudly in every writer, check and
transform that forgot it (``tests/test_visitor.py`` shows it). A walker that
means to ignore some nodes says so with a method for each of them.

:class:`Rebuilder` is the one opt-in for "the rest as it is": its default rebuilds a
node from its visited children, and it is what the numbering and resolving
transforms use (each overrides the few node types it changes). Writers, the
review text, parity, the redline and the dump are plain :class:`Visitor` s.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .diagnostics import SourcePos
from .model import NODE_TYPES


class UnknownNode(NotImplementedError):
    """A walker met a node type it has no method for."""


class Visitor:
    """Calls ``visit_<NodeType>(node, *args)``; raises :class:`UnknownNode` for any other type."""

    covers: tuple[type, ...] = NODE_TYPES
    """The node types this walker must know: all of them, or the inlines for a walker of text."""

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            return self.unknown_visit(node)
        return method(node, *args, **kwargs)

    def unknown_visit(self, node: Any) -> Any:
        raise UnknownNode(f"{type(self).__name__} has no visit_{type(node).__name__}: "
                          f"a {type(node).__name__} cannot be written or checked here")

    @classmethod
    def missing(cls) -> list[str]:
        """The model's node types this walker has no method for (a test asks every walker)."""
        return [t.__name__ for t in cls.covers if not hasattr(cls, f"visit_{t.__name__}")]


_NODE_NAMES = {t.__name__ for t in NODE_TYPES} | {"Note"}
"""What :class:`Rebuilder` rebuilds by default: the model's nodes, and a note (a table holds its notes)."""


class Rebuilder(Visitor):
    """A transform's walker: each node is rebuilt from its visited children unless a method says otherwise.

    Only the model's own node types are rebuilt by default; anything else still raises.
    """

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is not None:
            return method(node, *args, **kwargs)
        if type(node).__name__ in _NODE_NAMES:
            return self.rebuild(node, *args, **kwargs)
        return self.unknown_visit(node)

    def rebuild(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        """``node`` with every child node (and tuple of nodes) visited."""
        changes = {}
        for item in dataclasses.fields(node):
            value = getattr(node, item.name)
            new = self.visit_value(value, *args, **kwargs)
            if new is not value:
                changes[item.name] = new
        return dataclasses.replace(node, **changes) if changes else node

    def visit_value(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        """A field's value with its nodes visited: a node, a tuple of nodes (or of tuples of nodes),
        or anything else as it is. A node of a type outside the model raises, wherever it stands."""
        if isinstance(value, tuple):
            if any(isinstance(v, tuple) or _is_node(v) for v in value):
                return tuple(self.visit_value(v, *args, **kwargs) for v in value)
            return value
        if _is_node(value):
            return self.visit(value, *args, **kwargs)
        return value


def _is_node(value: Any) -> bool:
    """A dataclass that is a node: anything but a position (the one dataclass nodes hold as data)."""
    return dataclasses.is_dataclass(value) and not isinstance(value, SourcePos)
