"""Creating vouchers from JSON documents: one file (``voucher new``) or JSON lines (``import``).

Each document is stored whole or not at all: a line with any problem is reported, with its
reasons, and nothing of it is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.validation import check_declared
from treasury_desktop.domain.voucher import (
    DocumentShapeError,
    Voucher,
    declared_values,
    from_document,
)
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.usecases.drafting import DraftingService


@dataclass(frozen=True)
class RejectedLine:
    """A line of an import file that was not stored, and why."""

    line: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportReport:
    """What an import stored and what it refused."""

    stored: tuple[str, ...]
    rejected: tuple[RejectedLine, ...]


class InvalidDocument(ExpectedError):
    """A document that cannot become a voucher; ``problems`` says why, field by field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("import.invalid_document", count=len(self.problems))


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

    def import_lines(self, lines: Iterable[str]) -> ImportReport:
        """JSON lines, one document each; blank lines are skipped."""
        stored: list[str] = []
        rejected: list[RejectedLine] = []
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
                stored.append(self.create(data).id)
            except json.JSONDecodeError as error:
                problem = Problem("", "drafting.json", {"detail": error.msg, "column": error.colno})
                rejected.append(RejectedLine(number, (problem,)))
            except InvalidDocument as error:
                rejected.append(RejectedLine(number, error.problems))
            except ExpectedError as error:
                problem = Problem("id", "drafting.refused", {"reason": str(error)})
                rejected.append(RejectedLine(number, (problem,)))
        return ImportReport(tuple(stored), tuple(rejected))
