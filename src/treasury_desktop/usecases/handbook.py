"""The built-in handbook (sổ tay): offline help in Vietnamese and English, with search.

The handbook is Markdown in ``resources/help/handbook.<lang>.md``: one ``## Title {#anchor}``
heading per section. Anchors are the same in every language, so a dialog names its section once
(its help topic) and F1 opens that section whatever the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from treasury_desktop.domain.catalog import fold
from treasury_desktop.i18n import Lang
from treasury_desktop.paths import resources_dir

_HEADING = re.compile(r"^## (?P<title>.+?) \{#(?P<anchor>[a-z0-9-]+)\}\s*$")


@dataclass(frozen=True)
class HelpSection:
    """One section: its stable anchor, its title and its Markdown body."""

    anchor: str
    title: str
    body: str

    @property
    def markdown(self) -> str:
        """The section as Markdown, with its title."""
        return f"## {self.title}\n\n{self.body}"


@dataclass(frozen=True)
class Handbook:
    """The handbook of one language."""

    title: str
    sections: tuple[HelpSection, ...]

    def section(self, anchor: str) -> HelpSection | None:
        """The section with ``anchor``, if any."""
        return next((s for s in self.sections if s.anchor == anchor), None)

    def search(self, query: str) -> list[HelpSection]:
        """Sections holding every word of ``query`` (diacritics optional), title hits first."""
        words = fold(query).split()
        if not words:
            return list(self.sections)
        hits: list[tuple[int, int, HelpSection]] = []
        for order, section in enumerate(self.sections):
            title, body = fold(section.title), fold(section.body)
            if all(w in title or w in body for w in words):
                in_title = sum(w in title for w in words)
                hits.append((-in_title, order, section))
        return [section for *_, section in sorted(hits, key=lambda h: (h[0], h[1]))]


@cache
def load_handbook(lang: Lang) -> Handbook:
    """Read and split the handbook of ``lang``."""
    text = (resources_dir() / "help" / f"handbook.{lang}.md").read_text(encoding="utf-8")
    title = ""
    sections: list[HelpSection] = []
    current: tuple[str, str] | None = None
    body: list[str] = []
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            if current:
                sections.append(HelpSection(current[0], current[1], "\n".join(body).strip()))
            current, body = (heading["anchor"], heading["title"]), []
        elif line.startswith("# ") and not title:
            title = line[2:].strip()
        elif current:
            body.append(line)
    if current:
        sections.append(HelpSection(current[0], current[1], "\n".join(body).strip()))
    return Handbook(title, tuple(sections))
