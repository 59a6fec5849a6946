"""Every problem code the domain can raise has a plain message in Vietnamese and English."""

from __future__ import annotations

import ast
import inspect
import json
import re
import string
from types import ModuleType

import pytest

from treasury_desktop.domain import catalog, document_parts, form_checks, validation, voucher
from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.i18n import all_keys, has_text
from treasury_desktop.paths import resources_dir

# Where a call takes the problem code: Problem(field, code), add(field, code),
# text(field, value, code), iso_date(field, value, missing_code).
_CODE_ARG = {
    "Problem": 1, "add": 1, "warn": 1, "text": 2, "iso_date": 2, "claimed_amount": 1,
    "claimed_words": 1,
}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _expand(node: ast.expr) -> set[str]:
    """A literal code, or an f-string like f"{kind}.missing" over every catalogue kind."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name):
        return set()  # a helper passing its argument on: the literal is found at its callers
    if isinstance(node, ast.JoinedStr):
        tail = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return {f"{kind.value}{tail}" for kind in CatalogKind}
    raise AssertionError(f"cannot read a problem code from {ast.dump(node)}")


def codes_used(module: ModuleType) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Call) and _name(node.func) in _CODE_ARG:
            index = _CODE_ARG[_name(node.func)]
            if len(node.args) > index:
                found |= _expand(node.args[index])
    return found


def test_the_scan_finds_the_codes() -> None:
    used = codes_used(validation)
    assert {"ndkt.unknown", "unit_code.format", "total.mismatch", "split.mismatch"} <= used
    assert {"shape.object", "shape.uuid"} <= codes_used(voucher)
    assert {"shape.list"} <= codes_used(document_parts)
    checks = codes_used(form_checks)
    assert {"tax_code.format", "id_number.cmnd_expired", "id_date.future"} <= checks


@pytest.mark.parametrize(
    "module", [validation, voucher, form_checks, document_parts], ids=lambda m: m.__name__
)
def test_every_problem_code_has_a_message(module: ModuleType) -> None:
    missing = sorted(c for c in codes_used(module) if not has_text(f"problem.{c}"))
    assert missing == []


def test_catalogue_errors_have_messages() -> None:
    keys = set(re.findall(r'"(budget_catalog\.[a-z_]+)"', inspect.getsource(catalog)))
    assert keys == {
        "budget_catalog.missing",
        "budget_catalog.unreadable",
        "budget_catalog.invalid",
    }
    assert all(has_text(k) for k in keys)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_DOMAIN_KEYS = sorted(
    key
    for name in ("domain.json", "vouchers.json")
    for key in json.loads((resources_dir() / "i18n" / name).read_text(encoding="utf-8"))
    if name == "domain.json" or key.startswith("problem.")
)


@pytest.mark.parametrize("key", _DOMAIN_KEYS)
def test_messages_are_complete_plain_sentences(key: str) -> None:
    texts = all_keys()[key]
    vi, en = texts["vi"], texts["en"]
    assert vi and en and vi != en
    assert _placeholders(vi) == _placeholders(en)
    assert not vi.isascii(), "Vietnamese with its diacritics"
    assert vi.endswith(".") and en.endswith(".")
    # Say what to do, not only what is wrong.
    assert "hãy" in vi.lower(), vi
