// Exact sizes of the examples; FBNet's 9^22 does not fit 64 bits.
// RUN: nasc %S/../../examples/nb201.nas --emit=stats | FileCheck %s --check-prefix=NB201
// RUN: nasc %S/../../examples/fbnet.nas --emit=stats | FileCheck %s --check-prefix=FBNET
// RUN: nasc %S/../../examples/fbnet.nas --emit=stats --format=json | FileCheck %s --check-prefix=JSON

// NB201:      spec nb201
// NB201-NEXT: space size: 15625
// NB201-NEXT: decisions: 6 (6 options, 0 hyper-parameters, 0 repeat counts, 0 tunables)

// FBNET:      spec fbnet
// FBNET-NEXT: space size: 984770902183611232881
// FBNET-NEXT: decisions: 22 (22 options,

// JSON:      "spec": "fbnet",
// JSON-NEXT: "size": "984770902183611232881",
// JSON:      "total": 22,
