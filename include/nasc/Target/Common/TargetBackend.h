//===- TargetBackend.h - Backends by target kind ----------------*- C++ -*-===//
//
// The target-neutral face of a backend: what `nasc --emit`, `nasc measure
// --target`, the search's measured evaluator and the cost models' kernel
// records ask of the backend for a target kind (cpu today; gpu and fpga
// plug in beside it). Backends register themselves by kind
// (nasc/Target/InitAllTargets.h registers every one built); callers look
// them up by kind and never name a backend's namespace. docs/conventions.md,
// "Layers".
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_COMMON_TARGETBACKEND_H
#define NASC_TARGET_COMMON_TARGETBACKEND_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nasc::target {

/// Wall time of one run of a whole batch, in seconds.
struct LatencyStats {
  double median = 0, p25 = 0, p75 = 0, min = 0;
  unsigned repeats = 0;
  double iqr() const { return p75 - p25; }
};

/// The latency of one layer alone.
struct LayerLatency {
  /// The layer's key (nasc::getLayerKey): "kind CxHxW CxHxW kK sS gG
  /// wWaA" (input, output shapes).
  std::string key;
  /// Its index in CostAnalysis::getLayers() of the candidate.
  size_t record = 0;
  /// Median seconds of a batch through that layer alone.
  double seconds = 0;
};

/// How a backend builds a candidate's code.
struct CodeOptions {
  /// The weights: a LibTorch archive of the candidate's network, or, when
  /// empty, drawn by a seeded initializer.
  std::string weightsPath;
  uint64_t seed = 0;
  /// Layers quantized to at most 8 bits compute on integer levels (else in
  /// float, as LibTorch's fake quantization).
  bool integerArithmetic = true;
  /// The CPU computes the candidate's integer network (IntegerNetwork.h):
  /// int8 activations with static scales, runInteger's bits.
  bool staticInt8 = false;
  /// Apply the candidate's bit widths (else its float network: `--float`).
  bool quantize = true;
  /// The backend's own optimizations (the CPU's tiling and vectorization).
  bool optimize = true;
  /// The device part, for a backend that targets several (fpga: up5k,
  /// hx8k, xc7z020); empty: the backend's default.
  std::string part;
  /// Parallel lanes, for a backend that has them (fpga: output channels a
  /// convolution computes at once); 0: the backend's default.
  int64_t lanes = 0;
  /// The hardware template, for a backend that has several (fpga: folded,
  /// dataflow); empty: the backend's default.
  std::string hardwareTemplate;
  /// Pipeline stages, for a template that has them (fpga dataflow: the
  /// most engines); 0: the backend's default.
  int64_t stages = 0;
  /// The CPU emitted code is for and feature changes (cpu: LLVM's names,
  /// `znver4`, `+avx512f,-avx512vnni`); empty: this machine's.
  std::string cpu, cpuFeatures;
  /// Threads a backend's code shares a batch among (cpu: NAME_run's
  /// default); 0: the target's tunable, else the backend's default.
  int64_t threads = 0;
  /// The GPU the code is for (gpu: sm_90, ...); empty: the target's
  /// tunable `arch`, else sm_90.
  std::string gpuArch;
  /// Output elements a GPU thread computes (the tunable `thread_tile`); 0:
  /// the target's tunable, else 1.
  int64_t gpuThreadTile = 0;
  /// How GPU buffers store floats (`fp32`, `fp16`: the tunable
  /// `precision`); empty: the target's tunable, else fp32.
  std::string gpuPrecision;
  /// Also write the kernels compiled for this CPU, for a mock driver
  /// (gpu: NAME_emu.o; tests).
  bool emulation = false;
  /// A model of `nasc calibrate` for the backend's estimates (fpga: its
  /// resource model); empty: the backend's default.
  std::string estimateModel;
};

/// A candidate compiled for this machine, ready to time.
class CompiledCandidate {
public:
  virtual ~CompiledCandidate();
  /// Times `batch` samples of a fixed input: `warmup` runs, then `repeats`.
  virtual LatencyStats time(int64_t batch, unsigned warmup,
                            unsigned repeats) const = 0;
  /// What the backend measured besides the latency, as (column, value)
  /// pairs in a fixed order for the backend (an FPGA design's cycles and
  /// resources); none by default.
  virtual std::vector<std::pair<std::string, std::string>> getReport() const {
    return {};
  }
};

class TargetBackend {
public:
  virtual ~TargetBackend();
  /// The target kind served, as `target NAME : KIND` writes it.
  virtual llvm::StringRef getKind() const = 0;
  /// Writes the concrete candidate's code into `dir` (created if needed),
  /// all files or none.
  virtual llvm::Error emit(mlir::ModuleOp concreteSpec, llvm::StringRef dir,
                           const CodeOptions &options) = 0;
  /// Compiles the concrete `spec` to run here.
  virtual llvm::Expected<std::unique_ptr<CompiledCandidate>>
  compile(nas::SpecOp spec, const CodeOptions &options) = 0;
  /// Times every leaf layer of the concrete candidate alone (seeded
  /// weights), in record order.
  virtual llvm::Expected<std::vector<LayerLatency>>
  measureLayers(mlir::ModuleOp concreteSpec, int64_t batch, unsigned warmup,
                unsigned repeats, uint64_t seed) = 0;
  /// The kernels the emitted code runs, as linalg on tensors: what the cost
  /// models' kernel records read (nasc/CostModel/LayerWork.h).
  virtual llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
  prepareKernels(nas::SpecOp spec) = 0;

  /// The metrics (nas::Metric names) a compiled candidate's getReport()
  /// gives as columns of the same name: the fpga backend's cycles and
  /// resources. None by default.
  virtual llvm::ArrayRef<llvm::StringRef> getReportedMetrics() const {
    return {};
  }
  /// The metrics estimate() gives.
  virtual llvm::ArrayRef<llvm::StringRef> getEstimatedMetrics() const {
    return {};
  }
  /// Metrics of the concrete `spec` derived from its design without
  /// building or running it, as (metric name, value): the fpga backend's
  /// cycles per image. None by default.
  virtual llvm::Expected<std::vector<std::pair<std::string, double>>>
  estimate(nas::SpecOp spec, const CodeOptions &options) {
    return std::vector<std::pair<std::string, double>>{};
  }
};

/// Registers `backend` for its kind; a kind registered before keeps its
/// first backend. Thread-safe.
void registerTargetBackend(std::unique_ptr<TargetBackend> backend);
/// The backend for `kind`, or an error that names the registered kinds.
llvm::Expected<TargetBackend &> getTargetBackend(llvm::StringRef kind);
/// The registered kinds, sorted.
std::vector<std::string> getTargetBackendKinds();

/// Compiles the concrete candidate of `concreteSpec` with seeded weights
/// and times it; `report`, when given, receives the compiled candidate's
/// getReport().
llvm::Expected<LatencyStats> measureCandidate(
    TargetBackend &backend, mlir::ModuleOp concreteSpec, int64_t batch,
    unsigned warmup, unsigned repeats, uint64_t seed,
    std::vector<std::pair<std::string, std::string>> *report = nullptr);

} // namespace nasc::target

#endif // NASC_TARGET_COMMON_TARGETBACKEND_H
