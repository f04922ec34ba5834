//===- FilterLayout.h - Convolution filters in linalg's layouts -*- C++ -*-===//
//
// LibTorch's filters are [O, I/g, kh, kw] (OIHW); linalg's NHWC
// convolutions take [kh, kw, I/g, O/g] (HWCF) per group and depthwise ones
// [kh, kw, C]. One definition of the reordering for every lowering that
// builds them (NASToLinalg's float and dynamic int8 layers, the CPU's
// integer network).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_CONVERSION_NASTOLINALG_FILTERLAYOUT_H
#define NASC_CONVERSION_NASTOLINALG_FILTERLAYOUT_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace nasc {

/// Group `group`'s filters of the OIHW `weights` (`outPerGroup` filters of
/// `perGroup` input channels) as HWCF.
template <typename T>
std::vector<T> getGroupFilterHWCF(llvm::ArrayRef<T> weights, int64_t group,
                                  int64_t outPerGroup, int64_t perGroup,
                                  int64_t kh, int64_t kw) {
  std::vector<T> filter(kh * kw * perGroup * outPerGroup);
  for (int64_t o = 0; o < outPerGroup; ++o)
    for (int64_t c = 0; c < perGroup; ++c)
      for (int64_t i = 0; i < kh * kw; ++i)
        filter[(i * perGroup + c) * outPerGroup + o] =
            weights[((group * outPerGroup + o) * perGroup + c) * kh * kw + i];
  return filter;
}

/// A depthwise convolution's [C, 1, kh, kw] `weights` as [kh, kw, C].
template <typename T>
std::vector<T> getDepthwiseFilterHWC(llvm::ArrayRef<T> weights,
                                     int64_t channels, int64_t kh,
                                     int64_t kw) {
  std::vector<T> filter(kh * kw * channels);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = 0; i < kh * kw; ++i)
      filter[i * channels + c] = weights[c * kh * kw + i];
  return filter;
}

} // namespace nasc

#endif // NASC_CONVERSION_NASTOLINALG_FILTERLAYOUT_H
