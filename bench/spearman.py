#!/usr/bin/env python3
"""Spearman rank correlation of a metric between two trials.csv files,
joined by encoding (ties get their mean rank).

Usage: spearman.py REFERENCE.csv METRIC OTHER.csv METRIC
"""
import csv
import sys


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def read(path, metric):
    # METRIC names a column with or without its unit (`accuracy` reads
    # `accuracy [fraction]`).
    rows = [{k.split(" [", 1)[0]: v for k, v in row.items()}
            for row in csv.DictReader(open(path))]
    metric = metric.split(" [", 1)[0]
    return {row["encoding"]: float(row[metric])
            for row in rows if row["status"] != "failed"}


def spearman(a, b):
    """Spearman's rho of two equally long lists (0 when one is constant)."""
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va > 0 and vb > 0 else 0.0


def main():
    a, b = read(sys.argv[1], sys.argv[2]), read(sys.argv[3], sys.argv[4])
    keys = sorted(set(a) & set(b))
    rho = spearman([a[k] for k in keys], [b[k] for k in keys])
    print(f"{rho:.3f} ({len(keys)} candidates)")


if __name__ == "__main__":
    main()
