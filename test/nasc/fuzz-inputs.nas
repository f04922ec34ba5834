// RUN: not nasc %s --split-input-file --emit=stats 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'

// Inputs of the shapes the grammar-driven fuzzer generates (tools/nasc-fuzz,
// docs/cli.md), and those it found wrong, kept as regression tests: each ends
// in results or in one located error. The large ones are generated here.

// Brackets nest in values too: 5,000 nested lists overflowed the parser's
// stack (found by nasc-fuzz); the token check stops at the 256th level.
// RUN: %python %S/Inputs/gen_spec.py nested-list 5000 > %t.list.nas
// RUN: not nasc %t.list.nas 2>&1 | FileCheck %s --check-prefix=LIST
// LIST: .nas:1:276: error: '[' nested deeper than 256 levels

// 2^50,000 candidates, counted exactly. Found by nasc-fuzz: the space's size
// was a running product, 20 s for these 50,000 decisions and 131 s for
// 100,000 (now 2 s and 5 s; bench/RESULTS.md).
// RUN: %python %S/Inputs/gen_spec.py repeat-choose 50000 > %t.choices.nas
// RUN: nasc %t.choices.nas --emit=stats | FileCheck %s --check-prefix=CHOICES
// CHOICES: space size: 316069943685631789613592465994{{[0-9]+}}109376{{$}}
// CHOICES-NEXT: decisions: 50000 (50000 options,
// CHOICES: macs: 40 .. 40

// Long programs: 50,000 layers, 20,000 op set declarations.
// RUN: %python %S/Inputs/gen_spec.py layers 50000 > %t.layers.nas
// RUN: nasc %t.layers.nas --emit=candidates | FileCheck %s --check-prefix=LAYERS
// LAYERS: encoding,macs
// LAYERS-NEXT: ,40,
// RUN: %python %S/Inputs/gen_spec.py opsets 20000 > %t.opsets.nas
// RUN: nasc %t.opsets.nas --emit=candidates | FileCheck %s --check-prefix=OPSETS
// OPSETS: encoding,macs
// OPSETS-NEXT: a,40,

// Numbers past every integer width and double range: one located error each.
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:25: error: integer 18446744073709551616 is too large{{$}}
dataset d { input = [3, 18446744073709551616, 8]; classes = 10; }
network n { fc(out = classes); }
// -----
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:33: error: number 1e309 is out of range{{$}}
target t : gpu { peak_compute = 1e309 TFLOPS; }
network n { fc(out = classes); }
// -----
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:20: error: integer 9223372036854775808 is too large{{$}}
network n { repeat 9223372036854775808 { relu; } fc(out = classes); }
// -----
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:27: error: integer 18446744073709551615 is too large{{$}}
network n { conv(out = 1..18446744073709551615); global_avg_pool -> fc(out = classes); }
// -----
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:13: error: 'nas.conv' op has costs past 64-bit counts
network n { conv(out = 9223372036854775807); global_avg_pool -> fc(out = classes); }
// -----

// Unicode: not an identifier (columns count bytes), and not UTF-8.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:13: error: syntax error: mismatched input '名' expecting
network n { 名前; fc(out = classes); }
// -----
// CHECK: fuzz-inputs.nas:[[@LINE+1]]:56: error: invalid UTF-8 byte 0xFF; .nas files are UTF-8{{$}}
dataset d { input = [3, 8, 8]; classes = 10; source = "�"; }
network n { fc(out = classes); }
// -----

// In strings and comments, Unicode is text like any other.
// RUN: split-file %s %t
// RUN: nasc %t/unicode.nas --emit=candidates | FileCheck %s --check-prefix=UNICODE
// UNICODE: encoding,macs,flops,params,model_bytes,bops,activation_bytes,peak_memory_bytes,l/conv.kernel
// UNICODE-NEXT: kernel=3,
// UNICODE-NEXT: kernel=5,

// Layers using cells are analysed again for every combination of the
// cells' decisions: 324 x 2048 analyses took 6 s (found by nasc-fuzz, over
// 10 s with the sanitizers). Past 2^18 the costs are not folded, at once.
// RUN: nasc %S/Inputs/cells-fold.nas --emit=stats --stats-limit 10 | FileCheck %s --check-prefix=CELLS
// CELLS: space size: 5308416
// CELLS: not computed: the layers using cells have 324 candidates, each analysed for the cells' 2048 combinations: 663552 analyses (at most 262144 are folded)

//--- unicode.nas
dataset d { input = [3, 8, 8]; classes = 10; source = "🚀 é \u202e"; }
// Ω 名前 ﬁ
network n { l: conv(kernel = {3, 5}) -> relu; /* 名前 */ fc(out = classes); } # ﬁ
