"""Worker processes that go with their parent: a killed ingest left its nlp workers running
(about 400 MB each) until someone found and killed them."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> bool:
    """In a worker: ask Linux to SIGKILL this process when its parent dies (True when set).

    Elsewhere (or without libc) nothing is set; the worker then ends when its pool shuts down.
    """
    parent = multiprocessing.parent_process()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent.pid:  # it died before the request
        os.kill(os.getpid(), signal.SIGKILL)
    return True
