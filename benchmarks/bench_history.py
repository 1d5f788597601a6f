#!/usr/bin/env python3
"""History: listing 10,000 transactions, and what recording adds to an install's wall time.

    python benchmarks/bench_history.py [--rows 10000] [--rounds 7] [--real]

Listing: `cortex history --limit 0` in this process (store.list + rendering, output discarded) against
the floor of a raw sqlite3 SELECT of the same rows from the same file; also the whole command as a
fresh process (`python -m cortex history --limit 0`, interpreter start-up included). Target <= 0.2 s.

Recording: the cost of one recorded transaction (writability check, dpkg snapshot before and after,
diff, the committed rows and one step) on this machine's real /var/lib/dpkg/status, against the wall
time of `apt-get -s install cowsay` -- apt's own simulation, a lower bound for any real install, so the
ratio overstates the overhead. With --real (root): a real `apt-get install -y cowsay` with and without
the recording around it, purged after each round. Target <= 5%.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cortex.cli.main import main
from cortex.history import open_store
from cortex.system.runner import run

CHANGES = [
    {"package": "cowsay", "action": "installed", "new_version": "3.03+dfsg2-8", "new_auto": False},
    {"package": "libtext-charwidth-perl", "action": "installed", "new_version": "0.04-11", "new_auto": True},
]


def median_time(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def median_cpu(fn, rounds: int) -> float:
    """CPU seconds (user + sys, this process and its children): robust when other work loads the machine."""

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    times = []
    for _ in range(rounds):
        t = cpu()
        fn()
        times.append(cpu() - t)
    return statistics.median(times)


def populate(path: Path, rows: int) -> None:
    """`rows` finished install transactions with a diff and a step, written in one go."""
    store = open_store(path, recover=False, snapshot=dict)
    diff = json.dumps(CHANGES)
    now = time.time() - rows
    with store.write() as conn:
        for i in range(rows):
            cur = conn.execute(
                "INSERT INTO transactions (kind, status, request, plan, backend, model, started_at, finished_at, "
                "duration_s, diff, summary) VALUES ('install', 'installed', ?, '{}', 'claude', "
                "'claude-sonnet-4-5', ?, ?, 2.0, ?, '2 installed')",
                (f"install something to edit pdfs #{i}", now + i, now + i + 2, diff),
            )
            tx_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO package_changes (tx_id, package, action) VALUES (?, ?, ?)",
                [(tx_id, c["package"], c["action"]) for c in CHANGES],
            )
            conn.execute(
                "INSERT INTO steps (tx_id, seq, argv, returncode, output) VALUES (?, 1, ?, 0, ?)",
                (tx_id, '["apt-get", "install", "-y", "cowsay"]', "Setting up cowsay ...\n" * 20),
            )
    store.close()


def bench_listing(rows: int, rounds: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="cortex-bench-"))
    os.environ["CORTEX_HOME"] = str(home)
    path = home / "data" / "history.db"
    t = time.perf_counter()
    populate(path, rows)
    print(f"populated {rows} transactions in {time.perf_counter() - t:.2f} s")

    def raw_select() -> None:
        conn = sqlite3.connect(path)
        conn.execute(
            "SELECT id, kind, status, request, backend, model, started_at, duration_s, summary, rollback_of, "
            "rolled_back_by FROM transactions ORDER BY id DESC"
        ).fetchall()
        conn.close()

    def store_list() -> None:
        store = open_store(path)
        store.list(limit=0)
        store.close()

    def command() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["history", "--limit", "0"]) == 0

    command()  # warm imports and the page cache, as for a second invocation
    base = median_time(raw_select, rounds)
    listed = median_time(store_list, rounds)
    cli = median_time(command, rounds)
    env = {**os.environ, "CORTEX_HOME": str(home)}

    def process() -> None:
        subprocess.run(
            [sys.executable, "-m", "cortex", "history", "--limit", "0"], env=env, stdout=subprocess.DEVNULL, check=True
        )

    def version() -> None:
        subprocess.run([sys.executable, "-m", "cortex", "--version"], env=env, stdout=subprocess.DEVNULL, check=True)

    proc = median_time(process, max(3, rounds // 2))
    floor, floor_cpu = median_time(version, max(3, rounds // 2)), median_cpu(version, max(3, rounds // 2))
    base_cpu, cli_cpu = median_cpu(raw_select, rounds), median_cpu(command, rounds)
    proc_cpu = median_cpu(process, max(3, rounds // 2))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times less)")
    print("                                              wall        CPU")
    print(f"raw sqlite SELECT of {rows} rows (baseline): {base * 1000:7.1f} ms {base_cpu * 1000:7.1f} ms")
    print(f"store.list(limit=0):                       {listed * 1000:7.1f} ms   ratio {listed / base:5.2f}x")
    print(
        f"`cortex history --limit 0` in-process:     {cli * 1000:7.1f} ms {cli_cpu * 1000:7.1f} ms   "
        f"ratio {cli / base:5.2f}x wall, {cli_cpu / base_cpu:5.2f}x CPU"
    )
    print(
        f"`python -m cortex history --limit 0`:      {proc * 1000:7.1f} ms {proc_cpu * 1000:7.1f} ms   "
        "(a fresh interpreter included; target <= 200 ms)"
    )
    print(f"`python -m cortex --version` (start-up floor): {floor * 1000:7.1f} ms {floor_cpu * 1000:7.1f} ms")


def record_once(store) -> None:
    with store.transaction(request="install cowsay", plan={"packages": ["cowsay"]}, backend="bench") as tx:
        tx.step(["apt-get", "install", "-y", "cowsay"], 0, "Setting up cowsay ...\n" * 40)


def bench_recording(rounds: int, real: bool) -> None:
    store = open_store(Path(tempfile.mkdtemp(prefix="cortex-bench-")) / "history.db")
    record_once(store)  # warm
    recording = median_time(lambda: record_once(store), rounds)
    simulate = median_time(lambda: run(["apt-get", "-s", "install", "cowsay"], timeout=300), rounds)
    print(f"recording one transaction (2 dpkg snapshots + diff + rows): {recording * 1000:7.1f} ms")
    print(f"`apt-get -s install cowsay` (a lower bound for an install): {simulate * 1000:7.1f} ms")
    print(f"overhead vs the simulation: {recording / simulate * 100:5.1f}%  (target <= 5% of a real install)")
    if not real:
        return
    if os.geteuid() != 0:
        print("--real needs root; skipped")
        return

    def install() -> float:
        t = time.perf_counter()
        result = run(["apt-get", "install", "-y", "cowsay"], timeout=600)
        took = time.perf_counter() - t
        assert result.ok, result.output[-500:]
        return took

    def purge() -> None:
        run(["apt-get", "purge", "-y", "cowsay", "libtext-charwidth-perl"], timeout=600)

    plain, recorded = [], []
    for _ in range(5):
        plain.append(install())
        purge()
        t = time.perf_counter()
        with store.transaction(request="install cowsay", backend="bench") as tx:
            result = run(["apt-get", "install", "-y", "cowsay"], timeout=600)
            tx.step(["apt-get", "install", "-y", "cowsay"], result.returncode, result.output)
        recorded.append(time.perf_counter() - t)
        purge()
    p, r = statistics.median(plain), statistics.median(recorded)
    print("  plain:    " + " ".join(f"{x:.2f}" for x in plain))
    print("  recorded: " + " ".join(f"{x:.2f}" for x in recorded))
    print(f"real install of cowsay: {p:.2f} s plain, {r:.2f} s recorded: overhead {(r - p) / p * 100:+.1f}%")


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--real", action="store_true", help="also time real installs of cowsay (root)")
    args = parser.parse_args()
    bench_listing(args.rows, args.rounds)
    bench_recording(args.rounds, args.real)


if __name__ == "__main__":
    main_()
