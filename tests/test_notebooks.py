"""Every notebook in notebooks/ runs top to bottom on a real kernel; a new notebook is a new test."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

pytestmark = pytest.mark.slow  # real servers / kernels: `pytest -m "not slow"` leaves them out

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
# Text a notebook's outputs must show, beyond running without an error.
EXPECTED_OUTPUT = {"01_quickstart": "松江区", "02_sparql_tour": "闵大勇", "03_central_node": "What would change this verdict",
                   "04_visualize": "remote resources: []"}


def output_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the code cells printed or displayed as text."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(value) for key, value in output.get("data", {}).items() if key.startswith("text/"))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell raises

    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
    if path.stem in EXPECTED_OUTPUT:
        assert EXPECTED_OUTPUT[path.stem] in output_text(notebook)
