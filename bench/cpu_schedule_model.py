#!/usr/bin/env python3
"""The analytical model's view of a schedule grid (bench/cpu-schedule.sh):
for every candidate and schedule of the grid's CSV (candidate, schedule,
measured ms), the roofline latency of the schedule's tiles on host_cpu
(nasc --emit=candidates --target-costs, docs/costmodel.md "Tiles"), then
per candidate the Spearman correlation of model and measurement over the
schedules (all of them, and the 512-bit ones alone), the schedule the
model ranks first and its measured time against the grid's best (and
how many schedules the model ties with it, the slowest of those); with
PEAK (this core's GFLOP/s, bench/peak.c), the share of it the default
schedule reaches over the whole network (its FLOPs over its time).

Usage: cpu_schedule_model.py NASC SPEC GRID.csv [PEAK]
"""
import csv
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spearman import spearman  # noqa: E402

TARGET = """
target sched : cpu {
  preset = host_cpu;
  tunable vector = {"avx2", "avx512"};
  tunable tile_width = {8, 16};
  tunable tile_channels = {16, 32, 64};
  tunable tile_reduction = {8, 16};
}
"""


def main():
    nasc, spec, grid = sys.argv[1:4]
    peak = float(sys.argv[4]) * 1e9 if len(sys.argv) > 4 else 0
    rows = [r for r in csv.reader(open(grid)) if r]
    count = max(int(r[0]) for r in rows)
    with tempfile.TemporaryDirectory() as tmp:
        sched_spec = os.path.join(tmp, "spec.nas")
        with open(sched_spec, "w") as out:
            out.write(open(spec).read() + TARGET)
        # The grid's candidates: the same sample as bench/cpu-schedule.sh.
        listed = subprocess.run(
            [nasc, spec, "--emit=candidates", f"--sample={count}",
             "--seed=17"], check=True, capture_output=True, text=True)
        archs = [line.split(",")[0].strip('"')
                 for line in listed.stdout.splitlines()[1:]]
        encodings = os.path.join(tmp, "encodings")
        with open(encodings, "w") as out:
            for r in rows:
                out.write(f"{archs[int(r[0]) - 1]} {r[1]}\n")
        costs = subprocess.run(
            [nasc, sched_spec, "--emit=candidates", f"--encodings={encodings}",
             "--target-costs"], check=True, capture_output=True, text=True)
        table = list(csv.DictReader(costs.stdout.splitlines()))
    model = [float(t["latency(sched) [ms]"]) for t in table]
    flops = [float(t["flops"]) for t in table]
    print("candidate,spearman,spearman_avx512,model_ms_default,"
          "measured_ms_default,"
          "model_choice,measured_ms_choice,measured_ms_best,choice_vs_best,"
          "tied,tied_worst_vs_best,default_peak_share")
    for c in range(1, count + 1):
        idx = [i for i, r in enumerate(rows) if int(r[0]) == c]
        measured = [float(rows[i][2]) for i in idx]
        predicted = [model[i] for i in idx]
        choice = min(range(len(idx)), key=lambda k: predicted[k])
        default = next(k for k, i in enumerate(idx) if rows[i][1] ==
                       "sched.tile_channels=32 sched.tile_reduction=8 "
                       "sched.tile_width=8 sched.vector=avx512")
        best = min(measured)
        # The schedules the model ties with its choice (within 0.1%): a
        # choice among them is the listing order's.
        tied = [k for k in range(len(idx))
                if predicted[k] <= predicted[choice] * 1.001]
        worst = max(measured[k] for k in tied)
        wide = [k for k, i in enumerate(idx) if "vector=avx512" in rows[i][1]]
        short = rows[idx[choice]][1].replace("sched.", "")
        print(f"{c},{spearman(predicted, measured):.2f},"
              f"{spearman([predicted[k] for k in wide], [measured[k] for k in wide]):.2f},"
              f"{predicted[default]:.4f},{measured[default]:.4f},"
              f"{short},{measured[choice]:.4f},{best:.4f},"
              f"{measured[choice] / best:.2f},{len(tied)},{worst / best:.2f},"
              f"{flops[idx[0]] / (measured[default] * 1e-3) / peak if peak else 0:.2f}")


if __name__ == "__main__":
    main()
