"""The Windows installer speaks Vietnamese: vi.isl (our own texts over Inno Setup's Default.isl)
is what the script names, is readable by every Inno Setup 6, and defines what the script asks."""

from __future__ import annotations

import re
from pathlib import Path

WINDOWS = Path(__file__).resolve().parents[2] / "packaging" / "windows"
ISS = WINDOWS / "treasury-desktop.iss"
ISL = WINDOWS / "vi.isl"
# Every Inno Setup 6 message takes only these: numbered arguments, line breaks, [name]-style
# fields (a message may omit some, never invent one).
_PLACEHOLDER = re.compile(r"%[1-9n%]|\[(name|name/ver|mb)\]")


def _sections(text: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current[key.strip()] = value
    return sections


def test_the_script_lists_vietnamese_first_over_default_isl() -> None:
    iss = ISS.read_text("utf-8-sig")
    languages = re.findall(r'(?m)^Name: "(\w+)"; MessagesFile: "([^"]+)"', iss)
    assert languages[0] == ("vi", "compiler:Default.isl,vi.isl")
    assert ("en", "compiler:Default.isl") in languages
    assert "ShowLanguageDialog=auto" in iss


def test_vi_isl_is_utf8_with_a_bom_and_names_vietnamese() -> None:
    raw = ISL.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup before 6.3 reads UTF-8 only with a BOM"
    options = _sections(raw.decode("utf-8-sig"))["LangOptions"]
    assert options["LanguageName"] == "Tiếng Việt"
    assert options["LanguageID"] == "$042A"


def test_every_custom_message_the_script_uses_is_translated() -> None:
    used = set(re.findall(r"\{cm:(\w+)", ISS.read_text("utf-8-sig")))
    assert used >= {"CreateDesktopIcon", "AdditionalIcons", "LaunchProgram"}
    translated = _sections(ISL.read_text("utf-8-sig"))["CustomMessages"]
    assert used <= set(translated), used - set(translated)


def test_the_wizard_pages_a_per_user_install_shows_are_translated() -> None:
    messages = _sections(ISL.read_text("utf-8-sig"))["Messages"]
    shown = {
        "SetupWindowTitle", "ButtonNext", "ButtonBack", "ButtonInstall", "ButtonCancel",
        "ButtonFinish", "WizardSelectDir", "SelectDirDesc", "WizardSelectTasks", "WizardReady",
        "WizardInstalling", "FinishedHeadingLabel", "FinishedLabel", "ClickFinish",
        "ExitSetupMessage", "ConfirmUninstall", "UninstalledAll", "SelectLanguageLabel",
    }
    assert shown <= set(messages), shown - set(messages)
    for key, value in messages.items():
        stripped = _PLACEHOLDER.sub("", value)
        assert "%" not in stripped and "[" not in stripped.replace("< &", ""), (key, value)
        assert value.strip(), key
