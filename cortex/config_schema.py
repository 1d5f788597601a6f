"""The configuration's schema: which keys exist, what type and range each takes. Pure.

Known keys are the defaults' keys (cortex/data/defaults.yaml, and each provider's `settings` in
cortex/data/providers.yaml). A key's rule is written below when it needs more than its default says
(a range, a value that may be null, a provider name); otherwise it is inferred from the default:
a bool takes a bool, a number takes a number >= 0, a string a string. `problems()` returns every
violation of one layer (a file, the environment, the flags) as a Problem naming key, value and the
expectation; cortex.config turns the first into one ConfigError that names the file as well.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Rule:
    kind: str  # number | int | bool | str | url | provider | profile | tasks | list | mapping
    nullable: bool = False
    low: float | None = None  # inclusive lower bound
    above: float | None = None  # exclusive lower bound
    high: float | None = None  # inclusive upper bound

    def expected(self) -> str:
        words = {
            "number": "a number",
            "int": "a whole number",
            "bool": "true or false",
            "str": "a string",
            "url": "an http:// or https:// URL",
            "provider": "a provider name (or provider:model)",
            "profile": "a routing profile name",
            "tasks": "a mapping of task type -> list of providers",
            "list": "a list",
            "mapping": "a mapping",
        }[self.kind]
        if self.above is not None:
            words += f" greater than {self.above:g}"
        elif self.low is not None and self.high is not None:
            words += f" from {self.low:g} to {self.high:g}"
        elif self.low is not None:
            words += f" of at least {self.low:g}"
        return words + (", or null" if self.nullable else "")


@dataclass(frozen=True)
class Problem:
    key: str
    message: str  # "`limits.timeout` is -1; expected a number greater than 0"


RULES: dict[str, Rule] = {
    "provider": Rule("provider", nullable=True),
    "routing.profile": Rule("profile"),
    "routing.tasks": Rule("tasks"),
    "limits.timeout": Rule("number", above=0),
    "limits.deadline": Rule("number", above=0),
    "limits.connect_timeout": Rule("number", above=0),
    "limits.idle_timeout": Rule("number", above=0),
    "limits.max_retries": Rule("int", low=0, high=20),
    "limits.concurrency": Rule("int", low=1),
    "limits.rpm": Rule("number", low=0),
    "breaker.failures": Rule("int", low=1),
}
# Provider settings by their last part, for every provider's section.
SETTING_RULES: dict[str, Rule] = {
    "api_key": Rule("str", nullable=True),
    "base_url": Rule("url", nullable=True),
    "model": Rule("str", nullable=True),
    "model_path": Rule("str", nullable=True),
    "max_tokens": Rule("int", low=1),
    "n_ctx": Rule("int", low=1),
    "threads": Rule("int", nullable=True, low=1),
    "seed": Rule("int", nullable=True),
    "top_p": Rule("number", low=0, high=1),
    "concurrency": Rule("int", nullable=True, low=1),
    "rpm": Rule("number", nullable=True, low=0),
    "idle_timeout": Rule("number", nullable=True, above=0),
}
# Per-provider overrides of `limits.*` that any provider's section may hold (no default: limits.* applies).
COMMON_PROVIDER_SETTINGS = ("concurrency", "rpm", "idle_timeout")


def rule_for(key: str, default: Any) -> Rule:
    if key in RULES:
        return RULES[key]
    if key.startswith("providers."):
        last = key.rsplit(".", 1)[-1]
        if last in SETTING_RULES:
            return SETTING_RULES[last]
    if isinstance(default, bool):
        return Rule("bool")
    if isinstance(default, (int, float)):
        return Rule("number", low=0)
    if isinstance(default, list):
        return Rule("list")
    if isinstance(default, dict):
        return Rule("mapping")
    return Rule("str", nullable=default is None)


@dataclass(frozen=True)
class Context:
    """What the checks need to know beyond the defaults (passed in, so that the checks stay pure)."""

    is_provider: Callable[[str], bool]  # a registered provider (built-in, run-time or plugin)?
    provider_names: Callable[[], Collection[str]]  # for the messages
    profiles: Callable[[], Collection[str]]  # routing profile names (read only when one is set)
    task_types: Callable[[], Collection[str]]  # task type names (read only when routing.tasks is set)
    provider_settings: Callable[[str], Collection[str] | None]  # a plugin's declared settings, None: any


def problems(values: Mapping[str, Any], defaults: Mapping[str, Any], ctx: Context) -> list[Problem]:
    """Every problem in one layer of flat settings (values already coerced from strings where needed)."""
    sections = _sections(defaults)
    out: list[Problem] = []
    for key, value in values.items():
        if key in defaults:
            problem = check_value(key, value, rule_for(key, defaults[key]), ctx)
        elif _is_common_provider_setting(key, ctx):
            problem = check_value(key, value, SETTING_RULES[key.rsplit(".", 1)[-1]], ctx)
        elif key in sections:
            problem = _section_value(key, value, sections[key])
        else:
            problem = _unknown(key, defaults, ctx)
        if problem:
            out.append(Problem(key, problem))
    return out


def _is_common_provider_setting(key: str, ctx: Context) -> bool:
    parts = key.split(".")
    return (
        len(parts) == 3
        and parts[0] == "providers"
        and parts[2] in COMMON_PROVIDER_SETTINGS
        and ctx.is_provider(parts[1])
    )


def _sections(defaults: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every section (a dotted prefix of a key) -> its child names."""
    out: dict[str, list[str]] = {}
    for key in defaults:
        parts = key.split(".")
        for i in range(1, len(parts)):
            children = out.setdefault(".".join(parts[:i]), [])
            if parts[i] not in children:
                children.append(parts[i])
    return out


