#!/usr/bin/env python3
"""Checks nasc's GPU code against its CPU code on random candidates.

For each candidate of SPEC (--count, drawn with --seed, or the --candidate
given), both backends' code is emitted with the same seeded weights, built
with cc and run on the same batch; every output of every sample must agree
within --tolerance (max |gpu - cpu| / max |cpu|). The CPU code equals
LibTorch's forward within 1e-4 (unittests/Target/CPUTargetTest.cpp), so
this compares the GPU with the LibTorch reference through it.

With --mock LIB the GPU code runs on a mock CUDA driver that executes the
kernels compiled for this CPU (nasc --gpu-emulation): a machine without a
GPU checks the host code, the plan and the kernels' indexing. Without it,
the real driver runs the PTX.

Prints one CSV row a candidate; exits 1 when one differs or fails.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time

# A check program over either backend's C API: every output of the fixed
# input (main.c's) at batch argv[1]. RUN is the backend's call.
MAIN = r"""
#include "NAME.h"
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int batch = atoi(argv[1]);
  long n = (long)NAME_U_INPUT_SIZE * batch, m = (long)NAME_U_OUTPUT_SIZE * batch;
  float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * m);
  for (long i = 0; i < n; ++i)
    in[i] = (float)((i * 7919) % 2001) / 1000.0f - 1.0f;
  if (RUN)
    return 1;
  for (long i = 0; i < m; ++i)
    printf("%.9g\n", out[i]);
  return 0;
}
"""
GPU_RUN = ('NAME_init() || NAME_run(in, out, batch) ? '
           '(fprintf(stderr, "%s\\n", NAME_error()), 1) : 0')
CPU_RUN = "NAME_init() || NAME_run(in, out, batch, 1)"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def name_of(directory):
    headers = [f for f in os.listdir(directory) if f.endswith(".h")
               and not f.startswith("nasc_")]
    return headers[0][:-2]


def build_and_run(directory, call, libs, batch, env):
    name = name_of(directory)
    text = MAIN.replace("RUN", call).replace("NAME_U", name.upper())
    text = text.replace("NAME", name)
    with open(os.path.join(directory, "check.c"), "w") as f:
        f.write(text)
    run(["cc", "-O1", "-o", "check", "check.c"] + libs(name), cwd=directory)
    result = subprocess.run(["./check", str(batch)], cwd=directory, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr.strip())
    return [float(line) for line in result.stdout.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("--nasc", default="nasc")
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--candidate", action="append", default=[])
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--mock", help="a mock libcuda.so.1 (emulation)")
    parser.add_argument("--tolerance", type=float, default=1e-5)
    parser.add_argument("--gpu-arch", default="sm_90")
    args = parser.parse_args()

    encodings = list(args.candidate)
    if not encodings:
        table = run([args.nasc, args.spec, "--emit=candidates", "--sample",
                     str(args.count), "--seed", str(args.seed)]).stdout
        rows = list(csv.reader(io.StringIO(table)))
        encodings = [row[0] for row in rows[1:]]

    env = dict(os.environ)
    if args.mock:
        env["NASC_CUDA_LIBRARY"] = os.path.abspath(args.mock)
    print("candidate,outputs,max_rel_diff,ok,seconds")
    failures = 0
    for index, encoding in enumerate(encodings):
        start = time.time()
        with tempfile.TemporaryDirectory() as work:
            gpu, cpu = os.path.join(work, "gpu"), os.path.join(work, "cpu")
            try:
                emit = [args.nasc, args.spec, "--candidate", encoding]
                run(emit + ["--emit=gpu", "--gpu-arch", args.gpu_arch, "-o",
                            gpu] + (["--gpu-emulation"] if args.mock else []))
                run(emit + ["--emit=cpu", "-o", cpu])
                got = build_and_run(
                    gpu, GPU_RUN,
                    lambda n: [n + ".c", "nasc_network.c", "nasc_cuda.c",
                               n + "_data.o"] +
                    ([n + "_emu.o", "-rdynamic"] if args.mock else []) +
                    ["-ldl", "-lm"], args.batch, env)
                want = build_and_run(cpu, CPU_RUN,
                                     lambda n: [n + ".o", "-lm", "-pthread"],
                                     args.batch, env)
            except (subprocess.CalledProcessError, RuntimeError) as error:
                detail = getattr(error, "stderr", "") or str(error)
                print(f"{index},0,nan,error,{time.time() - start:.1f}")
                print(f"  {encoding}: {detail.strip()}", file=sys.stderr)
                failures += 1
                continue
        scale = max(max(abs(x) for x in want), 1e-30)
        diff = max(abs(a - b) for a, b in zip(got, want)) / scale
        ok = len(got) == len(want) and diff <= args.tolerance
        failures += not ok
        print(f"{index},{len(got)},{diff:.3g},{'yes' if ok else 'NO'},"
              f"{time.time() - start:.1f}")
        if not ok:
            print(f"  {encoding}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
