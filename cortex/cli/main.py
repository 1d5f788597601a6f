"""`cortex` entry point: global flags, one module per command, the one place errors become exit codes.

Each command module exposes HELP (one line), add_arguments(parser) and run(args, ctx) -> int.
Command modules import only the standard library at top level so that `cortex --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from cortex import __version__
from cortex.exit_codes import ExitCode

# command name -> module. Order is the order shown in --help.
COMMANDS: dict[str, str] = {
    "install": "cortex.cli.install",
    "provides": "cortex.cli.provides",
    "index": "cortex.cli.index",
    "shell-init": "cortex.cli.shell_init",
    "history": "cortex.cli.history",
    "rollback": "cortex.cli.rollback",
    "apply": "cortex.cli.apply",
    "export": "cortex.cli.export",
    "ask": "cortex.cli.ask",
    "models": "cortex.cli.models",
    "setup": "cortex.cli.setup",
    "hardware": "cortex.cli.hardware",
    "doctor": "cortex.cli.doctor",
    "config": "cortex.cli.config_cmd",
    "stats": "cortex.cli.stats",
}


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (exit 2, one line) instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from cortex.errors import UsageError

        raise UsageError(message, hint=f"Run `{self.prog} --help` for usage.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cortex",
        description="cortex: an AI-native system assistant for Linux. Dry-run by default.",
        epilog="Exit codes: see README.md (0 ok, 2 usage, 3 refused, 4 unresolved, 5 install failed, 130 interrupted).",
    )
    parser.add_argument("--version", action="version", version=f"cortex {__version__}")
    add_global_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # command not built in this installation
            raise
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        add_global_flags(cmd, suppress=True)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def add_global_flags(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """Global flags are accepted before or after the command (`cortex --debug ask` = `cortex ask --debug`)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--debug", action="store_true", default=default or False, help="show tracebacks for errors")
    parser.add_argument("--no-color", action="store_true", default=default or False, help="plain output")
    parser.add_argument("--provider", default=default, help="force one provider (claude, kimi, openai, ollama, local)")
    parser.add_argument(
        "--env-file", type=Path, default=default, help="also read this .env file (cortex never reads ./.env by itself)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run cortex; return the exit code (the console script passes it to sys.exit)."""
    code = _main(list(sys.argv[1:] if argv is None else argv))
    return int(code)


def _main(argv: list[str]) -> int:
    from cortex.cli.context import Context

    ctx = Context(debug="--debug" in argv, json="--json" in argv)
    try:
        _check_encoding(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        ctx.debug = bool(args.debug)
        ctx.no_color = bool(args.no_color)
        ctx.json = bool(getattr(args, "json", False))
        ctx.env_file = args.env_file
        if args.provider:
            ctx.flag_overrides["provider"] = args.provider
        if not getattr(args, "_run", None):
            parser.print_help()
            return ExitCode.USAGE
        return int(args._run(args, ctx) or ExitCode.OK)
    except KeyboardInterrupt:
        _report_interrupt(ctx)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except Exception as exc:
        return _report(ctx, exc)
    finally:
        try:
            ctx.close()
        except Exception:
            pass


def _check_encoding(argv: Sequence[str]) -> None:
    """Arguments that are not valid UTF-8 (Python hands them over as lone surrogates) are a usage error."""
    for n, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from cortex.errors import UsageError

            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise UsageError(
                f'Argument {n} ("{shown}") is not valid UTF-8.',
                hint="Pass text in UTF-8; check the terminal's or the script's encoding.",
            ) from None


def _report_interrupt(ctx) -> None:
    from cortex.errors import Interrupted

    err = Interrupted()
    if ctx.json:
        ctx.print_json(err.to_dict())
    sys.stderr.write("\ncortex: interrupted.\n")


def _report(ctx, exc: BaseException) -> int:
    """Expected failures: one line and a hint. Anything else: a bug, shown with --debug."""
    from cortex.errors import CortexError
    from cortex.termtext import clean

    if isinstance(exc, CortexError):
        if ctx.json:
            ctx.print_json(exc.to_dict())
        # Messages quote paths, server bodies and model text: printed without their control sequences.
        sys.stderr.write(f"cortex: error: {clean(exc.message)}\n")
        if exc.hint:
            sys.stderr.write(f"hint: {clean(exc.hint)}\n")
        if ctx.debug:
            import traceback

            traceback.print_exception(exc)
        return int(exc.exit_code)
    if ctx.json:  # even a bug leaves --json with one document on stdout
        ctx.print_json({"error": "InternalError", "message": f"{type(exc).__name__}: {exc}", "exit_code": 1})
    if ctx.debug:
        import traceback

        traceback.print_exception(exc)
    else:
        sys.stderr.write(f"cortex: internal error: {type(exc).__name__}: {clean(exc)}\n")
        sys.stderr.write("hint: this is a bug; run again with --debug for the traceback and report it.\n")
    return ExitCode.ERROR


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
