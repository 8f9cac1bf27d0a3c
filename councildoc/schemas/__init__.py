"""JSON Schemas of ``document.yaml`` and of an edition's front matter, for editors' YAML extensions.

The schemas are made from the build's own declarations — the keys, what each means and which are
required (:data:`councildoc.parse.DOCUMENT_FIELDS`, :data:`~councildoc.parse.EDITION_FIELDS`,
:data:`~councildoc.parse.REQUIRED_EDITION_FIELDS`) — so that a key cannot be added to one and not the
other; the files shipped beside this module are checked against them by the tests
(``python -m councildoc.schemas`` writes them again). The build's checks stay the authority: they
also know what a schema cannot say (a real calendar date, a language with data).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..parse import DOCUMENT_FIELDS, EDITION_FIELDS, REQUIRED_EDITION_FIELDS

FOLDER = Path(__file__).parent
BASE = "https://councildoc.invalid/schemas/"
LANGUAGE = {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}
TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
VALUES = {
    "symbol": {**TEXT, "examples": ["MC/INF/298"]},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$", "examples": ["2009-11-12"]},
    "session": {"type": "integer", "minimum": 1, "maximum": 999999, "examples": [98]},
    "original-language": {**LANGUAGE, "examples": ["en", "fr", "es"]},
    "lang": {**LANGUAGE, "examples": ["en", "fr", "es"]},
    "title": TEXT,
    "subtitle": TEXT,
    "session-title": TEXT,
    "title-note": TEXT,
}


def _schema(name: str, title: str, fields: dict[str, str], required) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + name,
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": {key: {"description": what, **VALUES[key]} for key, what in fields.items()},
    }


def schemas() -> dict[str, dict]:
    """File name → schema."""
    return {
        "document.schema.json": _schema("document.schema.json", "councildoc document.yaml: what every edition shares",
                                        DOCUMENT_FIELDS, DOCUMENT_FIELDS),
        "front-matter.schema.json": _schema("front-matter.schema.json",
                                            "councildoc edition front matter (source/<document>/<lang>.md)",
                                            EDITION_FIELDS, REQUIRED_EDITION_FIELDS),
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
