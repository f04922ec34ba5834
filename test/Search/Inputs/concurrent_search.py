"""Two `nasc search` runs on one --out at once: the second must stop at
once with an error naming the directory and the process that holds it,
and the first must finish with every trial stored.

Usage: concurrent_search.py SPEC OUT. The first search is paused (SIGSTOP)
once it holds the directory, so the second surely starts while it runs.
Prints what it checked for FileCheck."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

spec, out = sys.argv[1], sys.argv[2]
args = ["nasc", "search", spec, "--objective", "min:flops", "--objective",
        "min:params", "--strategy", "nsga2", "--budget", "3000", "--seed",
        "3", "--out", out, "--quiet"]

first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
lock = os.path.join(out, "search.lock")
# Hang guard only: the lock is written before anything slow.
deadline = time.time() + 60
while time.time() < deadline:
    try:
        if open(lock).read().strip() == str(first.pid):
            break
    except OSError:
        pass
    time.sleep(0.01)
else:
    sys.exit("the first search never took " + lock)
os.kill(first.pid, signal.SIGSTOP)
try:
    second = subprocess.run(args, capture_output=True, text=True, timeout=60)
finally:
    os.kill(first.pid, signal.SIGCONT)
stdout, stderr = first.communicate(timeout=300)

print("second exit", second.returncode)
print(second.stderr.replace(str(first.pid), "FIRST_PID").replace(out, "OUT"),
      end="")
print("first exit", first.returncode)
print(stdout.decode().splitlines()[0])
db = sqlite3.connect(os.path.join(out, "trials.db"))
print("stored trials", db.execute("SELECT count(*) FROM trials").fetchone()[0])
with open(os.path.join(out, "trials.csv")) as f:
    print("trials.csv rows", sum(1 for _ in f) - 1)
