"""The isolated-process runner against real second Python processes running tiny worker scripts."""

import sys
from pathlib import Path

import pytest

from v2m_core.isolated import IsolatedRunner, IsolationError, WorkerSetupError

WORKER = '''
import sys, time
from v2m_worker import SetupError, serve

def add(a, b):
    print("noise a library printed")
    return {"sum": a + b, "python": sys.version_info[0]}

def needs_model():
    raise SetupError("model file absent")

def fails():
    raise ValueError("bad input")

def sleeps():
    time.sleep(5)

sys.exit(serve({"add": add, "needs_model": needs_model, "fails": fails, "sleeps": sleeps}))
'''


@pytest.fixture
def runner(tmp_path: Path) -> IsolatedRunner:
    (tmp_path / "worker.py").write_text(WORKER)
    return IsolatedRunner("demo", sys.executable, tmp_path / "worker.py", "install demo", timeout=20)


def test_a_call_returns_the_result_despite_stdout_noise(runner: IsolatedRunner) -> None:
    assert runner.call("add", a=2, b=3) == {"sum": 5, "python": 3}


def test_worker_errors_come_back_as_one_line(runner: IsolatedRunner) -> None:
    with pytest.raises(WorkerSetupError, match="demo: model file absent; install demo"):
        runner.call("needs_model")
    with pytest.raises(IsolationError, match="demo: ValueError: bad input"):
        runner.call("fails")
    with pytest.raises(IsolationError, match="unknown method 'nope'; this worker offers add, fails"):
        runner.call("nope")


def test_a_crash_or_a_hang_is_reported(tmp_path: Path) -> None:
    (tmp_path / "crash.py").write_text("import sys\nsys.stderr.write('Segmentation fault\\n')\nsys.exit(139)\n")
    with pytest.raises(IsolationError, match="exited with code 139 without an answer \\(Segmentation fault\\)"):
        IsolatedRunner("demo", sys.executable, tmp_path / "crash.py", "").call("x")
    (tmp_path / "worker.py").write_text(WORKER)
    with pytest.raises(IsolationError, match="no answer within 0.5 s"):
        IsolatedRunner("demo", sys.executable, tmp_path / "worker.py", "", timeout=0.5).call("sleeps")


def test_missing_interpreter_or_script(tmp_path: Path) -> None:
    with pytest.raises(WorkerSetupError, match="interpreter .*/no/python not found .*; install demo"):
        IsolatedRunner("demo", tmp_path / "no" / "python", tmp_path / "w.py", "install demo")
    with pytest.raises(IsolationError, match="w.py: worker script not found"):
        IsolatedRunner("demo", sys.executable, tmp_path / "w.py", "").call("add")
