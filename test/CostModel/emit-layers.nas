// --emit=layers: the records the analytical model and per-layer tables
// read, per candidate (docs/costmodel.md), chosen as for --emit=candidates.
// RUN: nasc %s --emit=layers | FileCheck %s
// RUN: nasc %s --emit=layers --limit 1 | FileCheck %s --check-prefix=LIMIT
// RUN: printf 'e2\nnot-one\n' > %t.txt
// RUN: not nasc %s --emit=layers --encodings %t.txt 2>&1 | FileCheck %s --check-prefix=BAD

dataset d { input = [4, 8, 8]; classes = 10; }
network n {
  conv(out = 8, kernel = 1) -> bn -> relu;
  choose { e1: mbconv(kernel = 3, expand = 1); e2: mbconv(kernel = 3, expand = 2); }
}

// By hand (bytes at fp32): the 1x1 conv reads 256 + 32 weights and writes
// 512 elements: 3200 bytes, one kernel. BN and ReLU fuse into it: no bytes,
// no kernel. mbconv e2: expand (512 + 128 + 1024), depthwise (1024 + 144 +
// 1024), project (1024 + 128 + 512), add (3 · 512): 7056 elements, 28224
// bytes, 4 kernels. e1 has no expansion: depthwise (512 + 72 + 512),
// project (512 + 64 + 512), add (3 · 512): 3720 elements, 3 kernels.
// The last column lists the records whose outputs a record reads (none:
// the network input).
// CHECK:      encoding,record,kind,key,macs,flops,bytes,kernels,inputs
// CHECK-NEXT: e1,0,conv,conv 4x8x8 8x8x8 k1 s1 g1 w32a32,2048,4096,3200,1,{{$}}
// CHECK-NEXT: e1,1,bn,bn 8x8x8 8x8x8 k0 s1 g1 w32a32,0,1024,0,0,0{{$}}
// CHECK-NEXT: e1,2,relu,relu 8x8x8 8x8x8 k0 s1 g1 w32a32,0,512,0,0,1{{$}}
// CHECK-NEXT: e1,3,mbconv,mbconv 8x8x8 8x8x8 k3 s1 g1 w32a32,8704,20480,14880,3,2{{$}}
// CHECK-NEXT: e2,0,conv,
// CHECK-NEXT: e2,1,bn,
// CHECK-NEXT: e2,2,relu,
// CHECK-NEXT: e2,3,mbconv,mbconv 8x8x8 8x8x8 k3 s1 g1 w32a32,25600,58880,28224,4,2{{$}}
// CHECK-NOT: {{.}}

// LIMIT: encoding,record
// LIMIT-NEXT: e1,0,
// LIMIT-NOT: e2

// BAD: {{.*}}.txt:2:1: error:
