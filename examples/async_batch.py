"""Many requests at once with bounded concurrency, from async code.

python examples/async_batch.py
"""

from __future__ import annotations

import asyncio

from cortex import LLMRouter
from cortex.errors import CortexError

QUESTIONS = [
    "Name the Debian package that provides the `dig` command.",
    "Name the Debian package that provides the `convert` command.",
    "Name the Debian package that provides the `ab` command.",
]


async def main() -> None:
    router = LLMRouter()
    requests = [{"prompt": q, "task": "package_selection", "max_tokens": 40} for q in QUESTIONS]
    results = await router.acomplete_batch(requests, concurrency=8)
    for question, result in zip(QUESTIONS, results, strict=True):
        if isinstance(result, CortexError):
            print(f"{question}\n  failed: {result.message}")
        else:
            print(f"{question}\n  {result.text.strip()}  [{result.provider}]")
    await router.aclose()


if __name__ == "__main__":
    asyncio.run(main())
