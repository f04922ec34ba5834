#!/usr/bin/env python3
"""Optuna (python3-optuna, in memory) on the NB201-shaped table: the peer of
bench/search.sh.

Usage: optuna_search.py TABLE SAMPLER TRIALS SEED OUT.csv
Writes OUT.csv (number,encoding,accuracy,latency) and prints the loop's
seconds. SAMPLER is random or nsga2; the objective reads the table by the
cell's architecture string (the same encoding as nasc's).
"""
import csv
import sys
import time

import optuna

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = ["1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"]


def main():
    table_path, sampler_name, trials, seed, out_path = sys.argv[1:6]
    table = {}
    for row in csv.DictReader(open(table_path)):
        table[row["encoding"]] = (float(row["accuracy"]),
                                  float(row["latency [ms]"]) / 1000)
    if sampler_name == "random":
        sampler = optuna.samplers.RandomSampler(seed=int(seed))
    else:
        sampler = optuna.samplers.NSGAIISampler(seed=int(seed))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(directions=["maximize", "minimize"],
                                sampler=sampler)
    rows = []

    def objective(trial):
        ops = [trial.suggest_categorical(edge, OPS) for edge in EDGES]
        encoding = "|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*ops)
        accuracy, latency = table[encoding]
        rows.append((trial.number, encoding, accuracy, latency))
        return accuracy, latency

    start = time.perf_counter()
    study.optimize(objective, n_trials=int(trials))
    seconds = time.perf_counter() - start
    with open(out_path, "w") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["number", "encoding", "accuracy", "latency"])
        writer.writerows(rows)
    print(f"{seconds:.4f}")


if __name__ == "__main__":
    main()
