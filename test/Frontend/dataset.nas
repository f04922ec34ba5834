// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s
// RUN: nasc %s | FileCheck %s --check-prefix=SUMMARY
// RUN: nasc %s --emit=mlir --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// Datasets: image inputs [channels, height, width] and feature vectors
// [features]; the optional source and path strings (with escapes); the spec
// is named after the file stem.

// CHECK-LABEL: nas.spec @dataset {
// CHECK-NEXT:    nas.dataset @cifar10 input [3, 32, 32] classes 10 {path = "/data/cifar \22v1\22", source = "cifar10"}
// CHECK-NEXT:    nas.dataset @tabular input [128] classes 2{{$}}
// CHECK-NEXT:    nas.dataset @bare input [1, 28, 28] classes 10{{$}}
// CHECK-NEXT:    nas.network @net on @tabular {
// CHECK-NEXT:      nas.fc {out = 2 : i64}
// CHECK-NEXT:    }
// CHECK-NEXT:  }

// SUMMARY:      spec dataset
// SUMMARY-NEXT: dataset cifar10: input 3x32x32, 10 classes, source "cifar10"
// SUMMARY-NEXT: dataset tabular: input 128, 2 classes
// SUMMARY-NEXT: dataset bare: input 1x28x28, 10 classes
// SUMMARY-NEXT: network net on tabular
// SUMMARY-NEXT:   fc(out = 2)

// Each op carries the location (file:line:col) of the token it was built
// from; the LOC-DAG lines next to the declarations below name the aliases.

// LOC-DAG: [[D1:#loc[0-9]+]] = loc("{{.*}}dataset.nas":[[@LINE+1]]:1)
dataset cifar10 {
  input = [3, 32, 32];
  classes = 10;
  source = "cifar10";
  path = "/data/cifar \"v1\"";     // a backslash escapes the quote
}

// LOC-DAG: [[D2:#loc[0-9]+]] = loc("{{.*}}dataset.nas":[[@LINE+1]]:1)
dataset tabular {                 # a feature vector
  input = [128];
  classes = 2;
}

/* Declaration order is kept; the network may name any dataset. */
dataset bare { classes = 10; input = [1, 28, 28]; }

// LOC-DAG: [[NET:#loc[0-9]+]] = loc("{{.*}}dataset.nas":[[@LINE+2]]:1)
// LOC-DAG: [[FC:#loc[0-9]+]] = loc("{{.*}}dataset.nas":[[@LINE+2]]:3)
network net on tabular {
  fc(out = classes);
}

// LOC-DAG: nas.dataset @cifar10 {{.*}} loc([[D1]])
// LOC-DAG: nas.dataset @tabular {{.*}} loc([[D2]])
// LOC-DAG: nas.fc {out = 2 : i64} loc([[FC]])
// LOC-DAG: } loc([[NET]])
