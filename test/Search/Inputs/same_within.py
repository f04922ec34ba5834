"""Whether two searches agree within a tolerance: `trials A.csv B.csv TOL`
compares trials.csv files (the same trials, statuses and encodings; metric
values within TOL; the seconds column skipped), `losses A.log B.log TOL` the
supernet's epoch losses in two stderr logs. Prints what it compared, or the
first difference (exit 1)."""
import csv
import re
import sys


def fail(message):
    print(message)
    sys.exit(1)


def trials(a, b, tol):
    rows = [list(csv.DictReader(open(path))) for path in (a, b)]
    if len(rows[0]) != len(rows[1]):
        fail(f"{len(rows[0])} trials against {len(rows[1])}")
    largest = 0.0
    for x, y in zip(*rows):
        for key in x:
            if key == "seconds":
                continue
            try:
                dx, dy = float(x[key]), float(y[key])
            except ValueError:
                if x[key] != y[key]:
                    fail(f"trial {x['number']}: {key} {x[key]} against {y[key]}")
                continue
            largest = max(largest, abs(dx - dy))
            if abs(dx - dy) > tol:
                fail(f"trial {x['number']}: {key} {dx} against {dy}")
    print(f"{len(rows[0])} trials agree within {tol}")


def losses(a, b, tol):
    found = []
    for path in (a, b):
        text = open(path).read()
        found.append([float(v) for v in re.findall(r"supernet epoch \d+/\d+: loss ([0-9.]+)", text)])
    if not found[0] or len(found[0]) != len(found[1]):
        fail(f"{len(found[0])} epoch losses against {len(found[1])}")
    for i, (x, y) in enumerate(zip(*found)):
        if abs(x - y) > tol:
            fail(f"epoch {i + 1}: loss {x} against {y}")
    print(f"{len(found[0])} epoch losses agree within {tol}")


{"trials": trials, "losses": losses}[sys.argv[1]](sys.argv[2], sys.argv[3], float(sys.argv[4]))
