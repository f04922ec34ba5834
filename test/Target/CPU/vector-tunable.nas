// A cpu target's tunables are the code's schedule (docs/language.md,
// "Tunables"). `vector` chooses the widest vectors: avx2 keeps the code to
// 256-bit registers, avx512 uses 512-bit ones; --mattr overrides it.
// `tile_channels` bounds the output channels of a vectorized tile, the
// vectors' length: 8 floats fill a 256-bit register, so with AVX-512 on
// most of the code still uses 256-bit ones.
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/v.nas --emit=candidates | FileCheck %s --check-prefix=SPACE
// SPACE: encoding,{{.*}},host.vector
// SPACE-NEXT: host.vector=avx2,
// SPACE-NEXT: host.vector=avx512,
//
// RUN: nasc %t/v.nas --emit=cpu --candidate "host.vector=avx2" -o %t/avx2
// RUN: objdump -d %t/avx2/v.o | grep -c ymm
// RUN: objdump -d %t/avx2/v.o | not grep zmm
// RUN: nasc %t/v.nas --emit=cpu --candidate "host.vector=avx512" -o %t/avx512
// RUN: objdump -d %t/avx512/v.o | grep -c zmm
//
// --mattr wins over the tunable.
// RUN: nasc %t/v.nas --emit=cpu --candidate "host.vector=avx512" --mattr=-avx512f -o %t/mattr
// RUN: objdump -d %t/mattr/v.o | not grep zmm
//
// RUN: nasc %t/tiles.nas --emit=cpu --candidate "host.tile_channels=8 host.vector=avx512" -o %t/t8
// RUN: nasc %t/tiles.nas --emit=cpu --candidate "host.tile_channels=16 host.vector=avx512" -o %t/t16
// RUN: objdump -d %t/t8/tiles.o | grep -c ymm > %t/t8.ymm
// RUN: objdump -d %t/t16/tiles.o | grep -c ymm > %t/t16.ymm
// RUN: %system_python -c "import sys; a, b = (int(open(f).read()) for f in sys.argv[1:]); sys.exit(0 if a > 10 * b else 1)" %t/t8.ymm %t/t16.ymm
// A tile the code cannot hold is an error at the alternative.
// RUN: not nasc %t/bad.nas 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: bad.nas:2:42: error: tunable 'tile_width': alternative 128 must be an integer in 1..64

//--- v.nas
dataset d { input = [3, 8, 8]; classes = 4; }
target host : cpu { tunable vector = {"avx2", "avx512"}; }
network tiny on d {
  conv(out = 16, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}
//--- tiles.nas
dataset d { input = [3, 16, 16]; classes = 4; }
target host : cpu { tunable vector = {"avx512"}; tunable tile_channels = {8, 16}; }
network tiles on d {
  conv(out = 32, kernel = 3) -> relu;
  conv(out = 32, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}
//--- bad.nas
dataset d { input = [3, 8, 8]; classes = 4; }
target host : cpu { tunable tile_width = {8, 128}; }
network n on d { fc(out = classes); }
