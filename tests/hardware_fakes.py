"""Recorded hardware for tests: a pynvml-like object replaying data captured with nvidia-ml-py."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

FIXTURES = Path(__file__).parent / "fixtures" / "hardware"


class NVMLError(Exception):
    """Stands in for pynvml.NVMLError (e.g. NVMLError_LibraryNotFound when no driver is loaded)."""


class RecordedNVML:
    """The subset of the pynvml API that cortex.hardware calls, answering from a recording."""

    def __init__(self, recording: dict | None = None, *, init_error: bool = False) -> None:
        self.recording = recording or {"driver": "", "devices": []}
        self.init_error = init_error
        self.shutdown_calls = 0

    @classmethod
    def from_file(cls, name: str) -> RecordedNVML:
        return cls(json.loads((FIXTURES / name).read_text()))

    def nvmlInit(self) -> None:
        if self.init_error:
            raise NVMLError("NVML Shared Library Not Found")

    def nvmlShutdown(self) -> None:
        self.shutdown_calls += 1

    def nvmlSystemGetDriverVersion(self) -> str:
        return self.recording["driver"]

    def nvmlDeviceGetCount(self) -> int:
        return len(self.recording["devices"])

    def nvmlDeviceGetHandleByIndex(self, index: int) -> dict:
        return self.recording["devices"][index]

    def nvmlDeviceGetName(self, handle: dict) -> bytes:
        return handle["name"].encode()  # older pynvml releases return bytes

    def nvmlDeviceGetMemoryInfo(self, handle: dict) -> SimpleNamespace:
        return SimpleNamespace(total=handle["total"], free=handle["free"], used=handle["total"] - handle["free"])

    def nvmlDeviceGetCudaComputeCapability(self, handle: dict) -> tuple[int, int]:
        return tuple(handle["cc"])
