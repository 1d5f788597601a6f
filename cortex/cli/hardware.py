"""`cortex hardware [--json]`: what cortex sees of this machine, and the local model it would pick."""

from __future__ import annotations

import argparse

from cortex.exit_codes import ExitCode

HELP = "show CPU, RAM, disk and GPUs, and the local model that fits (--json for scripts)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex.hardware import detect, gib
    from cortex.ollama.catalog import recommend

    hw = detect()
    rec = recommend(hw)
    if args.json:
        doc = hw.to_dict()
        doc["recommendation"] = {"model": rec.model.tag, "reason": rec.reason, "device": rec.device, "fits": rec.fits}
        ctx.print_json(doc)
        return ExitCode.OK
    from rich.table import Table

    from cortex.termtext import markup

    cpu = hw.cpu
    flags = ", ".join(n for n, on in (("AVX", cpu.avx), ("AVX2", cpu.avx2), ("AVX-512", cpu.avx512)) if on) or "none"
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    # What the machine reports (CPU and GPU names, paths) is printed as text, never as markup.
    table.add_row("CPU", markup(f"{cpu.model} ({cpu.arch}), {cpu.cores} cores / {cpu.threads} threads"))
    table.add_row("vector units", flags)
    table.add_row("RAM", f"{gib(hw.ram_total)} total, {gib(hw.ram_available)} available")
    table.add_row("disk", markup(f"{gib(hw.disk_free)} free at {hw.disk_path} (where Ollama keeps models)"))
    for gpu in hw.gpus or ():
        extra = f", CUDA {gpu.compute_capability}" if gpu.compute_capability else ""
        shared = " (shared memory)" if gpu.unified_memory else ""
        table.add_row("GPU", markup(f"{gpu.name}: {gib(gpu.vram_total)}{shared}, driver {gpu.driver or 'none'}{extra}"))
    if not hw.gpus:
        table.add_row("GPU", "none (models run on the CPU)")
    place = ", ".join(x for x in (hw.host.container and f"{hw.host.container} container", hw.host.wsl and "WSL") if x)
    table.add_row("running in", markup(place or f"{hw.host.os} host"))
    table.add_row("local model", markup(rec.reason))
    ctx.console.print(table)
    return ExitCode.OK
