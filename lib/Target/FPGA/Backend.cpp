//===- Backend.cpp - The FPGA backend in the target registry --------------===//
//
// `fpga` for nasc/Target/Common/TargetBackend.h. Emitting writes the
// design (Emit.h); running a candidate needs the simulator and synthesis
// of the design's build.sh, which `nasc measure` does not drive yet.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/FPGA/FPGATarget.h"

#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/FPGA/Emit.h"

using namespace mlir;
using namespace nasc;

namespace {

llvm::Error notMeasurable() {
  return llvm::createStringError(
      "the fpga backend does not measure candidates in process: emit the "
      "design (nasc SPEC --candidate ENC --emit=fpga -o DIR) and run "
      "DIR/build.sh, which simulates and synthesizes it");
}

class FPGABackend : public target::TargetBackend {
public:
  StringRef getKind() const override { return "fpga"; }
  llvm::Error emit(ModuleOp concreteSpec, StringRef dir,
                   const target::CodeOptions &options) override {
    fpga::EmitOptions emit;
    if (!options.part.empty())
      emit.part = options.part;
    return fpga::emitFPGA(concreteSpec, options.weightsPath, options.seed, dir,
                          emit);
  }
  llvm::Expected<std::unique_ptr<target::CompiledCandidate>>
  compile(nas::SpecOp, const target::CodeOptions &) override {
    return notMeasurable();
  }
  llvm::Expected<std::vector<target::LayerLatency>>
  measureLayers(ModuleOp, int64_t, unsigned, unsigned, uint64_t) override {
    return notMeasurable();
  }
  llvm::Expected<OwningOpRef<ModuleOp>> prepareKernels(nas::SpecOp) override {
    return notMeasurable();
  }
};

} // namespace

void fpga::registerFPGABackend() {
  target::registerTargetBackend(std::make_unique<FPGABackend>());
}
