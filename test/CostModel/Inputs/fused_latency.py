"""Synthetic measurements of a device that fuses (the test of records in
context): `nasc --emit=layers` records in, `encoding,latency_ms` out.

A batch norm or activation right after a convolution (or an activation
after a batch norm) is free, one after anything else is a kernel of its
own (it reads and writes its tensor: 8 bytes a FLOP); an add after a `zero`
is skipped; every other record is its roofline at 100 GFLOP/s and 10 GB/s
times SLOWDOWN, plus LAUNCH_US a kernel. COUNT candidates, shuffled with
SEED (all with COUNT 0).

Usage: fused_latency.py LAYERS.csv SLOWDOWN LAUNCH_US COUNT SEED
"""
import csv
import random
import sys

path, slowdown, launch = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
count, seed = int(sys.argv[4]), int(sys.argv[5])
networks = {}
for row in csv.DictReader(open(path)):
    networks.setdefault(row["encoding"], []).append(
        (row["kind"], float(row["flops"]), float(row["bytes"]),
         int(row["kernels"])))
latency = {}
for encoding, records in networks.items():
    total, previous = 0.0, ""
    for kind, flops, nbytes, kernels in records:
        elementwise = kind in ("bn", "relu")
        fused = elementwise and (previous in ("conv", "bn") or
                                 (previous == "relu" and kind == "relu"))
        if not fused and not (kind == "add" and previous == "zero"):
            own = (8 * flops / 10e9 if elementwise else
                   max(flops / 100e9, nbytes / 10e9))
            total += slowdown * own + launch * 1e-6 * max(kernels, 1)
        previous = kind
    latency[encoding] = total
encodings = list(latency)
random.Random(seed).shuffle(encodings)
print("encoding,latency_ms")
for encoding in encodings[:count or len(encodings)]:
    print('"%s",%.9g' % (encoding.replace('"', '""'), latency[encoding] * 1e3))
