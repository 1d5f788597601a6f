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
    from cortex.termtext import clean, one_line

    action = args.action or "show"
    if action == "path":
        for label, path in (
            ("user config:  ", paths.config_file()),
            ("system config:", paths.system_config_file()),
            ("cortex .env:  ", paths.env_file()),
            ("data dir:     ", paths.data_dir()),
            ("cache dir:    ", paths.cache_dir()),
        ):
            sys.stdout.write(f"{label} {clean(path)}\n")
        return ExitCode.OK
    if action == "set":
        return _set(args, ctx)
    rows = list(ctx.settings.effective())
    if getattr(args, "json", False):
        ctx.print_json({key: {"value": value, "source": source} for key, value, source in rows})
        return ExitCode.OK
    # Plain aligned columns: fast to print (no rich import) and easy to grep.
    shown = [(one_line(key), "" if value is None else one_line(value), clean(source)) for key, value, source in rows]
    width_key = max(len(r[0]) for r in shown)
    width_value = min(max(len(r[1]) for r in shown), 48)
    out = ["# cortex settings: flags > env > user file > system file > defaults (secrets redacted)"]
    out.append(f"{'KEY'.ljust(width_key)}  {'VALUE'.ljust(width_value)}  SOURCE")
    out.extend(f"{k.ljust(width_key)}  {v.ljust(width_value)}  {src}" for k, v, src in shown)
    sys.stdout.write("\n".join(out) + "\n")
    return ExitCode.OK


def _set(args: argparse.Namespace, ctx) -> int:
    import yaml

    from cortex import paths
    from cortex.config import Settings, load_defaults, write_user_config
    from cortex.config_schema import did_you_mean
    from cortex.errors import UsageError
    from cortex.system import yamlio
    from cortex.termtext import clean

    defaults = load_defaults()
    if args.key not in defaults and not args.key.startswith("routing.tasks."):
        raise UsageError(
            f"Unknown setting {args.key!r}{did_you_mean(args.key, list(defaults))}.",
            hint="See `cortex config show` for the keys.",
        )
    try:
        value = yamlio.load(args.value, untrusted=True)
    except yamlio.TooComplex as exc:
        raise UsageError(
            f"The value {exc}.", hint="Give a plain value: a number, true/false, null or a list."
        ) from None
    except yaml.YAMLError:
        value = args.value
    # Checked before it is written: a rejected value leaves the file as it was.
    task = args.key.partition("routing.tasks.")[2]
    checked = {"routing.tasks": {task: value}} if task else {args.key: value}
    Settings.load().with_overrides(checked, source=f"file:{paths.config_file()}").validate()
    path = write_user_config({args.key: value})
    sys.stdout.write(clean(f"{args.key} = {value!r}  (written to {path})") + "\n")
    return ExitCode.OK
