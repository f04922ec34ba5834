//===- Sampling.h - Distinct candidates drawn uniformly ---------*- C++ -*-===//
//
// `--sample N` everywhere (`nasc --emit=candidates`, `nasc measure`): N
// different candidates, each drawn uniformly, without replacement.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SPACE_SAMPLING_H
#define NASC_SPACE_SAMPLING_H

#include "nasc/Space/Space.h"

#include <cstdint>
#include <vector>

namespace nasc {

/// `count` distinct candidates of `space` (by encoding) drawn uniformly
/// without replacement, in the order drawn; a space of at most `count`
/// candidates gives all of them, in enumeration order. A draw that repeats
/// an earlier candidate is drawn again, so while no repeat occurs the
/// candidates are exactly those of `count` calls of Space::sample.
std::vector<Candidate> sampleDistinct(const Space &space, Random &random,
                                      uint64_t count);

} // namespace nasc

#endif // NASC_SPACE_SAMPLING_H
