//===- EvalLibrary.h - Finding nasc's plugin libraries ----------*- C++ -*-===//
//
// Some parts of nasc are slow to load and needed by few runs, so nasc does
// not link them but opens them when needed: the LibTorch evaluator
// (libNASCEval.so; LibTorch takes about 0.4 s to load) and the MPI executor
// (libNASCSearchMPI.so; OpenMPI's libraries cost about 4 ms at every
// start). Their entry points (extern "C") are found here, the one place
// that opens them.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_EVALLIBRARY_H
#define NASC_SUPPORT_EVALLIBRARY_H

#include <string>

namespace nasc {

/// The address of the extern "C" `symbol` of the plugin `library` (a file
/// name, "libNASCEval.so"): already in the process (a test linking it),
/// else from the library $`environment` names, else from ../lib/`library`
/// next to the executable (loaded once, for good). Null with `error`
/// naming the library and why; `what` says what it is ("the LibTorch
/// evaluator").
void *findPluginSymbol(const char *library, const char *environment,
                       const char *what, const char *symbol,
                       std::string &error);

/// findPluginSymbol of libNASCEval.so ($NASC_EVAL_LIBRARY).
void *findEvalSymbol(const char *symbol, std::string &error);

} // namespace nasc

#endif // NASC_SUPPORT_EVALLIBRARY_H
