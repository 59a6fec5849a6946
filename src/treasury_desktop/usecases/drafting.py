"""Drafting vouchers (lập chứng từ): new, check, save (autosave), copy as new, delete."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

from treasury_desktop.domain.canonical import voucher_hash
from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.problems import Problem, Severity
from treasury_desktop.domain.text_rules import normalised
from treasury_desktop.domain.validation import advise, validate
from treasury_desktop.domain.voucher import Unit, Voucher, new_voucher_id
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.office_names import OfficeNameStore
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor, StoredVoucher
from treasury_desktop.store.vouchers import DuplicateVoucherId, SqliteVoucherRepository
from treasury_desktop.usecases.office_names import OfficeNames
from treasury_desktop.usecases.prefill import RECENT, learn, prefilled

CatalogSource = Callable[[int], BudgetCatalog]


@dataclass(frozen=True)
class SaveResult:
    """What a save stored, and what is still wrong with the voucher."""

    stored: StoredVoucher
    problems: tuple[Problem, ...]
    created: bool = True
    warnings: tuple[Problem, ...] = ()  # shown beside the fields, never blocking


class DraftingService:
    """The accountant's drafting use case. Everything is saved, complete or not; only a
    voucher without problems can go on to be signed."""

    def __init__(
        self,
        repo: SqliteVoucherRepository,
        profile: ProfileStore,
        catalog: CatalogSource,
        actor: Actor,
        clock: Callable[[], date],
    ) -> None:
        self._repo = repo
        self._profile = profile
        self._catalog = catalog
        self._actor = actor
        self._clock = clock
        self.office_names = OfficeNames(OfficeNameStore(repo.connection), catalog)

    def new_draft(self, form: str = "C2-02a/NS") -> Voucher:
        """A fresh draft (not stored until the first save): the desk's unit, today's date, and
        what the unit's recent vouchers teach: the next number, the usual chương/ngành/nguồn
        on the first line, the usual Mã cấp NS."""
        today = self._clock()
        draft = Voucher(
            id=new_voucher_id(),
            form=form,
            fiscal_year=today.year,
            date=today.isoformat(),
            unit=self._profile.unit() or Unit(),
            program_code="00000",
        )
        habits = learn(draft.unit.code, self._repo.recent(today.year, RECENT))
        return prefilled(draft, habits, self._catalog)

    def check(self, voucher: Voucher) -> list[Problem]:
        """Every problem of the voucher, each tied to its field."""
        try:
            catalog = self._catalog(voucher.fiscal_year)
        except ExpectedError:
            return [Problem("fiscal_year", "drafting.no_catalog", {"year": voucher.fiscal_year})]
        return validate(voucher, catalog, today=self._clock())

    def advise(self, voucher: Voucher) -> list[Problem]:
        """What is doubtful but never blocks: a code not in the local list, a future date."""
        try:
            catalog = self._catalog(voucher.fiscal_year)
        except ExpectedError:
            return self.number_warnings(voucher)  # check() says there is no catalogue
        return [*advise(voucher, catalog, today=self._clock()), *self.number_warnings(voucher)]

    def number_warnings(self, voucher: Voucher) -> list[Problem]:
        """A number another voucher of the unit already has in the same fiscal year."""
        others = self._repo.same_number(voucher)
        if not others:
            return []
        params = {"number": voucher.number, "year": voucher.fiscal_year, "count": len(others)}
        return [Problem("number", "number.reused", params, Severity.WARNING)]

    def save(self, voucher: Voucher, *, drop_signatures: bool = False) -> SaveResult:
        """Create or update the draft. Signed vouchers need ``drop_signatures`` (asked first)."""
        voucher = normalised(voucher)
        problems = tuple(self.check(voucher))
        if self._repo.get(voucher.id) is None:
            stored = self._repo.create(voucher, problems=len(problems), actor=self._actor)
        else:
            stored = self._repo.save(
                voucher, problems=len(problems), actor=self._actor, drop_signatures=drop_signatures
            )
        self.office_names.remember(voucher)
        return SaveResult(stored, problems, warnings=tuple(self.advise(voucher)))

    def create(
        self, voucher: Voucher, problems: tuple[Problem, ...] | None = None
    ) -> SaveResult:
        """Store a voucher that must be new. The same id with the same content is accepted
        again (a re-run script, or another process importing the same file at the same
        time): then ``created`` is False. The same id with other content is refused.
        ``problems`` spares a second validation when the caller has just validated it."""
        if problems is None:
            problems = tuple(self.check(voucher))
        try:
            stored = self._repo.create(voucher, problems=len(problems), actor=self._actor)
        except DuplicateVoucherId:
            existing = self._repo.get(voucher.id)
            if existing is None or existing.content_hash != voucher_hash(voucher):
                raise
            return SaveResult(existing, problems, created=False)
        self.office_names.remember(voucher)
        return SaveResult(stored, problems)

    def batch(self) -> AbstractContextManager[object]:
        """Many creates in one transaction, each still whole or not at all."""
        return self._repo.batch()

    def open(self, voucher_id: str) -> StoredVoucher:
        """A stored voucher, or an expected error naming the id."""
        stored = self._repo.get(voucher_id)
        if stored is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        with contextlib.suppress(ExpectedError):  # a read-only data folder keeps nothing
            self.office_names.remember(stored.voucher, only_missing=True)  # one stored before
        return stored

    def copy_as_new(self, voucher_id: str) -> Voucher:
        """A new draft with the content of an earlier voucher (any state): new id, today's
        date, no number, no signatures."""
        source = self.open(voucher_id).voucher
        today = self._clock()
        return source.with_changes(
            id=new_voucher_id(), number="", date=today.isoformat(), fiscal_year=today.year
        )

    def delete(self, voucher_id: str) -> None:
        """Delete an unsigned draft."""
        self._repo.delete_draft(voucher_id, actor=self._actor)
