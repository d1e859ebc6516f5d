"""A hook to hold a real `localpack` process at one file operation, so a test can interrupt it right there.

Loaded by Python at start-up when this folder is on PYTHONPATH. With HOLD_CALL=os.replace (or
shutil.copyfileobj, os.rename) and HOLD_AT=N, the N-th such call whose destination (os.replace: its second
argument) lies in the folder HOLD_IN (copyfileobj: every call) touches HOLD_REACHED and then waits until HOLD_GO
exists (at most 60 s) before it does what it was asked. A signal that arrives while it waits is handled
as it would be at that moment: an exception from the handler stops the call there.
"""

import os
import shutil
import time

_CALL, _IN = os.environ.get("HOLD_CALL", ""), os.environ.get("HOLD_IN", "")
_seen = [0]


def _hold() -> None:
    _seen[0] += 1
    if _seen[0] != int(os.environ.get("HOLD_AT", "1")):
        return
    open(os.environ["HOLD_REACHED"], "w").close()
    deadline = time.time() + 60
    while not os.path.exists(os.environ["HOLD_GO"]) and time.time() < deadline:
        time.sleep(0.02)


def _inside(path: object) -> bool:
    return bool(_IN) and os.path.dirname(os.path.abspath(os.fspath(path))) == os.path.abspath(_IN)


if _CALL in ("os.replace", "os.rename"):
    _real = getattr(os, _CALL.split(".")[1])

    def _wrapped(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _inside(dst):
            _hold()
        return _real(src, dst, *args, **kwargs)

    setattr(os, _CALL.split(".")[1], _wrapped)
elif _CALL == "shutil.copyfileobj":
    _real_copy = shutil.copyfileobj

    def _copy(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        _hold()
        return _real_copy(src, dst, *args, **kwargs)

    shutil.copyfileobj = _copy
