// nasc measure: the structure of its CSV and text output (never the
// times), per-layer keys as the cost models write them, and its errors.
//
// RUN: nasc measure %s --candidate conv3 --candidate conv1 --batch 1,3 --repeats 2 --warmup 0 --csv | FileCheck %s --check-prefix=CSV
// RUN: nasc measure %s --sample 1 --seed 5 --repeats 2 --warmup 0 | FileCheck %s --check-prefix=TEXT
// RUN: nasc measure %s --candidate conv3 --candidate conv1 --rounds 3 --repeats 2 --warmup 0 --csv | FileCheck %s --check-prefix=ROUNDS
// RUN: not nasc measure %s --candidate conv3 --rounds 0 2>&1 | FileCheck %s --check-prefix=ERR-ROUNDS
// RUN: not nasc measure %s --candidate conv3 --rounds 2 --torch 2>&1 | FileCheck %s --check-prefix=ERR-ROUNDS-TORCH
// RUN: nasc measure %s --candidate conv3 --candidate conv1 --per-layer --csv --repeats 1 --warmup 0 | FileCheck %s --check-prefix=LAYERS
// RUN: nasc measure %s --candidate conv3 --per-layer --repeats 1 --warmup 0 | FileCheck %s --check-prefix=LAYER-TEXT
//
// RUN: not nasc measure %s --candidate conv3 --per-layer --batch 1,2 2>&1 | FileCheck %s --check-prefix=ERR-BATCHES
// RUN: not nasc measure %s --candidate conv3 --batch 0 2>&1 | FileCheck %s --check-prefix=ERR-BATCH
// RUN: not nasc measure %s --candidate conv3 --target mobile 2>&1 | FileCheck %s --check-prefix=ERR-TARGET
// RUN: not nasc measure %s 2>&1 | FileCheck %s --check-prefix=ERR-NONE
// RUN: not nasc measure %s --candidate conv5 2>&1 | FileCheck %s --check-prefix=ERR-ENCODING

// CSV: encoding,batch,median_ms,p25_ms,p75_ms,min_ms,repeats,macs,gflops,torch_median_ms
// CSV-NEXT: "conv3",1,{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},2,[[MACS3:[0-9]+]],{{[0-9]+\.[0-9]+}},-1.0000
// CSV-NEXT: "conv3",3,{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},2,[[MACS3]],{{[0-9]+\.[0-9]+}},-1.0000
// CSV-NEXT: "conv1",1,{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},2,{{[0-9]+}},{{[0-9]+\.[0-9]+}},-1.0000
// CSV-NEXT: "conv1",3,
// CSV-NOT: conv

// TEXT: candidate conv{{[13]}} ({{[0-9]+}} MACs)
// TEXT-NEXT: batch 1: median {{[0-9.]+}} ms (IQR {{[0-9.]+}}-{{[0-9.]+}} ms, min {{[0-9.]+}} ms, 2 runs), {{[0-9.]+}} GFLOP/s

// Each key once (the two candidates share all but their conv), BN folded
// into the conv before it costs 0, an identity 0.
// LAYERS: key,latency_ms
// LAYERS-NEXT: conv 3x8x8 8x8x8 k3 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: bn 8x8x8 8x8x8 k0 s1 g1 w32a32,0.000000
// LAYERS-NEXT: relu 8x8x8 8x8x8 k0 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: conv 8x8x8 8x8x8 k3 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: identity 8x8x8 8x8x8 k0 s1 g1 w32a32,0.000000
// LAYERS-NEXT: mbconv 8x8x8 16x4x4 k3 s2 g1 w8a8,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: global_pool 16x4x4 16x1x1 k0 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: fc 16x1x1 5x1x1 k0 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NEXT: conv 8x8x8 8x8x8 k1 s1 g1 w32a32,{{[0-9]+\.[0-9]+}}
// LAYERS-NOT: {{.}}

// LAYER-TEXT: candidate conv3 (batch 1, each layer alone)
// LAYER-TEXT-NEXT: conv 3x8x8 8x8x8 k3 s1 g1 w32a32 1x {{[0-9.]+}} ms
// LAYER-TEXT-NEXT: bn 8x8x8 8x8x8 k0 s1 g1 w32a32 1x 0.0000 ms
// LAYER-TEXT: 8 layers, sum {{[0-9.]+}} ms

// ERR-BATCHES: nasc measure: error: --per-layer takes one --batch size
// ERR-BATCH: nasc measure: error: --batch needs positive integers, got '0'
// ERR-TARGET: nasc measure: error: --target: no backend for target kind 'mobile' (backends: cpu, fpga, gpu)
// ERR-NONE: nasc measure: error: give --candidate ENCODING or --sample N
// ERR-ENCODING: nasc measure: error: --candidate: {{.+}}

dataset d { input = [3, 8, 8]; classes = 5; }
network m on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  pick: choose { conv3: conv(kernel = 3); conv1: conv(kernel = 1); };
  identity;
  mbconv(out = 16, kernel = 3, expand = 2, stride = 2, wbits = 8, abits = 8);
  global_avg_pool;
  fc(out = classes);
}

// Rounds: both compiled first, timed round-robin, printed in order with
// the runs of one round.
// ROUNDS: encoding,batch,median_ms
// ROUNDS-NEXT: "conv3",1,{{[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+}},2,
// ROUNDS-NEXT: "conv1",1,{{[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+}},2,
// ERR-ROUNDS: nasc measure: error: --rounds must be at least 1
// ERR-ROUNDS-TORCH: nasc measure: error: --rounds times nasc's code only: no --torch
