"""`cortex setup ollama`: install, start and configure a local model, interactive or for CI.

Exit codes: 0 done, 2 bad flags, 11 a step failed (the message says which and what to do),
130 interrupted. `--json` prints one report document on stdout, success or failure.
"""

from __future__ import annotations

import argparse

from cortex.exit_codes import ExitCode

HELP = "set up a local model with Ollama (hardware-aware; --non-interactive for CI)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", nargs="?", default="ollama", choices=["ollama"], help="what to set up")
    add_wizard_flags(parser)


def add_wizard_flags(parser: argparse.ArgumentParser) -> None:
    """The wizard's flags, shared with scripts/setup_ollama.py."""
    parser.add_argument("--non-interactive", action="store_true", help="no prompts: take every choice from flags")
    parser.add_argument("--model", default="auto", help="Ollama tag to use, or 'auto' for the recommendation")
    parser.add_argument("--base-url", default=None, help="Ollama API URL (default: providers.ollama.base_url)")
    parser.add_argument("--skip-install", action="store_true", help="never install Ollama")
    parser.add_argument("--skip-pull", action="store_true", help="never download a model")
    parser.add_argument("--skip-test", action="store_true", help="do not send a test prompt")
    parser.add_argument("--user-install", action="store_true", help="install under ~/.local (no root or sudo)")
    parser.add_argument("--yes", "-y", action="store_true", help="answer yes to confirmations")
    parser.add_argument("--start-timeout", type=float, default=30.0, help="seconds to wait for the API (default 30)")
    parser.add_argument("--list-models", action="store_true", help="print the model catalog and exit")
    parser.add_argument("--json", action="store_true", help="print a JSON report on stdout")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex.errors import CortexError, UsageError
    from cortex.setup.options import WizardOptions, WizardReport
    from cortex.setup.ui import InteractiveUI, PlainUI
    from cortex.setup.wizard import run_wizard

    if args.list_models:
        return _list_models(ctx, args.json)
    if not 0 < args.start_timeout < float("inf"):  # also refuses nan, which compares false to everything
        raise UsageError("--start-timeout must be a positive number of seconds.")
    interactive = not (args.non_interactive or args.json)
    if interactive and not _tty():
        raise UsageError("No terminal for the interactive wizard.", hint="Use --non-interactive (and flags) in CI.")
    options = WizardOptions(
        interactive=interactive,
        model=args.model,
        base_url=args.base_url or ctx.settings.get("providers.ollama.base_url"),
        skip_install=args.skip_install,
        skip_pull=args.skip_pull,
        skip_test=args.skip_test,
        user_install=args.user_install,
        assume_yes=args.yes or not interactive,
        start_timeout=args.start_timeout,
        json=args.json,
    )
    console = ctx.console if interactive else ctx.err
    ui = InteractiveUI(console, assume_yes=args.yes) if interactive else PlainUI(console)
    report = WizardReport()
    try:
        run_wizard(options, ui, report=report)
    except CortexError as exc:
        if args.json:
            ctx.print_json(report.to_dict())
            ctx.json = False  # the report already carries the error; main prints only the message
        raise exc from None
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        from cortex.termtext import markup

        console.print(f"[green]Done.[/green] cortex now uses {markup(report.model)} through Ollama (local-first).")
    return ExitCode.OK


def _tty() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _list_models(ctx, as_json: bool) -> int:
    from cortex.ollama.catalog import load_catalog

    models = load_catalog().models
    if as_json:
        ctx.print_json([m.to_dict() for m in models])
        return ExitCode.OK
    from rich.table import Table

    table = Table(title="Ollama models cortex knows (any other tag works with --model)")
    for col in ("tag", "params", "quant", "download", "memory", "context", "good for"):
        table.add_column(col)
    for m in models:
        table.add_row(
            m.tag,
            f"{m.params_b:g}B",
            m.quantization,
            f"{m.size_gb:g} GB",
            f"{m.memory_gb:g} GiB",
            f"{m.context // 1024}K",
            m.good_for,
        )
    ctx.console.print(table)
    return ExitCode.OK
