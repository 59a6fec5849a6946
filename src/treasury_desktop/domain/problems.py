"""A problem found in a voucher, tied to its field (``unit.code``, ``lines[2].ndkt`` …)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from treasury_desktop.i18n import Lang, text


class Severity(StrEnum):
    """An error blocks signing; a warning is shown beside the field and never blocks."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field. ``code`` names a message in resources/i18n."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    severity: Severity = Severity.ERROR

    @property
    def is_warning(self) -> bool:
        """Whether this only warns (unknown code, reused number, future date)."""
        return self.severity is Severity.WARNING

    def message(self, lang: Lang | None = None) -> str:
        """The plain sentence for an accountant: what is wrong and what to do."""
        return text(f"problem.{self.code}", lang, **self.params)
