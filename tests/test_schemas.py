"""The JSON Schemas shipped for editors' YAML extensions: made from the declarations the build checks
with, accepting every real source, and refusing what the build refuses — and nothing else."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml
from conftest import ROOT, add_document

from councildoc.cli import main
from councildoc.parse import metadata
from councildoc.read import SourceText
from councildoc.schemas import path, schemas, text


def test_the_shipped_schemas_are_those_the_declarations_make():
    for name, schema in schemas().items():
        assert path(name).read_text(encoding="utf-8") == text(schema), f"run: python -m councildoc.schemas ({name})"
    document, front = schemas()["document.schema.json"], schemas()["front-matter.schema.json"]
    assert list(document["properties"]) == ["symbol", "date", "session", "original-language"] == document["required"]
    assert list(front["properties"]) == ["lang", "title", "subtitle", "session-title", "title-note"]
    assert front["required"] == ["lang", "title"]


class Yaml12(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 extension reads it: a date is text."""


Yaml12.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def refusals(schema: dict, yaml_text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(yaml.load(yaml_text, Loader=Yaml12))]


def schema_refuses(name: str, yaml_text: str) -> list[str]:
    """What the shipped schema says against the YAML (nothing when it accepts it)."""
    return refusals(json.loads(path(name).read_text(encoding="utf-8")), yaml_text)


def generated_schema_refuses(name: str, yaml_text: str) -> list[str]:
    """The same with the schema made from the declarations as they are now (not the shipped file)."""
    return refusals(schemas()[name], yaml_text)


def build_refuses_document(yaml_text: str) -> list[str]:
    return [d.message for d in metadata.parse_document_info(SourceText("document.yaml", yaml_text))[1]]


def build_refuses_front(yaml_text: str) -> list[str]:
    source = SourceText("en.md", f"---\n{yaml_text}---\n\nText.\n")
    return [d.message for d in metadata.read_front_matter(source, "en")[1]]


