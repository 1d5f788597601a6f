"""Rich rendering of an install plan and its outcome (the human side of `cortex install`)."""

from __future__ import annotations

from typing import Any


def _size(n: int | None) -> str:
    if n is None:
        return "unknown"
    sign = "-" if n < 0 else ""
    value = float(abs(n))
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{sign}{value:.0f} {unit}" if unit == "B" else f"{sign}{value:.1f} {unit}"
        value /= 1000
    return f"{value}"


def render_plan(console: Any, plan: Any, *, dry_run: bool = False) -> None:
    """Packages (with real description, version, origin and why), argv steps, simulation summary."""
    from rich.table import Table

    from cortex.termtext import markup as escape

    if plan.status == "refused" and not plan.packages:
        return
    if plan.chosen:
        table = Table(title=f"Plan for: {escape(plan.request)}", title_justify="left", show_lines=False)
        for col in ("package", "version", "origin", "description", "why"):
            table.add_column(col, overflow="fold")
        for c in plan.chosen:
            table.add_row(escape(c.name), escape(c.version), escape(c.origin), escape(c.summary), escape(c.why))
        console.print(table)
    if plan.steps:
        console.print("[bold]Steps[/] (run without a shell):")
        for step in plan.steps:
            console.print(f"  $ {escape(' '.join(step.argv))}   [dim]# {escape(step.description)}[/]")
    sim = plan.simulation or {}
    if sim:
        new = [d["name"] for d in sim.get("new", [])]
        upgraded = [d["name"] for d in sim.get("upgraded", [])]
        removed = [d["name"] for d in sim.get("removed", [])]
        console.print("[bold]The package manager's simulation:[/]")
        console.print(f"  new: {len(new)} ({escape(', '.join(new[:12]))}{', ...' if len(new) > 12 else ''})")
        console.print(f"  upgraded: {len(upgraded)} {escape(', '.join(upgraded[:8]))}")
        style = "red" if removed else ""
        console.print(f"  [{style or 'default'}]removed: {len(removed)} {escape(', '.join(removed))}[/]")
        console.print(f"  download: {_size(sim.get('download_bytes'))}, disk: {_size(sim.get('disk_bytes'))}")
    if plan.backend and plan.chosen:
        by = plan.backend + (f" ({plan.model})" if plan.model else "")
        console.print(f"[dim]chosen by: {escape(by)}; confidence {plan.confidence:.2f}[/]")
    for note in plan.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
    if dry_run and plan.status == "planned":
        console.print("[bold]Dry run:[/] nothing was changed. Run again with --execute to install.")


def render_outcome(console: Any, err: Any, plan: Any) -> None:
    from cortex.termtext import markup as escape

    status = plan.status
    if status == "installed":
        console.print(f"[green]Installed:[/] {escape(', '.join(plan.packages))}")
        for note in plan.notes:
            console.print(f"[yellow]note:[/] {escape(note)}")
        return
    if status == "planned":
        return
    label = {"refused": "Refused", "unresolved": "Unresolved", "failed": "Failed"}.get(status, status)
    rule = f" (rule: {plan.rule})" if getattr(plan, "rule", "") else ""
    err.print(f"[red]{label}{rule}:[/] {escape(plan.reason)}")
    for s in plan.suggestions:
        err.print(f"  [cyan]hint:[/] {escape(s)}")
