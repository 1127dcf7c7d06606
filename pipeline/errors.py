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


def unreadable(exc: OSError | UnicodeDecodeError) -> str:
    """The problem, in the words every command uses, with a file that could not be read: missing,
    a folder, not UTF-8 (which byte, where), or the system's reason."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (invalid byte 0x{exc.object[exc.start]:02x} at byte offset {exc.start})"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot read: {exc.strerror or exc}"
