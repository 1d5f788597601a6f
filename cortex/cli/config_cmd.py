"""`cortex config show|path|set`: effective settings with their sources, secrets redacted."""

from __future__ import annotations

import argparse
import sys

from cortex.exit_codes import ExitCode

HELP = "show effective settings and where each comes from (secrets redacted)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    show = sub.add_parser("show", help="print every effective value with its source")
    show.add_argument("--json", action="store_true", help="one JSON document")
    sub.add_parser("path", help="print the config files cortex reads")
    set_ = sub.add_parser("set", help="set a value in the user config file")
    set_.add_argument("key", help="dotted key, e.g. providers.ollama.model")
    set_.add_argument("value", help="the value (YAML: numbers, true/false, null, lists)")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex import paths

    action = args.action or "show"
    if action == "path":
        ctx.console.print(f"user config:   {paths.config_file()}")
        ctx.console.print(f"system config: {paths.system_config_file()}")
        ctx.console.print(f"cortex .env:   {paths.env_file()}")
        ctx.console.print(f"data dir:      {paths.data_dir()}")
        ctx.console.print(f"cache dir:     {paths.cache_dir()}")
        return ExitCode.OK
    if action == "set":
        return _set(args, ctx)
    rows = list(ctx.settings.effective())
    if getattr(args, "json", False):
        ctx.print_json({key: {"value": value, "source": source} for key, value, source in rows})
        return ExitCode.OK
    # Plain aligned columns: fast to print (no rich import) and easy to grep.
    shown = [(key, "" if value is None else str(value), source) for key, value, source in rows]
    width_key = max(len(r[0]) for r in shown)
    width_value = min(max(len(r[1]) for r in shown), 48)
    out = ["# cortex settings: flags > env > user file > system file > defaults (secrets redacted)"]
    out.append(f"{'KEY'.ljust(width_key)}  {'VALUE'.ljust(width_value)}  SOURCE")
    out.extend(f"{k.ljust(width_key)}  {v.ljust(width_value)}  {src}" for k, v, src in shown)
    sys.stdout.write("\n".join(out) + "\n")
    return ExitCode.OK


def _set(args: argparse.Namespace, ctx) -> int:
    import yaml

    from cortex.config import Settings, load_defaults, write_user_config
    from cortex.errors import UsageError

    defaults = load_defaults()
    known_prefixes = ("routing.tasks",)
    if args.key not in defaults and not args.key.startswith(known_prefixes):
        raise UsageError(f"Unknown setting {args.key!r}.", hint="See `cortex config show` for the keys.")
    try:
        value = yaml.safe_load(args.value)
    except yaml.YAMLError:
        value = args.value
    path = write_user_config({args.key: value})
    Settings.load()  # validate what was written; raises ConfigError with the source
    ctx.console.print(f"{args.key} = {value!r}  (written to {path})")
    return ExitCode.OK
