//===- Costs.cpp - Hardware-independent costs of a concrete candidate -----===//
//
// Walks the network in execution order, inferring every tensor's shape and
// charging each layer its MACs, FLOPs and parameters (docs/analysis.md has
// every formula). Alongside, it records a trace of the sequential inference
// (which step writes and which steps read every activation tensor), from
// which the peak live memory follows in one sweep.
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <map>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

//===----------------------------------------------------------------------===//
// Saturating arithmetic
//===----------------------------------------------------------------------===//

/// The product of `factors`, saturating at UINT64_MAX.
static uint64_t mul(std::initializer_list<uint64_t> factors) {
  uint64_t result = 1;
  for (uint64_t factor : factors)
    result = llvm::SaturatingMultiply(result, factor);
  return result;
}

static uint64_t add(uint64_t a, uint64_t b) {
  return llvm::SaturatingAdd(a, b);
}

/// A channel count computed from others, kept within int64_t.
static int64_t clampCount(uint64_t value) {
  return static_cast<int64_t>(
      std::min<uint64_t>(value, std::numeric_limits<int64_t>::max()));
}

//===----------------------------------------------------------------------===//
// TensorShape
//===----------------------------------------------------------------------===//

static llvm::raw_ostream &operator<<(llvm::raw_ostream &os,
                                     const TensorShape &shape) {
  shape.print(os);
  return os;
}

//===----------------------------------------------------------------------===//
// CostBuilder
//===----------------------------------------------------------------------===//

namespace {

/// An activation tensor flowing through the network: its shape and its
/// index in the memory trace.
struct Activation {
  TensorShape shape;
  unsigned tensor = 0;
};

/// The outputs of the layers so far in a layer sequence, oldest first; a
/// cell's input k is the k-th from the end (docs/language.md §8.3).
using History = llvm::SmallVector<Activation, 8>;

} // namespace

namespace nasc {

/// Runs the analysis for CostAnalysis's constructor.
class CostBuilder {
public:
  CostBuilder(CostAnalysis &result, SpecOp spec, CostOptions options)
      : result(result), spec(spec), keepLayers(options.keepLayers),
        verifyConcrete(options.checkConcrete && !options.decisions),
        recordMetrics(options.recordMetrics) {
    if (recordMetrics) {
      result.totals.recordSums.assign(recordMetrics->metrics.size(), 0);
      recordCounts.resize(recordMetrics->metrics.size());
    }
    if (options.decisions) {
      decisions = *options.decisions;
      cursor = decisions.network;
    }
    auto compressOps = spec.getBodyBlock().getOps<CompressOp>();
    if (!compressOps.empty())
      compress = *compressOps.begin();
  }

  LogicalResult run();
  FailureOr<SegmentCosts> runLayers(ArrayRef<Operation *> layers,
                                    const TensorShape &input);

private:
  //===--- The memory trace ----------------------------------------------===//

  /// One activation tensor: its size, the step writing it (-1 for the
  /// network input) and the last step reading it.
  struct Tensor {
    uint64_t bytes;
    int64_t produced;
    int64_t lastUse;
  };

  /// Records one step of the sequential inference: it reads `inputs` and
  /// writes a new tensor of `shape`, charged to `record`.
  Activation step(LayerCost &record, ArrayRef<Activation> inputs,
                  const TensorShape &shape);
  /// A step that runs as a kernel of its own (LayerCost::kernels) with
  /// `flops` and `weights` (also added to the record's FLOPs and params)
  /// and the loop `nest`.
  Activation kernelStep(LayerCost &record, ArrayRef<Activation> inputs,
                        const TensorShape &shape, uint64_t flops,
                        uint64_t weights, KernelNest nest = {});
  /// An element-wise step fused into the kernel writing `x`.
  Activation fused(LayerCost &record, Activation x, uint64_t flops);
  uint64_t getPeakMemory() const;

  //===--- Primitives: each adds its costs to a record and emits a step ---===//

  /// A k x k convolution with "same" padding (bias adds Cout·H'·W' MACs,
  /// Cout params and eq. (3)'s "+1").
  Activation conv(LayerCost &record, Activation x, const ConvSpec &spec);
  Activation batchNorm(LayerCost &record, Activation x);
  Activation activation(LayerCost &record, Activation x);
  Activation pool(LayerCost &record, Activation x, PoolKind kind,
                  int64_t kernel, int64_t stride);
  Activation globalPool(LayerCost &record, Activation x, PoolKind kind);
  /// A fully connected layer with bias over the flattened input.
  Activation linear(LayerCost &record, Activation x, int64_t out);
  /// Element-wise a + b (or a · b): one FLOP per element.
  Activation elementwise(LayerCost &record, Activation a, Activation b);

  /// nas::buildLayer's builder: each primitive adds its costs to `record`
  /// (LayerSemantics.h).
  struct LayerBuilder;

  //===--- Layers and containers -----------------------------------------===//

  FailureOr<Activation> runSequence(Block &body, Activation x, History &history,
                                    const std::string &prefix);
  FailureOr<Activation> runLayer(Operation *op, Activation x, History &history,
                                 const std::string &path);
  FailureOr<Activation> runChoose(ChooseOp choose, Activation x,
                                  History &history, const std::string &path);
  FailureOr<Activation> runRepeat(RepeatOp repeat, Activation x,
                                  History &history, const std::string &path);
  /// Takes the candidate's values of `op`'s searched hyper-parameters (they
  /// come first among the decisions inside it).
  void resolveParams(Operation *op);
  /// A hyper-parameter: the candidate's value when searched, else the
  /// op's own.
  Attribute getParam(Operation *op, StringRef name);
  /// An integer hyper-parameter, or `defaultValue` when absent.
  int64_t getInt(Operation *op, StringRef name, int64_t defaultValue);
  /// The channels (features) a width-setting layer writes: its `out` (else
  /// `defaultWidth`) less the channels its `prune` ratio removes, unless
  /// the width is pinned (recorded in `record`). docs/analysis.md,
  /// "Pruning".
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth,
                              int64_t inChannels, LayerCost &record);
  /// Why `op`'s width cannot shrink, or null.
  const char *getPinReason(Operation *op, int64_t width, int64_t inChannels);
  /// Layers whose width is pinned whatever their shapes (computed when
  /// first needed): the classifier and the last width-setting layer of
  /// each identity residual's body.
  std::optional<std::pair<Operation *, llvm::SmallPtrSet<Operation *, 8>>>
      pinned;
  FailureOr<Activation> runResidual(ResidualOp residual, Activation x,
                                    History &history, const std::string &path);
  FailureOr<Activation> runCell(CellRefOp ref, Activation x, History &history,
                                const std::string &path);
  FailureOr<Activation> runCellBody(CellRefOp ref, CellOp cell, Activation x,
                                    History &history, const std::string &path);

