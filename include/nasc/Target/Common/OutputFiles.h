//===- OutputFiles.h - A backend's files, all or none -----------*- C++ -*-===//

#ifndef NASC_TARGET_COMMON_OUTPUTFILES_H
#define NASC_TARGET_COMMON_OUTPUTFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>

namespace nasc::target {

/// Writes `files` (name, bytes) into `dir` (created if needed): each to a
/// temporary file, all kept only when every one was written.
llvm::Error
writeFiles(llvm::StringRef dir,
           llvm::ArrayRef<std::pair<std::string, std::string>> files);

} // namespace nasc::target

#endif // NASC_TARGET_COMMON_OUTPUTFILES_H
