"""Compares two `i value` listings (main.c's output) within a relative
tolerance of the larger logit: exits 1, naming the worst index, if any
differs by more. Usage: compare_logits.py A B [TOLERANCE=1e-4]"""
import sys


def read(path):
    return {int(i): float(v) for i, v in (line.split() for line in open(path))}


a, b = read(sys.argv[1]), read(sys.argv[2])
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
if a.keys() != b.keys():
    sys.exit(f"different outputs: {sorted(a)} and {sorted(b)}")
scale = max(1.0, max(abs(v) for v in b.values()))
worst = max(a, key=lambda i: abs(a[i] - b[i]))
error = abs(a[worst] - b[worst]) / scale
print(f"{len(a)} logits, largest relative difference {error:.2g} "
      f"(logit {worst})")
sys.exit(0 if error <= tolerance else 1)
