"""The wizard's steps, in order. Each takes the shared WizardState, talks through state.ui and
returns a StepResult; a step that cannot complete raises SetupError (message + what to do)."""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cortex import paths
from cortex.errors import (
    BadResponseError,
    EmptyAnswerError,
    ModelNotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    SetupError,
)
from cortex.hardware import HardwareInfo, detect, gib
from cortex.hardware.host import free_disk, models_dir
from cortex.llm.spec import ollama_base_url
from cortex.ollama import installer, service
from cortex.ollama.catalog import DISK_RESERVE, Catalog, load_catalog, recommend
from cortex.ollama.client import OllamaClient, canonical
from cortex.setup.options import StepResult, WizardOptions, WizardReport
from cortex.setup.ui import PlainUI

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
TEST_PROMPT = "In one short sentence: what does the `ls` command do?"
ASK_EXAMPLE = 'cortex ask "how do I see which processes use the most memory?"'


@dataclass
class Machine:
    """The wizard's view of this computer; tests replace parts of it."""

    detect_hardware: Callable[[], HardwareInfo] = detect
    is_root: bool = False
    has_sudo: bool = False
    home: Path = field(default_factory=Path.home)
    system: str = field(default_factory=platform.system)
    machine: str = field(default_factory=platform.machine)
    runner: installer.Runner = installer.run_argv
    download_base: str = installer.DOWNLOAD_BASE

    @classmethod
    def live(cls) -> Machine:
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        return cls(is_root=root, has_sudo=not root and shutil.which("sudo") is not None)


@dataclass
class WizardState:
    options: WizardOptions
    ui: PlainUI
    machine: Machine
    report: WizardReport = field(default_factory=WizardReport)
    catalog: Catalog = field(default_factory=load_catalog)
    client: OllamaClient | None = None
    hardware: HardwareInfo | None = None
    install: installer.InstallState | None = None
    model: str | None = None

    @property
    def api(self) -> OllamaClient:
        assert self.client is not None
        return self.client


def detect_hardware(st: WizardState) -> StepResult:
    hw = st.hardware = st.machine.detect_hardware()
    st.report.hardware = hw.to_dict()
    cpu = hw.cpu
    flags = "/".join(n for n, on in (("AVX", cpu.avx), ("AVX2", cpu.avx2), ("AVX-512", cpu.avx512)) if on) or "no AVX"
    st.ui.say(f"CPU: {cpu.model}, {cpu.cores} cores / {cpu.threads} threads, {flags}")
    st.ui.say(
        f"RAM: {gib(hw.ram_total)} total, {gib(hw.ram_available)} available; "
        f"disk: {gib(hw.disk_free)} free at {hw.disk_path}"
    )
    for gpu in hw.gpus:
        usable = "" if gpu.usable else " (not used for models)"
        st.ui.say(f"GPU: {gpu.name}, {gib(gpu.vram_total)} memory, driver {gpu.driver or 'none'}{usable}")
    if not hw.gpus:
        st.ui.say("GPU: none found, models will run on the CPU")
    where = ", ".join(
        x for x in (hw.host.container and f"in a {hw.host.container} container", hw.host.wsl and "under WSL") if x
    )
    if where:
        st.ui.say(f"Running {where}.")
    best = hw.best_gpu
    return StepResult("hardware", "ok", best.name if best else "CPU only")


def detect_ollama(st: WizardState) -> StepResult:
    st.client = OllamaClient(st.options.base_url)
    state = st.install = installer.detect_install(st.client, home=st.machine.home, runner=st.machine.runner)
    st.report.ollama = {
        "base_url": st.client.base_url,
        "binary": state.binary,
        "version": state.version,
        "running": state.running,
        "api_version": state.api_version,
    }
    binary = f"{state.binary} (version {state.version or '?'})" if state.installed else "not installed"
    api = f"answering (version {state.api_version})" if state.running else "not answering"
    st.ui.say(f"ollama binary: {binary}")
    st.ui.say(f"API at {st.client.base_url}: {api}")
    return StepResult("detect", "ok", f"installed={state.installed} running={state.running}")


