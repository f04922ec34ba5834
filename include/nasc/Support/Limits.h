//===- Limits.h - Documented limits on what a spec may ask for --*- C++ -*-===//
//
// The parser, the verifiers, the analyses and the lowerings recurse over the
// nesting of the input, and a space's candidates are unrolled layer by
// layer. These limits keep both bounded whatever the input: past one, the
// input gets a located error (docs/language.md, "Limits") instead of a stack
// overflow or an unbounded run.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_LIMITS_H
#define NASC_SUPPORT_LIMITS_H

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace nasc {

/// The deepest nesting of `{`, `(` and `[` in a .nas file, and of layer
/// regions (repeat, stage, residual, choose, block uses) in a spec.
constexpr unsigned kMaxNestingDepth = 256;

/// The deepest bracket nesting of `.mlir` input: a region level of the nas
/// dialect takes one `{`, attributes and locations a few more.
constexpr unsigned kMaxMLIRNestingDepth = 2 * kMaxNestingDepth + 64;

/// The most operators (`+ - * /`) in one statement of a .nas file: an
/// expression's parse tree is as deep as its operators.
constexpr unsigned kMaxExpressionOperators = 256;

/// The most options the choice-valued arguments of one call of a user op
/// may combine to (each is a copy of the op's body).
constexpr uint64_t kMaxCallOptions = 4096;

/// The most values a searched input resolution may take: the fold over the
/// space runs once per value.
constexpr uint64_t kMaxResolutions = 1024;

/// The most ops a spec may expand to (each use of a block or op set is a
/// copy of its body).
constexpr uint64_t kMaxSpecOps = 2'000'000;

/// The most layers a candidate may unroll to (a repeat's count times its
/// body's layers, through every level).
constexpr uint64_t kMaxUnrolledLayers = 1'000'000;

/// The offset of the first bracket of `.mlir` text that lies deeper than
/// `kMaxMLIRNestingDepth`, skipping string literals and `//` comments; none
/// when the text stays within the limit.
inline std::optional<size_t> findTooDeepMLIRNesting(llvm::StringRef text) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < e && text[i + 1] == '/') {
      while (i < e && text[i] != '\n')
        ++i;
      continue;
    }
    if (c == '{' || c == '(' || c == '[') {
      if (++depth > kMaxMLIRNestingDepth)
        return i;
    } else if ((c == '}' || c == ')' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

} // namespace nasc

#endif // NASC_SUPPORT_LIMITS_H
