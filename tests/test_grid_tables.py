"""Grid tables (``+---+`` with cells of several lines): found before Pandoc reads the source,
their cells read by the same reader as the rest, positions mapped back into the grid."""

from __future__ import annotations

import dataclasses
import json
import subprocess

import pytest
from conftest import compile_text
from test_tables import EN

from councildoc.dump import dump
from councildoc.markdown import write_markdown
from councildoc.model import LineBreak, NoteCall, SourcePos, Text
from councildoc.parse import pandoc_path
from councildoc.writers.text import write_text

PIPE = """| Item | 2009 | 2010 |
|:-----|-----:|------|
| Staff costs[^staff] | 1,234.5 | 2,000 |
| Office costs | 30 | – |
"""

GRID = """+---------------+---------+-------+
| Item          | 2009    | 2010  |
+:==============+========:+=======+
| Staff         | 1,234.5 | 2,000 |
| costs[^staff] |         |       |
+---------------+---------+-------+
| Office costs  | 30      | –     |
+---------------+---------+-------+
"""


def _without_positions(value):
    """The model with every position taken out (a grid table takes more lines than a pipe table)."""
    if isinstance(value, SourcePos):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, tuple((f.name, _without_positions(getattr(value, f.name)))
                                            for f in dataclasses.fields(value) if f.name not in ("catalogue",))
    if isinstance(value, (tuple, list)):
        return tuple(_without_positions(v) for v in value)
    return value


def _build(text: str):
    document, diagnostics = compile_text(text, "en.md")
    assert [str(d) for d in diagnostics] == []
    return document


def test_a_grid_table_gives_the_model_of_the_same_pipe_table():
    assert PIPE in EN
    pipe, grid = _build(EN), _build(EN.replace(PIPE, GRID))
    assert _without_positions(grid) == _without_positions(pipe)
    assert dump(grid) == dump(pipe)
    assert write_text(grid) == write_text(pipe)


def test_grid_cells_keep_their_positions_in_the_grid():
    text = EN.replace(PIPE, GRID)
    lines = text.split("\n")
    table = _build(text).body.tables[0]

    def where(fragment: str) -> SourcePos:  # the oracle: where the fragment is in the source
        number = next(n for n, line in enumerate(lines, start=1) if fragment in line and line.startswith("|"))
        return SourcePos("en.md", number, lines[number - 1].index(fragment) + 1)

    assert table.pos == SourcePos("en.md", lines.index(GRID.split("\n")[0]) + 1, 1)
    assert [cell.pos for cell in table.head[0].cells] == [where("Item"), where("2009"), where("2010")]
    staff = table.body[0].cells[0]
    assert staff.pos == where("Staff")
    call = next(i for i in staff.inlines if isinstance(i, NoteCall))
    assert (call.label, call.pos) == ("staff", where("[^staff]"))
    assert table.body[1].cells[2].pos == where("–")


def test_a_reference_and_a_note_in_a_grid_cell_resolve_and_misspelt_ones_are_errors_in_the_grid():
    grid = GRID.replace("| Office costs  |", "| See @sec:x    |").replace("| costs[^staff] |", "| costs[^stuff] |")
    text = EN.replace(PIPE, grid).replace("# Summary", "# Summary {#sec:y}")
    lines = text.split("\n")
    _, diagnostics = compile_text(text, "en.md")
    note_line = next(n for n, line in enumerate(lines, start=1) if "[^stuff]" in line)
    ref_line = next(n for n, line in enumerate(lines, start=1) if "@sec:x" in line)
    assert f"en.md:{note_line}:8: error: note [^stuff] is called but never defined" in [str(d) for d in diagnostics]
    _, diagnostics = compile_text(text.replace("[^stuff]", "[^staff]"), "en.md")
    assert [str(d) for d in diagnostics] == [
        f"en.md:{ref_line}:7: error: unknown label 'sec:x'\n  hint: did you mean 'sec:y'?"]
    document = _build(text.replace("[^stuff]", "[^staff]").replace("@sec:x", "@sec:y"))
    assert "See {sec:y→I}" in dump(document)


PARAGRAPHS = GRID.replace("""| Office costs  | 30      | –     |
""", """| Office        | 30      | –     |
|               |         |       |
| Rent          |         |       |
""")


def test_a_cell_of_several_paragraphs_sets_each_on_a_line_and_a_list_is_refused():
    table = _build(EN.replace(PIPE, PARAGRAPHS)).body.tables[0]
    assert table.body[1].cells[0].inlines == (Text("Office"), LineBreak(), Text("Rent"))
    text = EN.replace(PIPE, PARAGRAPHS.replace("| Rent          |", "| - Rent        |"))
    number = text.split("\n").index("| - Rent        |         |       |") + 1
    _, diagnostics = compile_text(text, "en.md")
    assert [str(d) for d in diagnostics] == [
        f"en.md:{number}:3: error: a list in a table cell is not supported\n"
        "  hint: write the cell's text as paragraphs, a blank line between: each is set on a line of its own"]


def _pandoc_markdown_cells(grid: str) -> list[list[str]]:
    """The oracle: Pandoc's own ``markdown`` reader (which has grid tables), each cell's plain text."""
    result = subprocess.run([pandoc_path(), "--from", "markdown", "--to", "json"], input=grid.encode(),
                            capture_output=True, check=True)
    table = json.loads(result.stdout)["blocks"][0]["c"]

    def text(node) -> str:
        if isinstance(node, dict):
            return {"Str": lambda: node["c"], "Space": lambda: " ", "SoftBreak": lambda: " ",
                    "LineBreak": lambda: "\n"}.get(node["t"], lambda: text(node.get("c", [])))()
        if isinstance(node, list):
            return "".join(text(n) for n in node)
        return ""

    def paragraphs(blocks) -> str:
        return "\n".join(text(block) for block in blocks)

    head = [[paragraphs(cell[4]) for cell in row[1]] for row in table[3][1]]
    body = [[paragraphs(cell[4]) for cell in row[1]] for _, _, _, rows in table[4] for row in rows]
    return head + body


