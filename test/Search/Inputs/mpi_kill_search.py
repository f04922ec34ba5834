"""A worker rank of an MPI search is killed with SIGKILL mid-search:
OpenMPI ends the job, every trial rank 0 committed stays in the store, and
--resume (under mpirun again, or in one process) ends with the trials and
the front of the uninterrupted search.

Usage: mpi_kill_search.py MPIRUN OUT. The search is fbnet's with the
analyses (about 20,000 trials a second in one process), so that the kill
lands while trials are still being dispatched; the kill is sent once a
quarter of the budget is committed. Prints what it checked for FileCheck."""
import csv
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time

mpirun, out = shlex.split(sys.argv[1]), sys.argv[2]
spec = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples",
                    "fbnet.nas")
budget = 20000


def search(directory, *extra, ranks=0):
    args = ["nasc", "search", spec, "--objective", "min:flops",
            "--objective", "min:peak_memory_bytes", "--constraint",
            "params<4M", "--strategy", "nsga2", "--budget", str(budget),
            "--seed", "5", "--quiet", "--commit-interval", "0", "--out",
            directory, *extra]
    if ranks:
        args = mpirun + ["-np", str(ranks)] + args
    return args


def comparable(directory):
    """trials.csv without the columns that depend on timing."""
    with open(os.path.join(directory, "trials.csv")) as f:
        rows = list(csv.reader(f))
    keep = [i for i, name in enumerate(rows[0])
            if name not in ("seconds", "cached")]
    return [[row[i] for i in keep] for row in rows]


def front(directory):
    with open(os.path.join(directory, "pareto.csv")) as f:
        return f.read()


def committed(directory):
    try:
        db = sqlite3.connect(os.path.join(directory, "trials.db"))
        try:
            return db.execute("SELECT count(*) FROM trials").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def worker_pid(directory):
    """The process of rank 1 of the search writing to `directory`."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().split(b"\0")
        except OSError:
            continue
        if b"OMPI_COMM_WORLD_RANK=1" in env and \
                directory.encode() in cmdline:
            return int(pid)
    return None


reference = out + "/reference"
subprocess.run(search(reference), check=True, stdout=subprocess.DEVNULL)

killed = out + "/killed"
child = subprocess.Popen(search(killed, ranks=3), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
start = time.monotonic()
pid = None
while child.poll() is None and time.monotonic() - start < 120:
    if committed(killed) >= budget // 4:
        pid = worker_pid(killed)
        if pid:
            os.kill(pid, signal.SIGKILL)
            break
    time.sleep(0.001)
status = child.wait()
kept = committed(killed)
print("killed rank 1:", pid is not None)
print("job ended:", "with an error" if status != 0 else "normally")
print("mid-search:", 0 < kept < budget)

# Resumed under mpirun, then once more in one process (nothing to do):
# both end with the uninterrupted search's trials and front.
# Nothing committed is evaluated again.
for ranks, stored in ((3, kept), (0, budget)):
    subprocess.run(search(killed, "--resume", ranks=ranks), check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(killed, "summary.json")) as f:
        summary = f.read()
    print(f"resumed with {ranks} ranks: trials",
          "same" if comparable(killed) == comparable(reference) else "DIFFER",
          "front", "same" if front(killed) == front(reference) else "DIFFER",
          "replayed", "all" if re.search(f'"resumed": {stored}\\b', summary)
          else "NOT ALL")
