"""Synthetic measurements: a candidate table's `latency(TARGET) [ms]` column
times FACTOR, as `nasc calibrate` reads them (encoding,latency_ms)."""
import csv
import sys

target, factor = sys.argv[1], float(sys.argv[2])
rows = csv.DictReader(sys.stdin)
print("encoding,latency_ms")
for row in rows:
    value = factor * float(row["latency(%s) [ms]" % target])
    print('"%s",%.9g' % (row["encoding"].replace('"', '""'), value))
