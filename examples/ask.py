"""Ask a question through LLMRouter: once whole, once streamed.

    python examples/ask.py "how do I see which process listens on port 80?"

Uses whatever is configured (a cloud key, Ollama, or the embedded model); see `cortex models`.
"""

from __future__ import annotations

import sys

from cortex import LLMRouter, TaskType


def main() -> None:
    question = " ".join(sys.argv[1:]) or "In one sentence: what is a Debian package?"
    with LLMRouter() as router:
        c = router.complete(question, task=TaskType.USER_CHAT, max_tokens=120)
        print(c.text)
        print(f"-- {c.provider} ({c.model}), {c.usage.input_tokens}->{c.usage.output_tokens} tokens, ${c.cost_usd:.5f}")

        stream = router.stream(question, task=TaskType.USER_CHAT, max_tokens=120)
        for delta in stream:
            print(delta, end="", flush=True)
        print(f"\n-- streamed by {stream.completion.provider} in {stream.completion.latency_s:.2f} s")


if __name__ == "__main__":
    main()
