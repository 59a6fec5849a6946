"""Build the shipped catalogues resources/catalogs/2025.json and 2026.json from sourced lists.

    python scripts/build_catalogs.py MLNS_DIR [--published YYYY-MM-DD]

MLNS_DIR holds the CSV transcriptions of the legal texts (one per list, each row with its
circular and source: chapter.csv, industry.csv, ndkt.csv, source.csv, treasury.csv). The
previous shipped file of each year is read too: codes it had that no source gives are kept,
marked as the starter set they came from. Nothing is filled in from memory.

"verified" on an entry means a second, independent source gives the same code with the same
name (for TT 130/2025 rows: QĐ 33/2008 has the identical code and name), or the row comes from
the circular's own body text. Every other entry is unverified, and says where it came from.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
OUT = ROOT / "resources" / "catalogs"
KINDS = ("chapter", "industry", "ndkt", "source", "level", "treasury", "program")
TT130 = "TT 130/2025/TT-BTC"
TT130_SOURCE = ("leanhvu-ktnn/DANANG_CQ2Cap_KTNN:Vanbanquydinh/TW/Thong_tu/2025/130-2025-TT-BTC/"
                "toan-van.md@10a0432754022835d3051d3aa836d68ce1d54e0e (vbpl.vn doc 185874)")
TT324_SOURCE = ("leanhvu-ktnn/DANANG_CQ2Cap_KTNN:04-Vanbanquydinh/TW/Thong_tu/2016/"
                "324-2016-TT-BTC/toan-van.md@27c19d8df9b760c6eb61745ce9cead4f5d9d937c")
KBNN_SOURCE = ("Dev-ChauBacHo/PTIT:src/TestProgram.java@e7cb062dfe3ea98992b910856b299f2933114ed9"
               " (2021 copy of a KBNN code table)")
SEEN_2023 = "seen on 2023 portal printouts of real vouchers (DOMAIN.md)"
VERIFIED_MEANS = (
    "verified = a second, independent source gives the same code with the same name "
    "(TT 130 rows: identical in QĐ 33/2008), or the row is in the circular's body text; "
    "unverified rows were transcribed once and must be checked against vbpl.vn doc 185874"
)
DISTRICT_END = "2025-06-30"  # district budgets ended on 1 July 2025 (DOMAIN.md)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _previous(year: int) -> dict[str, list[dict[str, Any]]]:
    path = OUT / f"{year}.json"
    if not path.is_file():
        return {k: [] for k in KINDS}
    codes: dict[str, list[dict[str, Any]]] = json.loads(path.read_text("utf-8"))["codes"]
    return codes


def _entry(code: str, name: str, *, parent: str = "", verified: bool, note: str = "",
           valid_to: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "name": name.strip()}
    if parent:
        out["parent"] = parent
    out["verified"] = verified
    if note:
        out["note"] = note
    if valid_to:
        out["valid_to"] = valid_to
    return out


def _tt130(folder: Path, kind: str) -> list[dict[str, Any]]:
    """The complete TT 130/2025 list of a kind, each row checked against QĐ 33/2008."""
    file = {"chapter": "chapter", "industry": "industry", "ndkt": "ndkt"}[kind]
    rows = _rows(folder, file)
    older = {r["code"]: _norm(r["name"]) for r in rows if r["circular"].startswith("QĐ 33")}
    out = []
    for r in rows:
        if not r["circular"].startswith(TT130):
            continue
        parent = r.get("parent_muc") or r.get("parent_loai") or ""
        same = older.get(r["code"]) == _norm(r["name"])
        note = "" if same else "TT 130/2025, transcribed once (unverified)"
        if kind == "ndkt" and r.get("phan"):
            note = (note + "; " if note else "") + r["phan"].split(" ", 1)[-1].capitalize()
        out.append(_entry(r["code"], r["name"], parent=parent, verified=same, note=note))
    return out


def _merge(primary: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``primary`` with entries of ``extra`` whose code it lacks, in code order."""
    merged = {e["code"]: e for e in extra}
    merged.update({e["code"]: e for e in primary})
    return sorted(merged.values(), key=lambda e: e["code"])


