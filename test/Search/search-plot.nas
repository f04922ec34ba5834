// pareto.png/svg: every trial, the front as a staircase (the boundary of
// the region it dominates), and an axis on a log scale when its values
// span more than two decades. The gnuplot script, with its data, stays as
// pareto.gp.
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %nasc_src_root/examples/nb201.nas --emit=candidates > %t/candidates.csv
// `wide` spans six decades, `narrow` less than one, one the lower the
// other the higher: the front has six members.
// RUN: %python -c "import csv, sys; rows = list(csv.reader(sys.stdin))[1:]; print('encoding,wide,narrow'); [print(f'{r[0]},{10.0 ** (i %% 6 - 3)},{1 + (5 - i %% 6) / 10}') for i, r in enumerate(rows)]" < %t/candidates.csv > %t/table.csv
//
// x minimized: `steps` (along x to the next member, then along y). No
// trial is infeasible: that block is not drawn.
// RUN: nasc search %nasc_src_root/examples/nb201.nas --table %t/table.csv --objective min:wide --objective min:narrow --strategy grid --budget 15625 --out %t/min --quiet > /dev/null
// RUN: FileCheck %s --check-prefix=MIN --implicit-check-not='set logscale' --implicit-check-not='$infeasible' --input-file=%t/min/pareto.gp
// MIN:      $feasible << EOD
// MIN:      $staircase << EOD
// MIN-NEXT: 0.001 1.5{{$}}
// MIN-NEXT: 0.01 1.4{{$}}
// MIN-NEXT: 0.1 1.3{{$}}
// MIN-NEXT: 1 1.2{{$}}
// MIN-NEXT: 10 1.1{{$}}
// MIN-NEXT: 100 1{{$}}
// MIN-NEXT: EOD
// MIN-NEXT: $front << EOD
// MIN:      set xlabel 'wide (minimized)'
// MIN-NEXT: set ylabel 'narrow (minimized)'
// MIN:      set logscale x
// MIN:      set terminal png noenhanced
// MIN:      plot $feasible with points {{.*}} title 'feasible trials', \
// MIN-NEXT:   $staircase with steps {{.*}} title 'Pareto front', \
// MIN-NEXT:   $front with points {{.*}} notitle
// MIN:      set terminal svg noenhanced
// RUN: test -s %t/min/pareto.svg && test -s %t/min/pareto.png
// The same with --out relative to the working directory.
// RUN: cd %t && nasc search %nasc_src_root/examples/nb201.nas --table %t/table.csv --objective min:wide --objective min:narrow --budget 20 --out rel --quiet 2>&1 | FileCheck %s --check-prefix=REL --allow-empty
// REL-NOT: warning
// RUN: test -s %t/rel/pareto.svg && test -s %t/rel/pareto.png
//
// x maximized: `fsteps` (along y first); the wide axis is y now.
// RUN: nasc search %nasc_src_root/examples/nb201.nas --table %t/table.csv --objective max:narrow --objective max:wide --strategy grid --budget 15625 --out %t/max --quiet > /dev/null
// RUN: FileCheck %s --check-prefix=MAX --implicit-check-not='set logscale' --input-file=%t/max/pareto.gp
// MAX:      $staircase << EOD
// MAX-NEXT: 1 100{{$}}
// MAX:      1.5 0.001{{$}}
// MAX-NEXT: EOD
// MAX: set logscale y
// MAX: $staircase with fsteps {{.*}} title 'Pareto front'
//
// Narrow spans on both axes: no log scale; a constraint leaves infeasible
// trials, drawn too.
// RUN: nasc search %nasc_src_root/examples/nb201.nas --objective min:flops --objective min:params --constraint 'params<1M' --strategy grid --budget 15625 --out %t/linear --quiet > /dev/null
// RUN: FileCheck %s --check-prefix=LINEAR --implicit-check-not='set logscale' --input-file=%t/linear/pareto.gp
// LINEAR: $infeasible << EOD
// LINEAR: set xlabel 'flops [FLOPs] (minimized)'
// LINEAR: set ylabel 'params [count] (minimized)'
// LINEAR: plot $feasible with points {{.*}}, \
// LINEAR-NEXT: $infeasible with points {{.*}} title 'infeasible trials', \
// LINEAR-NEXT: $staircase with steps
//
// One objective: each trial and the best so far, as steps.
// RUN: nasc search %nasc_src_root/examples/nb201.nas --table %t/table.csv --objective min:wide --strategy random --budget 50 --out %t/one --quiet > /dev/null
// RUN: FileCheck %s --check-prefix=ONE --implicit-check-not='set logscale x' --input-file=%t/one/pareto.gp
// ONE: set xlabel 'trial'
// ONE: set logscale y
// ONE: $best with steps {{.*}} title 'best so far'
//
// Underscores are no subscripts (noenhanced) and every axis names its unit
// (issue 22, item 6).
// RUN: nasc search %nasc_src_root/examples/nb201.nas --objective min:peak_memory_bytes --objective min:params --strategy random --budget 20 --out %t/units --quiet > /dev/null
// RUN: FileCheck %s --check-prefix=UNITS --input-file=%t/units/pareto.gp
// UNITS: set xlabel 'peak_memory_bytes [B] (minimized)'
// UNITS-NEXT: set ylabel 'params [count] (minimized)'
// UNITS: set terminal png noenhanced
// UNITS: set terminal svg noenhanced
//
// No path leaves a temporary or an earlier search's plot: gnuplot failing
// (or killed by Ctrl-C) after opening its output, ...
// RUN: mkdir -p %t/fakebin
// RUN: echo '#!/bin/sh' > %t/fakebin/gnuplot
// RUN: echo ': > %t/units/pareto.png.tmp; : > %t/units/pareto.svg.tmp; exit 1' >> %t/fakebin/gnuplot
// RUN: chmod +x %t/fakebin/gnuplot
// RUN: env PATH=%t/fakebin %nasc_obj_root/bin/nasc search %nasc_src_root/examples/nb201.nas --objective min:peak_memory_bytes --objective min:params --strategy random --budget 20 --out %t/units --quiet 2>&1 | FileCheck %s --check-prefix=KILLED
// KILLED: nasc search: warning: gnuplot failed; no plots
// RUN: not ls %t/units/pareto.png.tmp
// RUN: not ls %t/units/pareto.svg.tmp
// RUN: not ls %t/units/pareto.png
// ... and no feasible trial.
// RUN: nasc search %nasc_src_root/examples/nb201.nas --objective min:flops --constraint 'params<1' --strategy random --budget 5 --out %t/linear --quiet 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: nasc search: warning: no feasible trial; no plots
// RUN: not ls %t/linear/pareto.png
// RUN: not ls %t/linear/pareto.svg