def test_the_grid_is_read_as_pandocs_own_markdown_reader_reads_it():
    grid = ("+-------+------------------+---------+\n"
            "| Code  | Description      | Amount  |\n"
            "+=======+==================+=========+\n"
            "| A1    | Staff costs,     | 1,200.5 |\n"
            "|       | *two* lines      |         |\n"
            "+-------+------------------+---------+\n"
            "| B2    | One              | 7       |\n"
            "|       |                  |         |\n"
            "|       | Two              |         |\n"
            "+-------+------------------+---------+\n"
            "|       |                  | 0.25    |\n"
            "+-------+------------------+---------+\n")
    table = _build(f"---\nlang: en\ntitle: T\n---\n\nText.\n\n{grid}\n: T {{#tbl:t}}\n").body.tables[0]

    def plain(inlines) -> str:
        return "".join("\n" if isinstance(i, LineBreak) else i.text if isinstance(i, Text) else plain(i.children)
                       for i in inlines)

    assert [[plain(cell.inlines) for cell in row.cells] for row in table.rows] == _pandoc_markdown_cells(grid)


def test_a_cell_padded_to_the_right_is_text_not_code():
    """Unlike Pandoc's reader (which strips one space and reads four as code), the cell's common
    indentation is taken off: a right-padded figure is the figure."""
    grid = "+-----+----------+\n| a   | Amount   |\n+=====+=========:+\n| x   |     1.25 |\n+-----+----------+\n"
    table = _build(f"---\nlang: en\ntitle: T\n---\n\nText.\n\n{grid}\n: T {{#tbl:t}}\n").body.tables[0]
    assert table.body[0].cells[1].inlines == (Text("1.25"),)
    assert table.body[0].cells[1].pos == SourcePos("en.md", 11, 13)


@pytest.mark.parametrize(("table", "expected"), [
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2  |\n+---+---+\n",
     "en.md:9:9: error: this row does not keep the grid table's columns"),
    ("+---+---+\n| a | b |\n+===+===+\n| 1   2 |\n+---+---+\n",
     "en.md:9:5: error: this row does not keep the grid table's columns"),
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+-+-+\n",
     "en.md:10:1: error: this rule does not keep the grid table's columns"),
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n", "en.md:9:1: error: a grid table must end with a rule line"),
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+===+===+\n| 3 | 4 |\n+---+---+\n",
     "en.md:10:1: error: a second '+===+' rule, or one above every row"),
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\nText.\n",
     "en.md:11:1: error: a grid table must be followed by a blank line"),
    ("+---+---+\n| a |\tb |\n+===+===+\n| 1 | 2 |\n+---+---+\n", "en.md:7:6: error: a tab in a grid table"),
    ("+---+------+\n| a | ```  |\n+===+======+\n| 1 | 2    |\n+---+------+\n",
     "en.md:7:7: error: a code fence or a fenced div in a table cell"),
])
def test_a_malformed_grid_table_is_refused_at_its_line_with_a_hint(table, expected):
    _, diagnostics = compile_text(f"---\nlang: en\ntitle: T\n---\n\n{table}", "en.md")
    found = [str(d) for d in diagnostics]
    assert len(found) == 1 and found[0].startswith(expected + "\n  hint: "), found


def test_a_grid_table_right_after_a_paragraph_is_refused():
    _, diagnostics = compile_text("---\nlang: en\ntitle: T\n---\n\nText.\n+---+\n| a |\n+---+\n", "en.md")
    assert [str(d).split("\n")[0] for d in diagnostics] == ["en.md:7:1: error: a grid table must follow a blank line"]


def test_a_grid_table_in_a_fenced_code_block_is_no_table():
    _, diagnostics = compile_text("---\nlang: en\ntitle: T\n---\n\n```\n+---+\n| a |\n```\n", "en.md")
    assert [str(d).split("\n")[0] for d in diagnostics] == ["en.md:6:1: error: a code block is not supported"]


def test_a_grid_table_with_cells_of_several_lines_is_written_back_as_a_grid_table():
    document = _build(EN.replace(PIPE, PARAGRAPHS))
    written = write_markdown(document)
    # The rule under the heads says each column's alignment, a ':' against the '+' (Pandoc's syntax).
    assert "\n+:====================+========:+======:+\n| Staff costs" in written, written
    again = _build(written)
    assert _without_positions(again.body.tables) == _without_positions(document.body.tables)


def test_the_worked_example_of_the_authoring_guide_builds():
    from conftest import ROOT

    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = guide.split("**A cell of several lines is written in a grid table**")[1].split("```markdown\n")[1]
    example = example.split("```")[0]
    text = (f"---\nlang: en\ntitle: T\n---\n\nThe figures.\n\n{example}\n{{#para:rent}}\nRent.\n\n"
            "[^icsc]: Geneva.\n[^chf]: Swiss francs.\n")
    table = _build(text).body.tables[0]
    assert (len(table.head), len(table.body), table.aligns) == (1, 2, ("left", "right", "right"))
    assert [(n.letter, n.label) for n in table.notes] == [("a", "chf"), ("b", "icsc")]
    assert table.body[0].cells[0].inlines[0] == Text("Staff costs, including post adjustment")
