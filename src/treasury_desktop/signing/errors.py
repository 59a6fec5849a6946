"""The token failures a user can act on, and how PKCS#11 return codes map to them.

The real token (PyKCS11) and the fake token raise the same exceptions from the same codes, so
what the user reads does not depend on which one is behind the interface.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Literal

import PyKCS11

from treasury_desktop.i18n import ExpectedError, Message


class PinState(Enum):
    """What the token says about its user PIN before anything is typed."""

    NORMAL = "normal"
    COUNT_LOW = "count_low"  # CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered
    FINAL_TRY = "final_try"  # CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks it
    LOCKED = "locked"  # CKF_USER_PIN_LOCKED: only the SO PIN or the CA can unlock
    UNKNOWN = "unknown"  # the driver does not say

    @property
    def message(self) -> Message:
        """A short label for the PIN dialog, shown before anything is typed."""
        return Message(f"signing.pin_state.{self.value}")


def pin_state_from_flags(flags: int) -> PinState:
    """The PIN state from CK_TOKEN_INFO.flags (the worst flag wins)."""
    if flags & PyKCS11.CKF_USER_PIN_LOCKED:
        return PinState.LOCKED
    if flags & PyKCS11.CKF_USER_PIN_FINAL_TRY:
        return PinState.FINAL_TRY
    if flags & PyKCS11.CKF_USER_PIN_COUNT_LOW:
        return PinState.COUNT_LOW
    return PinState.NORMAL


class TokenError(ExpectedError):
    """A token failure explained in plain words; ``token`` is its label."""

    def __init__(self, key: str, /, *, token: str, **params: Any) -> None:
        self.token = token
        super().__init__(key, token=token, **params)


class PinIncorrect(TokenError):
    """Wrong PIN; ``pin_state`` is the state the token reports now. Never retried by the app."""

    def __init__(self, *, token: str, pin_state: PinState) -> None:
        self.pin_state = pin_state
        key = {
            PinState.COUNT_LOW: "signing.pin.incorrect_count_low",
            PinState.FINAL_TRY: "signing.pin.incorrect_final_try",
        }.get(pin_state, "signing.pin.incorrect")
        super().__init__(key, token=token)


class PinLocked(TokenError):
    """The PIN is locked: say how to unlock it, and do not offer another try."""

    def __init__(self, *, token: str) -> None:
        self.pin_state = PinState.LOCKED
        super().__init__("signing.pin.locked", token=token)


class PinInvalid(TokenError):
    """An empty or too short/long PIN (CKR_ARGUMENTS_BAD, CKR_PIN_LEN_RANGE)."""

    def __init__(self, *, token: str) -> None:
        super().__init__("signing.pin.invalid", token=token)


class TokenRemoved(TokenError):
    """The token was pulled out (or its session vanished)."""

    def __init__(self, *, token: str) -> None:
        super().__init__("signing.token.removed", token=token)


class LoginCancelled(Exception):  # noqa: N818 - a cancel, not an error
    """The user cancelled on the PIN pad (CKR_FUNCTION_CANCELED). Not an error to report."""


Operation = Literal["login", "sign", "read"]

_REMOVED = frozenset(
    {
        PyKCS11.CKR_DEVICE_REMOVED,
        PyKCS11.CKR_TOKEN_NOT_PRESENT,
        PyKCS11.CKR_SESSION_HANDLE_INVALID,
        PyKCS11.CKR_SESSION_CLOSED,
        PyKCS11.CKR_SLOT_ID_INVALID,
    }
)
_MECHANISM = frozenset(
    {
        PyKCS11.CKR_MECHANISM_INVALID,
        PyKCS11.CKR_MECHANISM_PARAM_INVALID,
        PyKCS11.CKR_KEY_TYPE_INCONSISTENT,
        PyKCS11.CKR_KEY_FUNCTION_NOT_PERMITTED,
    }
)


def error_for_code(
    code: int,
    *,
    token: str,
    operation: Operation,
    pin_state_now: Callable[[], PinState],
) -> Exception:
    """The exception to raise for a PKCS#11 return code.

    ``pin_state_now`` is asked only after a wrong PIN, to report the new state.
    """
    if code == PyKCS11.CKR_PIN_INCORRECT:
        try:
            state = pin_state_now()
        except TokenError:
            state = PinState.UNKNOWN
        if state is PinState.LOCKED:
            return PinLocked(token=token)
        return PinIncorrect(token=token, pin_state=state)
    if code == PyKCS11.CKR_PIN_LOCKED:
        return PinLocked(token=token)
    if code == PyKCS11.CKR_FUNCTION_CANCELED:
        return LoginCancelled(token)
    if operation == "login" and code in (PyKCS11.CKR_ARGUMENTS_BAD, PyKCS11.CKR_PIN_LEN_RANGE):
        return PinInvalid(token=token)
    if code in _REMOVED:
        return TokenRemoved(token=token)
    if code in (PyKCS11.CKR_USER_NOT_LOGGED_IN, PyKCS11.CKR_PIN_EXPIRED):
        return TokenError("signing.token.not_logged_in", token=token)
    if code in _MECHANISM:
        return TokenError("signing.token.mechanism", token=token)
    if code == PyKCS11.CKR_DEVICE_ERROR:
        return TokenError("signing.token.device_error", token=token)
    name = PyKCS11.CKR.get(code, f"0x{code:08X}")
    return TokenError("signing.token.failed", token=token, code=str(name))
