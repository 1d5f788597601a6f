"""`cortex ask "question"`: stream an answer and say which backend gave it, what it took and cost."""

from __future__ import annotations

import argparse
import sys

from cortex.exit_codes import ExitCode

HELP = "ask a model a question (streams the answer; says which backend answered)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="+", help="the question ('-' reads it from standard input)")
    parser.add_argument(
        "--task", default="user_chat", help="task type that picks the provider chain (default: user_chat)"
    )
    parser.add_argument("--model", help="model id for the forced --provider")
    parser.add_argument("--system", help="a system prompt")
    parser.add_argument("--max-tokens", type=int, help="cap the answer's length")
    parser.add_argument("--no-stream", action="store_true", help="wait for the whole answer")
    parser.add_argument("--json", action="store_true", help="print the whole completion record as JSON")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex.llm.types import TaskType
    from cortex.termtext import clean, markup

    question = " ".join(args.question)
    if question.strip() == "-":
        question = sys.stdin.read()
    task = TaskType.parse(args.task)
    router = ctx.router()
    # Local help (man pages, package index): the answer when no capable model is configured, else context.
    from cortex.cli.ask_local import answer_offline, local_system_prompt

    offline = answer_offline(ctx, args, router, task, question)
    if offline is not None:
        return offline
    system = local_system_prompt(ctx, args, task, question)
    kw = dict(task=task, system=system, max_tokens=args.max_tokens, provider=args.provider, model=args.model)
    if args.json:
        completion = router.complete(question, **kw)
        ctx.print_json(completion.to_dict())
        return ExitCode.OK
    if args.no_stream:
        completion = router.complete(question, **kw)
        sys.stdout.write(clean(completion.text).rstrip("\n") + "\n")
    else:
        completion = _stream(router.stream(question, **kw))
    sys.stdout.flush()
    for note in notes(completion):
        ctx.err.print(f"[dim]  {markup(note)}[/dim]", soft_wrap=True)
    ctx.err.print(f"[dim]— {markup(footer(completion))}[/dim]", soft_wrap=True)
    if completion.truncated:
        ctx.err.print("[yellow]The answer was cut off at the token limit; --max-tokens allows a longer one.[/yellow]")
    advice = _advice(completion)
    if advice:
        ctx.err.print(f"[yellow]{advice}[/yellow]")
    return ExitCode.OK


def _stream(stream):
    """Print the deltas as they come; whatever ends the stream, the terminal line is finished first,
    so an error (or the interrupt notice) never sticks to the partial answer."""
    from cortex.termtext import clean

    ends_with_newline = True
    try:
        for delta in stream:
            delta = clean(delta)  # model text: no control sequences reach the terminal
            sys.stdout.write(delta)
            sys.stdout.flush()
            ends_with_newline = delta.endswith("\n") if delta else ends_with_newline
    finally:
        if not ends_with_newline:
            sys.stdout.write("\n")
            sys.stdout.flush()
    return stream.completion


def notes(c) -> list[str]:
    """The failures the chain got past, once each (e.g. a paid provider skipped, a timeout moved on)."""
    seen: list[str] = []
    for a in c.attempts:
        if not a.ok and a.error and a.error not in seen:
            seen.append(a.error)
    return seen


def footer(c) -> str:
    """One line: who answered, how long, tokens, cost."""
    cost = f"${c.cost_usd:.4f}" if c.cost_usd else "free"
    tries = f" · after {len(c.attempts) - 1} failed attempt(s)" if len(c.attempts) > 1 else ""
    cut = " · cut off (token limit)" if c.truncated else ""
    return (
        f"{c.provider} ({c.model}) · {c.latency_s:.2f} s · "
        f"{c.usage.input_tokens}→{c.usage.output_tokens} tokens · {cost}{tries}{cut}"
    )


def _advice(completion) -> str | None:
    if completion.provider != "local":
        return None
    try:
        from cortex.local_models import advice_for
    except ImportError:
        return None
    return advice_for(completion.task)
