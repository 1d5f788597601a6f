"""Benchmark: the `cortex setup ollama` re-run case and hardware detection.

Prints absolute times and ratios against baselines measured in the same process:
  * wizard re-run (Ollama installed, running, model present; full test prompt) vs the bare HTTP
    calls it has to make (version, tags, chat, generate) -- target <= 2 s;
  * the same through the CLI (`python -m cortex setup ollama --non-interactive --json`), interpreter
    start-up included, vs `python -c pass`;
    (also as CPU time, which other load on the machine does not inflate);
  * hardware detection vs just reading /proc/cpuinfo and psutil -- target <= 0.3 s.
Run: python benchmarks/bench_setup.py
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortex.hardware import detect  # noqa: E402
from tests.servers.fake_ollama import make_fake_ollama  # noqa: E402
from tests.servers.ollama_server import OllamaModel, OllamaServer  # noqa: E402

MODEL = "llama3.2:3b"


def timed(fn, n: int) -> float:
    """Median seconds of n runs (after one warm-up)."""
    fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def child_cpu(fn, n: int) -> float:
    """Median CPU seconds (user + system) that the child processes of one fn() call used."""
    import resource

    samples = []
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        fn()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def bare_calls(port: int) -> None:
    def call(method: str, path: str, body: dict | None = None) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=json.dumps(body).encode() if body else None)
        conn.getresponse().read()
        conn.close()

    call("GET", "/api/version")
    call("GET", "/api/tags")
    call("POST", "/api/chat", {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "stream": False})
    call("POST", "/api/generate", {"model": MODEL, "prompt": "OK", "stream": False})


def main() -> None:
    home = tempfile.mkdtemp(prefix="bench-setup-")
    os.environ["CORTEX_HOME"] = home
    exe = make_fake_ollama(Path(home) / "bin")
    os.environ["PATH"] = f"{exe.parent}{os.pathsep}{os.environ['PATH']}"

    from rich.console import Console

    from cortex.setup.options import WizardOptions
    from cortex.setup.steps import Machine
    from cortex.setup.ui import PlainUI
    from cortex.setup.wizard import run_wizard

    with OllamaServer([OllamaModel(MODEL, size=2_000_000)]) as server:
        options = WizardOptions(interactive=False, model=MODEL, base_url=server.url, json=True)
        quiet = PlainUI(Console(file=open(os.devnull, "w")))  # noqa: SIM115 - lives for the whole run

        def wizard() -> None:
            report = run_wizard(options, quiet, Machine.live())
            assert report.ok and report.test.get("answer")

        def cli() -> None:
            argv = [
                sys.executable,
                "-m",
                "cortex",
                "setup",
                "ollama",
                "--non-interactive",
                "--json",
                "--model",
                MODEL,
                "--base-url",
                server.url,
            ]
            done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False)
            assert done.returncode == 0, done.stderr

        def python_start() -> None:
            subprocess.run([sys.executable, "-c", "pass"], check=True)

        t_bare = timed(lambda: bare_calls(server.port), 20)
        t_wizard = timed(wizard, 10)
        t_python = timed(python_start, 5)
        t_cli = timed(cli, 5)
        # CPU seconds of the CLI child: robust when other work shares the machine.
        t_cli_cpu = child_cpu(cli, 5)
        t_python_cpu = child_cpu(python_start, 5)

    def hardware_baseline() -> None:
        import psutil

        Path("/proc/cpuinfo").read_text()
        psutil.virtual_memory()

    t_hw_base = timed(hardware_baseline, 20)
    t_hw = timed(detect, 20)

    rows = [
        ("wizard re-run, in process", t_wizard, t_bare, "bare HTTP calls", 2.0),
        ("wizard re-run, CLI", t_cli, t_python, "python -c pass", 2.0),
        ("wizard re-run, CLI, CPU", t_cli_cpu, t_python_cpu, "python -c pass", 2.0),
        ("hardware detection", t_hw, t_hw_base, "cpuinfo + psutil", 0.3),
    ]
    print(f"{'what':<28}{'median':>10}{'baseline':>12}{'ratio':>8}  target")
    for name, t, base, base_name, target in rows:
        verdict = "ok" if t <= target else "OVER"
        print(
            f"{name:<28}{t * 1000:>8.1f}ms{base * 1000:>10.1f}ms{t / base:>7.1f}x  <= {target:g} s {verdict}"
            f"   (baseline: {base_name})"
        )


if __name__ == "__main__":
    main()