  /// Traces of one-input cells by input shape, replayed for later
  /// instances when no per-layer records are kept.
  std::map<std::tuple<Operation *, int64_t, int64_t, int64_t, bool>, CostTrace>
      cellTraces;

  /// Where the analysis stands before running something on `x`.
  struct Mark {
    CostTotals totals;
    uint64_t modelBits;
    int64_t step;
    size_t firstTensor;
    int64_t inputLastUse;
  };
  Mark mark(const Activation &x) const {
    return {result.totals, modelBits, nextStep, tensors.size(),
            tensors[x.tensor].lastUse};
  }
  /// What ran on `x` since `before` and produced `out`; false when a
  /// count saturated (the deltas would be wrong).
  bool capture(const Mark &before, const Activation &x, const Activation &out,
               CostTrace &trace) const;
  /// Adds a captured trace as if it ran on `x`.
  Activation replay(const CostTrace &trace, const Activation &x);

  LayerCost newRecord(Operation *op, CostKind kind, const std::string &path,
                      const TensorShape &input);
  /// Sets the record's output, model bits and BOPs, and appends it.
  void commit(LayerCost &record, const TensorShape &output);
  /// Whether a count saturated at UINT64_MAX: the analysis reports it at
  /// the first layer whose costs overflow, never a saturated number.
  static bool saturated(const CostTotals &costs);
  static bool saturated(const LayerCost &record);
  /// Fails (reporting at `where`) when a total overflowed, including
  /// through replayed cell traces and the peak memory.
  LogicalResult checkTotals(Operation *where);
  bool overflowed = false;
  /// The record's bit widths from the op's (or nas.compress's) wbits/abits.
  LogicalResult setBits(Operation *op, LayerCost &record);

  /// Checks the network and the cells it uses hold no decision.
  LogicalResult checkConcrete(Operation *root,
                              llvm::SmallPtrSetImpl<Operation *> &cells);
  /// An error at `op`, with a note at every enclosing cell instance.
  InFlightDiagnostic emitError(Operation *op);

  /// `prefix/name`, or nothing when no records are kept.
  std::string join(const std::string &prefix, const llvm::Twine &name) const {
    if (!keepLayers)
      return {};
    return prefix.empty() ? name.str() : (prefix + "/" + name).str();
  }

  CostAnalysis &result;
  SpecOp spec;
  bool keepLayers;
  bool verifyConcrete;
  const RecordMetrics *recordMetrics;
  /// One record's counts of the RecordMetrics (reused).
  llvm::SmallVector<uint64_t, 4> recordCounts;
  /// The candidate's decisions (empty for a concrete spec), and the cursor
  /// currently read: the network's, or the cells' inside an edge.
  CandidateDecisions decisions;
  DecisionCursor *cursor = nullptr;
  /// The searched hyper-parameters of `resolvedOp`, resolved.
  Operation *resolvedOp = nullptr;
  SmallVector<std::pair<StringRef, Attribute>, 4> resolved;
  uint64_t modelBits = 0;
  CompressOp compress;
  std::vector<Tensor> tensors;
  /// The index of the next step.
  int64_t nextStep = 0;
  /// Cell instances being analysed, outermost first, with their paths.
  SmallVector<std::pair<CellRefOp, std::string>> instances;
  /// The input channels of the user-op calls around the layer being
  /// analysed, innermost last (LayerSemantics.h).
  SmallVector<int64_t, 4> scopeInputs;
};

} // namespace nasc

struct CostBuilder::LayerBuilder {
  using Value = Activation;
  CostBuilder &costs;
  LayerCost &record;

  TensorShape getShape(const Activation &x) const { return x.shape; }
  ArrayRef<int64_t> getScopeInputs() const { return costs.scopeInputs; }
  int64_t getInt(Operation *op, StringRef name, int64_t defaultValue) {
    return costs.getInt(op, name, defaultValue);
  }
  /// The record's bits count for all of its primitives (setBits).
  int64_t getBits(Operation *, StringRef) { return 32; }
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth,
                              int64_t inChannels) {
    return costs.getWidth(op, defaultWidth, inChannels, record);
  }
  LogicalResult fail(Operation *op, const Twine &message) {
    return costs.emitError(op) << message;
  }
  FailureOr<Activation> conv(const Activation &x, const ConvSpec &spec) {
    return costs.conv(record, x, spec);
  }
  FailureOr<Activation> batchNorm(const Activation &x) {
    return costs.batchNorm(record, x);
  }
  FailureOr<Activation> activation(const Activation &x, ActKind) {
    return costs.activation(record, x);
  }
  FailureOr<Activation> hardSigmoid(const Activation &x) {
    return costs.activation(record, x);
  }
  FailureOr<Activation> pool(const Activation &x, PoolKind kind, int64_t kernel,
                             int64_t stride) {
    return costs.pool(record, x, kind, kernel, stride);
  }
  FailureOr<Activation> globalPool(const Activation &x, PoolKind kind) {
    return costs.globalPool(record, x, kind);
  }
  FailureOr<Activation> linear(const Activation &x, const LinearSpec &spec) {
    return costs.linear(record, x, spec.out);
  }
  FailureOr<Activation> add(const Activation &a, const Activation &b) {
    return costs.elementwise(record, a, b);
  }
  FailureOr<Activation> scaleChannels(const Activation &x,
                                      const Activation &gate) {
    return costs.elementwise(record, x, gate);
  }
  /// Writes a tensor of zeros, counted as neither a MAC nor a FLOP: a
  /// kernel that reads nothing.
  FailureOr<Activation> zeros(const Activation &x) {
    LayerCost::Kernel fill;
    fill.writes = x.shape.getNumElements();
    record.kernels.push_back(fill);
    return costs.step(record, x, x.shape);
  }
  /// Moves the channels: a new tensor, neither a MAC nor a FLOP.
  FailureOr<Activation> shuffle(const Activation &x, int64_t) {
    return costs.kernelStep(record, x, x.shape, 0, 0);
  }
};

Activation CostBuilder::step(LayerCost &record, ArrayRef<Activation> inputs,
                             const TensorShape &shape) {
  int64_t index = nextStep++;
  for (const Activation &input : inputs)
    tensors[input.tensor].lastUse =
        std::max(tensors[input.tensor].lastUse, index);
  uint64_t bytes =
      mul({shape.getNumElements(), CostAnalysis::kBytesPerElement});
  tensors.push_back({bytes, index, index});
  record.activationBytes = add(record.activationBytes, bytes);
  if (keepLayers) {
    for (const Activation &input : inputs)
      if (!llvm::is_contained(record.tensorsWritten, input.tensor) &&
          !llvm::is_contained(record.tensorsRead, input.tensor))
        record.tensorsRead.push_back(input.tensor);
    record.tensorsWritten.push_back(unsigned(tensors.size() - 1));
  }
  return {shape, unsigned(tensors.size() - 1)};
}

