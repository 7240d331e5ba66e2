"""Run one fuzz case in a subprocess under a CPU-time and memory limit (resource.setrlimit), so that
a resource bomb shows up as a failed case (killed, or MemoryError's exit 1) instead of a stuck run."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

from scripts.paths import ROOT

CPU_SECONDS = 10  # every case here takes well under a second
MEMORY_BYTES = 1 << 30  # address space: the interpreter and the calculators need about 100 MB


@dataclass
class Limited:
    returncode: int  # negative: killed by that signal (SIGXCPU past the CPU limit)
    stdout: bytes
    stderr: bytes
    seconds: float

    def describe(self) -> str:
        return f"exit {self.returncode} after {self.seconds:.1f} s: {self.stderr.decode('utf-8', 'replace')[:400]}"


def _limit(cpu: int, memory: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run_limited(args: list[str], stdin: bytes = b"", cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES) -> Limited:
    """`python args…` in the project, limited; never raises for the child's failure."""
    start = time.monotonic()
    try:
        result = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, cwd=ROOT,
                                timeout=cpu * 3, preexec_fn=lambda: _limit(cpu, memory))  # noqa: PLW1509
    except subprocess.TimeoutExpired as error:
        return Limited(-9, error.stdout or b"", error.stderr or b"", time.monotonic() - start)
    return Limited(result.returncode, result.stdout, result.stderr, time.monotonic() - start)