def _starter(entries: list[dict[str, Any]], known: set[str]) -> list[dict[str, Any]]:
    """Starter-set codes kept as unverified (their parent kept only when it is listed)."""
    out = []
    for e in entries:
        note = "starter set of the app's first version (unverified)"
        if e.get("note"):
            note += f"; {e['note']}"
        parent = e.get("parent") or ""
        out.append(_entry(e["code"], e["name"], parent=parent if parent in known else "",
                          verified=False, note=note))
    return out


def _sources(folder: Path) -> list[dict[str, Any]]:
    out = []
    for r in _rows(folder, "source"):
        official = r["circular"].startswith("TT 324")
        note = r["circular"] if official else "payroll application seed data (2018), indicative"
        out.append(_entry(r["code"], r["name"], verified=official, note=note))
    out.append(_entry("00", "Nguồn của tài khoản tiền gửi", verified=False,
                      note=f"nguồn 00 on deposit-account payment orders (C4-02a/KB), {SEEN_2023}"))
    return out


def _treasuries(folder: Path) -> list[dict[str, Any]]:
    return [
        _entry(r["code"], r["name"], verified=False,
               note="KBNN code table of about 2021, before the 2025 reorganisation (unverified)")
        for r in _rows(folder, "treasury")
    ]


def _levels(year: int) -> list[dict[str, Any]]:
    names = {"1": "Ngân sách trung ương", "2": "Ngân sách cấp tỉnh",
             "3": "Ngân sách cấp huyện", "4": "Ngân sách cấp xã"}
    out = []
    for code, name in names.items():
        if code == "3" and year >= 2026:
            continue  # no district budgets after 1 July 2025
        out.append(_entry(code, name, verified=True, note="TT 324/2016 body text",
                          valid_to=DISTRICT_END if code == "3" else ""))
    return out


def _list(basis: str, valid_from: str, complete: bool, source: str) -> dict[str, Any]:
    return {"basis": basis, "valid_from": valid_from, "complete": complete, "source": source,
            "verified_means": VERIFIED_MEANS}


def build_2026(folder: Path, published: str) -> dict[str, Any]:
    old = _previous(2026)
    codes: dict[str, list[dict[str, Any]]] = {}
    for kind in ("chapter", "industry", "ndkt"):
        codes[kind] = _tt130(folder, kind)
    codes["source"] = _merge(_sources(folder), _starter(old["source"], set()))
    codes["level"] = _levels(2026)
    treasuries = _treasuries(folder)
    codes["treasury"] = _merge(treasuries, _starter(old["treasury"], set()))
    codes["program"] = _starter(old["program"], set())
    basis = "Thông tư 130/2025/TT-BTC (24/12/2025), áp dụng từ năm ngân sách 2026"
    lists = {
        "chapter": _list(f"{basis}, Phụ lục I", "2026-01-01", True, TT130_SOURCE),
        "industry": _list(f"{basis}, Phụ lục II", "2026-01-01", True, TT130_SOURCE),
        "ndkt": _list(f"{basis}, Phụ lục III (thu và chi)", "2026-01-01", True, TT130_SOURCE),
        "source": _list("Chế độ kế toán NSNN (TT 77/2017/TT-BTC); mã gốc 01, 50 theo TT 324/2016",
                        "2026-01-01", False, f"{TT324_SOURCE}; payroll seed data"),
        "level": _list("TT 324/2016/TT-BTC Điều 6; no district level after 1/7/2025",
                       "2026-01-01", True, TT324_SOURCE),
        "treasury": _list("Mã KBNN (danh mục của KBNN)", "2026-01-01", False,
                          f"{KBNN_SOURCE}; the list after the 2025 reorganisation "
                          "(KBNN khu vực I–XX) was not found (the 20 regions, sourced but"
                          " without codes: resources/catalogs/treasury_regions_2025.json)"),
        "program": _list("TT 130/2025/TT-BTC Phụ lục IV (not extracted)", "2026-01-01", False,
                         "starter set"),
    }
    return {
        "fiscal_year": 2026,
        "basis": basis,
        "version": f"2026.2 ({_dmy(published)})",
        "valid_from": "2026-01-01",
        "published": published,
        "note": ("Chương, Loại/Khoản and Mục/Tiểu mục are the complete lists of TT 130/2025 "
                 "(revenue and expenditure). Nguồn, KBNN offices and CTMT are partial: a "
                 "well-formed code missing here is a warning, never a block. " + VERIFIED_MEANS),
        "lists": lists,
        "codes": codes,
    }


