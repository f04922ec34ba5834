//===- Cancellation.h - A request to stop, polled between steps -*- C++ -*-===//
//
// Whoever may ask a long computation to stop (a signal handler, a deadline,
// another rank) cancels a token; the computation polls it between steps,
// commits what is finished and returns. No process-wide flag: each search
// has its own token, so a library never stops work it was not given.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_CANCELLATION_H
#define NASC_SUPPORT_CANCELLATION_H

#include <atomic>

namespace nasc {

class CancellationToken {
public:
  /// Async-signal-safe: a signal handler may call it.
  void cancel() { cancelled.store(true, std::memory_order_relaxed); }
  bool isCancelled() const {
    return cancelled.load(std::memory_order_relaxed);
  }

private:
  static_assert(std::atomic<bool>::is_always_lock_free,
                "cancelled from a signal handler");
  std::atomic<bool> cancelled{false};
};

/// Whether `token` is given and cancelled.
inline bool isCancelled(const CancellationToken *token) {
  return token && token->isCancelled();
}

} // namespace nasc

#endif // NASC_SUPPORT_CANCELLATION_H
