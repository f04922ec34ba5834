//===- EvalLibrary.cpp - Finding libNASCEval.so ---------------------------===//

#include "nasc/Support/EvalLibrary.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

/// Where libNASCEval.so is: $NASC_EVAL_LIBRARY, else ../lib next to the
/// executable.
static std::string findLibrary() {
  if (const char *path = std::getenv("NASC_EVAL_LIBRARY"))
    return path;
  static int anchor;
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::fs::getMainExecutable(nullptr, &anchor)));
  llvm::sys::path::append(path, "..", "lib", "libNASCEval.so");
  return path.str().str();
}

void *nasc::findEvalSymbol(const char *symbol, std::string &error) {
  if (void *address =
          llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(symbol))
    return address;
  std::string path = findLibrary();
  std::string why;
  llvm::sys::DynamicLibrary library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &why);
  if (!library.isValid()) {
    error = "cannot load the LibTorch evaluator " + path + ": " + why;
    return nullptr;
  }
  void *address = library.getAddressOfSymbol(symbol);
  if (!address)
    error = path + " has no " + symbol;
  return address;
}
