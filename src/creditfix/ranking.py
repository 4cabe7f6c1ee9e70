"""Ranked output without holding every client: what ``check``'s json, csv and table outputs are
written from.

A ranked output needs every result before it writes the first line (the riskiest client may come
last). :class:`Ranking` keeps the results themselves while there are few (up to :data:`SPILL_AT`);
past that it writes each client's output record (its csv row, json object or table cells, made by
the format's *record* function) to a temporary file and keeps only its place: the client's number
in its rank group (:func:`~creditfix.check.rank_group`, a few kilobytes of groups) and where its
record starts in the file (12 bytes a client in all, against ~300 for a result and more for its
text). The records are then read back in ranked order. Both ways give the same records in the same
order (:func:`~creditfix.check.ranked`): results arrive in input order, so the clients of a group
are already in the order that breaks ties.

The temporary file is created 0600 and has no name (``O_TMPFILE``, or unlinked at once where that
is missing), so nothing is left behind whatever way the run ends, ``kill -9`` included. It goes in
the output's folder with ``-o`` (the disk the user chose for a file of that size) and in
``$TMPDIR`` otherwise; it holds what the output holds (after ``--redact``).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from creditfix.check import CheckResult, rank_group, ranked

#: Results held before the rest go to a temporary file: ~300 bytes each, a megabyte or so.
SPILL_AT = 4096
#: Records read back in one call when their order in the file is their order in the output.
_RUN = 512

Records = Callable[[Sequence[CheckResult]], list[str]]


class Ranking:
    """Results added in input order, read back as output records in ranked order (see the module).
    *record* makes the records of some results; *folder* is where a temporary file goes (None:
    ``$TMPDIR``). Close it (or use it as a context manager) to drop the temporary file at once."""

    def __init__(self, record: Records, *, folder: Path | None = None, spill_at: int | None = None) -> None:
        self._record = record
        self._folder = folder
        self._spill_at = SPILL_AT if spill_at is None else spill_at
        self._held: list[CheckResult] = []
        self._file: IO[bytes] | None = None
        self._groups: dict[tuple[bool, int], array[int]] = {}
        self._starts = array("Q", [0])  # where each record starts in the file, and where the last ends
        self.count = 0

    def add(self, results: Sequence[CheckResult]) -> None:
        """Take the next *results* (in input order)."""
        self.count += len(results)
        if self._file is not None:
            self._spill(results)
            return
        self._held.extend(results)
        if len(self._held) > self._spill_at:
            self._file = tempfile.TemporaryFile(dir=self._folder)  # noqa: SIM115 (closed by close()); 0600, no name
            held, self._held = self._held, []
            for begin in range(0, len(held), _RUN):
                self._spill(held[begin : begin + _RUN])

    def held(self) -> list[CheckResult] | None:
        """Every result, ranked, while they are held (None once they went to the temporary file)."""
        return ranked(self._held) if self._file is None else None

    def records(self, *, in_order: bool = True) -> Iterator[str]:
        """Every client's record: in ranked order, or (*in_order* False) in any order, faster (for a
        pass that only measures them). May be called more than once."""
        if self._file is None:
            results = ranked(self._held) if in_order else self._held
            for begin in range(0, len(results), _RUN):
                yield from self._record(results[begin : begin + _RUN])
            return
        self._file.flush()
        fd = self._file.fileno()
        starts = self._starts
        if not in_order:
            for first in range(0, self.count, _RUN):
                last = min(first + _RUN, self.count)
                yield from _split(os.pread(fd, starts[last] - starts[first], starts[first]), starts, first, last)
            return
        for group in sorted(self._groups):
            for number in self._groups[group]:
                start = starts[number]
                yield os.pread(fd, starts[number + 1] - start, start).decode("utf-8", "surrogatepass")

    def _spill(self, results: Sequence[CheckResult]) -> None:
        assert self._file is not None
        texts = self._record(results)
        data = "".join(texts).encode("utf-8", "surrogatepass")
        end = self._starts[-1]
        groups = self._groups
        for number, (result, text) in enumerate(zip(results, texts, strict=True), start=len(self._starts) - 1):
            end += len(text.encode("utf-8", "surrogatepass")) if not text.isascii() else len(text)
            self._starts.append(end)
            group = rank_group(result)
            if group not in groups:
                groups[group] = array("I")
            groups[group].append(number)
        self._file.write(data)

    def close(self) -> None:
        """Drop the temporary file (the results held go with the object)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._held = []

    def __enter__(self) -> Ranking:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def _split(data: bytes, starts: array[int], first: int, last: int) -> Iterator[str]:
    """The records *first* .. *last* - 1 of the bytes that hold them back to back."""
    base = starts[first]
    for number in range(first, last):
        yield data[starts[number] - base : starts[number + 1] - base].decode("utf-8", "surrogatepass")
