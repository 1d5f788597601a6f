"""`cortex stats`: requests, failures, tokens, cost and latency per provider, across runs."""

from __future__ import annotations

import argparse

from cortex.exit_codes import ExitCode

HELP = "show model usage per provider: requests, failures, tokens, cost, latency"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=float, help="only the last N days (default: all time)")
    parser.add_argument("--json", action="store_true", help="one JSON document")


def run(args: argparse.Namespace, ctx) -> int:
    import time

    from cortex.llm.stats import UsageLog

    log = UsageLog()
    since = time.time() - args.days * 86400 if args.days else None
    rows = log.summary(since=since)
    spent = log.paid_today()
    cap = float(ctx.settings.get("budget.daily_usd") or 0)
    if args.json:
        ctx.print_json({"providers": rows, "paid_today_usd": round(spent, 6), "daily_cap_usd": cap or None})
        return ExitCode.OK
    if not rows:
        ctx.console.print('No model calls recorded yet. Try `cortex ask "hello"`.')
        return ExitCode.OK
    from rich.table import Table

    from cortex.termtext import markup

    table = Table(title="cortex model usage" + (f" (last {args.days:g} days)" if args.days else ""))
    cols = (
        "provider",
        "requests",
        "failures",
        "partial",
        "tokens in",
        "tokens out",
        "cost",
        "mean latency",
        "p50 latency",
    )
    for col in cols:
        table.add_column(col, justify="left" if col == "provider" else "right")
    for r in rows:
        table.add_row(
            markup(r["provider"]),
            str(r["requests"]),
            str(r["failures"]),
            str(r["partial"]),
            str(r["input_tokens"]),
            str(r["output_tokens"]),
            f"${r['cost_usd']:.4f}",
            _secs(r["latency_mean_s"]),
            _secs(r["latency_p50_s"]),
        )
    ctx.console.print(table)
    cap_text = f" of a ${cap:.2f} daily cap" if cap else " (no daily cap set: budget.daily_usd)"
    ctx.console.print(f"Paid providers today: ${spent:.4f}{cap_text}")
    return ExitCode.OK


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"