def install_ollama(st: WizardState) -> StepResult:
    state = st.install
    assert state is not None and st.hardware is not None
    if state.installed or state.running:
        return StepResult("install", "skipped", f"already installed ({state.version or state.api_version})")
    if st.options.skip_install:
        raise SetupError(
            "Ollama is not installed and --skip-install was given.",
            hint="Install it (see docs/OLLAMA_SETUP.md) or drop --skip-install.",
        )
    m = st.machine
    plan = installer.plan_install(
        system=m.system,
        machine=m.machine,
        is_root=m.is_root,
        has_sudo=m.has_sudo,
        home=m.home,
        cache=paths.cache_dir() / "ollama",
        user_level=st.options.user_install,
        nvidia_without_driver=any(g.vendor == "nvidia" and g.driver is None for g in st.hardware.gpus),
        has_brew=shutil.which("brew") is not None,
        download_base=m.download_base,
    )
    st.ui.say(f"Ollama is not installed. Method: {plan.reason}. This will:")
    for line in plan.describe():
        st.ui.say(f"  {line}")
    if not st.ui.confirm("Install Ollama this way?", default=True):
        raise SetupError(
            "Ollama is not installed (install declined).",
            hint="Install it yourself from ollama.com/download, then re-run with --skip-install.",
        )
    binary = installer.execute(plan, echo=st.ui.say)
    st.install = installer.detect_install(st.api, home=m.home, runner=m.runner)
    st.report.ollama.update(binary=st.install.binary or binary, version=st.install.version, installed_by=plan.method)
    return StepResult("install", "ok", f"installed with {plan.method}", {"method": plan.method})


def start_ollama(st: WizardState) -> StepResult:
    state = st.install
    assert state is not None and st.hardware is not None
    if state.running:
        return StepResult("start", "skipped", f"already running at {st.api.base_url}")
    if (urlsplit(st.api.base_url).hostname or "") not in LOCAL_HOSTS:
        raise SetupError(
            f"Ollama does not answer at {st.api.base_url}, and cortex only starts a local Ollama.",
            hint=f"Start it on that machine, or use --base-url {ollama_base_url()}.",
        )
    if not state.binary:
        raise SetupError("The ollama binary was not found after install.", hint="Check `ollama --version` on PATH.")
    m = st.machine
    method = service.choose_method(
        systemd=st.hardware.host.systemd,
        unit=service.unit_exists(),
        is_root=m.is_root,
        has_sudo=m.has_sudo,
        binary=state.binary,
    )
    timeout = st.options.start_timeout
    if method == "systemd":
        st.ui.say("starting the ollama systemd service")
        service.start_systemd(m.is_root, m.runner)
        alive: Callable[[], bool] = lambda: True  # noqa: E731 - systemd restarts it; only the clock bounds the wait
        tail: Callable[[], str] = lambda: m.runner(["journalctl", "-u", "ollama", "-n", "15", "--no-pager"])[1]  # noqa: E731
        log = "journalctl -u ollama"
    else:
        pid, log_file = service.spawn_serve(state.binary, st.api.base_url)
        st.ui.say(f"started `ollama serve` (pid {pid}), log: {log_file}")
        alive = lambda: service.process_alive(pid)  # noqa: E731
        tail = lambda: service.log_tail(log_file)  # noqa: E731
        log = str(log_file)
    waited = service.wait_for_api(lambda: st.api.is_running(timeout=1.0), timeout=timeout, alive=alive)
    if waited is None:
        why = "exited" if not alive() else f"did not answer within {timeout:g} s"
        raise SetupError(
            f"Ollama {why} at {st.api.base_url}. Last lines of {log}:\n{tail()}",
            hint="Fix what the log says (a port in use: set --base-url), then re-run.",
        )
    st.report.ollama.update(running=True, api_version=st.api.version(), started_with=method, log=log)
    return StepResult("start", "ok", f"{method}: API answered after {waited:.1f} s", {"method": method})


