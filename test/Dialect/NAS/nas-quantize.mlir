// RUN: nasc-opt %s -split-input-file -nas-quantize | FileCheck %s
// RUN: nasc-opt %s -split-input-file -nas-quantize="default-wbits=8 default-abits=8 scheme=asymmetric granularity=per_tensor" -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEFAULTS
// RUN: nasc-opt %s -split-input-file -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=FP32

// Every layer with weights gets fixed widths and a record of its scheme;
// one-bit weights are binary.
// CHECK-LABEL: nas.spec @widths
// CHECK:      nas.conv {abits = 8 : i64, kernel = 3 : i64, nas.quant = {abits = 8 : i64, granularity = "per_channel", scheme = "symmetric", wbits = 4 : i64}, out = 16 : i64, wbits = 4 : i64}
// CHECK-NEXT: nas.act relu
// CHECK-NEXT: nas.conv {abits = 32 : i64, kernel = 3 : i64, nas.quant = {abits = 32 : i64, granularity = "per_channel", scheme = "symmetric", wbits = 32 : i64}, out = 32 : i64, wbits = 32 : i64}
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {abits = 32 : i64, nas.quant = {abits = 32 : i64, granularity = "per_channel", scheme = "binary", wbits = 1 : i64}, out = 10 : i64, wbits = 1 : i64}

// Defaults reach the layers that set nothing, and the costs follow: the
// second conv's 4608 params at 8 bits are 4608 bytes (18432 at 32 bits),
// its 294912 MACs at 8 x 8 bits are 18874368 BOPs.
// DEFAULTS-LABEL: costs of @widths
// DEFAULTS: layer conv#1: out [32, 8, 8] macs 294912 flops 589824 params 4608 model_bytes 4608 bops 18874368
// DEFAULTS: total: macs 322890 flops 648822 params 5370 model_bytes 4866
// FP32-LABEL: costs of @widths
// FP32: layer conv#1: out [32, 8, 8] macs 294912 flops 589824 params 4608 model_bytes 18432 bops 301989888
// FP32: total: macs 322890 flops 648822 params 5370 model_bytes 18690
nas.spec @widths {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    nas.conv {out = 16, kernel = 3, wbits = 4, abits = 8}
    nas.act relu
    nas.conv {out = 32, kernel = 3}
    nas.global_pool avg
    nas.fc {out = 10, wbits = 1}
  }
}

// -----

// Layers on cell edges are quantized too.
// CHECK-LABEL: nas.spec @cell
// CHECK: nas.option "c" {
// CHECK-NEXT: nas.conv {abits = 32 : i64, nas.quant = {{{.*}}scheme = "symmetric", wbits = 2 : i64}, wbits = 2 : i64}
nas.spec @cell {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "c" { nas.conv {wbits = 2} } }
  }
  nas.network @n on @d { nas.cell_ref @c nas.fc {out = 10} }
}