SEEN_CODES = {  # codes on real 2023 vouchers that the first starter set lacked (DOMAIN.md)
    "chapter": ("599", "805"),
    "industry": ("074", "398"),
    "ndkt": ("7049", "7263", "7455", "1000", "1001"),
}


def _named(folder: Path, kind: str, code: str) -> dict[str, Any] | None:
    """A code seen on a 2023 voucher, named from TT 130 (names mostly unchanged) or, for
    chapters and NDKT only, QĐ 33/2008 (its loại-khoản scheme differs: never for industry)."""
    rows = [r for r in _rows(folder, kind) if r["code"] == code]
    for prefix in (TT130, "QĐ 33") if kind != "industry" else (TT130,):
        for r in rows:
            if r["circular"].startswith(prefix):
                parent = r.get("parent_muc") or r.get("parent_loai") or ""
                note = f"{SEEN_2023}; name from {prefix.split('/')[0]} (unverified for 2025)"
                return _entry(code, r["name"], parent=parent, verified=False, note=note)
    return None


def build_2025(folder: Path, published: str) -> dict[str, Any]:
    old = _previous(2025)
    codes: dict[str, list[dict[str, Any]]] = {}
    for kind in ("chapter", "industry", "ndkt"):
        starter = _starter(old[kind], {e["code"] for e in old[kind]})
        extra = [e for code in SEEN_CODES[kind] if (e := _named(folder, kind, code))]
        if kind == "ndkt":
            extra += [_entry(r["code"], r["name"], verified=False,
                             note="TT 324 era payroll tiểu mục, application seed data (2018)")
                      for r in _rows(folder, "ndkt") if r["circular"].startswith("không ghi")]
        merged = _merge(starter, extra)
        known = {e["code"] for e in merged}
        for e in merged:
            if e.get("parent") and e["parent"] not in known:
                del e["parent"]
            if kind == "chapter" and e["code"][0] in "67":
                e["valid_to"] = DISTRICT_END
        codes[kind] = merged
    codes["source"] = _merge(_sources(folder), _starter(old["source"], set()))
    codes["level"] = _levels(2025)
    treasuries = _treasuries(folder)
    codes["treasury"] = _merge(treasuries, _starter(old["treasury"], set()))
    codes["program"] = _starter(old["program"], set())
    basis = "Thông tư 324/2016/TT-BTC (21/12/2016) và các thông tư sửa đổi, bổ sung"
    partial = ("PARTIAL: no complete copy of TT 324/2016 and its amendments was found; "
               "unknown codes only warn")
    lists = {kind: _list(f"{basis} — {partial}", "2025-01-01", kind == "level",
                         "starter set; " + SEEN_2023 + "; " + TT324_SOURCE)
             for kind in KINDS}
    lists["treasury"]["source"] = KBNN_SOURCE
    return {
        "fiscal_year": 2025,
        "basis": basis,
        "version": f"2025.2-partial ({_dmy(published)})",
        "valid_from": "2025-01-01",
        "published": published,
        "note": ("PARTIAL catalogue for fiscal 2025: " + partial + ". District chapters "
                 "(6xx/7xx) and budget level 3 end on 30/06/2025. " + VERIFIED_MEANS),
        "lists": lists,
        "codes": codes,
    }


def _dmy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _write(doc: dict[str, Any]) -> Path:
    path = OUT / f"{doc['fiscal_year']}.json"
    lines = ["{"]
    head = {k: v for k, v in doc.items() if k != "codes"}
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "codes": {')
    kinds = list(doc["codes"])
    for i, kind in enumerate(kinds):
        lines.append(f"    {json.dumps(kind)}: [")
        entries = doc["codes"][kind]
        for j, entry in enumerate(entries):
            comma = "," if j < len(entries) - 1 else ""
            lines.append("      " + json.dumps(entry, ensure_ascii=False) + comma)
        lines.append("    ]" + ("," if i < len(kinds) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mlns", type=Path)
    parser.add_argument("--published", default=date.today().isoformat())
    args = parser.parse_args()
    for build in (build_2025, build_2026):
        doc = build(args.mlns, args.published)
        path = _write(doc)
        counts = {k: len(v) for k, v in doc["codes"].items()}
        verified = sum(e["verified"] for v in doc["codes"].values() for e in v)
        print(path.relative_to(ROOT), counts, f"verified {verified}")
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", args.published)


if __name__ == "__main__":
    main()