def model_choices(catalog: Catalog, hw: HardwareInfo, installed: set[str], recommended: str) -> list[tuple[str, str]]:
    """(tag, label) for the picker: the recommendation first, then the rest by quality."""
    ordered = sorted(catalog.models, key=lambda m: (m.tag != recommended, m.purpose != "general", -m.rank))
    out = []
    for m in ordered:
        marks = [
            x
            for x in (
                "recommended" if m.tag == recommended else "",
                "installed" if canonical(m.tag) in installed else "",
            )
            if x
        ]
        suffix = f" [{', '.join(marks)}]" if marks else ""
        out.append((m.tag, f"{m.tag:<20} {m.size_gb:>5.1f} GB  {m.good_for}{suffix}"))
    return out


def choose_model(st: WizardState) -> StepResult:
    assert st.hardware is not None
    rec = recommend(st.hardware, st.catalog)
    st.report.recommendation = {"model": rec.model.tag, "reason": rec.reason, "device": rec.device, "fits": rec.fits}
    st.ui.say(f"Recommended: {rec.reason}")
    if not rec.fits:
        st.ui.warn("this machine is below what the smallest catalog model needs")
    if st.options.model not in ("", "auto"):
        tag = st.options.model
    else:
        installed = {canonical(str(t.get("name"))) for t in st.api.tags()}
        tag = st.ui.choose_model(model_choices(st.catalog, st.hardware, installed, rec.model.tag), rec.model.tag)
    st.model = st.report.model = tag
    return StepResult("model", "ok", tag, {"recommended": rec.model.tag})


def pull_model(st: WizardState) -> StepResult:
    tag = st.model
    assert tag is not None
    if st.api.has_model(tag):
        return StepResult("pull", "skipped", f"{tag} is already present")
    if st.options.skip_pull:
        st.ui.warn(f"{tag} is not present and --skip-pull was given")
        return StepResult("pull", "skipped", f"{tag} not present (--skip-pull)")
    entry = st.catalog.find(tag)
    where, free = free_disk(models_dir())
    if entry is not None and entry.size_bytes + DISK_RESERVE > free:
        raise SetupError(
            f"Not enough disk for {tag}: it needs {entry.size_gb:g} GB, {gib(free)} free at {where}.",
            hint="Free some space, choose a smaller model (--model), or set OLLAMA_MODELS elsewhere.",
        )
    attempts = max(1, st.options.pull_attempts)
    for attempt in range(1, attempts + 1):
        try:
            with st.ui.pull_progress(tag) as on_progress:
                st.api.pull(tag, on_progress)
            break
        except ModelNotFoundError:
            raise SetupError(
                f"Ollama's library has no model {tag!r}.",
                hint="Check the tag on ollama.com/library, or pick from `cortex setup ollama --list-models`.",
            ) from None
        except (BadResponseError, ProviderConnectionError, ProviderTimeout) as exc:
            if attempt == attempts:
                raise SetupError(
                    f"Pulling {tag} failed {attempts} times: {exc.message}",
                    hint="Re-run the setup: Ollama keeps the layers already downloaded.",
                ) from None
            st.ui.warn(f"pull interrupted ({exc.message}); resuming ({attempt + 1}/{attempts})")
        except ProviderError as exc:
            disk = "no space left" in exc.message
            raise SetupError(
                f"Pulling {tag} failed: {exc.message}",
                hint="Free disk space where Ollama stores models, then re-run."
                if disk
                else "Read the message above; re-run to resume.",
            ) from None
    return StepResult("pull", "ok", f"pulled {tag}", {"attempts": attempt})