Activation CostBuilder::kernelStep(LayerCost &record,
                                   ArrayRef<Activation> inputs,
                                   const TensorShape &shape, uint64_t flops,
                                   uint64_t weights, KernelNest nest) {
  LayerCost::Kernel work;
  work.flops = flops;
  work.nest = nest;
  for (const Activation &input : inputs)
    work.reads = add(work.reads, input.shape.getNumElements());
  work.writes = shape.getNumElements();
  work.weights = weights;
  record.kernels.push_back(work);
  record.flops = add(record.flops, flops);
  record.params = add(record.params, weights);
  return step(record, inputs, shape);
}

Activation CostBuilder::fused(LayerCost &record, Activation x, uint64_t flops) {
  record.fusedFlops = add(record.fusedFlops, flops);
  record.flops = add(record.flops, flops);
  return step(record, x, x.shape);
}

uint64_t CostBuilder::getPeakMemory() const {
  // live[s + 1] is what is live at step s (s = -1: before the first step).
  // 128-bit sums so that the sweep's subtractions never saturate.
  std::vector<unsigned __int128> change(nextStep + 2, 0),
      leave(nextStep + 2, 0);
  for (const Tensor &tensor : tensors) {
    change[tensor.produced + 1] += tensor.bytes;
    leave[tensor.lastUse + 1] += tensor.bytes;
  }
  unsigned __int128 live = 0, peak = 0;
  for (int64_t s = 0; s < nextStep + 1; ++s) {
    live += change[s];
    peak = std::max(peak, live);
    live -= leave[s];
  }
  return peak > std::numeric_limits<uint64_t>::max()
             ? std::numeric_limits<uint64_t>::max()
             : uint64_t(peak);
}

Activation CostBuilder::conv(LayerCost &record, Activation x,
                             const ConvSpec &spec) {
  TensorShape shape = getConvShape(x.shape, spec);
  uint64_t out = uint64_t(spec.out);
  uint64_t pixels = mul({uint64_t(shape.height), uint64_t(shape.width)});
  // Weights per output channel: k·k·Cin/groups.
  uint64_t fanIn = mul({uint64_t(spec.kernel), uint64_t(spec.kernel),
                        uint64_t(x.shape.channels / spec.groups)});
  uint64_t weights = mul({fanIn, out});
  uint64_t macs = mul({weights, pixels});
  // Eq. (3): 2·H'·W'·(Cin/g·k² + 1)·Cout with a bias, without the +1 when
  // there is none.
  uint64_t flops = mul({2, add(fanIn, spec.bias ? 1 : 0), out, pixels});
  if (spec.bias) {
    macs = add(macs, mul({out, pixels}));
    weights = add(weights, out);
  }
  record.macs = add(record.macs, macs);
  KernelNest nest;
  bool depthwise = spec.groups > 1 && spec.groups == x.shape.channels &&
                   spec.out == spec.groups;
  nest.kind = depthwise ? KernelNest::Kind::Depthwise : KernelNest::Kind::Conv;
  nest.channels = spec.out;
  nest.columns = shape.width;
  nest.reduction = depthwise ? 1 : x.shape.channels / spec.groups;
  nest.window = spec.kernel;
  nest.stride = spec.stride;
  return kernelStep(record, x, shape, flops, weights, nest);
}

Activation CostBuilder::batchNorm(LayerCost &record, Activation x) {
  // Scale and shift: 2 FLOPs per element, 2 parameters per channel (folded
  // into the producer's weights at inference: no kernel reads them).
  record.params = add(record.params, mul({2, uint64_t(x.shape.channels)}));
  return fused(record, x, mul({2, x.shape.getNumElements()}));
}

Activation CostBuilder::activation(LayerCost &record, Activation x) {
  return fused(record, x, x.shape.getNumElements());
}

Activation CostBuilder::pool(LayerCost &record, Activation x, PoolKind kind,
                             int64_t kernel, int64_t stride) {
  TensorShape shape = getPoolShape(x.shape, stride);
  // Per output element: k² - 1 additions and a division (avg), k² - 1
  // comparisons (max).
  uint64_t window = mul({uint64_t(kernel), uint64_t(kernel)});
  uint64_t perElement = kind == PoolKind::avg ? window : window - 1;
  KernelNest nest;
  nest.kind = KernelNest::Kind::Pool;
  nest.channels = shape.channels;
  nest.columns = shape.width;
  nest.reduction = 1;
  nest.window = kernel;
  nest.stride = stride;
  return kernelStep(record, x, shape, mul({perElement, shape.getNumElements()}),
                    0, nest);
}

Activation CostBuilder::globalPool(LayerCost &record, Activation x,
                                   PoolKind kind) {
  TensorShape shape = TensorShape::image(x.shape.channels, 1, 1);
  uint64_t window = mul({uint64_t(x.shape.height), uint64_t(x.shape.width)});
  uint64_t perChannel = kind == PoolKind::avg ? window : window - 1;
  return kernelStep(record, x, shape,
                    mul({perChannel, uint64_t(x.shape.channels)}), 0);
}

Activation CostBuilder::linear(LayerCost &record, Activation x, int64_t out) {
  // I = C·H·W features.
  uint64_t in = x.shape.getNumElements();
  uint64_t weights = add(mul({in, uint64_t(out)}), uint64_t(out));
  record.macs = add(record.macs, weights);
  // Molchanov et al.'s (2I - 1)·O (the seed misprints it 2(I - 1)·O).
  uint64_t flops = in > std::numeric_limits<uint64_t>::max() / 2
                       ? std::numeric_limits<uint64_t>::max()
                       : mul({2 * in - 1, uint64_t(out)});
  KernelNest nest;
  nest.kind = KernelNest::Kind::Linear;
  nest.channels = out;
  nest.columns = 1;
  nest.reduction = int64_t(std::min<uint64_t>(in, INT64_MAX));
  return kernelStep(record, x, TensorShape::flat(out), flops, weights, nest);
}

Activation CostBuilder::elementwise(LayerCost &record, Activation a,
                                    Activation b) {
  return kernelStep(record, {a, b}, a.shape, a.shape.getNumElements(), 0);
}

//===----------------------------------------------------------------------===//
// Records and diagnostics
//===----------------------------------------------------------------------===//

