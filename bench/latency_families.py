#!/usr/bin/env python3
"""Synthetic device families for the few-shot latency models (issue #21).

Each family is a device that nasc cannot run, made to be hard for models
of whole-network latency fitted to a few measurements. Its latency is a
function of the records `nasc --emit=layers` prints (every layer the
network executes, dead paths included), with effects the roofline does
not see:

  launch     every op (record) pays a 20 us launch, fused or not
  small      small ops are memory- and launch-bound: bandwidth grows with
             the bytes moved (square root up to 256 KiB)
  cliff      a cache cliff: ops moving more than 128 KiB see 1/8 of the
             bandwidth
  fusion     fusion that makes costs non-additive: a batch norm or
             activation right after a convolution is free, one after
             anything else is an op of its own; an addition with a zero
             operand is skipped
  dead       dead paths executed: `zero` ops fill their tensor at a tenth
             of the bandwidth with a launch each
  noise      `launch` measured with 8% multiplicative log-normal noise;
             scored against the noise-free latency (what a model should
             recover from noisy measurements)
  fusion_slow  `fusion`'s runtime on a slower chip (60% of the compute, half
             the bandwidth, 1.5x the launch): a device related to `fusion`,
             for the transfer of a model between devices (`--prior`)

The base device reaches 70% of the datasheet's 1.5 TFLOP/s, 80% of its
60 GB/s and takes 6 us per kernel where the datasheet says 4 (the figures
bench/latency-families.sh declares), so even the base needs calibrating.

Usage:
  latency_families.py truth LAYERS.csv FAMILY SEED > TRUTH.csv
  latency_families.py split TRUTH.csv FIT SEED FIT.csv TEST.txt
  latency_families.py score TRUTH.csv TEST.txt PREDICTED.csv COLUMN
"""
import csv
import math
import random
import sys

from spearman import spearman  # bench/spearman.py

PEAK = 0.7 * 1.5e12
BANDWIDTH = 0.8 * 60e9
LAUNCH = 6e-6
ELEMENTWISE = {"bn", "relu", "relu6", "sigmoid", "hswish", "swish", "tanh",
               "act", "hsigmoid", "gelu"}


def roofline(flops, nbytes, bandwidth=BANDWIDTH, peak=PEAK):
    return max(flops / peak, nbytes / bandwidth)


def network_latency(records, family):
    if family == "fusion_slow":
        return fused_latency(records, 0.6 * PEAK, 0.5 * BANDWIDTH, 1.5 * LAUNCH)
    if family == "fusion":
        return fused_latency(records, PEAK, BANDWIDTH, LAUNCH)
    total = 0.0
    for kind, flops, nbytes, kernels in records:
        if family in ("launch", "noise"):
            total += roofline(flops, nbytes) + 20e-6
        elif family == "small":
            share = min(1.0, max(nbytes, 1.0) / 262144.0) ** 0.5
            total += roofline(flops, nbytes, BANDWIDTH * max(share, 0.02))
            total += LAUNCH * kernels
        elif family == "cliff":
            bandwidth = BANDWIDTH if nbytes <= 1 << 17 else BANDWIDTH / 8
            total += roofline(flops, nbytes, bandwidth) + LAUNCH * kernels
        elif family == "dead":
            if kind == "zero":
                total += nbytes / (BANDWIDTH / 10) + LAUNCH
            else:
                total += roofline(flops, nbytes) + LAUNCH * kernels
        else:
            sys.exit("unknown family '%s'" % family)
    return total


def fused_latency(records, peak, bandwidth, launch):
    total = 0.0
    previous = None
    for kind, flops, nbytes, kernels in records:
        if kind in ELEMENTWISE:
            fused = previous in ("conv", "bn") or (
                previous in ELEMENTWISE and kind != "bn")
            if not fused:
                # An op of its own: reads and writes its tensor.
                total += roofline(flops, 2 * 4 * flops, bandwidth, peak) + launch
        elif kind == "add" and previous == "zero":
            pass
        else:
            total += roofline(flops, nbytes, bandwidth, peak) + launch * kernels
        previous = kind
    return total


def truth(layers_path, family, seed):
    rng = random.Random(seed)
    networks = {}
    order = []
    for row in csv.DictReader(open(layers_path)):
        encoding = row["encoding"]
        if encoding not in networks:
            networks[encoding] = []
            order.append(encoding)
        networks[encoding].append((row["kind"], float(row["flops"]),
                                   float(row["bytes"]), int(row["kernels"])))
    out = csv.writer(sys.stdout, lineterminator="\n")
    # latency_ms: as measured; true_ms: without the noise.
    out.writerow(["encoding", "latency_ms", "true_ms"])
    for encoding in order:
        latency = network_latency(networks[encoding], family)
        measured = latency
        if family == "noise":
            measured *= math.exp(rng.gauss(0.0, 0.08))
        out.writerow([encoding, "%.9g" % (measured * 1e3),
                      "%.9g" % (latency * 1e3)])


def split(truth_path, fits, seed, fit_path, test_path):
    rows = list(csv.DictReader(open(truth_path)))
    rng = random.Random(seed)
    chosen = set(rng.sample(range(len(rows)), fits))
    with open(fit_path, "w") as fit:
        out = csv.writer(fit, lineterminator="\n")
        out.writerow(["encoding", "latency_ms"])
        for i in sorted(chosen):
            out.writerow([rows[i]["encoding"], rows[i]["latency_ms"]])
    with open(test_path, "w") as test:
        for i, row in enumerate(rows):
            if i not in chosen:
                test.write(row["encoding"] + "\n")


def score(truth_path, test_path, predicted_path, column):
    true = {r["encoding"]: float(r["true_ms"])
            for r in csv.DictReader(open(truth_path))}
    predicted = {r["encoding"]: float(r[column])
                 for r in csv.DictReader(open(predicted_path))}
    tests = [line.rstrip("\n") for line in open(test_path) if line.strip()]
    y = [true[e] for e in tests]
    p = [predicted[e] for e in tests]
    within = sum(abs(q - t) <= 0.10 * t for q, t in zip(p, y)) / len(y)
    mape = 100 * sum(abs(q - t) / t for q, t in zip(p, y)) / len(y)
    print("%.3f %.1f%% %.1f%% %d" % (spearman(p, y), 100 * within, mape,
                                     len(y)))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "truth":
        truth(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif command == "split":
        split(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
              sys.argv[6])
    elif command == "score":
        score(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
