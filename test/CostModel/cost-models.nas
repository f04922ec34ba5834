// Cost models end to end: analytical columns, calibration on synthetic
// measurements with a known truth (2.5 x the roofline), a target known only
// by its measurements, a search and a transfer with calibrated models, a
// tiny target's memory limits, and errors naming file and line.
// RUN: rm -rf %t && mkdir -p %t
//
// RUN: nasc %s --emit=candidates --target-costs --limit 1 | FileCheck %s --check-prefix=COLUMNS
// COLUMNS: encoding,macs,flops,params,model_bytes,bops,activation_bytes,peak_memory_bytes,latency(board) [ms],latency_err(board) [ms],energy(board) [mJ],energy_err(board) [mJ],method(board),latency(mcu) [ms],latency_err(mcu) [ms],energy(mcu) [mJ],energy_err(mcu) [mJ],method(mcu),
// COLUMNS-NEXT: {{.*}},analytical,{{.*}},analytical,
//
// The analytical method recovers the factor exactly; auto keeps it.
// RUN: nasc %s --emit=candidates --target-costs | %system_python %S/Inputs/scale_latency.py board 2.5 > %t/measured.csv
// RUN: nasc calibrate %s --target board --measurements %t/measured.csv --out %t/board.json | FileCheck %s --check-prefix=CAL
// CAL: target board (declared in the spec), 42 measured candidates, their
// CAL: analytical latency: 5-fold cross-validated Spearman {{0.99[0-9]|1.000}}, Kendall {{0.9[0-9]+|1.000}}, MAPE 0.0%, 100.0% within ±10%
// CAL: predictor latency: 5-fold cross-validated Spearman
// CAL: lookup_table latency: 5-fold cross-validated Spearman
// CAL: wrote {{.*}}board.json (analytical)
// RUN: nasc %s --emit=candidates --cost-model %t/board.json --limit 1 | FileCheck %s --check-prefix=MODEL
// MODEL: latency(board) [ms],latency_err(board) [ms],method(board),latency(mcu) [ms]
// MODEL-NEXT: {{.*}},analytical,
//
// A lookup table fitted to the whole networks, over the kernels of the
// emitted code: one value per kernel key.
// RUN: nasc calibrate %s --target board --method lookup_table --records kernels --measurements %t/measured.csv --out %t/table.json | FileCheck %s --check-prefix=TABLE
// TABLE: target board (declared in the spec), 42 measured candidates, their kernels
// TABLE-NEXT: lookup_table latency: 5-fold cross-validated Spearman {{0.9[0-9]+|1.000}}
// TABLE-NEXT: wrote {{.*}}table.json (lookup_table)
// RUN: FileCheck %s --check-prefix=TABLEJSON --input-file=%t/table.json
// TABLEJSON: "table": {
// TABLEJSON-NEXT: "conv ?x32x32x{{[0-9]+}}xf32 1x1x
// TABLEJSON: "method": "lookup_table",
// TABLEJSON: "records": "kernels",
// RUN: nasc %s --emit=candidates --cost-model %t/table.json --limit 1 | FileCheck %s --check-prefix=TABLECOL
// TABLECOL: latency(board) [ms],latency_err(board) [ms],method(board)
// TABLECOL-NEXT: {{.*}},lookup_table,
// RUN: not nasc calibrate %s --target board --records ops --measurements %t/measured.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=BADREC
// BADREC: nasc calibrate: error: --records must be auto, layers or kernels, not 'ops'
//
// A target the spec does not declare: known only by its measurements.
// RUN: nasc calibrate %s --target pi --measurements %t/measured.csv --out %t/pi.json | FileCheck %s --check-prefix=PI
// PI: target pi (measured only), 42 measured candidates, their
// PI-NOT: analytical
// PI: predictor latency: 5-fold cross-validated Spearman
// PI: wrote {{.*}}pi.json (predictor)
// The graph network over the record graph, for such a target over a
// nominal roofline; its estimates read the model file; a damaged network is
// an error naming the file.
// RUN: nasc calibrate %s --target pi --method graph --measurements %t/measured.csv --out %t/graph.json | FileCheck %s --check-prefix=GRAPH
// GRAPH: graph latency: 5-fold cross-validated Spearman {{0.9[0-9]+|1.000}}, {{.*}} (nominal roofline in context)
// GRAPH: wrote {{.*}}graph.json (graph)
// RUN: FileCheck %s --check-prefix=GRAPHJSON --input-file=%t/graph.json
// GRAPHJSON: "graph": {
// GRAPHJSON: "kinds": [
// GRAPHJSON: "method": "graph",
// RUN: nasc %s --emit=candidates --cost-model %t/graph.json --limit 1 | FileCheck %s --check-prefix=GRAPHCOL
// GRAPHCOL: latency(pi) [ms],latency_err(pi) [ms],method(pi)
// GRAPHCOL-NEXT: {{.*}},graph,
// RUN: sed -e 's/"hidden": 32/"hidden": 31/' %t/graph.json > %t/bad-graph.json
// RUN: not nasc %s --emit=candidates --cost-model %t/bad-graph.json --limit 1 2>&1 | FileCheck %s --check-prefix=BADGRAPH
// BADGRAPH: bad-graph.json: a graph network of {{[0-9]+}} kinds, 9 numeric features and 31 hidden units needs {{[0-9]+}} parameters, not {{[0-9]+}}
// RUN: not nasc calibrate %s --target pi --method analytical --measurements %t/measured.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOROOF
// NOROOF: nasc calibrate: error: target 'pi' has no peak_compute or bandwidth: the analytical method needs a roofline (use --method predictor or graph)
//
// Searches: latency on two targets at once, from a calibrated model and
// the roofline; the tiny target's SRAM and flash are constraints.
// RUN: nasc search %s --cost-model %t/pi.json --objective min:'latency(pi)' --objective min:'latency(board)' --budget 42 --strategy grid --out %t/search 2>&1 | FileCheck %s --check-prefix=SEARCH
// SEARCH: energy: {{.*}} Wh ({{.*}}), {{.*}} g CO2 at 475 g/kWh
// SEARCH: latency(pi) = {{[0-9.e-]+}}
// SEARCH: latency(board) = {{[0-9.e-]+}}
// RUN: FileCheck %s --check-prefix=INFEASIBLE --input-file=%t/search/trials.csv
// INFEASIBLE: infeasible,{{.*}}violates peak_memory_bytes <= 327680 (SRAM of mcu)
// RUN: FileCheck %s --check-prefix=ENERGY --input-file=%t/search/summary.json
// ENERGY: "energy": {
// ENERGY: "co2_grams":
//
// The measured method: latency(host) is the median time of the emitted
// native code (values not checked: they are this machine's).
// RUN: nasc search %s --measure-target host --objective min:'latency(host)' --objective min:params --strategy grid --budget 2 --out %t/measured --quiet | FileCheck %s --check-prefix=MEASURED
// MEASURED: search grid: 2 trials (2 evaluated
// MEASURED: latency(host) = {{[0-9.e-]+}}
// RUN: not nasc search %s --measure-target host --measure-batch 0 --objective min:'latency(host)' --budget 1 --out %t/e 2>&1 | FileCheck %s --check-prefix=MBATCH
// MBATCH: nasc search: error: --measure-batch must be at least 1
//
// The chosen candidate's native code; the spec's name made a C name.
// RUN: nasc search %s --objective min:flops --budget 3 --emit-best=cpu --out %t/best --quiet
// RUN: FileCheck %s --check-prefix=BEST --input-file=%t/best/cpu/cost_models.h
// BEST: int cost_models_run(const float *input, float *output, int batch, int threads);
// RUN: not nasc search %s --objective min:flops --budget 1 --emit-best=mobile --out %t/e 2>&1 | FileCheck %s --check-prefix=BESTBAD
// BESTBAD: nasc search: error: --emit-best: no backend for target kind 'mobile' (backends: cpu, fpga, gpu)
//
// Transfer to the board: re-rank, then compress for a limit.
// RUN: nasc transfer %s --trials %t/search/trials.csv --cost-model %t/board.json --out %t/transfer --constraint 'latency(board)<0.5ms' | FileCheck %s --check-prefix=TRANSFER
// TRANSFER: transfer to board (analytical model): {{[0-9]+}} trials re-ranked, no training; front of {{[0-9]+}} in {{.*}}pareto.csv
// TRANSFER-NEXT: latency(board) 0.159196 ms out=8 prune=0.5 a kernel=3 wbits=8
// TRANSFER: compression of {{.*}} for board ({{[0-9]+}} combinations tried): {{.*}}, latency(board) 0.159196 → 0.159196 ms
// The front in ms, as the search's files and every other output give it.
// RUN: FileCheck %s --check-prefix=TRANSFERCSV --input-file=%t/transfer/pareto.csv
// TRANSFERCSV:      encoding,latency(board) [ms]
// TRANSFERCSV-NEXT: out=8 prune=0.5 a kernel=3 wbits=8,1.591959e-01
//
// Errors name the file and line.
// RUN: printf 'encoding,latency_ms\nnot-a-candidate,1\n' > %t/bad.csv
// RUN: not nasc calibrate %s --target board --measurements %t/bad.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=BADROW
// BADROW: nasc calibrate: error: {{.*}}bad.csv:2: 'not-a-candidate':
// RUN: printf 'encoding,latency_ms\n"out=8 prune=0 b",-1\n' > %t/neg.csv
// RUN: not nasc calibrate %s --target board --measurements %t/neg.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: nasc calibrate: error: {{.*}}neg.csv:2: '-1' in column 'latency_ms' is not a positive number
// NaN is no number either; a missing column is named.
// RUN: printf 'encoding,latency_ms\n"out=8 prune=0 b",nan\n' > %t/nan.csv
// RUN: not nasc calibrate %s --target board --measurements %t/nan.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: nasc calibrate: error: {{.*}}nan.csv:2: 'nan' in column 'latency_ms' is not a positive number
// RUN: printf 'candidate,latency_ms\n"out=8 prune=0 b",1\n' > %t/nocol.csv
// RUN: not nasc calibrate %s --target board --measurements %t/nocol.csv --out %t/x.json 2>&1 | FileCheck %s --check-prefix=NOCOL
// NOCOL: nasc calibrate: error: {{.*}}nocol.csv:1: expected an 'encoding' column
//
// A candidate measured twice is one candidate with the
// mean of its values; repeats more than 10% apart are named with their
// lines. Too few candidates, or latencies that hardly vary, are warned
// about: their figures cannot tell the methods apart.
// RUN: %system_python %S/Inputs/repeat_rows.py %t/measured.csv > %t/repeats.csv
// RUN: nasc calibrate %s --target board --measurements %t/repeats.csv --out %t/r.json 2>&1 | FileCheck %s --check-prefix=REPEATS
// REPEATS: nasc calibrate: warning: {{.*}}repeats.csv:2,44: candidate '[[ENC:[^']+]]' measured 2 times, latency [[LOW:[0-9.e-]+]] to [[HIGH:[0-9.e-]+]] ms (more than 10% apart): averaged to
// REPEATS-NOT: warning
// REPEATS: target board (declared in the spec), 42 measured candidates (44 rows, repeats averaged), their
// RUN: head -6 %t/measured.csv > %t/few.csv
// RUN: nasc calibrate %s --target board --method analytical --measurements %t/few.csv --out %t/f.json 2>&1 | FileCheck %s --check-prefix=FEW
// FEW: nasc calibrate: warning: only 5 measured candidates: cross-validated figures from so few are rough
// RUN: %system_python %S/Inputs/repeat_rows.py %t/measured.csv uniform > %t/uniform.csv
// RUN: nasc calibrate %s --target board --method analytical --measurements %t/uniform.csv --out %t/u.json 2>&1 | FileCheck %s --check-prefix=UNIFORM
// UNIFORM: nasc calibrate: warning: the measured latencies vary by only {{[0-4]\.[0-9]}}% (coefficient of variation)
// RUN: not nasc search %s --cost-model %t/measured.csv --objective min:flops --budget 1 --out %t/e 2>&1 | FileCheck %s --check-prefix=NOTMODEL
// NOTMODEL: nasc search: error: {{.*}}measured.csv: {{.*}}
// RUN: not test -e %t/x.json

dataset d {
  input = [3, 64, 64];
  classes = 10;
}

target board : mobile {
  peak_compute = 20 GFLOPS;
  bandwidth = 4 GB/s;
  overhead = 5 us;
}

target mcu : tiny {
  preset = stm32f746;
}

network n on d {
  stem: conv(out = {8, 16, 24}, kernel = 3, stride = 2,
             prune = {0.0, 0.5}) -> bn -> relu;
  body: choose {
    a: conv(kernel = {3, 5}, wbits = {8, 32}) -> bn -> relu;
    b: sep_conv(kernel = 3);
    c: mbconv(kernel = 3, expand = {3, 6});
  }
  pool: max_pool(kernel = 2, stride = 2);
  head: global_avg_pool -> fc(out = classes);
}
