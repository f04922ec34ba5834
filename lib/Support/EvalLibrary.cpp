//===- EvalLibrary.cpp - Finding nasc's plugin libraries ------------------===//

#include "nasc/Support/EvalLibrary.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

/// Where `library` is: $`environment`, else ../lib next to the executable.
static std::string findLibrary(const char *library, const char *environment) {
  if (const char *path = std::getenv(environment))
    return path;
  static int anchor;
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::fs::getMainExecutable(nullptr, &anchor)));
  llvm::sys::path::append(path, "..", "lib", library);
  return path.str().str();
}

void *nasc::findPluginSymbol(const char *library, const char *environment,
                             const char *what, const char *symbol,
                             std::string &error) {
  if (void *address =
          llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(symbol))
    return address;
  std::string path = findLibrary(library, environment);
  std::string why;
  llvm::sys::DynamicLibrary loaded =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &why);
  if (!loaded.isValid()) {
    error =
        ("cannot load " + llvm::Twine(what) + " " + path + ": " + why).str();
    return nullptr;
  }
  void *address = loaded.getAddressOfSymbol(symbol);
  if (!address)
    error = path + " has no " + symbol;
  return address;
}

void *nasc::findEvalSymbol(const char *symbol, std::string &error) {
  return findPluginSymbol("libNASCEval.so", "NASC_EVAL_LIBRARY",
                          "the LibTorch evaluator", symbol, error);
}
