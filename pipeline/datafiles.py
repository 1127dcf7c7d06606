"""Reading the editable data files in `data/`.

Every data file is a CSV whose first lines may be `#` comments (they say what the file is and
how to extend it); blank lines are ignored. Keeping the format this plain means a user extends
a lexicon or the actor dictionary with any text editor or spreadsheet.
"""
from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_data_rows(path: str | Path) -> list[dict[str, str]]:
    """The rows of a commented CSV data file as dicts, values stripped of surrounding spaces."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    return [
        {key.strip(): (value or "").strip() for key, value in row.items() if key is not None}
        for row in reader
    ]
