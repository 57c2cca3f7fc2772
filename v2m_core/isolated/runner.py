"""The v2m side of the isolated-process protocol (see the package docstring)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from v2m_core import children
from v2m_core.errors import V2MError

PROTOCOL = 1
PREFIX = "v2m-response: "
WORKER_LIBRARY = Path(__file__).resolve().parent / "worker"
"""Folder holding `v2m_worker.py`; prepended to the worker's PYTHONPATH."""


class IsolationError(V2MError):
    """The isolated worker could not be run, or it reported a failure."""


class WorkerSetupError(IsolationError):
    """The worker's environment lacks an interpreter, package or model; the message says how to fix it."""


class IsolatedRunner:
    """Calls methods of `worker` (a script) run by `interpreter`, one process per call.

    `name` and `setup_hint` make the errors actionable: "omnizart: ...; set up: ...".
    """

    def __init__(self, name: str, interpreter: str | Path, worker: Path, setup_hint: str, timeout: float = 600.0) -> None:
        self.name, self.worker, self.setup_hint, self.timeout = name, Path(worker), setup_hint, timeout
        self.interpreter = self._resolve(str(interpreter))

    def _resolve(self, interpreter: str) -> Path:
        found = shutil.which(str(Path(interpreter).expanduser()))
        if found is None:
            raise WorkerSetupError(f"{self.name}: Python interpreter {interpreter} not found or not executable; "
                                   f"{self.setup_hint}")
        return Path(found)

    def call(self, method: str, **params: Any) -> Any:
        """Run the worker once; return its result or raise IsolationError with the worker's own message."""
        if not self.worker.is_file():
            raise IsolationError(f"{self.worker}: worker script not found")
        request = json.dumps({"v2m_protocol": PROTOCOL, "method": method, "params": params}) + "\n"
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(WORKER_LIBRARY), environment.get("PYTHONPATH")]))
        try:
            done = children.run([str(self.interpreter), str(self.worker)], input=request, text=True, errors="replace",
                                timeout=self.timeout, env=environment)
        except subprocess.TimeoutExpired:
            raise IsolationError(f"{self.name}: worker gave no answer within {self.timeout:g} s") from None
        except OSError as error:
            raise WorkerSetupError(f"{self.name}: cannot start {self.interpreter} ({error.strerror}); "
                                   f"{self.setup_hint}") from None
        response = self._response(done.stdout)
        if response is None:
            last = next((line.strip() for line in reversed(done.stderr.splitlines()) if line.strip()), "no message")
            raise IsolationError(f"{self.name}: worker exited with code {done.returncode} without an answer ({last})")
        if response.get("ok"):
            return response.get("result")
        message = f"{self.name}: {response.get('error', 'worker failed')}"
        if response.get("setup"):
            raise WorkerSetupError(f"{message}; {self.setup_hint}")
        raise IsolationError(message)

    @staticmethod
    def _response(stdout: str) -> dict[str, Any] | None:
        for line in reversed(stdout.splitlines()):
            if line.startswith(PREFIX):
                try:
                    payload = json.loads(line[len(PREFIX):])
                except json.JSONDecodeError:
                    return None
                return payload if isinstance(payload, dict) else None
        return None
