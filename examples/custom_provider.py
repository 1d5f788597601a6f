"""Add a provider: subclass Provider, register it by name, route a task to it.

    python examples/custom_provider.py

A package can do the same through the `cortex.providers` entry-point group.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from cortex import LLMRouter, Settings
from cortex.llm import registry
from cortex.llm.providers.base import Provider
from cortex.llm.types import ProviderResponse, Request, StreamEvent, Usage


class EchoProvider(Provider):
    """Answers with the last user message, upper-cased. Free, always configured."""

    name = "echo"

    def configured(self) -> tuple[bool, str]:
        return True, ""

    async def acomplete(self, request: Request) -> ProviderResponse:
        text = request.conversation[-1].content.upper()
        return ProviderResponse(text=text, model="echo-1", usage=Usage(len(text.split()), len(text.split())))

    async def astream(self, request: Request) -> AsyncIterator[StreamEvent]:
        response = await self.acomplete(request)
        for word in response.text.split():
            yield StreamEvent(text=word + " ")
        yield StreamEvent(done=True, response=response)


def main() -> None:
    registry.register("echo", EchoProvider)
    settings = Settings.load(flags={"routing.tasks": {"user_chat": ["echo"]}})
    with LLMRouter(settings) as router:
        c = router.complete("hello from a plugin")
        print(c.text, f"[{c.provider}/{c.model}]")


if __name__ == "__main__":
    main()
