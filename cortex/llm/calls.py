"""What a caller asks the router for, resolved and checked before any provider is chosen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cortex.errors import CortexError, UsageError
from cortex.llm.types import Message, TaskType, Tool

PromptLike = str | Message | Sequence[Message | Mapping[str, Any]]


@dataclass(frozen=True)
class Call:
    """One resolved request to the router (before a provider is chosen)."""

    messages: tuple[Message, ...]
    task: TaskType
    schema: dict[str, Any] | None = None
    schema_name: str = "answer"
    tools: tuple[Tool, ...] = ()
    max_tokens: int | None = None
    temperature: float | None = None
    provider: str | None = None
    model: str | None = None
    timeout: float | None = None


def to_messages(prompt: PromptLike, system: str | None = None) -> tuple[Message, ...]:
    """Normalise a prompt (text, a Message, or a list of Messages / {'role','content'} dicts)."""
    if isinstance(prompt, str):
        messages = [Message.user(prompt)]
    elif isinstance(prompt, Message):
        messages = [prompt]
    else:
        messages = []
        for item in prompt:
            if isinstance(item, Message):
                messages.append(item)
            elif isinstance(item, Mapping) and "role" in item:
                messages.append(Message(item["role"], str(item.get("content") or "")))
            else:
                raise UsageError(
                    f"Not a message: {item!r}.", hint="Pass text, Message objects or {'role','content'} dicts."
                )
    if system:
        messages.insert(0, Message.system(system))
    if not any(m.content.strip() or m.tool_calls for m in messages if m.role != "system"):
        raise UsageError("The prompt is empty.", hint="Give the model something to answer.")
    return tuple(messages)


def make_call(
    prompt: PromptLike,
    *,
    task: TaskType | str = TaskType.USER_CHAT,
    system: str | None = None,
    schema: dict[str, Any] | None = None,
    schema_name: str = "answer",
    tools: Sequence[Tool] = (),
    max_tokens: int | None = None,
    temperature: float | None = None,
    provider: str | None = None,
    model: str | None = None,
    timeout: float | None = None,
    stream: bool = False,
) -> Call:
    """Check a request's arguments and resolve them into a Call."""
    if model and not provider:
        raise UsageError("`model=` needs `provider=`: model ids differ between providers.")
    if stream and schema:
        raise UsageError("Structured output is not streamed; use complete(..., schema=...).")
    if max_tokens is not None and max_tokens <= 0:
        raise UsageError("max_tokens must be positive.")
    return Call(
        messages=to_messages(prompt, system),
        task=TaskType.parse(task),
        schema=schema,
        schema_name=schema_name,
        tools=tuple(tools),
        max_tokens=max_tokens,
        temperature=temperature,
        provider=provider,
        model=model,
        timeout=timeout,
    )


def make_calls(requests: Iterable[PromptLike | Mapping[str, Any]]) -> list[Call | CortexError]:
    """Batch items: a prompt, or a mapping of make_call's arguments with `prompt`; a bad item is its error."""
    calls: list[Call | CortexError] = []
    for item in requests:
        try:
            if isinstance(item, Mapping) and "role" not in item:
                kw = dict(item)
                calls.append(make_call(kw.pop("prompt"), **kw))
            else:
                calls.append(make_call(item))  # type: ignore[arg-type]
        except CortexError as exc:
            calls.append(exc)
        except (KeyError, TypeError) as exc:
            calls.append(UsageError(f"Invalid batch item: {exc}"))
    return calls