LayerCost CostBuilder::newRecord(Operation *op, CostKind kind,
                                 const std::string &path,
                                 const TensorShape &input) {
  LayerCost record;
  record.op = op;
  record.kind = kind;
  record.path = path;
  record.input = input;
  if (!instances.empty())
    record.instance = instances.front().first;
  if (keepLayers)
    record.scopeInputs.assign(scopeInputs.begin(), scopeInputs.end());
  return record;
}

void CostBuilder::commit(LayerCost &record, const TensorShape &output) {
  record.output = output;
  record.modelBits = mul({record.params, record.weightBits});
  record.bops = mul({record.macs, record.weightBits, record.activationBits});
  CostTotals &totals = result.totals;
  totals.macs = add(totals.macs, record.macs);
  totals.flops = add(totals.flops, record.flops);
  totals.params = add(totals.params, record.params);
  totals.bops = add(totals.bops, record.bops);
  totals.activationBytes = add(totals.activationBytes, record.activationBytes);
  modelBits = add(modelBits, record.modelBits);
  if (recordMetrics) {
    recordMetrics->compute(record, recordCounts);
    for (auto [sum, count] : llvm::zip(totals.recordSums, recordCounts))
      sum = add(sum, count);
  }
  if (!overflowed &&
      (saturated(record) || saturated(totals) || modelBits == UINT64_MAX)) {
    overflowed = true;
    emitError(record.op)
        << "has costs past 64-bit counts (MACs, FLOPs, BOPs, parameters or "
           "bytes over 2^64 - 1, with the layers before it)";
  }
  if (keepLayers)
    result.layers.push_back(std::move(record));
}

bool CostBuilder::saturated(const CostTotals &costs) {
  return llvm::is_contained({costs.macs, costs.flops, costs.params, costs.bops,
                             costs.activationBytes},
                            UINT64_MAX);
}

bool CostBuilder::saturated(const LayerCost &record) {
  return llvm::is_contained(
      {record.macs, record.flops, record.params, record.bops, record.modelBits,
       record.activationBytes, record.output.getNumElements()},
      UINT64_MAX);
}

LogicalResult CostBuilder::checkTotals(Operation *where) {
  if (overflowed)
    return failure();
  if (!saturated(result.totals) && modelBits != UINT64_MAX &&
      getPeakMemory() != UINT64_MAX)
    return success();
  overflowed = true;
  return where->emitOpError()
         << "has costs past 64-bit counts (MACs, FLOPs, BOPs, parameters or "
            "bytes over 2^64 - 1)";
}

LogicalResult CostBuilder::setBits(Operation *op, LayerCost &record) {
  bool hasWeights = isa<ConvOp, SepConvOp, MBConvOp, FCOp>(op);
  auto bits = [&](StringRef name, unsigned &width) -> LogicalResult {
    Attribute value = getParam(op, name);
    if (!value && hasWeights && compress)
      value = compress->getAttr(name);
    if (!value)
      return success();
    auto fixed = dyn_cast<IntegerAttr>(value);
    if (!fixed)
      return emitError(op) << "takes '" << name
                           << "' from 'nas.compress', where it is searched; "
                              "the cost analysis needs a concrete candidate";
    width = unsigned(fixed.getInt());
    return success();
  };
  return failure(failed(bits("wbits", record.weightBits)) ||
                 failed(bits("abits", record.activationBits)));
}

InFlightDiagnostic CostBuilder::emitError(Operation *op) {
  InFlightDiagnostic diag = op->emitOpError();
  for (auto &[ref, path] : llvm::reverse(instances)) {
    Diagnostic &note = diag.attachNote(ref.getLoc());
    // Paths are not built without CostOptions::keepLayers.
    if (!path.empty())
      note << "in '" << path << "', ";
    else
      note << "in ";
    note << "an instance of cell " << ref.getCellAttr();
  }
  return diag;
}

/// Layers that set their output width.
static bool setsWidth(Operation *op) {
  return isa<ConvOp, SepConvOp, MBConvOp, IdentityOp, FCOp>(op);
}

/// The last width-setting layer of `body`, looking into nested groups.
static Operation *getLastWidthLayer(Block &body) {
  for (Operation &op : llvm::reverse(body)) {
    if (setsWidth(&op))
      return &op;
    if (isa<StageOp, BlockOp>(op))
      if (Operation *last = getLastWidthLayer(op.getRegion(0).front()))
        return last;
  }
  return nullptr;
}

const char *CostBuilder::getPinReason(Operation *op, int64_t width,
                                      int64_t inChannels) {
  if (op->getParentOfType<EdgeOp>())
    return "cell edges keep the node's channel count";
  if (!pinned) {
    Operation *classifier = nullptr;
    llvm::SmallPtrSet<Operation *, 8> residualOutputs;
    spec.getNetwork().walk([&](Operation *inner) {
      if (isa<FCOp>(inner))
        classifier = inner;
      if (auto residual = dyn_cast<ResidualOp>(inner);
          residual && (residual.getShortcut() == Shortcut::identity ||
                       residual.getShortcut() == Shortcut::identity_or_none))
        if (Operation *last = getLastWidthLayer(residual.getBodyBlock()))
          residualOutputs.insert(last);
    });
    pinned.emplace(classifier, std::move(residualOutputs));
  }
  if (op == pinned->first)
    return "the classifier's width is the class count";
  if (pinned->second.contains(op))
    return "its output is added to an identity shortcut";
  if (isa<MBConvOp>(op) && getInt(op, "stride", 1) == 1 && width == inChannels)
    return "its own residual add needs the input's width";
  if (auto conv = dyn_cast<ConvOp>(op); conv && conv.getDepthwise())
    return "a depthwise convolution's width follows its input's";
  return nullptr;
}

FailureOr<int64_t> CostBuilder::getWidth(Operation *op, int64_t defaultWidth,
                                         int64_t inChannels,
                                         LayerCost &record) {
  int64_t width = getInt(op, "out", defaultWidth);
  Attribute prune = getParam(op, "prune");
  bool hasWeights = isa<ConvOp, SepConvOp, MBConvOp, FCOp>(op);
  if (!prune && hasWeights && compress)
    prune = compress->getAttr("prune");
  if (!prune)
    return width;
  auto ratio = dyn_cast<FloatAttr>(prune);
  if (!ratio)
    return emitError(op) << "takes 'prune' from 'nas.compress', where it is "
                            "searched; the cost analysis needs a concrete "
                            "candidate";
  double r = ratio.getValueAsDouble();
  if (r <= 0.0)
    return width;
  record.pruneRatio = r;
  if (const char *reason = getPinReason(op, width, inChannels)) {
    record.pruneSkipped = reason;
    return width;
  }
  record.prunedFrom = width;
  return std::max<int64_t>(
      1, width - static_cast<int64_t>(std::floor(double(width) * r)));
}

