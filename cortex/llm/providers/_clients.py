"""One SDK client per event loop, shared by the SDK-backed providers.

An SDK's async HTTP pool belongs to the loop that opened its connections; the router may run a
provider on several loops (the caller's own loop for async calls, a per-thread loop for sync calls),
so each loop gets its own client. Entries go away with their loop.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

from cortex.llm.providers._errors import ErrorContext
from cortex.llm.providers.base import Provider


class ClientPerLoop:
    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def get(self) -> Any:
        """The running loop's client, created on first use (the factory may raise NotConfiguredError)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = self._factory()
        return client

    async def aclose(self) -> None:
        """Close the running loop's client; forget the others (their loops own their connections)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        client = self._clients.pop(loop, None) if loop is not None else None
        for other in list(self._clients):
            if other.is_closed():
                self._clients.pop(other, None)
        if client is not None:
            try:
                await client.close()
            except Exception:  # a connection that is already gone must not mask the caller's outcome
                pass


async def import_sdk(name: str) -> None:
    """Import an SDK in a worker thread so a slow first import neither blocks the loop nor eats
    into an attempt's timeout (Provider.prepare)."""
    if name not in sys.modules:
        await asyncio.to_thread(importlib.import_module, name)


class SDKProvider(Provider):
    """A provider backed by a vendor SDK: one client per event loop, the SDK imported off the loop.

    Subclasses set `sdk_module` and implement `_new_client()`; `client()` returns the running loop's.
    """

    sdk_module: ClassVar[str] = ""
    key_env: ClassVar[str] = ""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._clients = ClientPerLoop(self._new_client)

    def _new_client(self) -> Any:
        raise NotImplementedError

    def client(self) -> Any:
        return self._clients.get()

    @property
    def completes_by_stream(self) -> bool:
        # providers.NAME.stream_completions (providers.yaml): on unless a server cannot stream.
        return bool(self.settings.get("stream_completions", True))

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def context(self, model: str, timeout: float | None = None, *, idle: bool = False) -> ErrorContext:
        """What an error of this provider names: provider, model, key, address, the limit that ran out."""
        return ErrorContext(
            provider=self.name,
            model=model,
            key_env=self.key_env,
            base_url=self.base_url,
            timeout=timeout,
            idle=idle,
            not_found_hint=self.not_found_hint(model),
        )

    def not_found_hint(self, model: str) -> str:
        return f"Check providers.{self.name}.model: {model!r} is not a model this server offers."

    def sdk_timeout(self, request: Any, *, stream: bool) -> Any:
        """The SDK's Timeout for a request: connect, read (a stream's idle limit) and the rest."""
        return request.sdk_timeout(sys.modules[self.sdk_module].Timeout, stream=stream)

    async def prepare(self, model: str | None = None) -> None:
        await import_sdk(self.sdk_module)

    async def aclose(self) -> None:
        await self._clients.aclose()