def _section_value(key: str, value: Any, children: list[str]) -> str:
    if value is None or (isinstance(value, Mapping) and not value):
        return ""  # an empty section: nothing set
    return f"`{key}` is {_show(value)}; expected a mapping (of {', '.join(children)})"


def _unknown(key: str, defaults: Mapping[str, Any], ctx: Context) -> str:
    parts = key.split(".")
    if len(parts) >= 3 and parts[0] == "providers" and parts[1] not in _builtin_sections(defaults):
        if ctx.is_provider(parts[1]):
            declared = ctx.provider_settings(parts[1])
            if declared is None or ".".join(parts[2:]) in declared:
                return ""  # a plugin's own setting
        elif not any(k.startswith(f"providers.{parts[1]}.") for k in defaults):
            return f"`{key}`: there is no provider {parts[1]!r}{did_you_mean(parts[1], ctx.provider_names())}"
    return f"unknown setting `{key}`{did_you_mean(key, list(defaults))}"


def _builtin_sections(defaults: Mapping[str, Any]) -> set[str]:
    return {k.split(".")[1] for k in defaults if k.startswith("providers.") and k.count(".") >= 2}


def did_you_mean(word: str, choices: Collection[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:  # `timeout` for `limits.timeout`: compare the last part too
        last = {c.rsplit(".", 1)[-1]: c for c in choices}
        close = [last[m] for m in difflib.get_close_matches(word.rsplit(".", 1)[-1], list(last), n=1, cutoff=0.8)]
    return f" (did you mean `{close[0]}`?)" if close else ""


def check_value(key: str, value: Any, rule: Rule, ctx: Context) -> str:
    """ "" when `value` satisfies `rule`; otherwise what is wrong, naming the key and the expectation."""
    if value is None:
        return "" if rule.nullable or rule.kind in ("provider", "tasks") else _bad(key, value, rule)
    kind = rule.kind
    if kind in ("number", "int"):
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if not is_number or (kind == "int" and not whole) or value != value:
            return _bad(key, value, rule)
        too_low = (rule.above is not None and value <= rule.above) or (rule.low is not None and value < rule.low)
        if too_low or (rule.high is not None and value > rule.high) or value in (float("inf"), float("-inf")):
            return _bad(key, value, rule)
        return ""
    if kind == "bool":
        return "" if isinstance(value, bool) else _bad(key, value, rule)
    if kind == "list":
        return "" if isinstance(value, list) else _bad(key, value, rule)
    if kind == "mapping":
        return "" if isinstance(value, Mapping) else _bad(key, value, rule)
    if kind == "tasks":
        return _check_tasks(key, value, ctx)
    if not isinstance(value, str) or (kind != "str" and not value.strip()):
        return _bad(key, value, rule)
    if kind == "url":
        parts = urlsplit(value.strip())
        ok = parts.scheme in ("http", "https") and bool(parts.netloc)
        return "" if ok else _bad(key, value, rule)
    if kind == "provider":
        return _check_provider(key, value, ctx)
    if kind == "profile":
        names = ctx.profiles()
        return "" if value in names else f"{_bad(key, value, rule)} (one of: {', '.join(names)})"
    return ""


def _check_provider(key: str, entry: str, ctx: Context) -> str:
    name = entry.strip().partition(":")[0]
    if ctx.is_provider(name):
        return ""
    names = ctx.provider_names()
    hint = did_you_mean(name, names) or f" (one of: {', '.join(names)})"
    return f"`{key}` is {_show(entry)}; expected a known provider{hint}"


def _check_tasks(key: str, value: Any, ctx: Context) -> str:
    if not isinstance(value, Mapping):
        return _bad(key, value, RULES["routing.tasks"])
    tasks = ctx.task_types()
    for task, entries in value.items():
        if str(task).strip().lower().replace("-", "_").replace(" ", "_") not in tasks:
            return f"`{key}` names an unknown task type {_show(task)}{did_you_mean(str(task), tasks)}"
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, Mapping):
                entry = entry.get("provider")
            if not isinstance(entry, str) or not entry.strip():
                return f"`{key}.{task}` holds {_show(entry)}; expected provider names (or provider:model)"
            if entry.strip() != "...":
                problem = _check_provider(f"{key}.{task}", entry, ctx)
                if problem:
                    return problem
    return ""


def _bad(key: str, value: Any, rule: Rule) -> str:
    return f"`{key}` is {_show(value)}; expected {rule.expected()}"


def _show(value: Any) -> str:
    """The offending value, short: its repr cut to 60 characters, and its type when that is the point."""
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    kind = type(value).__name__
    return text if isinstance(value, (str, int, float)) and not isinstance(value, bool) else f"{text} ({kind})"
