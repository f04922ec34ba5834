//===- Costs.h - Hardware-independent costs of a concrete candidate -*- C++
//-*-//
//
// Shape inference and the hardware-independent costs (MACs, FLOPs, params,
// model size, BOPs, activation bytes, peak activation memory) of one
// concrete candidate: a nas.spec whose network and cells hold no nas.choose,
// no nas.repeat, no #nas.choice or #nas.range, and whose cell edges have one
// option each (what materializing a candidate produces).
//
// Every formula and counting convention is in docs/analysis.md; the short
// form: `macs` counts convolutions and fully connected layers only (the
// NAS-Bench-201 / thop convention, fc bias included); `flops` follows
// Molchanov et al. for conv and fc plus fixed per-element counts for BN,
// activations, pooling and additions; tensors are fp32, batch 1.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_ANALYSIS_COSTS_H
#define NASC_ANALYSIS_COSTS_H

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Space/Space.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace nasc {

/// The counting convention in one line, for outputs that carry costs.
inline constexpr const char *kCostConvention =
    "macs: conv and fc multiply-accumulates, fc bias included "
    "(NAS-Bench-201/thop); flops: Molchanov et al. (2I-1)O for fc, "
    "2HW(Cin/g k^2 + bias)Cout for conv, plus BN, activations, pooling, "
    "additions; params incl. BN affine; fp32 activations, batch 1; "
    "docs/analysis.md";

/// What a LayerCost record stands for.
enum class CostKind {
  Layer,    ///< one layer op: conv, sep_conv, mbconv, fc, bn, act, pool, ...
  Shortcut, ///< the projection or avgpool_conv shortcut of a nas.residual
  Add,      ///< the element-wise add closing a nas.residual
  NodeSum,  ///< a cell node adding its 2 or more incoming edges
  Concat,   ///< the concatenated output of a cell with `output concat`
};

/// The loop nest of a kernel, as a model of the code's schedule reads it
/// (the CPU backend's tiles, docs/costmodel.md "Tiles"): what the nest
/// computes, its output's channels and columns, the input channels each
/// output reduces (a convolution's per group), and the window's width and
/// stride along a row.
struct KernelNest {
  enum class Kind : uint8_t { Other, Conv, Depthwise, Pool, Linear };
  Kind kind = Kind::Other;
  int64_t channels = 0, columns = 0, reduction = 0, window = 1, stride = 1;
};

/// The costs of one layer (or shortcut, add, node sum, concat) of the
/// candidate, in execution order. A layer inside a cell appears once per
/// instance of the cell, told apart by its path.
struct LayerCost {
  /// The op it comes from: the layer; the nas.residual for a shortcut or
  /// add; the nas.cell_ref for a node sum or concat.
  mlir::Operation *op = nullptr;
  CostKind kind = CostKind::Layer;
  /// The outermost nas.cell_ref instance the record is part of (null
  /// outside cells).
  mlir::Operation *instance = nullptr;
  /// Slash-separated path of names, e.g. "c16/nb201_cell#0/0->1/conv"
  /// (docs/analysis.md, "Paths").
  std::string path;
  TensorShape input, output;
  /// The input channels of the user-op calls around the layer, innermost
  /// last: what its #nas.expr hyper-parameters read (kept with per-layer
  /// records only).
  llvm::SmallVector<int64_t, 2> scopeInputs;
  uint64_t macs = 0;
  uint64_t flops = 0;
  uint64_t params = 0;
  /// Bit widths: the layer's `wbits`/`abits` (or nas.compress's) when fixed
  /// integers, else 32.
  unsigned weightBits = 32, activationBits = 32;
  /// params × weightBits.
  uint64_t modelBits = 0;
  /// macs × weightBits × activationBits.
  uint64_t bops = 0;
  /// Bytes of every activation tensor this record writes (fp32), its
  /// internal ones included (an mbconv's expanded tensor, ...).
  uint64_t activationBytes = 0;

  /// The kernels the record runs as, for the latency and energy models:
  /// one per primitive (LayerSemantics.h), except batch norms and
  /// activations, which fuse into the kernel writing their input, as
  /// compilers fuse them (docs/costmodel.md). A layer therefore costs the
  /// same however it is spelled: one `mbconv` record or the eight records
  /// of a user op writing it out.
  struct Kernel {
    uint64_t flops = 0;
    /// Elements read and written (all inputs, the one output).
    uint64_t reads = 0, writes = 0;
    /// Weights read (the primitive's parameters).
    uint64_t weights = 0;
    /// Its loop nest, for a model of the code's tiles.
    KernelNest nest;
  };
  llvm::SmallVector<Kernel, 3> kernels;
  /// FLOPs of the fused batch norms and activations.
  uint64_t fusedFlops = 0;
  /// The activation tensors of the inference's memory trace the record
  /// reads (written by other records or the network input) and writes: the
  /// data flow between records (kept with per-layer records only). A record
  /// that only forwards its input (an identity) writes none.
  llvm::SmallVector<unsigned, 2> tensorsRead, tensorsWritten;

  /// A width-setting layer's `prune` ratio (0: none), the width it had
  /// before pruning when the ratio removed channels (else 0), and why the
  /// ratio was not applied (null when it was or there is none).
  double pruneRatio = 0;
  int64_t prunedFrom = 0;
  const char *pruneSkipped = nullptr;

  /// modelBits / 8, rounded up.
  uint64_t getModelBytes() const { return (modelBits + 7) / 8; }
};

/// The whole candidate's costs.
struct CostTotals {
  uint64_t macs = 0;
  uint64_t flops = 0;
  uint64_t params = 0;
  /// Σ modelBits / 8, rounded up once.
  uint64_t modelBytes = 0;
  uint64_t bops = 0;
  /// Σ LayerCost::activationBytes.
  uint64_t activationBytes = 0;
  /// The largest set of live activation tensors (the network input
  /// included) at any step of a sequential inference, in bytes.
  uint64_t peakMemoryBytes = 0;
  /// The sums of the analysis's RecordMetrics (CostOptions::recordMetrics),
  /// in their order; empty without.
  llvm::SmallVector<uint64_t, 4> recordSums;
};

struct LayerCost;

/// One quantity summed over a candidate's records besides the costs above
/// (a cost model's latency or energy per layer: docs/analysis.md, "Costs
/// over the space"). Each record's value is an integer count of `unit`
/// base units, so that sums are exact, the same in any order, and fold
/// over a space like FLOPs.
struct RecordMetric {
  /// As constraints name it: "latency(t)".
  std::string name;
  /// Base units (seconds, joules) per count.
  double unit = 1;
  /// How outputs print it: in `printUnit`, of `printScale` base units.
  std::string printUnit;
  double printScale = 1;
};

/// The value of `count` counts of `unit`: a saturated count (past 2^64 - 1)
/// is infinite. Whoever compares a summed metric with a bound converts it
/// with this, so that the comparison is the same everywhere.
inline double getRecordMetricValue(uint64_t count, double unit) {
  return count == std::numeric_limits<uint64_t>::max()
             ? std::numeric_limits<double>::infinity()
             : double(count) * unit;
}

/// The quantities an analysis sums per record, and how each record's are
/// computed.
struct RecordMetrics {
  std::vector<RecordMetric> metrics;
  /// Writes `record`'s counts, one per metric, into `counts`.
  std::function<void(const LayerCost &record,
                     llvm::MutableArrayRef<uint64_t> counts)>
      compute;
  /// Metrics of the same family that are not computed (name, why), for
  /// outputs to explain: "latency(t)", "target 't' has no ...".
  std::vector<std::pair<std::string, std::string>> unavailable;

  /// A tunable's value: (target name, tunable name, value).
  struct TunableValue {
    std::string target, tunable;
    mlir::Attribute value;
  };
  /// Settings of the space's tunables under which `compute` counts
  /// differently (a cpu target's schedule, a gpu target's precision). Empty
  /// when it counts alike for every candidate; else `select(i)` makes it
  /// count as for candidates whose tunables take `variants[i]`, and a space's
  /// costs are those of every variant together (computeSpaceCosts).
  std::vector<std::vector<TunableValue>> variants;
  std::function<void(size_t)> select;
};

/// The variant of `metrics` whose tunable values `candidate` of `space`
/// takes (0 without variants).
size_t getRecordMetricsVariant(const RecordMetrics &metrics, const Space &space,
                               const Candidate &candidate);
/// `candidate` with its tunables set to `metrics`' variant `variant`.
Candidate withRecordMetricsVariant(const RecordMetrics &metrics,
                                   const Space &space, Candidate candidate,
                                   size_t variant);

/// What running some layers on one input adds to an analysis, relative to
/// its first step: replayed, not run again, for the same layers, decisions
/// and input shape (a cell used 15 times at 3 shapes is analysed 3 times).
struct CostTrace {
  uint64_t macs = 0, flops = 0, params = 0, bops = 0, activationBytes = 0,
           modelBits = 0;
  /// What the layers add to each record metric (CostTotals::recordSums).
  llvm::SmallVector<uint64_t, 4> recordSums;
  /// Each tensor written: its bytes and the steps writing and last
  /// reading it, relative.
  struct Tensor {
    uint64_t bytes;
    int64_t produced, lastUse;
  };
  std::vector<Tensor> tensors;
  int64_t steps = 0;
  /// The input's last read, relative; -1 when it is not read.
  int64_t inputLastUse = -1;
  /// The output among `tensors`, or -1 when it is the input itself.
  int64_t output = -1;
  TensorShape outputShape;
};

/// Traces of cell edges, kept across the analyses of many candidates by
/// whoever analyses them: keyed by option, input shape and the outcomes of
/// the decisions inside the edge.
using EdgeTraceCache = std::unordered_map<std::string, CostTrace>;

/// The decisions of one candidate of a spec that is not concrete: the
/// analysis follows them through the spec's choices, repeats, cell edges and
/// searched hyper-parameters instead of needing a materialized copy
/// (docs/analysis.md, "Candidates without materializing").
struct CandidateDecisions {
  /// The network's decisions in walk order, from the first layer analysed.
  DecisionCursor *network = nullptr;
  /// The cursor each cell edge's decisions are read with; `edges` holds a
  /// state of it for every edge of every used cell.
  DecisionCursor *cells = nullptr;
  const EdgeChoices *edges = nullptr;
  /// Where to keep and find the traces of cell edges (optional).
  EdgeTraceCache *edgeTraces = nullptr;
};

/// The costs of some consecutive layers of the network.
struct SegmentCosts {
  uint64_t macs = 0;
  uint64_t flops = 0;
  uint64_t params = 0;
  uint64_t bops = 0;
  uint64_t activationBytes = 0;
  /// Σ params × weight bits (model_bytes is its ceiling / 8, taken once).
  uint64_t modelBits = 0;
  /// The largest live set while these layers run, their input live from
  /// the start and their output to the end.
  uint64_t peakMemoryBytes = 0;
  /// The sums of the analysis's RecordMetrics.
  llvm::SmallVector<uint64_t, 4> recordSums;
  TensorShape output;
};

/// What CostAnalysis keeps besides the totals.
struct CostOptions {
  /// Keep a LayerCost per record (with its path). Without, only the totals
  /// are computed, which is several times faster (no strings, no records).
  bool keepLayers = true;
  /// Check first that the spec is concrete. A caller that has just
  /// materialized it (nasc::Space::materialize) may skip the walk.
  bool checkConcrete = true;
  /// A candidate's decisions when the spec is not concrete (implies no
  /// concreteness check).
  const CandidateDecisions *decisions = nullptr;
  /// Quantities to sum per record besides the built-in costs (optional;
  /// CostTotals::recordSums holds them).
  const RecordMetrics *recordMetrics = nullptr;
};

/// What per-layer cost tables (docs/costmodel.md) call a record: its kind
/// (the op's name; `dwconv` for a conv with one group per input channel;
/// `max_pool`/`avg_pool`; the activation's name; `add`, `concat`,
/// `shortcut`), kernel (0 without one), stride and groups.
struct LayerKind {
  std::string kind;
  int64_t kernel = 0, stride = 1, groups = 1;
};
LayerKind getLayerKind(const LayerCost &record);
/// The record's key in a lookup table: "kind CxHxW CxHxW kK sS gG wWaA"
/// (input and output shapes, bit widths). The CPU backend's per-layer
/// timings and the cost models both use it.
std::string getLayerKey(const LayerCost &record);

/// Shape inference and costs of a concrete nas.spec. Construction runs the
/// analysis; a spec that is not concrete or is ill-shaped gets an error
/// diagnostic at the offending op, and failed() is true. Usable as an MLIR
/// analysis: getAnalysis<CostAnalysis>() on a nas.spec, or
/// getChildAnalysis<CostAnalysis>(spec) from a module pass.
class CostAnalysis {
public:
  /// `op` must be a nas.spec.
  explicit CostAnalysis(mlir::Operation *op);
  explicit CostAnalysis(nas::SpecOp spec, CostOptions options = {});

  /// Bytes per activation element and, without wbits, per parameter.
  static constexpr uint64_t kBytesPerElement = 4;
  /// The bit width of weights and activations without wbits/abits.
  static constexpr unsigned kDefaultBits = 32;

  bool failed() const { return hasFailed; }
  mlir::LogicalResult getStatus() const { return mlir::failure(hasFailed); }

  /// Per-layer records in execution order (empty after a failure or
  /// without CostOptions::keepLayers).
  llvm::ArrayRef<LayerCost> getLayers() const { return layers; }
  /// The record with this path, or null.
  const LayerCost *lookup(llvm::StringRef path) const;
  const CostTotals &getTotals() const { return totals; }
  /// The spec's symbol name.
  llvm::StringRef getSpecName() const { return specName; }
  const TensorShape &getInputShape() const { return inputShape; }
  const TensorShape &getOutputShape() const { return outputShape; }

  /// One line per record, then the totals (the test-print-costs format):
  ///   layer <path>: out [C, H, W] macs N flops N params N model_bytes N
  ///     bops N activation_bytes N
  ///   total: macs N flops N params N model_bytes N bops N
  ///     activation_bytes N peak_memory_bytes N
  void print(llvm::raw_ostream &os) const;

  /// Runs `layers` (consecutive layers of `spec`'s network, or of a stage
  /// or fixed repeat in it, in order) on an input of shape `input`, taking
  /// the candidate's decisions from `decisions`. Exact as part of the whole
  /// network when no cell reads the outputs of earlier layers (every used
  /// cell has one input). Fails after a diagnostic when ill-shaped.
  static mlir::FailureOr<SegmentCosts>
  analyzeLayers(nas::SpecOp spec, llvm::ArrayRef<mlir::Operation *> layers,
                const TensorShape &input, const CandidateDecisions &decisions,
                const RecordMetrics *recordMetrics = nullptr);

private:
  CostAnalysis() = default;
  friend class CostBuilder;
  void run(nas::SpecOp spec, CostOptions options);

  bool hasFailed = false;
  std::string specName;
  std::vector<LayerCost> layers;
  CostTotals totals;
  TensorShape inputShape, outputShape;
};

/// The output widths a cost analysis settled (pruning applied), for those
/// that build its candidate (the LibTorch network, the linalg lowering). A
/// layer inside a cell keeps its `out`: cells are never pruned, and one op
/// serves every instance.
class SettledWidths {
public:
  explicit SettledWidths(const CostAnalysis &costs);
  /// `op`'s output width: settled, else its `out`, else `defaultWidth`.
  int64_t lookup(mlir::Operation *op, int64_t defaultWidth) const;

private:
  llvm::DenseMap<mlir::Operation *, int64_t> widths;
};

} // namespace nasc

#endif // NASC_ANALYSIS_COSTS_H