def check_jsonschema(document_yaml) -> subprocess.CompletedProcess:
    """check-jsonschema, the command line an author or a CI job would run on a ``document.yaml``."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(path("document.schema.json")),
                           str(document_yaml)], capture_output=True, text=True, timeout=60)


def front_matter(markdown: str) -> str:
    return markdown.split("\n---\n", 1)[0].removeprefix("---\n") + "\n"


def test_every_real_source_is_valid():
    folders = sorted((ROOT / "source").iterdir())
    assert folders
    editions = 0
    for folder in folders:
        assert schema_refuses("document.schema.json", (folder / "document.yaml").read_text(encoding="utf-8")) == []
        for source in folder.glob("*.md"):
            assert schema_refuses("front-matter.schema.json", front_matter(source.read_text(encoding="utf-8"))) == []
            editions += 1
    assert editions >= 3
    # check-jsonschema agrees on one of them.
    result = check_jsonschema(folders[0] / "document.yaml")
    assert result.returncode == 0, result.stdout


META = {"symbol": "MC/X", "date": "2009-11-12", "session": "98", "original-language": "en"}


def document_yaml(**changes: str | None) -> str:
    values = {**META, **{key.replace("_", "-"): value for key, value in changes.items()}}
    return "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)


# (YAML, whether it is refused): the build and the schema must say the same.
DOCUMENT_CASES = [
    (document_yaml(), False),
    (document_yaml(session="ninety"), True),
    (document_yaml(session="0"), True),
    (document_yaml(session="-3"), True),
    (document_yaml(session="999999"), False),
    (document_yaml(session="1000000"), True),
    (document_yaml(session="'98'"), True),
    (document_yaml(session="9.5"), True),
    (document_yaml(date="2009-02-30"), True),
    (document_yaml(date="20091112"), True),
    (document_yaml(date="2009-11-12T10:00:00"), True),
    (document_yaml(date="'2009-11-12'"), False),
    (document_yaml(date="12 November 2009"), True),
    (document_yaml(original_language="EN"), True),
    (document_yaml(original_language="en_GB"), True),
    (document_yaml(original_language="en-GB"), False),
    (document_yaml(original_language="12"), True),
    (document_yaml(symbol="''"), True),
    (document_yaml(symbol="' '"), True),
    (document_yaml(symbol="2009-11-12"), False),
    (document_yaml(symbol="yes"), True),
    (document_yaml(original_language=None), True),
    (document_yaml() + "sesion: 98\n", True),
]
FRONT_CASES = [
    ("lang: en\ntitle: T\n", False),
    ("lang: en\n", True),
    ("title: T\n", True),
    ("lang: en\ntitle: T\nsubtitel: S\n", True),
    ("lang: en\ntitle: ''\n", True),
    ("lang: en\ntitle: 12\n", True),
    ("lang: en\ntitle: '- a list'\n", True),
    ("lang: en\ntitle: '# a heading'\n", True),
    ("lang: en\ntitle: '1. first'\n", True),
    ("lang: en\ntitle: '\\- not a list'\n", False),
    ("lang: en\ntitle: T\nsubtitle: '> a quote'\n", True),
    ("lang: en\ntitle: T\ntitle-note: |\n  One line,\n  - and a list.\n", True),
    ("lang: en\ntitle: T\ntitle-note: |\n  One line,\n      - indented: code, not a list.\n", False),
    ("lang: en\ntitle: T\nsession-title: '- a dash'\n", False),
    ("lang: en\ntitle: 2009-11-12\n", False),
    ("lang: EN\ntitle: T\n", True),
    ("lang: ' en '\ntitle: T\n", True),
]


@pytest.mark.parametrize(("yaml_text", "refused"), DOCUMENT_CASES)
def test_the_build_and_the_schema_agree_on_document_yaml(yaml_text, refused):
    assert bool(build_refuses_document(yaml_text)) == refused
    assert bool(schema_refuses("document.schema.json", yaml_text)) == refused


@pytest.mark.parametrize(("yaml_text", "refused"), FRONT_CASES)
def test_the_build_and_the_schema_agree_on_front_matter(yaml_text, refused):
    assert bool(build_refuses_front(yaml_text)) == refused
    assert bool(schema_refuses("front-matter.schema.json", yaml_text)) == refused


@pytest.mark.parametrize(("yaml_text", "check"), [
    (document_yaml(session="0x62"), build_refuses_document),     # YAML 1.1 and 1.2 read it as 98
    (document_yaml(original_language="xx"), build_refuses_document),  # a code's form, not a language
    ("lang: fr\ntitle: T\n", build_refuses_front),                 # en.md: the file's name
    ("lang: ar\ntitle: T\n", build_refuses_front),                 # no data for Arabic
])
def test_what_only_the_build_knows(yaml_text, check):
    name = "document.schema.json" if check is build_refuses_document else "front-matter.schema.json"
    assert check(yaml_text) and not schema_refuses(name, yaml_text)


@pytest.mark.parametrize(("meta", "complaint"), [
    ("symbol: MC/X\ndate: 2009-11-12\nsession: ninety\noriginal-language: en\n", "'ninety' is not of type 'integer'"),
    ("symbol: MC/X\ndate: 2009-02-30\nsession: 98\noriginal-language: en\n", "'2009-02-30' is not a 'date'"),
    ("symbol: MC/X\ndate: 2009-11-12\nsession: 98\n", "'original-language' is a required property"),
])
def test_the_command_and_check_jsonschema_refuse_the_same_file(project, meta, complaint):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\nText.\n"}, meta=meta)
    assert main(["check", "--project", str(project)]) == 1
    result = check_jsonschema(project / "source/doc/document.yaml")
    assert result.returncode == 1 and complaint in result.stdout


def redeclare(monkeypatch, which: str, key: str, **value_changes) -> None:
    """Change one declared value constraint, as an edit of metadata.py would."""
    fields = getattr(metadata, which)
    monkeypatch.setattr(metadata, which, tuple(
        dataclasses.replace(field, value=dataclasses.replace(field.value, **value_changes)) if field.key == key
        else field for field in fields))


@pytest.mark.parametrize(("which", "key", "changes", "yaml_text", "front"), [
    ("DOCUMENT", "session", {"maximum": 50}, document_yaml(session="98"), False),
    ("DOCUMENT", "date", {"pattern": re.compile(r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$")}, document_yaml(date="1999-12-31"),
     False),
    ("DOCUMENT", "original-language", {"pattern": re.compile(r"^[a-z]{2}$")}, document_yaml(original_language="en-GB"),
     False),
    ("EDITION", "session-title", {"not_pattern": re.compile(r"^-")}, "lang: en\ntitle: T\nsession-title: '- a'\n",
     True),
])
def test_a_changed_declaration_changes_the_build_and_the_schema(monkeypatch, which, key, changes, yaml_text, front):
    build = build_refuses_front if front else build_refuses_document
    name = "front-matter.schema.json" if front else "document.schema.json"
    assert not build(yaml_text) and not generated_schema_refuses(name, yaml_text)
    redeclare(monkeypatch, which, key, **changes)
    assert build(yaml_text) and generated_schema_refuses(name, yaml_text)
