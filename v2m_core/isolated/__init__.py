"""Running plugin code in a Python environment of its own, over a one-line JSON protocol.

Some models need dependencies that cannot share v2m's environment (Omnizart: TensorFlow, numpy<2).
The plugin names an interpreter of that environment and a worker script; `IsolatedRunner` starts it,
writes one request line to its stdin and reads one response line from its stdout:

    request:   {"v2m_protocol": 1, "method": "transcribe", "params": {...}}
    response:  v2m-response: {"ok": true, "result": ...}
               v2m-response: {"ok": false, "error": "...", "setup": true}

Only the line starting `v2m-response: ` counts, so libraries printing to stdout do no harm.
Worker scripts import `v2m_worker` (stdlib only, put on their path by the runner) and call `serve`.
Large data travels as file paths in the params, never inside the JSON.
"""

from v2m_core.isolated.runner import IsolatedRunner, IsolationError, WorkerSetupError

__all__ = ["IsolatedRunner", "IsolationError", "WorkerSetupError"]
