//===- Emit.h - A candidate as an FPGA design -------------------*- C++ -*-===//
//
// What `nasc SPEC --candidate ENC --emit=fpga -o DIR` writes (docs/fpga.md):
// the folded engine's Verilog, the candidate's layer program, its weights
// and requantization words as memory files, a Verilator testbench with a
// seeded input and the reference's expected output, and build.sh, which
// simulates, synthesizes (Yosys) and places and routes (nextpnr-ice40).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_EMIT_H
#define NASC_TARGET_FPGA_EMIT_H

#include "nasc/Dialect/NAS/IR/NASAttrs.h"
#include "nasc/Target/FPGA/Engine.h"
#include "nasc/Target/Common/IntegerNetwork.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nasc::fpga {

/// The FPGA parts build.sh synthesizes for.
struct FPGAPart {
  llvm::StringRef name;
  /// Yosys's synthesis command.
  llvm::StringRef synthesis;
  /// nextpnr-ice40's device option, empty when nextpnr does not place it.
  llvm::StringRef nextpnrDevice;
};
/// The known parts (up5k, hx8k, xc7z020).
llvm::ArrayRef<FPGAPart> getFPGAParts();
/// The part named `name`, or an error that lists the known ones.
llvm::Expected<FPGAPart> lookupFPGAPart(llvm::StringRef name);

struct EmitOptions {
  std::string part = "up5k";
  DesignTemplate designTemplate = DesignTemplate::Folded;
  /// The engine's lanes: output channels a convolution computes at once
  /// (nasc_engine.v's PE), 1 to 64; in a dataflow chain, each engine's
  /// most.
  int64_t pe = 1;
  /// A dataflow chain's most engines (0: one per stage the network's cut
  /// points allow).
  int64_t maxStages = 0;
  /// Seed of the testbench's input image (uniform in [-1, 1]).
  uint64_t inputSeed = 7;
};

/// What the concrete `spec`'s fpga targets ask for with their tunables
/// `pe` (lanes), `template` ("folded" or "dataflow") and `stages` (a
/// dataflow chain's most engines); none where no target has the tunable.
struct TunedDesign {
  std::optional<int64_t> lanes;
  std::optional<DesignTemplate> designTemplate;
  std::optional<int64_t> stages;
};
/// An error at the target when a value is undecided or out of range, or
/// when two fpga targets disagree.
llvm::Expected<TunedDesign> getTunedDesign(nas::SpecOp spec);

/// The testbenches' C++ reader of a memory file of levels (two hex digits
/// a line): `static bool readLevels(const char *path, std::vector<int> &)`.
const char *getLevelReaderSource();

/// The integer network of the concrete `spec` with the weights of the
/// LibTorch archive `weightsPath`, or seeded by `seed` when it is empty,
/// calibrated as `options` say.
llvm::Expected<IntegerNetwork>
loadIntegerNetwork(nas::SpecOp spec, llvm::StringRef weightsPath, uint64_t seed,
                   const IntegerOptions &options = {});

/// The files of the design of `net`: (name, contents); an error when the
/// engine cannot run it (planDesign).
llvm::Expected<std::vector<std::pair<std::string, std::string>>>
getDesignFiles(const IntegerNetwork &net, const FPGAPart &part,
               const EmitOptions &options);

/// Builds the integer network of the concrete candidate with the weights
/// of `weightsPath` (or seeded by `seed`) and writes its design into
/// `dir`, all files or none.
llvm::Error emitFPGA(mlir::ModuleOp concreteSpec, llvm::StringRef weightsPath,
                     uint64_t seed, llvm::StringRef dir,
                     const EmitOptions &options = {});

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_EMIT_H
