"""Finding tokens: which PKCS#11 modules to load, what each sees, and why one failed.

The known CA drivers of this OS, the modules the user added in the settings
(:data:`settings.PKCS11_MODULES`), or just the one given on the command line. Every call
here touches PKCS#11, so it runs on the token thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.settings import PKCS11_MODULES
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import TokenRemoved
from treasury_desktop.signing.modules import check_module_file, find_modules, process_bits
from treasury_desktop.signing.pkcs11_token import Pkcs11Module
from treasury_desktop.signing.token import Token, TokenInfo
from treasury_desktop.store.profile import ProfileStore


@dataclass(frozen=True)
class ModuleProblem:
    """A module that could not be loaded, and why (32/64-bit, missing file, driver error)."""

    path: str
    message: Message


@dataclass(frozen=True)
class CertificateView:
    """A certificate as the chooser shows it: usable or not, and whether it expires soon."""

    info: CertificateInfo
    refusal: Message | None
    expires_soon: bool


@dataclass(frozen=True)
class TokenView:
    """One token with its certificates."""

    info: TokenInfo
    certificates: tuple[CertificateView, ...]


class ModuleSet:
    """The loaded modules; a TokenSource over all of them. Close it on the token thread."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.modules: list[Pkcs11Module] = []
        self.problems: list[ModuleProblem] = []
        for path in dict.fromkeys(paths):
            try:
                self.modules.append(Pkcs11Module(path))
            except ExpectedError as error:
                self.problems.append(ModuleProblem(path, error.message))

    def tokens(self) -> list[Token]:
        """Every token every module sees now."""
        found: list[Token] = []
        for module in self.modules:
            try:
                found.extend(module.tokens())
            except ExpectedError as error:
                self.problems.append(ModuleProblem(module.path, error.message))
        return found

    def token_infos(self) -> list[TokenInfo]:
        """What the plug/unplug watcher compares between two polls."""
        infos = []
        for module in self.modules:
            try:
                infos.extend(module.token_infos())
            except ExpectedError:
                continue
        return infos

    def close(self) -> None:
        """Unload every module."""
        for module in self.modules:
            module.close()
        self.modules.clear()


def module_paths(profile: ProfileStore, explicit: str | None = None) -> list[str]:
    """The module to load: ``explicit`` alone, else the known drivers and the user's own."""
    if explicit:
        return [explicit]
    return [str(c.path) for c in find_modules(PKCS11_MODULES.read(profile))]


def describe(tokens: Sequence[Token], now: datetime) -> list[TokenView]:
    """Each token with its signing certificates, usable ones first."""
    views = []
    for token in tokens:
        try:
            info = token.info()
            certs = token.certificates()
        except TokenRemoved:
            continue
        certificate_views = sorted(
            (CertificateView(c, c.usable_at(now), c.expires_soon(now)) for c in certs),
            key=lambda v: (v.refusal is not None, v.info.not_after),
        )
        views.append(TokenView(info, tuple(certificate_views)))
    return views


def driver_report(user_paths: Sequence[str] = ()) -> str:
    """The token drivers this machine offers and whether each could be loaded, without loading
    any (for the diagnostics bundle: a crash is no time to call into a driver)."""
    lines = [f"process: {process_bits()}-bit"]
    candidates = find_modules(user_paths)
    if not candidates:
        lines.append("no known PKCS#11 driver found on this machine")
    for candidate in candidates:
        try:
            check_module_file(candidate.path)
            verdict = "ok"
        except ExpectedError as error:
            verdict = error.message.render("en")
        lines.append(f"{candidate.source} {candidate.vendor}: {candidate.path}: {verdict}")
    return "\n".join(lines)
