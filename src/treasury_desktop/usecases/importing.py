"""Creating vouchers from JSON documents: one file (``voucher new``) or JSON lines (``import``).

Each document is stored whole or not at all: a line with any problem is reported, with its
reasons, and nothing of it is kept. Lines end at ``\\n`` only (a U+2028 or U+0085 inside a
line is text, not a line break). Lines are committed a few hundred at a time, each inside
its own savepoint; an id already stored with the same content is "already there", not
stored again. When the store itself fails (a full disk), the import stops and says which
lines were stored and from which line on nothing was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from treasury_desktop.domain.limits import MAX_DOCUMENT_BYTES, LimitExceeded, load_json
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.validation import check_declared
from treasury_desktop.domain.voucher import (
    DocumentShapeError,
    Voucher,
    declared_values,
    from_document,
)
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.store.errors import StorageError
from treasury_desktop.usecases.drafting import DraftingService

BATCH_LINES = 500
"""Lines per transaction: one fsync per batch instead of one per line (100,000 lines in
well under a minute), small enough that ids are printed soon after they are stored."""


@dataclass(frozen=True)
class RejectedLine:
    """A line of an import file that was not stored, and why."""

    line: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportStopped:
    """The store failed: nothing from ``line`` on was stored, for ``reason``."""

    line: int
    reason: Message


@dataclass(frozen=True)
class ImportReport:
    """What an import stored, found already there, refused, and where it had to stop."""

    stored: tuple[str, ...]
    rejected: tuple[RejectedLine, ...]
    already: tuple[str, ...] = ()
    stopped: ImportStopped | None = None


class ImportListener(Protocol):
    """Hears about an import while it runs (the command line prints as it goes)."""

    def committed(self, voucher_ids: tuple[str, ...], lines_done: int) -> None:
        """These ids are now stored for good; ``lines_done`` lines have been read."""

    def refused(self, rejected: RejectedLine) -> None:
        """This line was refused."""


class InvalidDocument(ExpectedError):
    """A document that cannot become a voucher; ``problems`` says why, field by field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("import.invalid_document", count=len(self.problems))


def json_lines(stream: IO[bytes], max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream, split at ``\\n`` only, without the line end (nor a
    ``\\r`` before it). A line longer than ``max_bytes`` is cut at ``max_bytes + 1`` bytes (so
    the limit refuses it) and the rest of it skipped, never held in memory."""
    first = True
    while True:
        raw = stream.readline(max_bytes + 2)
        if not raw:
            return
        if not raw.endswith(b"\n") and len(raw) > max_bytes:
            while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
        if first and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        first = False
        yield raw.removesuffix(b"\n").removesuffix(b"\r")


@dataclass
class _Batch:
    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)


class ImportService:
    """Turns documents into stored vouchers through the drafting use case."""

    def __init__(self, drafting: DraftingService) -> None:
        self._drafting = drafting

    def parse(self, data: Any) -> Voucher:
        """A complete, valid voucher from a document, or :class:`InvalidDocument`.

        A missing ``id`` is made here; ``total``, ``amount_in_words`` and the tax and payee
        parts of a C2-02b/NS, when the file gives them, must agree with the lines.
        """
        try:
            voucher = from_document(data, assign_id=True)
        except DocumentShapeError as error:
            raise InvalidDocument(error.problems) from None
        problems = [*self._drafting.check(voucher), *check_declared(voucher, declared_values(data))]
        if problems:
            raise InvalidDocument(problems)
        return voucher

    def create(self, data: Any) -> Voucher:
        """Store one document as a new voucher; returns it (its id is printed by the CLI)."""
        voucher = self.parse(data)
        self._drafting.create(voucher, problems=())  # parse() refused any problem
        return voucher

    def import_lines(
        self, lines: Iterable[bytes | str], listener: ImportListener | None = None
    ) -> ImportReport:
        """JSON lines, one document each; blank lines are skipped."""
        stored: list[str] = []
        already: list[str] = []
        rejected: list[RejectedLine] = []
        numbered = iter(enumerate(lines, start=1))
        while chunk := [item for _, item in zip(range(BATCH_LINES), numbered, strict=False)]:
            batch = _Batch()
            try:
                with self._drafting.batch():
                    for number, raw in chunk:
                        self._line(number, raw, batch)
            except StorageError as error:
                return self._stopped(stored, already, rejected, batch, chunk[0][0], error)
            stored.extend(batch.stored)
            already.extend(batch.already)
            rejected.extend(batch.rejected)
            if listener is not None:
                for line in batch.rejected:
                    listener.refused(line)
                listener.committed(tuple(batch.stored), chunk[-1][0])
        return ImportReport(tuple(stored), tuple(rejected), tuple(already))

    @staticmethod
    def _stopped(
        stored: list[str], already: list[str], rejected: list[RejectedLine], batch: _Batch,
        first_line: int, error: StorageError,
    ) -> ImportReport:
        # The failed batch was rolled back: its refusals stand, its stores do not.
        rejected.extend(batch.rejected)
        return ImportReport(
            tuple(stored), tuple(rejected), tuple(already),
            ImportStopped(first_line, error.message),
        )

    def _line(self, number: int, raw: bytes | str, batch: _Batch) -> None:
        if not raw.strip():
            return
        try:
            text = raw if isinstance(raw, str) else raw.decode("utf-8")
            result = self._drafting.create(self.parse(load_json(text)), problems=())
        except StorageError:
            raise  # the store failed, not the line: the batch stops (see import_lines)
        except UnicodeDecodeError as error:
            problem = Problem("", "import.not_utf8", {"column": error.start + 1})
            batch.rejected.append(RejectedLine(number, (problem,)))
        except json.JSONDecodeError as error:
            problem = Problem("", "drafting.json", {"detail": error.msg, "column": error.colno})
            batch.rejected.append(RejectedLine(number, (problem,)))
        except LimitExceeded as error:
            batch.rejected.append(RejectedLine(number, (error.problem,)))
        except InvalidDocument as error:
            batch.rejected.append(RejectedLine(number, error.problems))
        except ExpectedError as error:
            problem = Problem("id", "drafting.refused", {"reason": str(error)})
            batch.rejected.append(RejectedLine(number, (problem,)))
        else:
            target = batch.stored if result.created else batch.already
            target.append(result.stored.voucher.id)
