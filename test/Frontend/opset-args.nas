// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s

// Arguments of an op set use, `choose OPSET(key = value, ...)`, are passed
// into every op of every alternative that accepts the argument; an op that
// sets the argument itself keeps its own value; an op that does not take
// the argument is left alone. The op set itself is unchanged: each use is
// expanded on its own.

dataset d { input = [16, 8, 8]; classes = 10; }

ops blocks {
  k3:   mbconv(kernel = 3, expand = 1);
  k5:   mbconv(kernel = 5, out = 8);           // sets out itself
  cv:   relu -> conv(kernel = 1) -> bn;        // a chain: only conv takes out/stride
  skip: identity;                              // becomes a strided projection
  pool: max_pool;                              // takes stride, not out
  none: zero;                                  // takes neither
}

network n {
  // CHECK-LABEL: nas.choose "a" {
  // CHECK-NEXT:    nas.option "k3" {
  // CHECK-NEXT:      nas.mbconv {expand = 1 : i64, kernel = 3 : i64, out = 24 : i64, stride = 2 : i64}
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.option "k5" {
  // CHECK-NEXT:      nas.mbconv {kernel = 5 : i64, out = 8 : i64, stride = 2 : i64}
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.option "cv" {
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.conv {kernel = 1 : i64, out = 24 : i64, stride = 2 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.option "skip" {
  // CHECK-NEXT:      nas.identity {out = 24 : i64, stride = 2 : i64}
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.option "pool" {
  // CHECK-NEXT:      nas.pool max {stride = 2 : i64}
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.option "none" {
  // CHECK-NEXT:      nas.zero
  // CHECK-NEXT:    }
  // CHECK-NEXT:  }
  a: choose blocks(out = 24, stride = 2);

  // Searched values are passed as they are; compression arguments reach
  // only the ops with weights.
  // CHECK-LABEL: nas.choose "b" {
  // CHECK:         nas.mbconv {expand = 1 : i64, kernel = 3 : i64, wbits = #nas.choice<[4, 8]>}
  // CHECK:         nas.mbconv {kernel = 5 : i64, out = 8 : i64, wbits = #nas.choice<[4, 8]>}
  // CHECK:         nas.conv {kernel = 1 : i64, wbits = #nas.choice<[4, 8]>}
  // CHECK:         nas.option "skip" {
  // CHECK-NEXT:      nas.identity{{$}}
  // CHECK:         nas.option "pool" {
  // CHECK-NEXT:      nas.pool max{{$}}
  // CHECK:       }
  b: choose blocks(wbits = {4, 8});

  // Without arguments the alternatives are as written: the earlier uses
  // did not change the op set.
  // CHECK-LABEL: nas.choose "c" {
  // CHECK-NEXT:    nas.option "k3" {
  // CHECK-NEXT:      nas.mbconv {expand = 1 : i64, kernel = 3 : i64}
  // CHECK:           nas.mbconv {kernel = 5 : i64, out = 8 : i64}
  // CHECK:           nas.conv {kernel = 1 : i64}
  // CHECK:           nas.identity{{$}}
  // CHECK:           nas.pool max{{$}}
  c: choose blocks;

  // A block in an alternative is expanded as written: the arguments do not
  // reach into it.
  // CHECK-LABEL: nas.choose "outer" {
  // CHECK-NEXT:    nas.option "inner" {
  // CHECK-NEXT:      nas.block "blk" {
  // CHECK-NEXT:        nas.choose "act" {
  // CHECK-NEXT:          nas.option "k" {
  // CHECK-NEXT:            nas.conv{{$}}
  // CHECK:           nas.option "direct" {
  // CHECK-NEXT:      nas.conv {out = 16 : i64}
  outer: choose nested(out = 16);

  global_avg_pool -> fc(out = classes);
}

ops nested {
  inner:  blk;
  direct: conv;
}

block blk { act: choose { k: conv; }; }
