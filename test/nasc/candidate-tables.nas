// --candidate with the table emitters: --emit=candidates and --emit=layers
// list that one candidate by its encoding in the space, and --emit=stats
// describes the space it resolves to (these used to read the space after
// its module was freed, and crashed).
// RUN: nasc %s --candidate 'out=16 b' --emit=candidates | FileCheck %s --check-prefix=ROWS
// ROWS: encoding,macs,flops,params
// ROWS-NEXT: out=16 b,
// RUN: nasc %s --candidate 'out=16 b' --emit=candidates | count 2
// RUN: nasc %s --candidate 'out=16 b' --emit=layers | FileCheck %s --check-prefix=LAYERS
// LAYERS: encoding,record,kind,key,macs,flops,bytes,kernels,inputs
// LAYERS-NEXT: out=16 b,0,conv,conv 3x8x8 16x8x8 k3 s1 g1 w32a32,
// LAYERS-NOT: out=8
// RUN: nasc %s --candidate 'out=8 a' --emit=stats | FileCheck %s --check-prefix=STATS
// STATS: space size: 1
// RUN: not nasc %s --candidate 'out=12 a' --emit=layers 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: nasc: error: --candidate:

dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  conv(out = {8, 16});
  choose { a: conv(out = 32); b: identity; }
  global_avg_pool;
  fc(out = 10);
}
