"""Detect an Ollama install and install it the official way, never through a shell pipe.

    plan_install(...)   pure: which official method fits this machine, and the exact steps
    detect_install(...) binary on PATH (or a user-level install), its version, the API at the URL
    execute(plan, ...)  download files over HTTPS, run argv lists; never `curl | sh`

Methods: Linux with root or sudo -> the official install script, downloaded to a file and run as
`sh FILE`; Linux without root/sudo (or when asked) -> the official release tarball unpacked under
~/.local; macOS -> Homebrew. GPU drivers are never installed or changed: on a machine with an NVIDIA
card but no driver the official script would install one, so the user-level tarball is used instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cortex.errors import SetupError

DOWNLOAD_BASE = "https://ollama.com"
_ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
_VERSION = re.compile(r"(\d+\.\d+\.\d+[\w.\-+]*)")


@dataclass(frozen=True)
class InstallState:
    binary: str | None
    version: str | None  # the API's version when it answers, else `ollama --version`
    api_version: str | None  # from GET /api/version at the base URL; None: not answering

    @property
    def installed(self) -> bool:
        return self.binary is not None

    @property
    def running(self) -> bool:
        return self.api_version is not None


@dataclass(frozen=True)
class Step:
    """One install step: download `url` to `dest`, run `argv`, or unpack archive `dest` into `target`."""

    kind: str  # download | run | unpack | link
    argv: tuple[str, ...] = ()
    url: str = ""
    dest: str = ""
    target: str = ""

    def describe(self) -> str:
        if self.kind == "download":
            return f"download {self.url} -> {self.dest}"
        if self.kind == "unpack":
            return f"unpack {self.dest} into {self.target}"
        if self.kind == "link":
            return f"link {self.target} -> {self.dest}"
        return "run: " + " ".join(self.argv)


@dataclass(frozen=True)
class InstallPlan:
    method: str  # script | tarball | brew
    reason: str
    steps: tuple[Step, ...] = field(default_factory=tuple)
    binary: str = "ollama"  # where the binary will be afterwards

    def describe(self) -> list[str]:
        return [s.describe() for s in self.steps]


def parse_version(text: str) -> str | None:
    """`ollama version is 0.12.6` (possibly after a warning about no running server) -> '0.12.6'."""
    found = _VERSION.findall(text or "")
    return found[-1] if found else None


def user_binary(home: Path) -> Path:
    return home / ".local" / "bin" / "ollama"


def plan_install(
    *,
    system: str,
    machine: str,
    is_root: bool,
    has_sudo: bool,
    home: Path,
    cache: Path,
    user_level: bool = False,
    nvidia_without_driver: bool = False,
    has_brew: bool = False,
    download_base: str = DOWNLOAD_BASE,
) -> InstallPlan:
    """Choose the official install method for this machine and spell out its steps (pure)."""
    if system == "Darwin":
        if not has_brew:
            raise SetupError(
                "Homebrew is not installed, and cortex installs Ollama on macOS through it.",
                hint="Install Homebrew (brew.sh), or the Ollama app from ollama.com/download, then re-run.",
            )
        return InstallPlan("brew", "macOS: Homebrew's ollama formula", (Step("run", ("brew", "install", "ollama")),))
    if system != "Linux":
        raise SetupError(
            f"Installing Ollama on {system} is not supported by cortex.",
            hint="Install it from ollama.com/download, then re-run with --skip-install.",
        )
    arch = _ARCHES.get(machine)
    if arch is None:
        raise SetupError(f"Ollama has no Linux build for {machine}.", hint="See ollama.com/download.")
    if user_level or nvidia_without_driver or not (is_root or has_sudo):
        if nvidia_without_driver:
            reason = (
                "an NVIDIA card without a driver was found: the official script would install one, "
                "and cortex never changes GPU drivers, so Ollama goes into ~/.local"
            )
        elif user_level:
            reason = "user-level install asked for: no root needed"
        else:
            reason = "no root or sudo: user-level install into ~/.local"
        archive = cache / f"ollama-linux-{arch}.tgz"
        prefix = home / ".local" / "ollama"
        link = user_binary(home)
        return InstallPlan(
            "tarball",
            reason,
            (
                Step("download", url=f"{download_base}/download/ollama-linux-{arch}.tgz", dest=str(archive)),
                Step("unpack", dest=str(archive), target=str(prefix)),
                Step("link", dest=str(prefix / "bin" / "ollama"), target=str(link)),
            ),
            binary=str(link),
        )
    script = cache / "ollama-install.sh"
    argv = ("sh", str(script)) if is_root else ("sudo", "sh", str(script))
    return InstallPlan(
        "script",
        "the official Linux install script (systemd service, GPU libraries)",
        (
            Step("download", url=f"{download_base}/install.sh", dest=str(script)),
            Step("run", argv=argv),
        ),
        binary="/usr/local/bin/ollama",
    )


Runner = Callable[[Sequence[str]], "tuple[int, str]"]


def run_argv(argv: Sequence[str], timeout: float = 10.0) -> tuple[int, str]:
    """Run argv (never a shell) and return (exit status, combined output)."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return 127, f"{argv[0]}: not found"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return done.returncode, (done.stdout or "") + (done.stderr or "")


