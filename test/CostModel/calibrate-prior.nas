// nasc calibrate on a device that fuses (Inputs/fused_latency.py): the
// lookup table's keys in context recover it where no per-record feature
// can, and a model of it (--prior) lets 12 measurements of a related,
// slower device suffice. Then bad priors and bad measurement files.
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %s --emit=layers > %t/layers.csv
// RUN: %system_python %S/Inputs/fused_latency.py %t/layers.csv 1 10 60 1 > %t/a.csv
// RUN: %system_python %S/Inputs/fused_latency.py %t/layers.csv 1.7 15 12 2 > %t/b.csv
//
// RUN: nasc calibrate %s --target dev --measurements %t/a.csv --out %t/a.json | FileCheck %s --check-prefix=CONTEXT
// CONTEXT: target dev (declared in the spec), 60 measured candidates, their layers
// CONTEXT: predictor latency: 5-fold cross-validated Spearman 0.{{[0-8]}}
// CONTEXT: lookup_table latency: 5-fold cross-validated Spearman {{0.99[0-9]|1.000}}, Kendall {{0.9[0-9]+|1.000}}, MAPE 0.{{[0-9]}}%, 100.0% within ±10% (scaled roofline, keys in context)
// CONTEXT: wrote {{.*}}a.json (lookup_table)
// RUN: FileCheck %s --check-prefix=CONTEXTJSON --input-file=%t/a.json
// CONTEXTJSON: "context_table": {
// CONTEXTJSON: "bn>relu 8x16x16 8x16x16 k0 s1 g1 w32a32 n0":
//
// Device B, 12 measurements: without a prior no method ranks it; with A's
// model every method does, scaling A's estimates.
// RUN: nasc calibrate %s --target dev --measurements %t/b.csv --out %t/b0.json | FileCheck %s --check-prefix=ALONE
// ALONE: lookup_table latency: leave-one-candidate-out cross-validated Spearman 0.{{[0-8]}}
// RUN: nasc calibrate %s --target dev --measurements %t/b.csv --prior %t/a.json --out %t/b.json | FileCheck %s --check-prefix=PRIOR
// PRIOR: analytical latency: leave-one-candidate-out cross-validated Spearman {{0.99[0-9]|1.000}}, {{.*}}, 100.0% within ±10% (scaled prior 1 (dev))
// PRIOR: predictor latency: {{.*}}, 100.0% within ±10% (1 prior as a feature)
// PRIOR: lookup_table latency: {{.*}}, 100.0% within ±10% (scaled prior 1 (dev)
// RUN: FileCheck %s --check-prefix=PRIORJSON --input-file=%t/b.json
// PRIORJSON: "priors": [
// PRIORJSON-NEXT: {
// The model carries its prior: estimates need no other file.
// RUN: rm %t/a.json
// RUN: nasc %s --emit=candidates --cost-model %t/b.json --limit 1 | FileCheck %s --check-prefix=ESTIMATE
// ESTIMATE: latency(dev) [ms],latency_err(dev) [ms],method(dev)
// ESTIMATE-NEXT: {{.*}},{{[0-9.e-]+}},{{[0-9.e-]+}},{{analytical|predictor|lookup_table}}
//
// A prior that is not a model, or that reads other records.
// RUN: not nasc calibrate %s --target dev --measurements %t/b.csv --prior %t/missing.json --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOPRIOR
// NOPRIOR: nasc calibrate: error: {{.*}}missing.json:
// RUN: not nasc calibrate %s --target dev --measurements %t/b.csv --prior %t/b.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOTMODEL
// NOTMODEL: nasc calibrate: error: {{.*}}b.csv:
// RUN: not nasc calibrate %s --target dev --records kernels --measurements %t/b.csv --prior %t/b.json --out %t/x.json 2>&1 | FileCheck %s --check-prefix=RECORDS
// RECORDS: nasc calibrate: error: {{.*}}b.json: the prior reads layers, this calibration kernels (pass --records layers)
//
// Bad measurement files: the file and line, non-zero exit, nothing written.
// RUN: head -2 %t/b.csv | sed 's/,[0-9.e-]*$/,0/' > %t/zero.csv
// RUN: not nasc calibrate %s --target dev --measurements %t/zero.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: nasc calibrate: error: {{.*}}zero.csv:2: '0' in column 'latency_ms' is not a positive number
// RUN: head -2 %t/b.csv | sed 's/,[0-9.e-]*$/,fast/' > %t/word.csv
// RUN: not nasc calibrate %s --target dev --measurements %t/word.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=WORD
// WORD: nasc calibrate: error: {{.*}}word.csv:2: 'fast' in column 'latency_ms' is not a positive number
// RUN: sed 's/^encoding,latency_ms$/encoding,time/' %t/b.csv > %t/nolatency.csv
// RUN: not nasc calibrate %s --target dev --measurements %t/nolatency.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOLATENCY
// NOLATENCY: nasc calibrate: error: {{.*}}nolatency.csv:1: expected an 'encoding' column and 'latency_ms' (or 'median_ms') and/or 'energy_mj'
// RUN: not nasc calibrate %s --target dev --measurements %t/none.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: nasc calibrate: error: {{.*}}none.csv
// RUN: not test -e %t/x.json

dataset d { input = [3, 16, 16]; classes = 10; }
target dev : gpu { peak_compute = 100 GFLOPS; bandwidth = 10 GB/s; }
ops cellops {
  none: zero;
  skip: identity;
  c1: relu -> conv(kernel = 1) -> bn;
  c3: relu -> conv(kernel = 3) -> bn;
  pool: avg_pool(kernel = 3);
}
cell c(nodes = 3) { edges all : cellops; }
network n on d {
  conv(out = 8, kernel = 3) -> bn;
  c;
  global_avg_pool -> fc(out = classes);
}
