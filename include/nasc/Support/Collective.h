//===- Collective.h - Processes that compute one thing together -*- C++ -*-===//
//
// The processes of one search that train a weight-sharing supernet
// data-parallel (docs/distributed.md, "The supernet across ranks"): each
// computes the gradients of its shards of a batch, and a sum over all of
// them gives every process the same total. The MPI executor's plugin
// implements it over MPI_COMM_WORLD; the LibTorch plugin's supernet calls
// it, so neither plugin links the other: only this header is shared.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_COLLECTIVE_H
#define NASC_SUPPORT_COLLECTIVE_H

#include <cstddef>

namespace nasc {

class Collective {
public:
  virtual ~Collective() = default;
  /// This process's index among the `getSize()` processes.
  virtual unsigned getRank() const = 0;
  virtual unsigned getSize() const = 0;
  /// Replaces `data[0..count)` on every process by its sum over all of
  /// them, bit for bit the same on each; every process calls it with the
  /// same `count`.
  virtual void allReduceSum(float *data, size_t count) = 0;
};

} // namespace nasc

#endif // NASC_SUPPORT_COLLECTIVE_H
