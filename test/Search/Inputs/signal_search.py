"""SIGTERM and SIGINT while a candidate trains: the search stops between
training steps, commits the trials finished before, not the one under
way, exits 143 (SIGTERM) or 130 (SIGINT), and --resume completes it.

Usage: signal_search.py SPEC OUT EPOCHS. The data is a tiny made-up
Fashion-MNIST (IDX files: 600 training and 100 test images), so loading
takes no time. Each signal is sent once the
candidate to interrupt has printed its first epoch (so it is surely
training); the search must then stop before that candidate's last epoch.
Prints what it checked for FileCheck."""
import os
import random
import re
import signal
import sqlite3
import struct
import subprocess
import sys

spec, out, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = out + ".data"


def write_idx(name, dims, values):
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, name), "wb") as f:
        # Magic: two zero bytes, 0x08 (unsigned bytes), the rank.
        f.write(struct.pack(">HBB", 0, 0x08, len(dims)))
        f.write(struct.pack(">" + "I" * len(dims), *dims))
        f.write(bytes(values))


random.seed(0)
for prefix, n in (("train", 600), ("t10k", 100)):
    write_idx(prefix + "-images-idx3-ubyte", (n, 28, 28),
              [random.randrange(256) for _ in range(n * 28 * 28)])
    write_idx(prefix + "-labels-idx1-ubyte", (n,),
              [i % 10 for i in range(n)])
base = ["nasc", "search", spec, "--out", out, "--data", data]
EPOCH = re.compile(r"^  (.+) epoch (\d+)/\d+:")


def stored():
    db = sqlite3.connect(os.path.join(out, "trials.db"))
    try:
        return db.execute("SELECT count(*) FROM trials").fetchone()[0]
    finally:
        db.close()


def interrupt(args, which, sig):
    """Runs nasc with `args`, sends `sig` once the `which`-th candidate
    (1-based) has trained one epoch; prints its exit status and how far
    that candidate got."""
    child = subprocess.Popen(args, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    labels, last, sent = [], {}, False
    for line in child.stderr:
        if line.startswith("nasc search: interrupted"):
            print(line.rstrip())
        match = EPOCH.match(line)
        if not match:
            continue
        label, epoch = match.group(1), int(match.group(2))
        if label not in labels:
            labels.append(label)
        last[label] = epoch
        if not sent and len(labels) == which:
            child.send_signal(sig)
            sent = True
    # A hang guard only, far above the few steps a stop takes.
    child.wait(timeout=60)
    child.stdout.read()
    print("sent", signal.Signals(sig).name, sent, "exit", child.returncode)
    print("stopped before the last epoch",
          sent and last[labels[which - 1]] < epochs)
    print("stored trials", stored())


# The first candidate trains to the end and is committed; the second is
# interrupted and not.
interrupt(base, 2, signal.SIGTERM)
# Resumed: the first comes from the store, the second trains again.
interrupt(base + ["--resume"], 1, signal.SIGINT)
done = subprocess.run(base + ["--resume", "--quiet"], capture_output=True,
                      text=True, timeout=300)
print("resumed exit", done.returncode)
print(done.stdout.splitlines()[0])
print("stored trials", stored())
