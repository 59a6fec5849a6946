"""The printed layout of each form as data: ``resources/print/*.json``, one file per form.

A layout is a list of blocks read top to bottom (choices, fields, the line table, the amount in
words, the date line, the signature blocks, the treasury's part). Blocks that several forms
share live once in ``_shared.json`` and are named with ``{"use": NAME}``; the keys a form gives
next to ``use`` replace the shared block's. A correction to a form is a data change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from treasury_desktop.paths import resources_dir

STATEMENT = "statement"
"""The layout name of the Bảng kê (Mẫu 07), printed after the voucher it goes with."""


@dataclass(frozen=True)
class Condition:
    """Show a value only when the document's ``path`` holds one of ``values``."""

    path: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """One printed checkbox: ticked when the document's ``path`` holds one of ``values``."""

    label: str
    path: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    """A label and the document path whose value follows it."""

    label: str
    path: str
    fmt: str = "text"  # text | money | date | words | office (a mã KBNN and its kept name)
    bold: bool = False
    when: Condition | None = None


@dataclass(frozen=True)
class Column:
    """A column of a line table; its number (1), (2) … is its position."""

    title: str
    path: str  # "#" for the row number
    width: float  # millimetres; scaled to the page width
    fmt: str = "text"
    align: str = "C"
    sums: bool = False
    group: str = ""  # a heading spanning adjacent columns ("Chia ra", "Chứng từ")


@dataclass(frozen=True)
class Block:
    """One part of the page. ``kind`` says which of the other fields are used."""

    kind: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    rows: tuple[tuple[FieldSpec, ...], ...] = ()
    table_rows: str = ""
    columns: tuple[Column, ...] = ()
    total_label: str = ""
    fallback_row: Mapping[str, str] | None = None
    label: str = ""
    path: str = ""
    text: str = ""
    align: str = "L"
    signers: tuple[SignatureColumn, ...] = ()
    officers: tuple[str, ...] = ()
    accounts: bool = False


@dataclass(frozen=True)
class SignatureColumn:
    """A signature block: its title, the hint under it and the signer role whose stamp it gets."""

    title: str
    hint: str = ""
    role: str = ""


@dataclass(frozen=True)
class FormLayout:
    """How one form is printed."""

    form: str
    form_number: str  # "Mẫu số 16a1"; empty where no real printout confirmed it
    title: str
    subtitle: str
    blocks: tuple[Block, ...]

    @property
    def table(self) -> Block | None:
        """The line table, if the form has one."""
        return next((b for b in self.blocks if b.kind == "table"), None)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _field(raw: Mapping[str, Any]) -> FieldSpec:
    when = raw.get("when")
    condition = None
    if when:
        ((path, values),) = when.items()
        condition = Condition(path, _strings(values))
    return FieldSpec(raw["label"], raw["path"], raw.get("format", "text"),
                     bool(raw.get("bold", False)), condition)


def _column(raw: Mapping[str, Any]) -> Column:
    return Column(raw["title"], raw["path"], float(raw["width"]), raw.get("format", "text"),
                  raw.get("align", "C"), bool(raw.get("sum", False)), raw.get("group", ""))


def _block(raw: Mapping[str, Any]) -> Block:
    kind = raw["type"]
    if kind == "choices":
        groups = tuple(
            tuple(Choice(c["label"], c["path"], _strings(c["value"])) for c in group)
            for group in raw["groups"]
        )
        return Block(kind, choices=groups)
    if kind == "fields":
        return Block(kind, rows=tuple(tuple(_field(f) for f in row) for row in raw["rows"]))
    if kind == "table":
        return Block(kind, table_rows=raw["rows"],
                     columns=tuple(_column(c) for c in raw["columns"]),
                     total_label=raw.get("total_label", ""), fallback_row=raw.get("fallback_row"))
    if kind == "words":
        return Block(kind, label=raw["label"], path=raw["path"])
    if kind in ("heading", "text"):
        return Block(kind, text=raw.get("text") or raw.get("template", ""),
                     align=raw.get("align", "C" if kind == "heading" else "L"))
    if kind == "signatures":
        columns = tuple(SignatureColumn(c["title"], c.get("hint", ""), c.get("role", ""))
                        for c in raw["columns"])
        return Block(kind, signers=columns)
    if kind == "treasury_part":
        return Block(kind, officers=tuple(raw.get("officers", ())),
                     accounts=bool(raw.get("accounts", False)))
    if kind == "date_line":
        return Block(kind)
    raise ValueError(f"unknown block type {kind!r}")


def _expand(raw: Mapping[str, Any], shared: Mapping[str, Any]) -> Mapping[str, Any]:
    name = raw.get("use")
    if name is None:
        return raw
    if name not in shared:
        raise ValueError(f"no shared block {name!r}")
    return {**shared[name], **{k: v for k, v in raw.items() if k != "use"}}


def parse_layout(data: Mapping[str, Any], shared: Mapping[str, Any]) -> FormLayout:
    """A layout from its JSON; ValueError when it is malformed."""
    try:
        blocks = tuple(_block(_expand(b, shared)) for b in data["blocks"])
        return FormLayout(data["form"], data.get("form_number", ""), data["title"],
                          data.get("subtitle", ""), blocks)
    except (KeyError, TypeError) as error:
        raise ValueError(f"malformed layout {data.get('form')!r}: {error!r}") from error


def layout_file(form: str, folder: Path | None = None) -> Path:
    """The file of a form's layout: ``C2-02a/NS`` -> ``C2-02a_NS.json``."""
    return (folder or resources_dir() / "print") / (form.replace("/", "_") + ".json")


@cache
def _shared(folder: Path) -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads((folder / "_shared.json").read_text(encoding="utf-8"))
    return data["blocks"]  # type: ignore[no-any-return]


@cache
def _load(form: str, folder: Path) -> FormLayout | None:
    path = layout_file(form, folder)
    if not path.is_file():
        return None
    return parse_layout(json.loads(path.read_text(encoding="utf-8")), _shared(folder))


def find_layout(form: str) -> FormLayout | None:
    """The shipped layout of a form, or None for a form with no printed layout."""
    return _load(form, resources_dir() / "print")


def shipped_layouts() -> Sequence[FormLayout]:
    """Every shipped layout (tests check each one)."""
    folder = resources_dir() / "print"
    names = sorted(p.stem for p in folder.glob("*.json") if not p.stem.startswith("_"))
    found = [_load(n.replace("_", "/", 1) if n != STATEMENT else n, folder) for n in names]
    return [layout for layout in found if layout is not None]