def find_binary(home: Path, which: Callable[[str], str | None] = shutil.which) -> str | None:
    """`ollama` on PATH, else a user-level install made by cortex."""
    found = which("ollama")
    if found:
        return found
    candidate = user_binary(home)
    return str(candidate) if os.access(candidate, os.X_OK) else None


def detect_install(client, *, home: Path | None = None, runner: Runner = run_argv) -> InstallState:
    """What is there now: binary, its version, and whether the API answers at the client's URL.

    When the API answers, its version stands for the binary's too: no process is started, which
    keeps the re-run case fast."""
    binary = find_binary(home or Path.home())
    try:
        api = client.version(timeout=2.0) or None
    except Exception:  # any failure to answer means "not running here"; the start step reports details
        api = None
    version = api
    if binary and not api:
        status, out = runner([binary, "--version"])
        version = parse_version(out) if status == 0 else None
    return InstallState(binary, version, api)


def download(url: str, dest: Path, timeout: float = 60.0) -> None:
    """Fetch `url` into `dest` atomically (a partial download never looks complete)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, open(tmp, "wb") as out:
            shutil.copyfileobj(resp, out, 1 << 20)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SetupError(
            f"Download of {url} failed: {exc}.", hint="Check the network or a proxy, then re-run."
        ) from None


def execute(plan: InstallPlan, *, echo: Callable[[str], None] = print, run: Callable[..., int] | None = None) -> str:
    """Carry out the plan's steps in order; return the path of the installed binary."""
    for step in plan.steps:
        echo(step.describe())
        if step.kind == "download":
            download(step.url, Path(step.dest))
        elif step.kind == "unpack":
            target = Path(step.target)
            target.mkdir(parents=True, exist_ok=True)
            try:
                with tarfile.open(step.dest) as archive:
                    archive.extractall(target, filter="data")
            except (OSError, tarfile.TarError) as exc:
                raise SetupError(f"Cannot unpack {step.dest}: {exc}.", hint="Delete it and re-run.") from None
        elif step.kind == "link":
            link = Path(step.target)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.unlink(missing_ok=True)
            link.symlink_to(step.dest)
        else:
            status = (run or _run_visible)(step.argv)
            if status != 0:
                raise SetupError(
                    f"`{' '.join(step.argv)}` failed with exit status {status}.",
                    hint="Read the output above; fix it and re-run, or install Ollama yourself "
                    "and re-run with --skip-install.",
                )
    return plan.binary


def _run_visible(argv: Sequence[str]) -> int:
    """Run an install command with its output going straight to the user's terminal."""
    try:
        return subprocess.run(list(argv), check=False, stdin=subprocess.DEVNULL).returncode
    except OSError as exc:
        raise SetupError(f"Cannot run {argv[0]}: {exc.strerror}.") from None
