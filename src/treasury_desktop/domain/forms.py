"""The voucher forms (mẫu chứng từ) as data: ``resources/forms/forms.json``.

A new form that fits the voucher document is a new entry in that file, not a new code path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from treasury_desktop.domain.voucher import PaymentKind, PaymentMethod
from treasury_desktop.i18n import Lang, current_language
from treasury_desktop.paths import resources_dir

OPTIONAL_HEADER_FIELDS = frozenset(
    {"program_code", "budget_level", "commitment_number", "content", "amount"}
)
"""Header fields a form may declare required; all others are checked for every form."""

FORM_PARTS = frozenset({"tax", "statement", "pre_advance", "advance_reference"})
"""Parts only some forms have (DESIGN.md "Additions for the other forms")."""

Labels = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class FormSpec:
    """One voucher form: what it holds, which choices it allows and how the editor lays it out."""

    code: str  # e.g. "C2-02a/NS"
    name_vi: str
    name_en: str
    has_budget_lines: bool
    has_payee: bool
    payment_kinds: tuple[PaymentKind, ...]
    methods: tuple[PaymentMethod, ...]
    required: frozenset[str]  # among OPTIONAL_HEADER_FIELDS
    field_order: tuple[str, ...]  # printed order = editor and Tab order
    line_fields: tuple[str, ...]
    method_fields: Mapping[PaymentMethod, tuple[str, ...]]
    labels: Labels  # shared labels with this form's overrides applied
    parts: frozenset[str] = frozenset()  # among FORM_PARTS
    cash_labels: Labels = field(default_factory=dict)  # labels when a person collects cash

    def has(self, part: str) -> bool:
        """Whether the form has an optional part (``tax``, ``statement`` …)."""
        return part in self.parts

    def name(self, lang: Lang | None = None) -> str:
        """The form's name in ``lang`` (or the current language)."""
        return self.name_en if (lang or current_language()) == "en" else self.name_vi

    def requires(self, field_name: str) -> bool:
        """Whether an optional header field is required on this form."""
        return field_name in self.required

    def fields_for(self, method: PaymentMethod) -> tuple[str, ...]:
        """The editor's fields in order, keeping only the payee fields of ``method``."""
        shown = set(self.method_fields.get(method, ()))
        payee = {f for fields in self.method_fields.values() for f in fields}
        return tuple(f for f in self.field_order if f not in payee or f in shown)

    def label(
        self, path: str, lang: Lang | None = None, method: PaymentMethod | None = None
    ) -> str:
        """The printed label of a field path; ``lines[2].ndkt`` reads as ``lines.ndkt``.
        With a cash ``method`` the payee reads as the person collecting the money."""
        key = re.sub(r"\[\d+\]", "", path)
        texts = self.cash_labels.get(key) if method is not None and method.is_cash else None
        texts = texts or self.labels.get(key)
        if texts is None:
            return path
        return texts.get(lang or current_language()) or texts["vi"]


def _labels(raw: Any, where: str) -> dict[str, Mapping[str, str]]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: labels must be an object")
    out: dict[str, Mapping[str, str]] = {}
    for key, texts in raw.items():
        if not (
            isinstance(texts, dict)
            and isinstance(texts.get("vi"), str)
            and isinstance(texts.get("en"), str)
        ):
            raise ValueError(f"{where}: label {key!r} needs vi and en texts")
        out[key] = MappingProxyType(dict(texts))
    return out


def _form(raw: Mapping[str, Any], shared: Labels, common: Mapping[str, Any]) -> FormSpec:
    code = raw["code"]
    required = frozenset(raw.get("required", ()))
    if not required <= OPTIONAL_HEADER_FIELDS:
        unknown = sorted(required - OPTIONAL_HEADER_FIELDS)
        raise ValueError(f"{code}: unknown required field(s) {unknown}")
    labels = {**shared, **_labels(raw.get("labels", {}), code)}
    parts = frozenset(raw.get("parts", ()))
    if not parts <= FORM_PARTS:
        raise ValueError(f"{code}: unknown part(s) {sorted(parts - FORM_PARTS)}")
    fields = tuple(raw["fields"])
    unlabelled = [f for f in fields if f not in labels]
    if unlabelled:
        raise ValueError(f"{code}: fields without a label: {unlabelled}")
    method_fields = {PaymentMethod(m): tuple(fs) for m, fs in common["method_fields"].items()}
    return FormSpec(
        code=code,
        name_vi=raw["name"]["vi"],
        name_en=raw["name"]["en"],
        has_budget_lines=bool(raw["has_budget_lines"]),
        has_payee=bool(raw["has_payee"]),
        payment_kinds=tuple(PaymentKind(k) for k in raw["payment_kinds"]),
        methods=tuple(PaymentMethod(m) for m in raw["methods"]),
        required=required,
        field_order=fields,
        line_fields=tuple(raw.get("line_fields", common["line_fields"])),
        method_fields=MappingProxyType(method_fields),
        labels=MappingProxyType(labels),
        parts=parts,
        cash_labels=MappingProxyType(_labels(common.get("cash_labels", {}), "cash_labels")),
    )


def load_forms(path: Path) -> tuple[FormSpec, ...]:
    """Read a form catalogue file. A malformed shipped file is a bug: raises ValueError."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shared = _labels(data["labels"], "labels")
    try:
        forms = tuple(_form(raw, shared, data) for raw in data["forms"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: malformed form entry ({exc!r})") from exc
    codes = [f.code for f in forms]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: a form code appears twice")
    return forms


@cache
def _shipped() -> Mapping[str, FormSpec]:
    forms = load_forms(resources_dir() / "forms" / "forms.json")
    return MappingProxyType({f.code: f for f in forms})


def all_forms() -> tuple[FormSpec, ...]:
    """Every form the app knows, in catalogue order (most used first)."""
    return tuple(_shipped().values())


def find_form(code: str) -> FormSpec | None:
    """The form with this code, or None."""
    return _shipped().get(code)


def form_spec(code: str) -> FormSpec:
    """The form with this code; raises KeyError for an unknown one."""
    spec = find_form(code)
    if spec is None:
        raise KeyError(f"unknown form {code!r}")
    return spec
