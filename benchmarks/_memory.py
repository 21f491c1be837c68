"""Peak memory of a process tree, sampled from /proc (Linux).

PSS (proportional set size, from /proc/PID/smaps_rollup) is summed over the process and its
descendants: pages shared between the main process and its forked nlp workers count once, so
the sum is the memory the tree really occupies. RSS would count shared pages once per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                out.setdefault(int(stat[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    return out


def tree_pss(pid: int) -> dict[int, float]:
    """PSS in MB of each process of the tree under ``pid``."""
    kids, out, todo = _children(), {}, [pid]
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    out[p] = int(line.split()[1]) / 1024
                    break
        except OSError:
            continue
    return out


def tree_pss_mb(pid: int) -> float:
    return sum(tree_pss(pid).values())


class PeakSampler:
    """Samples a process tree's PSS every ``every`` seconds until stopped; ``peak`` in MB, and
    ``at_peak``, the share of each process at that moment."""

    def __init__(self, pid: int | None = None, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid or os.getpid(), every, 0.0
        self.at_peak: list[float] = []  # each process's PSS at the peak, largest first
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            each = tree_pss(self.pid)
            if sum(each.values()) > self.peak:
                self.peak = sum(each.values())
                self.at_peak = sorted(each.values(), reverse=True)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
