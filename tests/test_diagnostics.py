"""Each broken input gives exactly its diagnostics, with positions (fixtures/diagnostics.txt)."""

from __future__ import annotations

import pytest
from conftest import case_params, compile_text


@pytest.mark.parametrize("case", case_params("diagnostics.txt"))
def test_broken_input_gives_its_diagnostics(case):
    _, diagnostics = compile_text(case.source)
    got = "".join(f"{d}\n" for d in sorted(diagnostics, key=lambda d: (d.pos.line, d.pos.column)))
    assert got == case.expected, f"fixtures/diagnostics.txt:{case.line}"