void CostBuilder::resolveParams(Operation *op) {
  resolvedOp = op;
  resolved.clear();
  if (!cursor)
    return;
  // Each parameter once: the same op's next decisions belong to the next
  // repetition of its repeat.
  for (const Decision *next = cursor->peek();
       next && next->op == op && next->kind == Decision::Kind::Param &&
       llvm::none_of(
           resolved,
           [&](auto &param) { return param.first == next->attrName; });
       next = cursor->peek()) {
    auto [decision, outcome] = cursor->take();
    resolved.push_back({decision->attrName, decision->values[outcome]});
  }
}

Attribute CostBuilder::getParam(Operation *op, StringRef name) {
  if (op == resolvedOp)
    for (auto &[param, value] : resolved)
      if (param == name)
        return value;
  return op->getAttr(name);
}

int64_t CostBuilder::getInt(Operation *op, StringRef name,
                            int64_t defaultValue) {
  return getIntParam(getParam(op, name), scopeInputs, defaultValue);
}

//===----------------------------------------------------------------------===//
// Concreteness
//===----------------------------------------------------------------------===//

/// Every attribute of a layer that may hold a #nas.choice or #nas.range.
static constexpr StringLiteral kParams[] = {
    "out",    "kernel",  "stride", "groups", "dilation",
    "expand", "squeeze", "wbits",  "abits",  "prune"};

