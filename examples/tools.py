"""Tool calling: one tool format in, structured ToolCall objects out, whatever the provider.

python examples/tools.py
"""

from __future__ import annotations

from cortex import LLMRouter, TaskType, Tool

STATUS = Tool(
    name="service_status",
    description="Report whether a systemd unit is active.",
    parameters={"type": "object", "properties": {"unit": {"type": "string"}}, "required": ["unit"]},
)


def main() -> None:
    with LLMRouter() as router:
        c = router.complete("Is nginx running?", task=TaskType.TOOL_EXECUTION, tools=[STATUS], max_tokens=100)
        if c.tool_calls:
            for call in c.tool_calls:
                print(f"the model asks for {call.name}({call.arguments})  [{c.provider}]")
        else:
            print(f"no tool call; answer: {c.text}  [{c.provider}]")


if __name__ == "__main__":
    main()
