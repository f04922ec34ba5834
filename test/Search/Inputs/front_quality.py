"""Compares a found front (pareto.csv: accuracy maximized, latency
minimized) with the true one: the share of the true front's hypervolume it
reaches, against the reference (accuracy 0, the largest latency of either
front), and whether it contains the true front's most accurate member."""
import csv
import sys


def read(path):
    # Headers carry units (`latency [ms]`); both files are in the same
    # ones, and the share is a ratio.
    rows = [{k.split(" [", 1)[0]: v for k, v in r.items()}
            for r in csv.DictReader(open(path))]
    return [(float(r["accuracy"]), float(r["latency"]), r["encoding"])
            for r in rows]


def hypervolume(points, ref_latency):
    # Maximize accuracy, minimize latency: sweep by latency.
    volume, best = 0.0, 0.0
    for accuracy, latency, _ in sorted(points, key=lambda p: (p[1], -p[0])):
        if accuracy > best:
            volume += (accuracy - best) * (ref_latency - latency)
            best = accuracy
    return volume


found, true = read(sys.argv[1]), read(sys.argv[2])
ref = max(p[1] for p in found + true) * 1.001
share = hypervolume(found, ref) / hypervolume(true, ref)
top = max(true)[2]
print(f"hypervolume share {share:.3f}")
print("most accurate found" if top in {p[2] for p in found}
      else "most accurate missing")