LogicalResult
CostBuilder::checkConcrete(Operation *root,
                           llvm::SmallPtrSetImpl<Operation *> &cells) {
  static constexpr StringLiteral advice =
      "; the cost analysis needs a concrete candidate (materialize one)";
  WalkResult walk = root->walk([&](Operation *op) -> WalkResult {
    if (isa<ChooseOp>(op)) {
      op->emitOpError() << "is a choice" << advice;
      return WalkResult::interrupt();
    }
    if (isa<RepeatOp>(op)) {
      op->emitOpError() << "is a repeat" << advice;
      return WalkResult::interrupt();
    }
    if (auto edge = dyn_cast<EdgeOp>(op)) {
      size_t options = llvm::range_size(edge.getBody().getOps<OptionOp>());
      if (options != 1) {
        edge.emitOpError() << "has " << options
                           << " options, but a concrete cell edge has one"
                           << advice;
        return WalkResult::interrupt();
      }
    }
    // The hyper-parameters that may be searched (getAttrs() would build a
    // dictionary of the op's properties for every op).
    for (StringRef name : kParams)
      if (isa_and_nonnull<ChoiceAttr, RangeAttr>(op->getAttr(name))) {
        op->emitOpError() << "has a searched '" << name << "'" << advice;
        return WalkResult::interrupt();
      }
    if (auto ref = dyn_cast<CellRefOp>(op)) {
      auto cell =
          SymbolTable::lookupNearestSymbolFrom<CellOp>(ref, ref.getCellAttr());
      if (!cell) {
        ref.emitOpError() << "refers to unknown cell " << ref.getCellAttr();
        return WalkResult::interrupt();
      }
      if (cells.insert(cell).second && failed(checkConcrete(cell, cells)))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// The name a layer contributes to paths: its `name`, a stage's or block's
/// name, a cell's symbol, else the op as written in .nas (conv, relu,
/// avg_pool, global_avg_pool, ...).
static std::string getComponent(Operation *op) {
  if (auto ref = dyn_cast<CellRefOp>(op))
    return ref.getCell().str();
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    return name.str();
  if (auto act = dyn_cast<ActOp>(op))
    return stringifyActKind(act.getKind()).str();
  if (auto pool = dyn_cast<PoolOp>(op))
    return (stringifyPoolKind(pool.getKind()) + "_pool").str();
  if (auto pool = dyn_cast<GlobalPoolOp>(op))
    return ("global_" + stringifyPoolKind(pool.getKind()) + "_pool").str();
  return op->getName().stripDialect().str();
}

FailureOr<Activation> CostBuilder::runSequence(Block &body, Activation x,
                                               History &history,
                                               const std::string &prefix) {
  // Siblings sharing a name are told apart by "#k", k counting from 0.
  SmallVector<std::string> names;
  llvm::StringMap<unsigned> counts, seen;
  if (keepLayers) {
    for (Operation &op : body) {
      names.push_back(getComponent(&op));
      ++counts[names.back()];
    }
  }
  unsigned index = 0;
  for (Operation &op : body) {
    std::string path;
    if (keepLayers) {
      std::string name = names[index++];
      if (counts[name] > 1)
        name += "#" + std::to_string(seen[name]++);
      path = join(prefix, name);
    }
    FailureOr<Activation> out = runLayer(&op, x, history, path);
    if (failed(out))
      return failure();
    x = *out;
    // A stage only groups layers, and a choice or repeat stands for the
    // layers it resolves to: those are the sequence's layers.
    if (!isa<StageOp, ChooseOp, RepeatOp>(op))
      history.push_back(x);
  }
  return x;
}

FailureOr<Activation> CostBuilder::runLayer(Operation *op, Activation x,
                                            History &history,
                                            const std::string &path) {
  if (isa<StageOp, BlockOp, ResidualOp>(op))
    resolveParams(op); // none are searched today; keeps the cursor in step
  if (auto stage = dyn_cast<StageOp>(op))
    return runSequence(stage.getBodyBlock(), x, history, path);
  if (auto block = dyn_cast<BlockOp>(op)) {
    // One layer of the enclosing sequence; cells inside still see the
    // layers before it.
    History inner = history;
    if (!block.getScope())
      return runSequence(block.getBodyBlock(), x, inner, path);
    scopeInputs.push_back(x.shape.channels);
    FailureOr<Activation> out =
        runSequence(block.getBodyBlock(), x, inner, path);
    scopeInputs.pop_back();
    return out;
  }
  if (auto residual = dyn_cast<ResidualOp>(op))
    return runResidual(residual, x, history, path);
  if (auto ref = dyn_cast<CellRefOp>(op))
    return runCell(ref, x, history, path);
  if (auto choose = dyn_cast<ChooseOp>(op))
    return runChoose(choose, x, history, path);
  if (auto repeat = dyn_cast<RepeatOp>(op))
    return runRepeat(repeat, x, history, path);

  resolveParams(op);
  LayerCost record = newRecord(op, CostKind::Layer, path, x.shape);
  if (failed(setBits(op, record)))
    return failure();
  LayerBuilder builder{*this, record};
  FailureOr<Activation> out = buildLayer(builder, op, x);
  if (failed(out))
    return failure();
  commit(record, out->shape);
  return out;
}

FailureOr<Activation> CostBuilder::runChoose(ChooseOp choose, Activation x,
                                             History &history,
                                             const std::string &path) {
  if (!cursor)
    return emitError(choose) << "is not concrete";
  auto [decision, outcome] = cursor->take();
  assert(decision->op == choose.getOperation() && "cursor out of step");
  (void)decision;
  OptionOp option =
      *std::next(choose.getBody().getOps<OptionOp>().begin(), outcome);
  return runSequence(option.getBodyBlock(), x, history, path);
}

FailureOr<Activation> CostBuilder::runRepeat(RepeatOp repeat, Activation x,
                                             History &history,
                                             const std::string &path) {
  if (!cursor)
    return emitError(repeat) << "is not concrete";
  Attribute count = repeat.getCount();
  if (isa<ChoiceAttr, RangeAttr>(count)) {
    auto [decision, outcome] = cursor->take();
    count = decision->values[outcome];
  }
  int64_t times = cast<IntegerAttr>(count).getInt();
  // A shared body's decisions are read once and followed by every
  // repetition (docs/space.md).
  DecisionCursor::State start, end;
  if (repeat.getShared())
    start = cursor->save();
  for (int64_t r = 0; r < times; ++r) {
    if (repeat.getShared() && r > 0)
      cursor->restore(start);
    std::string name = keepLayers ? path + "[" + std::to_string(r) + "]" : "";
    FailureOr<Activation> out =
        runSequence(repeat.getBodyBlock(), x, history, name);
    if (failed(out))
      return failure();
    x = *out;
    if (repeat.getShared() && r == 0)
      end = cursor->save();
  }
  if (repeat.getShared() && times > 0)
    cursor->restore(end);
  return x;
}

FailureOr<Activation> CostBuilder::runResidual(ResidualOp residual,
                                               Activation x, History &history,
                                               const std::string &path) {
  History inner = history;
  FailureOr<Activation> body =
      runSequence(residual.getBodyBlock(), x, inner, path);
  if (failed(body))
    return failure();

  if (!addsShortcut(residual, x.shape, body->shape))
    return body;
  // The shortcut's primitives form a record of their own.
  LayerCost record =
      newRecord(residual, CostKind::Shortcut, join(path, "shortcut"), x.shape);
  LayerBuilder builder{*this, record};
  FailureOr<Activation> shortcut =
      buildShortcut(builder, residual, x, body->shape);
  if (failed(shortcut))
    return failure();
  if (residual.getShortcut() != Shortcut::identity &&
      residual.getShortcut() != Shortcut::identity_or_none)
    commit(record, shortcut->shape);

  LayerCost sum =
      newRecord(residual, CostKind::Add, join(path, "add"), body->shape);
  Activation out = elementwise(sum, *body, *shortcut);
  commit(sum, out.shape);
  return out;
}

FailureOr<Activation> CostBuilder::runCell(CellRefOp ref, Activation x,
                                           History &history,
                                           const std::string &path) {
  auto cell =
      SymbolTable::lookupNearestSymbolFrom<CellOp>(ref, ref.getCellAttr());
  if (llvm::any_of(instances, [&](auto &instance) {
        return instance.first.getCellAttr() == ref.getCellAttr();
      }))
    return emitError(ref) << "instantiates cell " << ref.getCellAttr()
                          << " inside itself";
  bool cacheable = !keepLayers && cell.getNumInputsAttr().getInt() == 1;
  auto key = std::make_tuple(cell.getOperation(), x.shape.channels,
                             x.shape.height, x.shape.width, x.shape.spatial);
  if (cacheable) {
    auto it = cellTraces.find(key);
    if (it != cellTraces.end())
      return replay(it->second, x);
  }

  // Record what this instance adds, to replay it for the next ones.
  Mark before = mark(x);
  FailureOr<Activation> out = runCellBody(ref, cell, x, history, path);
  if (failed(out) || !cacheable)
    return out;
  CostTrace trace;
  if (capture(before, x, *out, trace))
    cellTraces.emplace(key, std::move(trace));
  return out;
}

bool CostBuilder::capture(const Mark &before, const Activation &x,
                          const Activation &out, CostTrace &trace) const {
  const CostTotals &after = result.totals;
  if (after.macs == UINT64_MAX || after.flops == UINT64_MAX ||
      after.params == UINT64_MAX || after.bops == UINT64_MAX ||
      after.activationBytes == UINT64_MAX || modelBits == UINT64_MAX ||
      llvm::is_contained(after.recordSums, UINT64_MAX))
    return false;
  trace.macs = after.macs - before.totals.macs;
  trace.flops = after.flops - before.totals.flops;
  trace.params = after.params - before.totals.params;
  trace.bops = after.bops - before.totals.bops;
  trace.activationBytes = after.activationBytes - before.totals.activationBytes;
  trace.modelBits = modelBits - before.modelBits;
  trace.recordSums.clear();
  for (auto [now, then] : llvm::zip(after.recordSums, before.totals.recordSums))
    trace.recordSums.push_back(now - then);
  int64_t start = before.step;
  size_t first = before.firstTensor;
  for (size_t i = first; i < tensors.size(); ++i)
    trace.tensors.push_back({tensors[i].bytes, tensors[i].produced - start,
                             tensors[i].lastUse - start});
  trace.steps = nextStep - start;
  trace.inputLastUse = tensors[x.tensor].lastUse > before.inputLastUse
                           ? tensors[x.tensor].lastUse - start
                           : -1;
  trace.output = out.tensor >= first ? int64_t(out.tensor - first) : -1;
  trace.outputShape = out.shape;
  return true;
}

Activation CostBuilder::replay(const CostTrace &trace, const Activation &x) {
  // The same costs, the same tensors at shifted steps.
  CostTotals &totals = result.totals;
  totals.macs = add(totals.macs, trace.macs);
  totals.flops = add(totals.flops, trace.flops);
  totals.params = add(totals.params, trace.params);
  totals.bops = add(totals.bops, trace.bops);
  totals.activationBytes = add(totals.activationBytes, trace.activationBytes);
  modelBits = add(modelBits, trace.modelBits);
  for (auto [sum, part] : llvm::zip(totals.recordSums, trace.recordSums))
    sum = add(sum, part);
  int64_t start = nextStep;
  size_t first = tensors.size();
  for (const CostTrace::Tensor &tensor : trace.tensors)
    tensors.push_back(
        {tensor.bytes, tensor.produced + start, tensor.lastUse + start});
  if (trace.inputLastUse >= 0)
    tensors[x.tensor].lastUse =
        std::max(tensors[x.tensor].lastUse, trace.inputLastUse + start);
  nextStep += trace.steps;
  if (trace.output < 0)
    return x;
  return Activation{trace.outputShape, unsigned(first + size_t(trace.output))};
}

FailureOr<Activation> CostBuilder::runCellBody(CellRefOp ref, CellOp cell,
                                               Activation x, History &history,
                                               const std::string &path) {
  instances.push_back({ref, path});
  auto popInstance = llvm::make_scope_exit([&] { instances.pop_back(); });

  int64_t numNodes = cell.getNumNodesAttr().getInt(),
          numInputs = cell.getNumInputsAttr().getInt();
  SmallVector<std::optional<Activation>> nodes(numNodes);
  // Input k is the output of the k-th preceding layer (k = 0: x); where
  // fewer layers precede, the earliest one's.
  for (int64_t k = 0; k < numInputs; ++k) {
    int64_t source = CellOp::getInputSource(k, history.size());
    nodes[k] = source < 0 ? x : history[source];
  }

  SmallVector<EdgeOp> edges = getEdgesInOrder(cell);

  auto edgeIt = edges.begin();
  for (int64_t node = numInputs; node < numNodes; ++node) {
    std::string nodePath = join(path, "node" + llvm::Twine(node));
    std::optional<Activation> sum;
    std::optional<TensorShape> shape;
    unsigned incoming = 0;
    LayerCost sumRecord = newRecord(ref, CostKind::NodeSum, nodePath, {});
    // Edges in order of their source; each edge's output is added to the
    // running sum as soon as it is computed (as NAS-Bench-201's
    // sum(generator) does).
    for (; edgeIt != edges.end() && edgeIt->getToAttr().getInt() == node;
         ++edgeIt) {
      EdgeOp edge = *edgeIt;
      Activation source = *nodes[edge.getFromAttr().getInt()];
      if (shape && source.shape != *shape)
        return emitError(edge)
               << "reads node " << edge.getFromAttr().getInt() << " of shape "
               << source.shape.str() << ", but node " << node
               << "'s other incoming edges read " << shape->str();
      shape = source.shape;
      auto options = edge.getBody().getOps<OptionOp>();
      OptionOp option = *options.begin();
      // A candidate's edge: its chosen option, whose decisions the cells'
      // cursor reads from where the edge's start.
      DecisionCursor *outerCursor = cursor;
      auto restoreCursor = llvm::make_scope_exit([&] { cursor = outerCursor; });
      if (decisions.edges) {
        const EdgeChoice &choice = decisions.edges->at(edge);
        option = *std::next(options.begin(), choice.option);
        cursor = decisions.cells;
        cursor->restore(choice.inside);
      }
      History edgeHistory{source};
      std::string edgePath =
          join(path, llvm::Twine(edge.getFromAttr().getInt()) + "->" +
                         llvm::Twine(edge.getToAttr().getInt()));
      // A candidate's edges are replayed from traces kept across analyses,
      // keyed by option, input shape and the outcomes inside the edge.
      std::string traceKey;
      if (decisions.edgeTraces && decisions.edges && !keepLayers) {
        const EdgeChoice &choice = decisions.edges->at(edge);
        Operation *optionOp = option.getOperation();
        auto append = [&](const void *data, size_t size) {
          traceKey.append(static_cast<const char *>(data), size);
        };
        append(&optionOp, sizeof(optionOp));
        append(&source.shape.channels, sizeof(int64_t));
        append(&source.shape.height, sizeof(int64_t));
        append(&source.shape.width, sizeof(int64_t));
        append(&source.shape.spatial, sizeof(bool));
        ArrayRef<uint32_t> inside = cursor->getOutcomes().slice(
            choice.insideBegin, choice.insideEnd - choice.insideBegin);
        append(inside.data(), inside.size() * sizeof(uint32_t));
      }
      const CostTrace *cached = nullptr;
      if (!traceKey.empty()) {
        auto it = decisions.edgeTraces->find(traceKey);
        if (it != decisions.edgeTraces->end())
          cached = &it->second;
      }
      FailureOr<Activation> out;
      if (cached) {
        out = replay(*cached, source);
      } else {
        Mark before = mark(source);
        out = runSequence(option.getBodyBlock(), source, edgeHistory, edgePath);
        if (failed(out))
          return failure();
        CostTrace trace;
        if (!traceKey.empty() && capture(before, source, *out, trace))
          decisions.edgeTraces->emplace(std::move(traceKey), std::move(trace));
      }
      if (out->shape != source.shape)
        return emitError(edge)
               << "changes the node shape from " << source.shape.str() << " to "
               << out->shape.str();
      sum = sum ? elementwise(sumRecord, *sum, *out) : *out;
      ++incoming;
    }
    if (!sum)
      return emitError(cell) << "node " << node << " has no incoming edge";
    if (incoming > 1) {
      sumRecord.input = *shape;
      commit(sumRecord, *shape);
    }
    nodes[node] = sum;
  }

  if (cell.getOutput() == CellOutput::last)
    return *nodes[numNodes - 1];

  // Concatenation of the intermediate nodes along channels.
  SmallVector<Activation> parts;
  TensorShape shape = nodes[numInputs]->shape;
  uint64_t channels = 0;
  for (int64_t node = numInputs; node < numNodes; ++node) {
    const TensorShape &part = nodes[node]->shape;
    if (part.spatial != shape.spatial || part.height != shape.height ||
        part.width != shape.width)
      return emitError(cell)
             << "concatenates node " << node << " of shape " << part.str()
             << " with node " << numInputs << " of shape " << shape.str();
    channels = add(channels, uint64_t(part.channels));
    parts.push_back(*nodes[node]);
  }
  shape.channels = clampCount(channels);
  LayerCost record = newRecord(ref, CostKind::Concat, join(path, "concat"),
                               nodes[numInputs]->shape);
  Activation out = kernelStep(record, parts, shape, 0, 0);
  commit(record, shape);
  return out;
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

LogicalResult CostBuilder::run() {
  NetworkOp network = spec.getNetwork();
  auto dataset = SymbolTable::lookupNearestSymbolFrom<DatasetOp>(
      network, network.getDatasetAttr());
  if (!dataset)
    return network.emitOpError()
           << "refers to unknown dataset " << network.getDatasetAttr();
  llvm::SmallPtrSet<Operation *, 8> cells;
  if (verifyConcrete && failed(checkConcrete(network, cells)))
    return failure();

  ArrayRef<int64_t> dims = dataset.getInputShape();
  TensorShape input = dims.size() == 3
                          ? TensorShape::image(dims[0], dims[1], dims[2])
                          : TensorShape::flat(dims[0]);
  result.inputShape = input;
  tensors.push_back(
      {mul({input.getNumElements(), CostAnalysis::kBytesPerElement}), -1, -1});
  Activation networkInput{input, 0};

  History history;
  FailureOr<Activation> out =
      runSequence(network.getBodyBlock(), networkInput, history, "");
  if (failed(out) || failed(checkTotals(network)))
    return failure();
  result.outputShape = out->shape;
  // The result is live until the end.
  tensors[out->tensor].lastUse =
      std::max(tensors[out->tensor].lastUse, nextStep - 1);

  CostTotals &totals = result.totals;
  totals.modelBytes = modelBits / 8 + (modelBits % 8 != 0);
  totals.peakMemoryBytes = getPeakMemory();
  return success();
}

FailureOr<SegmentCosts> CostBuilder::runLayers(ArrayRef<Operation *> layers,
                                               const TensorShape &input) {
  tensors.push_back(
      {mul({input.getNumElements(), CostAnalysis::kBytesPerElement}), -1, -1});
  Activation x{input, 0};
  History history;
  for (Operation *op : layers) {
    FailureOr<Activation> out = runLayer(op, x, history, "");
    if (failed(out))
      return failure();
    x = *out;
    if (!isa<StageOp, ChooseOp, RepeatOp>(op))
      history.push_back(x);
  }
  tensors[x.tensor].lastUse = std::max(tensors[x.tensor].lastUse, nextStep - 1);
  if (!layers.empty() && failed(checkTotals(layers.back())))
    return failure();
  const CostTotals &totals = result.totals;
  SegmentCosts costs;
  costs.macs = totals.macs;
  costs.flops = totals.flops;
  costs.params = totals.params;
  costs.bops = totals.bops;
  costs.activationBytes = totals.activationBytes;
  costs.modelBits = modelBits;
  costs.recordSums = totals.recordSums;
  costs.peakMemoryBytes = getPeakMemory();
  costs.output = x.shape;
  return costs;
}

//===----------------------------------------------------------------------===//
// CostAnalysis
//===----------------------------------------------------------------------===//

FailureOr<SegmentCosts> CostAnalysis::analyzeLayers(
    SpecOp spec, ArrayRef<Operation *> layers, const TensorShape &input,
    const CandidateDecisions &decisions, const RecordMetrics *recordMetrics) {
  CostAnalysis result;
  CostOptions options{/*keepLayers=*/false, /*checkConcrete=*/false, &decisions,
                      recordMetrics};
  return CostBuilder(result, spec, options).runLayers(layers, input);
}

CostAnalysis::CostAnalysis(Operation *op) {
  auto spec = dyn_cast<SpecOp>(op);
  if (!spec) {
    op->emitOpError() << "is not a 'nas.spec'; costs are computed per spec";
    hasFailed = true;
    return;
  }
  run(spec, CostOptions());
}

CostAnalysis::CostAnalysis(SpecOp spec, CostOptions options) {
  run(spec, options);
}

void CostAnalysis::run(SpecOp spec, CostOptions options) {
  specName = spec.getSymName().str();
  if (mlir::failed(CostBuilder(*this, spec, options).run())) {
    hasFailed = true;
    layers.clear();
    totals = CostTotals();
  }
}

const LayerCost *CostAnalysis::lookup(llvm::StringRef path) const {
  for (const LayerCost &layer : layers)
    if (layer.path == path)
      return &layer;
  return nullptr;
}

void CostAnalysis::print(llvm::raw_ostream &os) const {
  os << "costs of @" << specName << ": input " << inputShape << " output "
     << outputShape << "\n";
  for (const LayerCost &layer : layers)
    os << "layer " << layer.path << ": out " << layer.output << " macs "
       << layer.macs << " flops " << layer.flops << " params " << layer.params
       << " model_bytes " << layer.getModelBytes() << " bops " << layer.bops
       << " activation_bytes " << layer.activationBytes << "\n";
  os << "total: macs " << totals.macs << " flops " << totals.flops << " params "
     << totals.params << " model_bytes " << totals.modelBytes << " bops "
     << totals.bops << " activation_bytes " << totals.activationBytes
     << " peak_memory_bytes " << totals.peakMemoryBytes << "\n";
}

SettledWidths::SettledWidths(const CostAnalysis &costs) {
  for (const LayerCost &layer : costs.getLayers())
    if (layer.kind == CostKind::Layer)
      widths.try_emplace(layer.op, layer.output.channels);
}

int64_t SettledWidths::lookup(Operation *op, int64_t defaultWidth) const {
  if (!op->getParentOfType<CellOp>())
    if (auto it = widths.find(op); it != widths.end())
      return it->second;
  auto out = op->getAttrOfType<IntegerAttr>("out");
  return out ? out.getInt() : defaultWidth;
}

/// The outcome of `space`'s tunable decisions that `value` sets, as
/// (index among getTunableDecisions(), outcome); nullopt when none.
static std::optional<std::pair<size_t, uint32_t>>
findTunableOutcome(const Space &space,
                   const RecordMetrics::TunableValue &value) {
  const DecisionSeq &tunables = space.getTunableDecisions();
  for (auto [k, decision] : llvm::enumerate(tunables)) {
    auto target = dyn_cast_or_null<TargetOp>(decision.op);
    if (!target || target.getSymName() != value.target ||
        decision.attrName != value.tunable)
      continue;
    for (auto [o, outcome] : llvm::enumerate(decision.values))
      if (outcome == value.value)
        return std::pair{k, uint32_t(o)};
  }
  return std::nullopt;
}

/// Where `space`'s tunable decisions start in `candidate`'s outcomes: they
/// come last but for the resolution (Space.h).
static size_t getFirstTunable(const Space &space, const Candidate &candidate) {
  return candidate.outcomes.size() - space.getResolutionDecisions().size() -
         space.getTunableDecisions().size();
}

size_t nasc::getRecordMetricsVariant(const RecordMetrics &metrics,
                                     const Space &space,
                                     const Candidate &candidate) {
  size_t first = getFirstTunable(space, candidate);
  for (auto [v, variant] : llvm::enumerate(metrics.variants)) {
    bool matches = true;
    for (const RecordMetrics::TunableValue &value : variant) {
      std::optional<std::pair<size_t, uint32_t>> outcome =
          findTunableOutcome(space, value);
      matches &= outcome &&
                 candidate.outcomes[first + outcome->first] == outcome->second;
    }
    if (matches)
      return v;
  }
  return 0;
}

Candidate nasc::withRecordMetricsVariant(const RecordMetrics &metrics,
                                         const Space &space,
                                         Candidate candidate, size_t variant) {
  if (variant >= metrics.variants.size())
    return candidate;
  size_t first = getFirstTunable(space, candidate);
  for (const RecordMetrics::TunableValue &value : metrics.variants[variant])
    if (std::optional<std::pair<size_t, uint32_t>> outcome =
            findTunableOutcome(space, value))
      candidate.outcomes[first + outcome->first] = outcome->second;
  return candidate;
}
