//===- EvalLibrary.h - Finding libNASCEval.so -------------------*- C++ -*-===//
//
// LibTorch takes about 0.4 s to load, so nasc does not link the LibTorch
// evaluator (lib/Eval): its entry points (extern "C": training, weights
// export, the LibTorch reference forward) are found here, the one place
// that opens libNASCEval.so.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_EVALLIBRARY_H
#define NASC_SUPPORT_EVALLIBRARY_H

#include <string>

namespace nasc {

/// The address of the extern "C" `symbol` of libNASCEval.so: already in the
/// process (a test linking it), else from $NASC_EVAL_LIBRARY, else from
/// ../lib/libNASCEval.so next to the executable (loaded once, for good).
/// Null with `error` naming the library and why.
void *findEvalSymbol(const char *symbol, std::string &error);

} // namespace nasc

#endif // NASC_SUPPORT_EVALLIBRARY_H
