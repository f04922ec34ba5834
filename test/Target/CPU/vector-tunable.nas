// A cpu target's tunable `vector` chooses the widest vectors of the
// emitted code (docs/language.md, "Tunables"): avx2 keeps it to 256-bit
// registers, avx512 uses 512-bit ones. The candidate decides it with the
// architecture; --mattr overrides it.
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

//--- v.nas
dataset d { input = [3, 8, 8]; classes = 4; }
target host : cpu { tunable vector = {"avx2", "avx512"}; }
network tiny on d {
  conv(out = 16, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}