def _router_answer(st: WizardState, tag: str) -> tuple[str, dict[str, Any]]:
    """The test prompt through LLMRouter with the provider forced to ollama (the path `cortex ask` uses)."""
    from cortex.config import Settings
    from cortex.llm.router import LLMRouter

    settings = Settings.load().with_overrides(
        {"providers.ollama.base_url": st.api.base_url, "providers.ollama.model": tag}
    )
    with LLMRouter(settings=settings) as router:
        c = router.complete(TEST_PROMPT, provider="ollama", model=tag, max_tokens=64)
    return c.text.strip(), {"provider": c.provider, "latency_s": round(c.latency_s, 3)}


def try_model(st: WizardState) -> StepResult:
    tag = st.model
    assert tag is not None
    if st.options.skip_test:
        return StepResult("test", "skipped", "--skip-test")
    try:
        try:
            answer, info = _router_answer(st, tag)
        except ModuleNotFoundError as exc:
            if exc.name != "cortex.llm.providers.ollama":
                raise
            # The router's ollama provider is not part of this installation: test through the API directly.
            st.ui.warn("cortex's ollama provider is not installed; testing through Ollama's API directly")
            answer = st.api.chat(tag, [{"role": "user", "content": TEST_PROMPT}]).text.strip()
            info = {"provider": "ollama-api"}
        counters = st.api.generate(tag, "Reply with the single word OK.", options={"num_predict": 8})
    except EmptyAnswerError:
        answer = ""  # the router calls an empty answer a failure; here it is the test's own verdict below
    except ProviderError as exc:
        raise SetupError(
            f"The test prompt to {tag} failed: {exc.message}", hint=exc.hint or "See `cortex doctor`."
        ) from None
    if not answer:
        raise SetupError(
            f"{tag} answered the test prompt with nothing.",
            hint="Try another model (--model), or check `ollama run " + tag + "` by hand.",
        )
    st.report.test = {
        "answer": answer,
        "load_s": round(counters.load_s, 3),
        "tokens_per_s": round(counters.tokens_per_s, 1),
        **info,
    }
    st.ui.say(f"answer: {answer[:200]}")
    st.ui.say(f"load time {counters.load_s:.2f} s, {counters.tokens_per_s:.1f} tokens/s (Ollama's counters)")
    return StepResult("test", "ok", f"{counters.tokens_per_s:.1f} tokens/s")


def write_config(st: WizardState) -> StepResult:
    from cortex.config import write_user_config

    updates = {
        "providers.ollama.base_url": st.api.base_url,
        "providers.ollama.model": st.model,
        "routing.profile": "local-first",
    }
    path = write_user_config(updates)
    st.report.config_path, st.report.config = str(path), updates
    for key, value in updates.items():
        st.ui.say(f"{key} = {value}")
    st.ui.say(f"written to {path}")
    return StepResult("config", "ok", str(path))


def show_next(st: WizardState) -> StepResult:
    st.report.next_command = ASK_EXAMPLE
    st.ui.say(f"Try it: {ASK_EXAMPLE}")
    if st.options.interactive and st.ui.confirm("Run that `cortex ask` now?", default=False):
        import subprocess
        import sys

        question = ASK_EXAMPLE.split('"')[1]
        subprocess.run([sys.executable, "-m", "cortex", "ask", question], check=False)
    return StepResult("next", "ok", ASK_EXAMPLE)


STEPS: tuple[tuple[str, str, Callable[[WizardState], StepResult]], ...] = (
    ("hardware", "Detecting hardware", detect_hardware),
    ("detect", "Looking for Ollama", detect_ollama),
    ("install", "Installing Ollama", install_ollama),
    ("start", "Starting Ollama", start_ollama),
    ("model", "Choosing a model", choose_model),
    ("pull", "Pulling the model", pull_model),
    ("test", "Testing the model", try_model),
    ("config", "Writing the configuration", write_config),
    ("next", "Next", show_next),
)
