//===- OutputFiles.cpp - A backend's files, all or none -------------------===//

#include "nasc/Target/Common/OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace nasc;

llvm::Error
target::writeFiles(llvm::StringRef dir,
           llvm::ArrayRef<std::pair<std::string, std::string>> files) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(dir + ": " + ec.message());
  std::vector<std::unique_ptr<llvm::ToolOutputFile>> outputs;
  for (const auto &[name, bytes] : files) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    auto output = std::make_unique<llvm::ToolOutputFile>(
        path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return llvm::createStringError(path + ": " + ec.message());
    output->os() << bytes;
    output->os().flush();
    if (output->os().has_error()) {
      output->os().clear_error();
      return llvm::createStringError("cannot write " + path);
    }
    outputs.push_back(std::move(output));
  }
  for (auto &output : outputs)
    output->keep();
  return llvm::Error::success();
}
