// A searched space, one candidate materialized, then pruned and quantized
// by nasc-opt passes composed in one pipeline; the costs follow.
// RUN: nasc %s --emit=mlir --candidate='prune=0 wbits=8 a prune=0.5 wbits=4 prune=0.5 wbits=4' | nasc-opt -nas-prune -nas-quantize="default-abits=8" -test-print-costs 2>&1 | FileCheck %s
// The report goes to stderr: stdout is the module, which pipes into another
// nasc-opt (issue 22, item 8).
// RUN: nasc %s --emit=mlir --candidate='prune=0 wbits=8 a prune=0.5 wbits=4 prune=0.5 wbits=4' | nasc-opt -nas-prune -test-print-costs 2>/dev/null | nasc-opt -nas-quantize="default-abits=8" | FileCheck %s --check-prefix=PIPED
// PIPED: nas.conv {abits = 8 : i64, nas.pruned_from = 32 : i64, nas.quant = {{{.*}}}, out = 16 : i64, wbits = 4 : i64}

dataset d { input = [3, 8, 8]; classes = 10; }
compress { wbits = {4, 8}; prune = {0.0, 0.5}; }
network n {
  conv(out = 16);
  pick: choose { a: conv(out = 32); b: identity; }
  global_avg_pool;
  fc(out = 10);
}

// The classifier's prune ratio is refused; the chosen conv loses half of its
// 32 channels (3*3*16*16*8*8 = 147456 MACs, at 4 x 8 bits 4718592 BOPs).
// CHECK: warning: prune ratio 0.5 not applied: the classifier's width is the class count
// CHECK: layer conv#1: out [16, 8, 8] macs 147456 flops 294912 params 2304 model_bytes 1152 bops 4718592
// CHECK: layer fc: out [10] macs 170
// CHECK: nas.conv {abits = 8 : i64, nas.pruned_from = 32 : i64, nas.quant = {{{.*}}}, out = 16 : i64, wbits = 4 : i64}
