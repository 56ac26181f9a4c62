"""The example notebook runs from top to bottom (nbclient), so it never rots."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="install the test extras: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="install the test extras: pip install -e '.[test]'")

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "deepseek_walkthrough.ipynb"


@pytest.mark.slow
def test_example_notebook_executes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("fr-article" in o["data"]["text/html"] for o in html)  # the explained article
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images  # the two figures
