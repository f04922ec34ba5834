//===- TargetBackend.cpp - Backends by target kind ------------------------===//

#include "nasc/Target/Common/TargetBackend.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <mutex>

using namespace nasc;
using namespace nasc::target;

CompiledCandidate::~CompiledCandidate() = default;
TargetBackend::~TargetBackend() = default;

namespace {
struct Registry {
  std::mutex mutex;
  llvm::StringMap<std::unique_ptr<TargetBackend>> backends;
};
Registry &getRegistry() {
  static Registry registry;
  return registry;
}
} // namespace

void target::registerTargetBackend(std::unique_ptr<TargetBackend> backend) {
  Registry &registry = getRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  std::string kind = backend->getKind().str();
  registry.backends.try_emplace(kind, std::move(backend));
}

std::vector<std::string> target::getTargetBackendKinds() {
  Registry &registry = getRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  std::vector<std::string> kinds;
  for (const auto &entry : registry.backends)
    kinds.push_back(entry.getKey().str());
  llvm::sort(kinds);
  return kinds;
}

llvm::Expected<TargetBackend &> target::getTargetBackend(llvm::StringRef kind) {
  {
    Registry &registry = getRegistry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    auto it = registry.backends.find(kind);
    if (it != registry.backends.end())
      return *it->second;
  }
  std::vector<std::string> kinds = getTargetBackendKinds();
  return llvm::createStringError(
      "no backend for target kind '" + kind + "' (backends: " +
      (kinds.empty() ? std::string("none") : llvm::join(kinds, ", ")) + ")");
}

llvm::Expected<LatencyStats> target::measureCandidate(
    TargetBackend &backend, mlir::ModuleOp concreteSpec, int64_t batch,
    unsigned warmup, unsigned repeats, uint64_t seed,
    std::vector<std::pair<std::string, std::string>> *report) {
  if (batch < 1 || batch > (1 << 20))
    return llvm::createStringError("batch " + std::to_string(batch) +
                                   " is out of range (1 to 1048576)");
  auto specs = concreteSpec.getOps<nas::SpecOp>();
  if (specs.empty())
    return llvm::createStringError("no nas.spec to measure");
  CodeOptions options;
  options.seed = seed;
  llvm::Expected<std::unique_ptr<CompiledCandidate>> compiled =
      backend.compile(*specs.begin(), options);
  if (!compiled)
    return compiled.takeError();
  if (report)
    *report = (*compiled)->getReport();
  return (*compiled)->time(batch, warmup, repeats);
}
