"""Replace the bundled ICU data library with one holding only what this app can use.

Qt links ICU 7x, whose data library (libicudata.so.7x) carries every locale of the world: 31 MB,
a quarter of the one-folder build. The app speaks Vietnamese and English, so this keeps the root,
``en*`` and ``vi*`` locales, the Unicode properties, normalisation, collation (ucadata),
break-iteration rules and the time-zone data, and drops the other locales, the legacy code-page
converters (the core decodes files in Python, not through Qt), the transliterators and the word
dictionaries of scripts written without spaces. It uses ICU's own tools (icupkg, genccode from
Debian's icu-devtools): the result is a valid ICU data package with the same entry point, checked
by icupkg on the way.

Usage: python packaging/trim_icu.py DIST_FOLDER
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

_LOCALE_RES = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
_KEPT_LOCALES = ("root.", "en.", "en_", "vi.", "vi_")


def dropped(item: str) -> bool:
    """True for a data item this app never uses."""
    base = item.rsplit("/", 1)[-1]
    if item.endswith(".cnv") or item.startswith("translit/"):
        return True
    return bool(_LOCALE_RES.match(base)) and not base.startswith(_KEPT_LOCALES)


def word_dictionary(item: str) -> bool:
    """True for the word dictionaries of Chinese/Japanese, Thai, Lao, Khmer and Burmese (3 MB).

    ICU breaks words of those scripts with them only (Vietnamese words are space-separated) and
    does without them when they are absent, as ICU's own data filter (``brkitr_dictionaries``)
    allows; the break rules name them, so icupkg must be told that this removal is meant.
    """
    return item.startswith("brkitr/") and item.endswith(".dict")


def _data_blob(library: Path, symbol: str) -> bytes:
    """The bytes of the ICU data symbol inside ``library`` (an ELF shared object)."""
    table = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True,
                           check=True).stdout
    found = re.search(rf"^([0-9a-f]+) ([0-9a-f]+) R {symbol}$", table, re.MULTILINE)
    if not found:
        raise SystemExit(f"trim_icu: {library.name} has no symbol {symbol}")
    address, size = int(found.group(1), 16), int(found.group(2), 16)
    sections = subprocess.run(["readelf", "-W", "-S", str(library)], capture_output=True,
                              text=True, check=True).stdout
    for line in sections.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 5 and parts[1] == ".rodata":
            start, offset = int(parts[3], 16), int(parts[4], 16)
            data = library.read_bytes()
            at = offset + (address - start)
            return data[at : at + size]
    raise SystemExit(f"trim_icu: {library.name} has no .rodata section")


def trim(dist: Path) -> tuple[int, int]:
    """Trim the ICU data library under ``dist``; return its size before and after."""
    matches = sorted(dist.glob("_internal/PySide6/Qt/lib/libicudata.so.*"))
    if len(matches) != 1:
        raise SystemExit(f"trim_icu: expected one libicudata under {dist}, found {len(matches)}")
    library = matches[0]
    major = library.name.rsplit(".", 1)[-1]
    entry = f"icudt{major}"
    before = library.stat().st_size
    with tempfile.TemporaryDirectory() as raw:
        work = Path(raw)
        full = work / f"{entry}l.dat"
        full.write_bytes(_data_blob(library, f"{entry}_dat"))
        items = subprocess.run(["icupkg", "-l", str(full)], capture_output=True, text=True,
                               check=True).stdout.split()
        removal = work / "drop.txt"
        removal.write_text("\n".join(i for i in items if dropped(i)) + "\n", "utf-8")
        dictionaries = work / "dictionaries.txt"
        dictionaries.write_text("\n".join(i for i in items if word_dictionary(i)) + "\n", "utf-8")
        (work / "mid").mkdir()
        (work / "out").mkdir()
        mid = work / "mid" / full.name
        small = work / "out" / full.name
        # icupkg refuses to write a package whose kept items depend on removed ones...
        subprocess.run(["icupkg", "-r", str(removal), str(full), str(mid)], check=True)
        # ...except for the dictionaries, whose absence ICU handles.
        subprocess.run(["icupkg", "--ignore-deps", "-r", str(dictionaries), str(mid), str(small)],
                       check=True)
        subprocess.run(["genccode", "-q", "-e", entry, "-a", "gcc", "-f", f"{entry}_dat",
                        "-d", str(work), str(small)], check=True)
        built = work / library.name
        subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}",
                        "-o", str(built), str(work / f"{entry}_dat.S")], check=True)
        subprocess.run(["strip", str(built)], check=True)
        built.replace(library)
    return before, library.stat().st_size


if __name__ == "__main__":
    was, now = trim(Path(sys.argv[1]))
    print(f"trim_icu: ICU data {was / 2**20:.1f} MB -> {now / 2**20:.1f} MB")
