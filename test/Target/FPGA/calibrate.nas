// nasc calibrate for an fpga target fits the resource model to measured
// designs (nasc measure --target fpga --csv's columns) and reports the
// share within ±15% per resource, uncalibrated and cross-validated, and the
// plan's cycles against the measured ones. The designs here are this
// spec's eight, "measured" as a part whose LUTs run 30% above the default
// model and whose flip-flops run 20% below it: the default model misses
// both, the fitted one gets every held-out design.
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc calibrate %t/space.nas --target ice --measurements %t/measured.csv --out %t/model.json 2>&1 | FileCheck %s
// CHECK: warning: 8 designs are few for 12 coefficients a resource
// CHECK: fpga designs for up5k: 8 measured; cycles from the plan 100.0% within ±10%
// CHECK-NEXT: resources within ±15%:
// CHECK-NEXT: uncalibrated: lut 0.0% (MAPE 23.1%), ff 0.0% (MAPE 25.0%), dsp 100.0% (MAPE 0.0%), bram 100.0% (MAPE 0.0%)
// CHECK-NEXT: calibrated (leave-one-out): lut 100.0% (MAPE 0.0%), ff 100.0% (MAPE 0.0%), dsp 100.0% (MAPE 0.0%), bram 100.0% (MAPE 0.0%)
// CHECK-NEXT: fmax: no design has one (fmax_mhz); the model keeps the part's nominal 12.00 MHz
// CHECK-NEXT: wrote {{.*}}model.json (fpga resource model)
// RUN: FileCheck %s --check-prefix=MODEL --input-file=%t/model.json
// MODEL: "kind": "fpga_resources",
// MODEL: "part": "up5k",
//
// Without a model, the search's lut(ice) is the default model's; with it
// (--cost-model), the calibrated one's: the measured LUTs.
// RUN: nasc search %t/space.nas --objective min:'lut(ice)' --strategy grid --budget 2 --out %t/default --quiet
// RUN: FileCheck %s --check-prefix=DEFAULT --input-file=%t/default/trials.csv
// DEFAULT: 0,out=4 ice.pe=1 ice.template=folded,ok,1783,
// DEFAULT: 1,out=4 ice.pe=1 ice.template=dataflow,ok,3298,
// RUN: nasc search %t/space.nas --objective min:'lut(ice)' --strategy grid --budget 2 --cost-model %t/model.json --out %t/fitted --quiet
// RUN: FileCheck %s --check-prefix=FITTED --input-file=%t/fitted/trials.csv
// FITTED: 0,out=4 ice.pe=1 ice.template=folded,ok,2318,
// FITTED: 1,out=4 ice.pe=1 ice.template=dataflow,ok,4287,
//
// The Fmax: the mean of the designs nextpnr placed and routed (the four
// folded ones; the dataflow ones do not fit), against the nominal 12 MHz.
// The search's fmax(ice) is the model's, and its latency(ice) the plan's
// cycles at the clock the design runs at: the Fmax where the predicted
// resources fit (21364 cycles at 13.35 MHz), else 12 MHz (22916 cycles).
// RUN: nasc calibrate %t/space.nas --target ice --measurements %t/with-fmax.csv --out %t/fmax.json 2>&1 | FileCheck %s --check-prefix=FMAX
// FMAX: fmax within ±10% (4 placed and routed): uncalibrated 50.0% (MAPE 10.1%), calibrated 100.0% (MAPE 2.5%); model 13.35 MHz
// RUN: FileCheck %s --check-prefix=FMAX-MODEL --input-file=%t/fmax.json
// FMAX-MODEL: "fmax_mhz": 13.3{{4999|5}}
// RUN: nasc search %t/space.nas --objective min:'latency(ice)' --objective max:'fmax(ice)' --strategy grid --budget 2 --cost-model %t/fmax.json --out %t/fmax --quiet
// RUN: FileCheck %s --check-prefix=FMAX-SEARCH --input-file=%t/fmax/trials.csv
// FMAX-SEARCH: number,encoding,status,latency(ice) [ms],fmax(ice) [Hz]
// FMAX-SEARCH-NEXT: 0,out=4 ice.pe=1 ice.template=folded,ok,1.6002{{[0-9]*}},{{13349999.9[0-9]*|13350000}},
// FMAX-SEARCH-NEXT: 1,out=4 ice.pe=1 ice.template=dataflow,ok,1.9096{{[0-9]*}},{{13349999.9[0-9]*|13350000}},
// A bound in MHz.
// RUN: nasc search %t/space.nas --objective min:'latency(ice)' --constraint 'fmax(ice) >= 14 MHz' --strategy grid --budget 1 --cost-model %t/fmax.json --out %t/fast --quiet
// RUN: FileCheck %s --check-prefix=FAST --input-file=%t/fast/trials.csv
// FAST: 0,out=4 ice.pe=1 ice.template=folded,infeasible,
//
// Bad rows name the file and line; nothing is written.
// RUN: not nasc calibrate %t/space.nas --target ice --measurements %t/no-part.csv --out %t/bad.json 2>&1 | FileCheck %s --check-prefix=NO-PART
// NO-PART: no-part.csv:1: no column 'part' (nasc measure --target fpga --csv writes it)
// RUN: not nasc calibrate %t/space.nas --target ice --measurements %t/bad-lut.csv --out %t/bad.json 2>&1 | FileCheck %s --check-prefix=BAD-LUT
// BAD-LUT: bad-lut.csv:3: 'lut' is not a non-negative integer
// RUN: not nasc calibrate %t/space.nas --target ice --measurements %t/bad-encoding.csv --out %t/bad.json 2>&1 | FileCheck %s --check-prefix=BAD-ENCODING
// BAD-ENCODING: bad-encoding.csv:2:
// RUN: not nasc calibrate %t/space.nas --target ice --measurements %t/two-parts.csv --out %t/bad.json 2>&1 | FileCheck %s --check-prefix=TWO-PARTS
// TWO-PARTS: two-parts.csv:3: part xc7z020, but the rows above are up5k's: calibrate one part at a time
// RUN: not nasc calibrate %t/space.nas --target ice --measurements %t/bad-fmax.csv --out %t/bad.json 2>&1 | FileCheck %s --check-prefix=BAD-FMAX
// BAD-FMAX: bad-fmax.csv:3: 'fmax_mhz' is not a positive number
// RUN: not ls %t/bad.json
// RUN: not nasc search %t/space.nas --objective min:'lut(ice)' --strategy grid --budget 1 --cost-model %t/model.json --cost-model %t/model.json --out %t/two 2>&1 | FileCheck %s --check-prefix=TWO-MODELS
// TWO-MODELS: two fpga resource models

