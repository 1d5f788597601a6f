"""Prompt formats for models run through llama.cpp's raw completion endpoint, and the request body.

The bundled Gemma 3 270M is a base model: its file carries no chat template, so cortex renders
the Gemma turn format itself. Other GGUFs (from config or Ollama's store) get the format their
embedded template implies (ChatML, Llama 3, Gemma), falling back on the architecture.
All functions here are pure.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cortex.llm.types import Message, Request
from cortex.local_models.tools import render_calls


@dataclass(frozen=True)
class PromptFormat:
    name: str
    turn: str  # "{role}" and "{content}" placeholders
    roles: Mapping[str, str]  # cortex role -> the format's role name
    generation: str  # what opens the model's turn
    stop: tuple[str, ...]
    system_inline: bool = False  # no system role: the system text opens the first user turn
    prefix: str = ""

    def render(self, messages: Sequence[Message]) -> str:
        """The prompt text for a conversation, ending where the model should continue."""
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        turns: list[tuple[str, str]] = []
        if system and not self.system_inline:
            turns.append(("system", system))
        pending_system = system if self.system_inline else ""
        for m in messages:
            if m.role == "system":
                continue
            content = m.content
            if m.tool_calls:
                content = "\n".join(filter(None, (content, render_calls(m.tool_calls))))
            if m.role == "tool":
                content = f"Tool result ({m.tool_call_id or 'call'}):\n{content}"
            if pending_system and m.role in ("user", "tool"):
                content, pending_system = f"{pending_system}\n\n{content}", ""
            turns.append((m.role, content))
        if pending_system:  # a system prompt with no user turn
            turns.append(("user", pending_system))
        body = "".join(self.turn.format(role=self.roles.get(r, r), content=c) for r, c in turns)
        return self.prefix + body + self.generation


GEMMA = PromptFormat(
    name="gemma",
    turn="<start_of_turn>{role}\n{content}<end_of_turn>\n",
    roles={"user": "user", "assistant": "model", "tool": "user"},
    generation="<start_of_turn>model\n",
    stop=("<end_of_turn>", "<start_of_turn>"),
    system_inline=True,
)
CHATML = PromptFormat(
    name="chatml",
    turn="<|im_start|>{role}\n{content}<|im_end|>\n",
    roles={"system": "system", "user": "user", "assistant": "assistant", "tool": "user"},
    generation="<|im_start|>assistant\n",
    stop=("<|im_end|>", "<|im_start|>"),
)
LLAMA3 = PromptFormat(
    name="llama3",
    turn="<|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>",
    roles={"system": "system", "user": "user", "assistant": "assistant", "tool": "user"},
    generation="<|start_header_id|>assistant<|end_header_id|>\n\n",
    stop=("<|eot_id|>", "<|start_header_id|>"),
)
# No turn markup at all: for base models that never saw any (the answer is cued by "Answer:").
PLAIN = PromptFormat(
    name="plain",
    turn="{role}{content}\n\n",
    roles={"user": "", "assistant": "Answer: ", "tool": ""},
    generation="Answer: ",
    stop=("\n\n\n",),
    system_inline=True,
)
FORMATS = {f.name: f for f in (GEMMA, CHATML, LLAMA3, PLAIN)}

# Marker in an embedded chat template -> the format it implies, checked in order.
_TEMPLATE_MARKERS = (("<start_of_turn>", GEMMA), ("<|im_start|>", CHATML), ("<|start_header_id|>", LLAMA3))


def format_for(architecture: str, chat_template: str | None = None, override: str | None = None) -> PromptFormat:
    """The prompt format for a model: as configured, else from its embedded template, else its architecture."""
    if override and override != "auto":
        if override not in FORMATS:
            from cortex.errors import ConfigError

            raise ConfigError(
                f"Unknown prompt format {override!r} (providers.local.prompt_format).",
                hint=f"Use auto or one of: {', '.join(FORMATS)}.",
            )
        return FORMATS[override]
    if chat_template:
        for marker, fmt in _TEMPLATE_MARKERS:
            if marker in chat_template:
                return fmt
    if architecture.startswith("gemma"):
        return GEMMA
    if architecture == "llama":
        return LLAMA3
    return CHATML


def grammar_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema as sent to llama.cpp: compact JSON, so a small model cannot loop on whitespace.

    llama.cpp's default JSON grammar allows free whitespace between tokens; a 270M model then
    fills max_tokens with newlines. `x-guidance.whitespace_flexible: false` forbids that.
    """
    out = copy.deepcopy(dict(schema))
    guidance = dict(out.get("x-guidance") or {})
    guidance.setdefault("whitespace_flexible", False)
    out["x-guidance"] = guidance
    return out


@dataclass(frozen=True)
class Sampling:
    """Sampling defaults from settings (providers.local.*); a request's temperature wins."""

    temperature: float = 0.2
    top_k: int = 40
    top_p: float = 0.95
    repeat_penalty: float = 1.1
    seed: int | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Sampling:
        def pick(key: str, default: Any, kind: type) -> Any:
            value = settings.get(key)
            return default if value is None else kind(value)

        return cls(
            temperature=pick("temperature", cls.temperature, float),
            top_k=pick("top_k", cls.top_k, int),
            top_p=pick("top_p", cls.top_p, float),
            repeat_penalty=pick("repeat_penalty", cls.repeat_penalty, float),
            seed=pick("seed", None, int),
        )


def build_payload(request: Request, fmt: PromptFormat, sampling: Sampling, *, stream: bool) -> dict[str, Any]:
    """The body of one llama.cpp /completion call for `request`."""
    temperature = sampling.temperature if request.temperature is None else request.temperature
    payload: dict[str, Any] = {
        "prompt": fmt.render(request.messages),
        "n_predict": request.max_tokens,
        "temperature": temperature,
        "top_k": sampling.top_k,
        "top_p": sampling.top_p,
        # A repetition penalty fights a grammar that must repeat quotes and braces: off for JSON.
        "repeat_penalty": sampling.repeat_penalty if request.schema is None else 1.0,
        "stop": list(dict.fromkeys((*fmt.stop, *request.stop))),
        "cache_prompt": True,
        "stream": stream,
    }
    if sampling.seed is not None:
        payload["seed"] = sampling.seed
    if request.schema is not None:
        payload["json_schema"] = grammar_schema(request.schema)
    return payload
