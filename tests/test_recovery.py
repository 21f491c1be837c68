"""Recovery and concurrency: a run killed after storing is finished later; runs of one store
link one at a time; workers go with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from storyline.ingest import ingest
from storyline.pipeline import run_ingest
from storyline.records import Analysis, Article, MentionRec
from storyline.settings import Settings
from storyline.store import Entity, Mention, Pending, Store

BODY = ("The Ostrana Port Authority said on {day} that the northern quay would reopen after "
        "repairs, and that ferries to Valdoria would resume within a week.\n")


def _write(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"Quay news {i}\n" + BODY.format(day=f"day {i}") * 2
                                          + f"Closing line number {i} about pier {i * 3}.\n")


def _analyser(articles: Sequence[Article]) -> list[Analysis]:
    return [Analysis(mentions=[MentionRec(key="k1", name="Ostrana Port Authority", label="ORG",
                                          spans=[(4, 26)]),
                               MentionRec(key="k2", name="Valdoria", label="GPE",
                                          spans=[(90, 98)])]) for _ in articles]


def _entities(store: Store) -> list[str]:
    with store.session() as s:
        return sorted(s.scalars(select(Entity.name)))


def test_a_run_stopped_before_linking_is_finished_by_the_next_run(sqlite_store: Store,
                                                                  tmp_path: Path) -> None:
    _write(tmp_path / "in", 3)
    s = Settings(processes=1)
    first = ingest([tmp_path / "in"], sqlite_store, s, analyser=_analyser)  # then it was killed
    assert first.new == 3 and sqlite_store.count(Entity) == 0
    assert sqlite_store.pending_work()[1] == [1, 2, 3]
    again = run_ingest([str(tmp_path / "in")], sqlite_store, s)
    assert (again.new, again.duplicate) == (0, 3)
    assert sqlite_store.pending_work() == (0, [])
    assert _entities(sqlite_store) == ["Ostrana Port Authority", "Valdoria"]
    assert {m.entity_id for m in sqlite_store.analysis_rows(Mention)} != {None}


_KILLED_IN_LINKING = """
import sys, time
import storyline.link
def stuck(*a, **k):
    print("linking", flush=True)
    time.sleep(120)
storyline.link.link_store = stuck
from storyline.cli import app
app(["ingest", sys.argv[1], "--db", sys.argv[2], "--processes", "1"])
"""


def test_ingest_killed_during_linking_then_run_again_links_the_store(tmp_path: Path) -> None:
    _write(tmp_path / "in", 2)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_IN_LINKING, str(tmp_path / "in"), db],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "linking\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db) as s:
        assert s.pending_work()[1] == [1, 2] and s.count(Entity) == 0
    done = subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", str(tmp_path / "in"),
                           "--db", db, "--processes", "1"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "0 new, 2 duplicate (0 near-duplicate), 0 failed"
    with Store(db) as s:
        assert s.pending_work() == (0, [])
        assert s.count(Entity) > 0
        assert None not in {m.entity_id for m in s.analysis_rows(Mention)}


_HOLD = """
import sys, time
from storyline.store import Store
with Store(sys.argv[1]) as s, s.work_lock():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_linking_runs_of_one_store_wait_for_each_other(store: Store) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, store.url, "3"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    started = time.monotonic()
    with store.work_lock():
        waited = time.monotonic() - started
    proc.wait()
    assert 1.5 < waited < 30


def test_a_killed_holder_never_leaves_the_store_locked(store: Store) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, store.url, "120"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    started = time.monotonic()
    with store.work_lock():
        assert time.monotonic() - started < 5


_REFRESH = """
import sys
from storyline.pipeline import refresh
from storyline.settings import Settings
from storyline.store import Store
with Store(sys.argv[1]) as s:
    refresh(s, Settings(processes=1))
"""


def test_two_runs_relinking_at_once_leave_each_entity_once(store: Store) -> None:
    names = [f"Harbour Board {chr(65 + i % 26)}{i // 26}" for i in range(300)]
    store.add([Pending(article=Article(source=f"s{i}.txt", kind="txt", text=f"Body {i}.",
                                       content_hash=f"{i:064d}"),
                       analysis=Analysis(mentions=[MentionRec(key=f"k{j}", name=names[(i + j) % 300],
                                                              label="ORG", spans=[(0, 4)])
                                                   for j in range(6)]))
               for i in range(300)])
    procs = [subprocess.Popen([sys.executable, "-c", _REFRESH, store.url]) for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert _entities(store) == sorted(names)


_POOL = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from storyline._process import die_with_parent
if __name__ == "__main__":
    with ProcessPoolExecutor(2, mp_context=get_context("spawn"),
                             initializer=die_with_parent) as pool:
        print(" ".join(str(p) for p in sorted({pool.submit(os.getpid).result()
                                                for _ in range(8)})), flush=True)
        time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[-1].startswith("Z"))


def test_workers_die_with_their_killed_parent(tmp_path: Path) -> None:
    (tmp_path / "pool.py").write_text(_POOL)
    proc = subprocess.Popen([sys.executable, str(tmp_path / "pool.py")], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert [p for p in workers if _alive(p)] == []
