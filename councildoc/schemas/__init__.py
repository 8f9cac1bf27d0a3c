"""JSON Schemas of ``document.yaml`` and of an edition's front matter, for editors' YAML extensions.

The schemas are made from the build's own declarations (:data:`councildoc.parse.metadata.DOCUMENT`
and :data:`~councildoc.parse.metadata.EDITION`): each key, what it means, whether it is required and
what its value must be — the type, the pattern (the very regular expression the build matches), the
bounds — so that nothing can change in one and not the other. The files shipped beside this module
are checked against them by the tests (``python -m councildoc.schemas`` writes them again). What a
schema cannot say stays with the build alone: a language councildoc has data for, a ``lang`` that
matches the file name, an integer written in decimal digits.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..parse import metadata

FOLDER = Path(__file__).parent
BASE = "https://councildoc.invalid/schemas/"


def _schema(name: str, title: str, fields: tuple[metadata.MetadataField, ...]) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + name,
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": [field.key for field in fields if field.required],
        "properties": {field.key: {"description": field.description, **field.value.schema()} for field in fields},
    }


def schemas() -> dict[str, dict]:
    """File name → schema, from the declarations as they are now."""
    return {
        "document.schema.json": _schema("document.schema.json", "councildoc document.yaml: what every edition shares",
                                        metadata.DOCUMENT),
        "front-matter.schema.json": _schema("front-matter.schema.json",
                                            "councildoc edition front matter (source/<document>/<lang>.md)",
                                            metadata.EDITION),
    }


def text(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def path(name: str) -> Path:
    """The shipped file of a schema: ``document.schema.json`` or ``front-matter.schema.json``."""
    return FOLDER / name


def write() -> None:
    for name, schema in schemas().items():
        path(name).write_text(text(schema), encoding="utf-8")
        print(f"wrote {path(name)}")
