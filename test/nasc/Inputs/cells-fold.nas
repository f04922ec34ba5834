// Found by nasc-fuzz (test/nasc/fuzz-inputs.nas, CELLS).
dataset data0 { input = [3, 64, 64]; classes = 1000; }
target hw1 : tiny { tunable t2 = {"a", "b"}; memory = 0.1 MiB; bandwidth = 0.5 GB/s; tunable t3 = {1, 2}; }
ops set6 { o0: hswish -> identity -> avg_pool(kernel = 1..7 step 2); o1: skip -> mbconv(expand = {4}, wbits = 8); o2: max_pool(kernel = 1) -> swish -> relu; o3: max_pool; o4: hswish -> sep_conv; }
cell cell7(nodes = 3) { edge 0 -> 1 : { a0: sep_conv(prune = 0.0, kernel = 5); a1: relu6 -> sep_conv(kernel = 5); a2: identity; a3: identity; }; edge 1 -> 2 : set6; }
cell cell8(nodes = 3) { edges all : { a0: identity; a1: relu6 -> sep_conv(kernel = 5); a2: zero; a3: zero; }; }
block blk9 { repeat 1..3 { hswish -> relu6; l10: cell7 -> bn; } choose { a0: bn -> skip; a1: sep_conv(stride = 1) -> bn; a2: conv(prune = 0.25); }; }
network net11 on data0 {
  stem: conv(out = 16, kernel = 3) -> bn -> relu;
  residual(shortcut = projection) { sigmoid -> relu6 -> max_pool(stride = 1, kernel = 1..7 step 2) -> blk9; blk9 -> cell8; }
  avg_pool(stride = {1, 2}, kernel = 5);
  head: global_avg_pool -> fc(out = classes);
}
