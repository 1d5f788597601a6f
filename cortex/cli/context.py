"""What every command gets: parsed global flags, lazily built settings, console and router."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from cortex.config import Settings
    from cortex.llm.router import LLMRouter


@dataclass
class Context:
    debug: bool = False
    json: bool = False
    no_color: bool = False
    env_file: Path | None = None
    flag_overrides: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None
    _console: Console | None = None
    _err_console: Console | None = None
    _router: LLMRouter | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from cortex.config import Settings

            self._settings = Settings.load(flags=self.flag_overrides, env_file=self.env_file)
        return self._settings

    @property
    def console(self) -> Console:
        """stdout console for human output (never used with --json)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(no_color=self.no_color, highlight=False)
        return self._console

    @property
    def err(self) -> Console:
        """stderr console: progress, warnings, errors."""
        if self._err_console is None:
            from rich.console import Console

            self._err_console = Console(stderr=True, no_color=self.no_color, highlight=False)
        return self._err_console

    def router(self) -> LLMRouter:
        if self._router is None:
            from cortex.llm.router import LLMRouter

            self._router = LLMRouter(settings=self.settings)
        return self._router

    def print_json(self, doc: Any) -> None:
        """The one JSON document a --json command prints on stdout: always valid UTF-8, whatever the
        locale and whatever bytes (undecodable file names, argv) the strings in it came from."""
        from cortex.termtext import utf8_safe

        text = utf8_safe(json.dumps(doc, indent=2, default=str, ensure_ascii=False)) + "\n"
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        sys.stdout.flush()

    def close(self) -> None:
        if self._router is not None:
            self._router.close()
            self._router = None
