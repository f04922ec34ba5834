//===- Sampling.cpp - Distinct candidates drawn uniformly -----------------===//

#include "nasc/Space/Sampling.h"

#include "llvm/ADT/StringSet.h"

#include <numeric>

using namespace nasc;

std::vector<Candidate> nasc::sampleDistinct(const Space &space, Random &random,
                                            uint64_t count) {
  std::vector<Candidate> drawn;
  llvm::DynamicAPInt size = space.size();
  if (size <= llvm::DynamicAPInt(int64_t(count))) {
    for (llvm::DynamicAPInt i(0); i < size; ++i)
      drawn.push_back(space.unrank(i));
    return drawn;
  }
  // Over half of a small space: rejection would redraw most candidates
  // near the end; a partial Fisher-Yates shuffle of the indices instead.
  if (size <= llvm::DynamicAPInt(int64_t(count)) * llvm::DynamicAPInt(2) &&
      size <= llvm::DynamicAPInt(int64_t(1) << 24)) {
    auto total = static_cast<size_t>(static_cast<int64_t>(size));
    std::vector<int64_t> indices(total);
    std::iota(indices.begin(), indices.end(), 0);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t j = i + random.below(uint64_t(indices.size()) - i);
      std::swap(indices[i], indices[j]);
      drawn.push_back(space.unrank(llvm::DynamicAPInt(indices[i])));
    }
    return drawn;
  }
  // Fewer than half: each draw is new with probability over 1/2.
  llvm::StringSet<> seen;
  while (drawn.size() < count) {
    Candidate candidate = space.sample(random);
    if (seen.insert(space.encode(candidate)).second)
      drawn.push_back(std::move(candidate));
  }
  return drawn;
}
