//===- NasGenerator.h - Grammar-driven .nas program generator ---*- C++ -*-===//
//
// Writes random .nas programs that follow grammar/Nas.g4, and rewrites
// existing ones token by token, for the nasc-fuzz libFuzzer target. Most
// programs are well formed, so that fuzzing gets past the parser into the
// front end's checks, the verifiers, the space model and the cost analyses;
// some are deliberately extreme (thousands of nesting levels, chains of
// 100k ops, numbers past 2^64, Unicode where the lexer does not expect it).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TOOLS_NASCFUZZ_NASGENERATOR_H
#define NASC_TOOLS_NASCFUZZ_NASGENERATOR_H

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace nasc::fuzz {

/// A random program from the grammar, at most `maxSize` bytes, the same for
/// the same seed.
std::string generateProgram(uint64_t seed, size_t maxSize);

/// `input` with one grammar-aware change: a number or name replaced by
/// another, a generated layer or declaration inserted, tokens deleted, or a
/// span of tokens repeated (which deepens nesting and lengthens chains).
/// Returns the empty string when no change fits in `maxSize` bytes.
std::string mutateProgram(llvm::StringRef input, uint64_t seed,
                          size_t maxSize);

} // namespace nasc::fuzz

#endif // NASC_TOOLS_NASCFUZZ_NASGENERATOR_H
