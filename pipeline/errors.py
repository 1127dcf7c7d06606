"""The one shape of error a user reads: `where: problem`, naming the file, feed or url that failed."""
from __future__ import annotations

from pathlib import Path


class ProblemWith(Exception):
    """A problem with one thing (a file, a store, a feed, a url); `str()` is `where: problem`, the
    one line a command prints while the rest of the work goes on."""

    def __init__(self, where: str | Path, problem: str):
        super().__init__(str(where), problem)
        self.where = str(where)
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"
