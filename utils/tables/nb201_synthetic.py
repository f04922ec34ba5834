#!/usr/bin/env python3
"""A NAS-Bench-201-shaped table with a synthetic accuracy and latency.

Reads `nasc examples/nb201.nas --emit=candidates` (CSV on stdin: encoding,
macs, ...) and writes, for every cell, a row

    encoding,accuracy,latency [ms]

The numbers are made up, deterministic and plausible, for testing the
table evaluator and benchmarking search strategies; they are not
NAS-Bench-201's (which may not be redistributed here):

  accuracy = 0.10 + 0.84 * (1 - exp(-s / 2.5)) + noise in [-0.01, 0.01],
    s summing each edge's op worth (3x3 conv 1.0, 1x1 conv 0.6, skip 0.3,
    avg pool 0.1, none 0); a cell whose output no path reaches is 0.10;
  latency = 0.02 ms per million MACs + 0.05 ms per non-`none` edge.

The noise is a hash of the encoding, so every run gives the same table.
Usage: nasc examples/nb201.nas --emit=candidates | nb201_synthetic.py > t.csv
       ... | nb201_synthetic.py 'latency(gpu)'   names the latency column
"""
import csv
import hashlib
import math
import re
import sys

WORTH = {"nor_conv_3x3": 1.0, "nor_conv_1x1": 0.6, "skip_connect": 0.3,
         "avg_pool_3x3": 0.1, "none": 0.0}


def edges(encoding):
    """[(source, target, op)] of an architecture string."""
    result = []
    for target, node in enumerate(encoding.strip("|").split("|+|"), start=1):
        for edge in node.split("|"):
            op, source = edge.rsplit("~", 1)
            result.append((int(source), target, op))
    return result


def reaches_output(cell):
    reached = {0}
    for source, target, op in sorted(cell, key=lambda e: (e[1], e[0])):
        if op != "none" and source in reached:
            reached.add(target)
    return 3 in reached


def main():
    rows = csv.DictReader(sys.stdin)
    out = csv.writer(sys.stdout, lineterminator="\n")
    latency_column = sys.argv[1] if len(sys.argv) > 1 else "latency"
    out.writerow(["encoding", "accuracy", latency_column + " [ms]"])
    for row in rows:
        encoding = row["encoding"]
        cell = edges(encoding)
        digest = hashlib.sha256(encoding.encode()).digest()
        noise = (int.from_bytes(digest[:8], "big") / 2**64 - 0.5) * 0.02
        if reaches_output(cell):
            s = sum(WORTH[op] for _, _, op in cell)
            accuracy = 0.10 + 0.84 * (1 - math.exp(-s / 2.5)) + noise
        else:
            accuracy = 0.10
        latency = 0.02 * int(row["macs"]) / 1e6 + \
            0.05 * sum(op != "none" for _, _, op in cell)
        out.writerow([encoding, f"{accuracy:.6f}", f"{latency:.6f}"])


if __name__ == "__main__":
    main()
