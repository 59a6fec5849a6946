"""Issue 12 point 11: what a new draft is given before the accountant types."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import BudgetLine, Unit, Voucher, new_voucher_id
from treasury_desktop.usecases.prefill import (
    UnitHabits,
    learn,
    level_of_chapter,
    next_number,
    prefilled,
)

UNIT = Unit(code="1171277", name="Trường THCS Phú Lương", account="9523.2.1171277",
            treasury="0011")
OTHER = Unit(code="1099999", name="Đơn vị khác", account="9523.2.1099999", treasury="0011")


def made(number: str, combo: tuple[str, str, str] = ("422", "072", "13"), *,
         unit: Unit = UNIT, level: str = "") -> Voucher:
    chapter, industry, source = combo
    return Voucher(id=new_voucher_id(), number=number, unit=unit, budget_level=level,
                   lines=(BudgetLine("Tiền điện", "6501", chapter, industry, source, 1_000),))


def test_the_next_number_follows_the_highest_in_the_latest_style() -> None:
    assert next_number(["12", "9", "11"]) == "13"
    assert next_number(["UNC-009", "UNC-010", "7"]) == "UNC-011"
    assert next_number(["0099"]) == "0100"
    assert next_number(["", "không số"]) == ""
    assert next_number([]) == ""


def test_the_level_of_a_chapter_follows_its_range() -> None:
    assert [level_of_chapter(c) for c in ("001", "399", "422", "622", "860", "990", "4a2")] \
        == ["1", "1", "2", "3", "4", "", ""]


def test_the_usual_codes_are_the_unit_s_most_used_and_other_units_do_not_count() -> None:
    recent = [made("5", ("422", "073", "12")), made("4"), made("3"),
              *(made(str(20 + i), ("599", "341", "01"), unit=OTHER) for i in range(5)),
              made("2", level="2"), made("1", level="2")]
    habits = learn(UNIT.code, recent)
    assert habits == UnitHabits("6", ("422", "072", "13"), "2")
    # nothing recorded yet: the treasury's largest estimate gives the codes, their level
    fresh = learn(UNIT.code, [], [(("422", "073", "13"), 5_000), (("860", "341", "12"), 90_000)])
    assert fresh == UnitHabits("", ("860", "341", "12"), "4")


def test_a_prefilled_draft_keeps_what_is_there_and_only_known_levels(
    tmp_path: Path,
) -> None:
    ctx = AppContext(tmp_path / "home", lang="vi", clock=lambda: date(2026, 11, 20))
    ctx.data_dir.mkdir()
    catalog = ctx.catalog
    draft = Voucher(id=new_voucher_id(), form="C2-02a/NS", unit=UNIT, fiscal_year=2026)
    filled = prefilled(draft, UnitHabits("13", ("422", "072", "13"), "2"), catalog)
    assert (filled.number, filled.budget_level) == ("13", "2")
    assert [(ln.chapter, ln.industry, ln.source, ln.amount) for ln in filled.lines] == [
        ("422", "072", "13", 0)]
    kept = prefilled(draft.with_changes(number="7"), UnitHabits("13", None, ""), catalog)
    assert kept.number == "7" and kept.lines == ()
    # a level the year's catalogue does not know (district, abolished in 2026) is left empty
    assert prefilled(draft, UnitHabits("", None, "3"), catalog).budget_level == ""
    ctx.close()