//--- space.nas
dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; tunable pe = {1, 4}; tunable template = {"folded", "dataflow"}; }
network n on d {
  c: conv(out = {4, 8}, kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
//--- measured.csv
encoding,cycles,lut,ff,dsp,bram,part
out=4 ice.pe=1 ice.template=folded,21364,2318,544,3,3,up5k
out=4 ice.pe=1 ice.template=dataflow,22916,4287,1401,12,6,up5k
out=4 ice.pe=4 ice.template=folded,5824,2646,700,6,2,up5k
out=4 ice.pe=4 ice.template=dataflow,9095,4615,1557,15,5,up5k
out=8 ice.pe=1 ice.template=folded,42100,2349,554,3,5,up5k
out=8 ice.pe=1 ice.template=dataflow,44164,4350,1420,12,8,up5k
out=8 ice.pe=4 ice.template=folded,11008,2677,710,6,5,up5k
out=8 ice.pe=4 ice.template=dataflow,16519,4677,1576,15,8,up5k
//--- with-fmax.csv
encoding,cycles,lut,ff,dsp,bram,fmax_mhz,part
out=4 ice.pe=1 ice.template=folded,21364,2318,544,3,3,13.0,up5k
out=4 ice.pe=1 ice.template=dataflow,22916,4287,1401,12,6,,up5k
out=4 ice.pe=4 ice.template=folded,5824,2646,700,6,2,13.4,up5k
out=4 ice.pe=4 ice.template=dataflow,9095,4615,1557,15,5,,up5k
out=8 ice.pe=1 ice.template=folded,42100,2349,554,3,5,13.2,up5k
out=8 ice.pe=1 ice.template=dataflow,44164,4350,1420,12,8,,up5k
out=8 ice.pe=4 ice.template=folded,11008,2677,710,6,5,13.8,up5k
out=8 ice.pe=4 ice.template=dataflow,16519,4677,1576,15,8,,up5k
//--- bad-fmax.csv
encoding,cycles,lut,ff,dsp,bram,fmax_mhz,part
out=4 ice.pe=1 ice.template=folded,21364,3104,736,3,3,13.0,up5k
out=4 ice.pe=4 ice.template=folded,5824,3432,892,6,2,-1,up5k
//--- no-part.csv
encoding,cycles,lut,ff,dsp,bram
out=4 ice.pe=1 ice.template=folded,21364,3104,736,3,3
//--- bad-lut.csv
encoding,cycles,lut,ff,dsp,bram,part
out=4 ice.pe=1 ice.template=folded,21364,3104,736,3,3,up5k
out=4 ice.pe=4 ice.template=folded,5824,many,892,6,2,up5k
//--- bad-encoding.csv
encoding,cycles,lut,ff,dsp,bram,part
out=5 ice.pe=1 ice.template=folded,21364,3104,736,3,3,up5k
//--- two-parts.csv
encoding,cycles,lut,ff,dsp,bram,part
out=4 ice.pe=1 ice.template=folded,21364,3104,736,3,3,up5k
out=4 ice.pe=4 ice.template=folded,5824,3432,892,6,2,xc7z020
