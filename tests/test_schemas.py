"""The JSON Schemas shipped for editors' YAML extensions: made from the build's declarations, accepting
every real source and refusing what the build refuses."""

from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest
import yaml
from conftest import ROOT, add_document

from councildoc.cli import main
from councildoc.parse import DOCUMENT_FIELDS, EDITION_FIELDS, REQUIRED_EDITION_FIELDS
from councildoc.schemas import path, schemas, text


def test_the_shipped_schemas_are_those_the_declarations_make():
    for name, schema in schemas().items():
        assert path(name).read_text(encoding="utf-8") == text(schema), f"run: python -m councildoc.schemas ({name})"
    document, front = schemas()["document.schema.json"], schemas()["front-matter.schema.json"]
    assert list(document["properties"]) == list(DOCUMENT_FIELDS) == document["required"]
    assert list(front["properties"]) == list(EDITION_FIELDS) and front["required"] == list(REQUIRED_EDITION_FIELDS)


def front_matter(markdown: str) -> dict:
    return yaml.safe_load(markdown.split("\n---\n", 1)[0].removeprefix("---\n"))


def check_document_yaml(file) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                           str(path("document.schema.json")), str(file)], capture_output=True, text=True, timeout=60)


def test_every_real_source_is_valid():
    folders = sorted((ROOT / "source").iterdir())
    assert folders
    for folder in folders:
        result = check_document_yaml(folder / "document.yaml")
        assert result.returncode == 0, result.stdout
        for source in folder.glob("*.md"):
            jsonschema.validate(front_matter(source.read_text(encoding="utf-8")),
                                schemas()["front-matter.schema.json"])


@pytest.mark.parametrize(("meta", "complaint"), [
    ("symbol: MC/X\ndate: 2009-11-12\nsession: ninety\noriginal-language: en\n", "'ninety' is not of type 'integer'"),
    ("symbol: MC/X\ndate: 2009-02-30\nsession: 98\noriginal-language: en\n", "'2009-02-30' is not a 'date'"),
    ("symbol: MC/X\ndate: 2009-11-12\nsession: 98\n", "'original-language' is a required property"),
    ("symbol: MC/X\ndate: 2009-11-12\nsesion: 98\nsession: 98\noriginal-language: en\n", "'sesion' was unexpected"),
])
def test_what_the_build_refuses_in_document_yaml_the_schema_refuses(project, tmp_path, meta, complaint):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\nText.\n"}, meta=meta)
    assert main(["check", "--project", str(project)]) == 1
    result = check_document_yaml(project / "source/doc/document.yaml")
    assert result.returncode == 1 and complaint in result.stdout


@pytest.mark.parametrize("front", ["lang: en\n", "title: T\n", "lang: en\ntitle: T\nsubtitel: S\n",
                                   "lang: en\ntitle: ''\n"])
def test_what_the_build_refuses_in_front_matter_the_schema_refuses(project, front):
    add_document(project, "doc", {"en": f"---\n{front}---\n\nText.\n"})
    assert main(["check", "--project", str(project)]) == 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(front), schemas()["front-matter.schema.json"])
