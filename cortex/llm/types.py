"""Values that cross the model layer: messages, tools, usage, completions. All frozen."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Literal


class TaskType(str, Enum):
    """What a request is for; the routing table maps each to an ordered provider chain."""

    USER_CHAT = "user_chat"
    REQUIREMENT_PARSING = "requirement_parsing"
    SYSTEM_OPERATION = "system_operation"
    ERROR_DEBUGGING = "error_debugging"
    CODE_GENERATION = "code_generation"
    DEPENDENCY_RESOLUTION = "dependency_resolution"
    PACKAGE_SELECTION = "package_selection"
    CONFIGURATION = "configuration"
    TOOL_EXECUTION = "tool_execution"

    @classmethod
    def parse(cls, value: TaskType | str) -> TaskType:
        if isinstance(value, TaskType):
            return value
        key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            names = ", ".join(t.value for t in cls)
            from cortex.errors import UsageError

            raise UsageError(f"Unknown task type {value!r}.", hint=f"Use one of: {names}.") from None


Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model asked for. `arguments` is already parsed JSON."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # for role="tool": which call this answers

    @classmethod
    def system(cls, content: str) -> Message:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls("user", content)

    @classmethod
    def assistant(cls, content: str, tool_calls: tuple[ToolCall, ...] = ()) -> Message:
        return cls("assistant", content, tool_calls=tool_calls)

    @classmethod
    def tool(cls, tool_call_id: str, content: str) -> Message:
        return cls("tool", content, tool_call_id=tool_call_id)


@dataclass(frozen=True)
class Tool:
    """One tool format in: name, description, JSON-schema parameters. Providers convert it."""

    name: str
    description: str
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens)


@dataclass(frozen=True)
class Request:
    """What one provider attempt receives: everything resolved (model, limits, schema)."""

    messages: tuple[Message, ...]
    model: str
    max_tokens: int = 1024
    temperature: float | None = None
    schema: dict[str, Any] | None = None
    schema_name: str = "answer"
    tools: tuple[Tool, ...] = ()
    timeout: float = 60.0  # the whole attempt (the router also guards it)
    stop: tuple[str, ...] = ()
    connect_timeout: float | None = None  # establishing the connection (default: `timeout`)
    idle_timeout: float | None = None  # a stream: the longest silence between bytes (default: `timeout`)

    def sdk_timeout(self, timeout_class: Any, *, stream: bool) -> Any:
        """The SDK's (httpx-style) Timeout for this attempt: connect, read (a stream: the idle limit)."""
        connect = min(self.connect_timeout or self.timeout, self.timeout)
        read = min(self.idle_timeout or self.timeout, self.timeout) if stream else self.timeout
        return timeout_class(self.timeout, connect=connect, read=read)

    @property
    def system(self) -> str:
        return "\n\n".join(m.content for m in self.messages if m.role == "system")

    @property
    def conversation(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if m.role != "system")


@dataclass(frozen=True)
class ProviderResponse:
    """What a provider returns for one attempt, before accounting."""

    text: str
    model: str
    usage: Usage = Usage()
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    # Provider-measured timings where the backend reports them (Ollama, llama.cpp): seconds, tokens/s.
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamEvent:
    """A streamed delta; the last event has `done=True` and the full `response`. An event without
    text still counts as a sign of life (the router's idle timeout starts over)."""

    text: str = ""
    done: bool = False
    response: ProviderResponse | None = None
    usage: Usage | None = None  # tokens so far, where the provider says mid-stream (for partial accounting)


@dataclass(frozen=True)
class Attempt:
    provider: str
    model: str
    ok: bool
    error: str = ""
    latency_s: float = 0.0


@dataclass(frozen=True)
class Completion:
    """A finished answer with its accounting: who answered, tokens, latency, cost."""

    text: str
    provider: str
    model: str
    task: TaskType
    usage: Usage = Usage()
    latency_s: float = 0.0
    cost_usd: float = 0.0
    finish_reason: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    data: Any = None  # the parsed, schema-valid JSON when a schema was given
    attempts: tuple[Attempt, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    truncated: bool = False  # the answer stopped at the token limit (finish_reason "length") and is used as is

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["task"] = self.task.value
        return d
