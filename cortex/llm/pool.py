"""Provider instances for the router: one set for introspection, one set per event loop for calls.

An SDK's async HTTP pool belongs to the loop that opened its connections, and the router runs on
several loops (each async caller's own, a persistent loop per sync thread, one background loop), so
the instances that make calls are kept per loop; a loop's set goes away with the loop.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from cortex.llm import loop, registry
from cortex.llm.providers.base import Provider


class ProviderPool:
    def __init__(self, section: Callable[[str], Mapping[str, Any]]) -> None:
        self._section = section  # provider name -> its settings section
        self._described: dict[str, Provider] = {}
        self._live: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Provider]] = (
            weakref.WeakKeyDictionary()
        )

    def _new(self, name: str) -> Provider:
        return registry.get(name)(self._section(name))

    def described(self, name: str) -> Provider:
        """An instance for introspection (configured(), default_model, describe()): never makes calls."""
        prov = self._described.get(name)
        if prov is None:
            prov = self._described[name] = self._new(name)
        return prov

    def live(self, name: str) -> Provider:
        """The instance that makes calls on the running loop (its SDK client is bound to that loop)."""
        lp = asyncio.get_running_loop()
        providers = self._live.get(lp)
        if providers is None:
            providers = self._live[lp] = {}
        prov = providers.get(name)
        if prov is None:
            prov = providers[name] = self._new(name)
        return prov

    def close(self) -> None:
        """Release every loop's connections from sync code (the loops that still run or can be run)."""
        live = list(self._live.items())
        self._live.clear()
        self._described.clear()
        for lp, providers in live:
            if lp.is_closed() or not providers:
                continue
            try:
                if lp is loop.background_loop() and lp.is_running():
                    asyncio.run_coroutine_threadsafe(close_all(list(providers.values())), lp).result(10)
                elif not lp.is_running():
                    lp.run_until_complete(close_all(list(providers.values())))
            except Exception:
                pass  # connections go with their loop

    async def aclose(self) -> None:
        """Release the connections opened on the running loop."""
        providers = self._live.pop(asyncio.get_running_loop(), {})
        await close_all(list(providers.values()))


async def close_all(providers: list[Provider]) -> None:
    for prov in providers:
        try:
            await prov.aclose()
        except Exception:
            pass
