"""Worker side of v2m's isolated-process protocol: standard library only, any Python 3.8+.

A worker script defines handler functions and ends with `serve({"method": handler})`. A handler
raises `SetupError` when its environment lacks something (a package, a checkpoint), so v2m can say
how to set it up; any other exception is reported as a failure of the call.
"""

import json
import sys
import traceback

PROTOCOL = 1
PREFIX = "v2m-response: "


class SetupError(Exception):
    """The worker's environment is missing something the user must install or download."""


def _respond(payload, stream):
    stream.write(PREFIX + json.dumps(payload) + "\n")
    stream.flush()


def serve(handlers):
    """Answer the one request on stdin; library output is moved to stderr so stdout stays clean."""
    stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        request = json.loads(sys.stdin.readline())
        if request.get("v2m_protocol") != PROTOCOL:
            raise ValueError("unsupported protocol version %r" % request.get("v2m_protocol"))
        method = request.get("method")
        if method not in handlers:
            raise ValueError("unknown method %r; this worker offers %s" % (method, ", ".join(sorted(handlers))))
        result = handlers[method](**request.get("params", {}))
    except SetupError as error:
        _respond({"ok": False, "error": str(error), "setup": True}, stdout)
        return 3
    except Exception as error:  # noqa: BLE001 - every failure goes back to v2m as one line
        traceback.print_exc(file=sys.stderr)
        _respond({"ok": False, "error": "%s: %s" % (type(error).__name__, error), "setup": False}, stdout)
        return 2
    _respond({"ok": True, "result": result}, stdout)
    return 0
