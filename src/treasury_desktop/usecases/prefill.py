"""What a new draft can be given before the accountant types (issue 12 point 11).

* the next voucher number: one more than the unit's highest of the year, in the same style
  ("12" -> "13", "UNC-009" -> "UNC-010");
* the unit's usual chương / ngành / nguồn: the combination most used on the unit's recent
  lines, else the one with the largest estimate the treasury gave;
* Mã cấp NS: the one the unit's recent vouchers use most, else the level its usual chương
  belongs to (001–399 central, 400–599 province, 600–799 district, 800–989 commune), when the
  year's catalogue has that level.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.voucher import BudgetLine, Voucher
from treasury_desktop.i18n import ExpectedError

RECENT = 300  # vouchers looked at: the unit's habits of the last months
_TRAILING = re.compile(r"^(.*?)(\d+)$")
_LEVEL_OF_CHAPTER = ((1, 399, "1"), (400, 599, "2"), (600, 799, "3"), (800, 989, "4"))

Combination = tuple[str, str, str]  # chương, ngành, nguồn


@dataclass(frozen=True)
class UnitHabits:
    """What the unit usually writes ('' when nothing is known)."""

    next_number: str = ""
    combination: Combination | None = None
    budget_level: str = ""


def next_number(numbers: Sequence[str]) -> str:
    """One more than the highest number in the style of the latest ('' when none has digits).
    ``numbers`` come newest first."""
    latest = next((m for m in map(_TRAILING.match, (n.strip() for n in numbers)) if m), None)
    if latest is None:
        return ""
    prefix = latest.group(1)
    same = [m for m in map(_TRAILING.match, (n.strip() for n in numbers))
            if m and m.group(1) == prefix]
    highest = max(same, key=lambda m: int(m.group(2)))
    digits = highest.group(2)
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def level_of_chapter(chapter: str) -> str:
    """The budget level a chương belongs to ('' for a code outside the ranges)."""
    if not (chapter.isdigit() and len(chapter) == 3):
        return ""
    code = int(chapter)
    return next((level for low, high, level in _LEVEL_OF_CHAPTER if low <= code <= high), "")


def learn(unit_code: str, recent: Sequence[Voucher],
          estimates: Sequence[tuple[Combination, int]] = ()) -> UnitHabits:
    """The habits of ``unit_code`` from its ``recent`` vouchers (newest first) and, for the
    codes, the treasury's ``estimates`` (combination, estimate) when it has none yet."""
    own = [v for v in recent if v.unit.code == unit_code] if unit_code else list(recent)
    combos = Counter((ln.chapter, ln.industry, ln.source) for v in own for ln in v.lines
                     if ln.chapter and ln.industry and ln.source)
    combination: Combination | None = combos.most_common(1)[0][0] if combos else None
    if combination is None and estimates:
        combination = max(estimates, key=lambda item: item[1])[0]
    levels = Counter(v.budget_level for v in own if v.budget_level)
    level = levels.most_common(1)[0][0] if levels else (
        level_of_chapter(combination[0]) if combination else "")
    return UnitHabits(next_number([v.number for v in own]), combination, level)


def prefilled(voucher: Voucher, habits: UnitHabits,
              catalog: Callable[[int], BudgetCatalog] | None = None) -> Voucher:
    """``voucher`` (a fresh draft) with what the habits know; nothing typed is replaced."""
    changes: dict[str, object] = {}
    if not voucher.number and habits.next_number:
        changes["number"] = habits.next_number
    if not voucher.budget_level and habits.budget_level and _known_level(
            habits.budget_level, voucher.fiscal_year, catalog):
        changes["budget_level"] = habits.budget_level
    if habits.combination and not voucher.lines and not voucher.deposit_lines:
        chapter, industry, source = habits.combination
        changes["lines"] = (BudgetLine(chapter=chapter, industry=industry, source=source),)
    return voucher.with_changes(**changes) if changes else voucher


def _known_level(level: str, year: int,
                 catalog: Callable[[int], BudgetCatalog] | None) -> bool:
    if catalog is None:
        return True
    try:
        return catalog(year).name_of(CatalogKind.LEVEL, level) is not None
    except ExpectedError:  # no catalogue for the year: validation says so
        return True
