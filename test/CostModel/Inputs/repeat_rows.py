"""Measurements with repeats, from scale_latency.py's CSV (argument 1):
every row, then the first row again at 1.5 times its latency (a repeat
more than 10% apart) and the second row again unchanged. With `uniform`
as argument 2, every row's latency is 1, 1.01 or 1.02 ms instead (a
coefficient of variation under 1%)."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
uniform = len(sys.argv) > 2 and sys.argv[2] == "uniform"
print("encoding,latency_ms")


def emit(row, latency):
    print('"%s",%.9g' % (row["encoding"].replace('"', '""'), latency))


for i, row in enumerate(rows):
    emit(row, 1 + 0.01 * (i % 3) if uniform else float(row["latency_ms"]))
if not uniform:
    emit(rows[0], 1.5 * float(rows[0]["latency_ms"]))
    emit(rows[1], float(rows[1]["latency_ms"]))
