#!/usr/bin/env python3
"""Hypervolume share of the fronts found after the first B trials.

Usage: front_hypervolume.py TABLE B1,B2,... TRIALS.csv...
Each TRIALS.csv has number, encoding, accuracy, latency columns (nasc's
trials.csv, whose headers carry their units: `latency [ms]`, or
optuna_search.py's output, latency in seconds). Prints, per
budget, the mean over the files of HV(front of the first B trials) /
HV(true front of the table), with accuracy maximized and latency minimized
against the reference (accuracy 0, the table's largest latency).
"""
import csv
import sys


def hypervolume(points, ref_latency):
    volume, best = 0.0, 0.0
    for accuracy, latency in sorted(points, key=lambda p: (p[1], -p[0])):
        if accuracy > best and latency < ref_latency:
            volume += (accuracy - best) * (ref_latency - latency)
            best = accuracy
    return volume


def accuracy_latency(row):
    """A row's accuracy and its latency in seconds: nasc's headers carry
    units (`accuracy [fraction]`, `latency [ms]`), optuna_search.py's bare
    `latency` is in seconds."""
    values = {}
    for key, value in row.items():
        name, _, unit = key.partition(" [")
        values[name] = (value, {"": 1, "s]": 1, "ms]": 1e-3}.get(unit, 1))
    return tuple(float(values[k][0]) * values[k][1]
                 for k in ("accuracy", "latency"))


def main():
    table_path, budgets = sys.argv[1], [int(b) for b in sys.argv[2].split(",")]
    table = [accuracy_latency(r) for r in csv.DictReader(open(table_path))]
    ref = max(l for _, l in table) * 1.0001
    true = hypervolume(table, ref)
    shares = {b: [] for b in budgets}
    for path in sys.argv[3:]:
        trials = []
        for row in csv.DictReader(open(path)):
            if row.get("status", "ok") != "ok":
                continue
            trials.append((int(row["number"]), *accuracy_latency(row)))
        for b in budgets:
            found = [(a, l) for n, a, l in trials if n < b]
            shares[b].append(hypervolume(found, ref) / true)
    print(" ".join(f"{sum(s) / len(s):.4f}" for s in shares.values()))


if __name__ == "__main__":
    main()
