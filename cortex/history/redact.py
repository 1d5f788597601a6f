"""Secret redaction: nothing that looks like a key or a password ever enters the history.

Patterns cover the shapes seen in practice (Anthropic `sk-ant-...`, OpenAI `sk-...`/`sk-proj-...`,
`KEY=VALUE` and `--token VALUE` forms, `Authorization: Bearer ...`, long random tokens), and the
exact values of the provider keys set in cortex's environment are removed whatever their shape.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

MASK = "****"

_SECRET_NAME = r"[A-Za-z0-9_.\-]*(?:key|token|secret|passw(?:or)?d|passwd|pwd|credentials?|auth)[A-Za-z0-9_]*"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Provider keys with a known prefix.
    (re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{8,}"), MASK),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), MASK),
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16})\b"), MASK),
    # Authorization headers.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}"), r"\1 " + MASK),
    # NAME=VALUE and NAME: VALUE where NAME says it is a secret (API_KEY=..., password: ...).
    (
        re.compile(rf"(?i)\b({_SECRET_NAME})(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s\"',;]+)"),
        r"\1\2" + MASK,
    ),
    # --token VALUE, --password=VALUE, -p VALUE is too ambiguous to touch.
    (
        re.compile(rf"(?i)(--{_SECRET_NAME})(=|\s+)(\"[^\"]*\"|'[^']*'|[^\s\"']+)"),
        r"\1\2" + MASK,
    ),
    # URLs with credentials: scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]+:)[^\s@/]+@"), r"\1" + MASK + "@"),
)

_TOKEN = re.compile(r"(?<![A-Za-z0-9_+/=\-.])[A-Za-z0-9_+/=\-]{32,}(?![A-Za-z0-9_+/=\-])")
_ENTROPY_BITS = 3.5


def _entropy(s: str) -> float:
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_random(token: str) -> bool:
    """Long mixed letters-and-digits strings with high entropy: keys, not package names or paths."""
    if token.startswith("/") or token.count("-") > len(token) // 6:
        return False  # paths and hyphenated names (package names, UUID-like versions) are not keys
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return has_digit and has_alpha and _entropy(token) >= _ENTROPY_BITS


def env_secrets() -> list[str]:
    """The values of provider keys and other secrets set in the environment (exact-match redaction)."""
    from cortex.config import ENV_KEYS, is_secret_key

    names = [name for name, key in ENV_KEYS.items() if is_secret_key(key)]
    values = [os.environ.get(name, "") for name in names]
    return [v for v in values if len(v) >= 8]


def redact_text(text: str, *, secrets: Iterable[str] = ()) -> str:
    """Return `text` with every secret-looking substring replaced by ****."""
    if not text:
        return text
    for value in secrets:
        if value:
            text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return _TOKEN.sub(lambda m: MASK if _looks_random(m.group(0)) else m.group(0), text)


def redact(value: Any, *, secrets: Iterable[str] | None = None) -> Any:
    """Redact strings inside any JSON-like value (dicts, lists, tuples); keys named like secrets too."""
    found = list(env_secrets() if secrets is None else secrets)
    return _walk(value, found)


def _walk(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return redact_text(value, secrets=secrets)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, str) and _is_secret_field(k) and v not in (None, ""):
                out[k] = MASK
            else:
                out[k] = _walk(v, secrets)
        return out
    if isinstance(value, (list, tuple)):
        return [_walk(v, secrets) for v in value]
    return value


_SECRET_FIELD = re.compile(r"(?i)(api[_-]?key|token|secret|passw(or)?d|credentials?)$")


def _is_secret_field(name: str) -> bool:
    return bool(_SECRET_FIELD.search(name))
