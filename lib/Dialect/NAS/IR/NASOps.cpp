//===- NASOps.cpp - Operations of the nas dialect: verifiers --------------===//

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Support/Limits.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace mlir;
using namespace nasc::nas;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A number as a user would write it (0.5, 95), not 5.000000e-01.
static std::string formatNumber(double value) {
  return llvm::formatv("{0}", llvm::format("%g", value)).str();
}

/// Checks every value an integer parameter can take lies in [min, max].
static LogicalResult
verifyIntParam(Operation *op, StringRef name, Attribute param, int64_t min,
               int64_t max = std::numeric_limits<int64_t>::max()) {
  if (!param)
    return success();
  auto check = [&](int64_t value) -> LogicalResult {
    if (value < min || value > max) {
      auto diag = op->emitOpError() << "'" << name << "' must be ";
      if (max == std::numeric_limits<int64_t>::max())
        diag << "at least " << min;
      else
        diag << "in [" << min << ", " << max << "]";
      return diag << ", got " << value;
    }
    return success();
  };
  if (auto integer = dyn_cast<IntegerAttr>(param))
    return check(integer.getInt());
  // An expression's value is known per candidate: the analyses check it.
  // It must lie inside as many user-op calls as it reads the inputs of.
  if (auto expr = dyn_cast<ExprAttr>(param)) {
    int64_t scopes = 0;
    for (Operation *parent = op->getParentOp(); parent;
         parent = parent->getParentOp())
      if (auto block = dyn_cast<BlockOp>(parent); block && block.getScope())
        ++scopes;
    if (expr.getNumLevels() > scopes)
      return op->emitOpError()
             << "'" << name << "' reads the input of the call "
             << expr.getNumLevels() - 1 << " level(s) out, but it is inside "
             << scopes << " call(s) ('nas.block ... scope')";
    return success();
  }
  if (auto range = dyn_cast<RangeAttr>(param))
    return failure(failed(check(range.getLo())) ||
                   failed(check(range.getHi())));
  auto choice = cast<ChoiceAttr>(param);
  for (Attribute option : choice.getOptions()) {
    auto integer = dyn_cast<IntegerAttr>(option);
    if (!integer)
      return op->emitOpError()
             << "'" << name << "' choices must be integers, got " << option;
    if (failed(check(integer.getInt())))
      return failure();
  }
  return success();
}

/// Ranges longer than this are not expanded by the verifier's pairwise
/// checks; the space analyses check them per candidate instead.
static constexpr uint64_t kMaxExpandedRange = 4096;

/// Every value an integer parameter can take, in order (ranges expanded up
/// to kMaxExpandedRange values; longer ones yield their bounds only; none
/// for an expression, whose values are known per candidate).
static SmallVector<int64_t> getIntParamValues(Attribute param) {
  if (auto integer = dyn_cast<IntegerAttr>(param))
    return {integer.getInt()};
  if (isa<ExprAttr>(param))
    return {};
  SmallVector<int64_t> values;
  if (auto range = dyn_cast<RangeAttr>(param)) {
    if (range.size() > kMaxExpandedRange)
      return {range.getLo(), range.getHi()};
    for (uint64_t i = 0, e = range.size(); i < e; ++i)
      values.push_back(range.getLo() + int64_t(i) * range.getStep());
    return values;
  }
  for (Attribute option : cast<ChoiceAttr>(param).getOptions())
    values.push_back(cast<IntegerAttr>(option).getInt());
  return values;
}

/// Checks kernel sizes are odd: convolutions use "same" padding.
static LogicalResult verifyOddKernel(Operation *op, Attribute kernel) {
  if (!kernel)
    return success();
  // A range holds an even kernel unless it starts odd and steps evenly.
  if (auto range = dyn_cast<RangeAttr>(kernel)) {
    int64_t even = range.getLo() % 2 == 0 ? range.getLo()
                   : range.getStep() % 2 != 0 && range.size() > 1
                       ? range.getLo() + range.getStep()
                       : 1;
    if (even % 2 == 0)
      return op->emitOpError()
             << "kernel " << even << " must be odd for 'same' padding";
    return success();
  }
  for (int64_t k : getIntParamValues(kernel))
    if (k % 2 == 0)
      return op->emitOpError()
             << "kernel " << k << " must be odd for 'same' padding";
  return success();
}

/// Checks the searchable compression settings of a layer with weights.
static LogicalResult verifyCompression(Operation *op, Attribute wbits,
                                       Attribute abits, Attribute prune) {
  // Activations are symmetric levels in [-L, L], L = 2^(abits-1) - 1: one
  // bit would leave none but 0 (weights' one bit is binary, sign times a
  // scale).
  if (failed(verifyIntParam(op, "wbits", wbits, 1, 32)) ||
      failed(verifyIntParam(op, "abits", abits, 2, 32)))
    return failure();
  if (!prune)
    return success();
  auto checkRatio = [&](Attribute value) -> LogicalResult {
    auto ratio = dyn_cast<FloatAttr>(value);
    if (!ratio)
      return op->emitOpError()
             << "'prune' ratios must be numbers, got " << value;
    double r = ratio.getValueAsDouble();
    if (r < 0.0 || r >= 1.0)
      return op->emitOpError()
             << "'prune' ratio must be in [0, 1), got " << formatNumber(r);
    return success();
  };
  if (auto choice = dyn_cast<ChoiceAttr>(prune)) {
    for (Attribute option : choice.getOptions())
      if (failed(checkRatio(option)))
        return failure();
    return success();
  }
  return checkRatio(prune);
}

/// Checks a region holds only layer operations.
static LogicalResult verifyLayerBody(Operation *op, Region &body) {
  for (Operation &nested : body.getOps())
    if (!nested.hasTrait<OpTrait::NASLayer>())
      return nested.emitOpError() << "is not a layer and cannot appear in '"
                                  << op->getName().getStringRef() << "'";
  return success();
}

/// Checks a region holds only named options, at least one, names unique.
static LogicalResult verifyOptions(Operation *op, Region &body) {
  llvm::StringSet<> names;
  for (Operation &nested : body.getOps()) {
    auto option = dyn_cast<OptionOp>(nested);
    if (!option)
      return nested.emitOpError()
             << "cannot appear in '" << op->getName().getStringRef()
             << "': expected 'nas.option'";
    if (!names.insert(option.getName()).second)
      return option.emitOpError()
             << "duplicate option name '" << option.getName() << "'";
  }
  if (names.empty())
    return op->emitOpError() << "needs at least one option";
  return success();
}

/// Looks `symbol` up in the enclosing spec and checks it names an OpT.
template <typename OpT>
static LogicalResult verifySymbolRef(Operation *user, FlatSymbolRefAttr symbol,
                                     StringRef what,
                                     SymbolTableCollection &symbolTable) {
  if (!symbol)
    return success();
  Operation *found = symbolTable.lookupNearestSymbolFrom(user, symbol);
  if (!found)
    return user->emitOpError() << "refers to unknown " << what << " " << symbol;
  if (!isa<OpT>(found))
    return user->emitOpError() << symbol << " is not a " << what;
  return success();
}

/// Checks the target of an objective or constraint suits its metric.
static LogicalResult verifyMetricTarget(Operation *op, Metric metric,
                                        FlatSymbolRefAttr target) {
  if (target && !metricTakesTarget(metric))
    return op->emitOpError() << "metric '" << stringifyMetric(metric)
                             << "' does not depend on hardware and takes no "
                                "target";
  if (!target && metricNeedsTarget(metric))
    return op->emitOpError() << "metric '" << stringifyMetric(metric)
                             << "' depends on hardware and needs a target";
  return success();
}

//===----------------------------------------------------------------------===//
// Top level
//===----------------------------------------------------------------------===//

NetworkOp SpecOp::getNetwork() {
  return *getBodyBlock().getOps<NetworkOp>().begin();
}

LogicalResult SpecOp::verify() {
  unsigned networks = 0, constraints = 0;
  llvm::StringMap<Operation *> singletons;
  ObjectivesOp objectives;
  for (Operation &op : getBodyBlock()) {
    if (!op.hasTrait<OpTrait::NASDecl>())
      return op.emitOpError() << "cannot appear at the top of a 'nas.spec'";
    if (isa<NetworkOp>(op))
      ++networks;
    else if (isa<ConstraintOp>(op))
      ++constraints;
    else if (isa<ObjectivesOp, CompressOp, SearchOp, EvaluateOp>(op)) {
      auto [it, inserted] =
          singletons.try_emplace(op.getName().getStringRef(), &op);
      if (!inserted)
        return op.emitOpError() << "may appear only once in a spec";
      if (auto o = dyn_cast<ObjectivesOp>(op))
        objectives = o;
    }
  }
  if (networks != 1)
    return emitOpError() << "must hold exactly one 'nas.network', found "
                         << networks;
  if (objectives && objectives.getFormulation() == Formulation::constrained &&
      constraints == 0)
    return objectives.emitOpError()
           << "'constrained' formulation needs at least one constraint";
  return success();
}

LogicalResult DatasetOp::verify() {
  ArrayRef<int64_t> shape = getInputShape();
  if (shape.size() != 1 && shape.size() != 3)
    return emitOpError() << "input shape must be [features] or "
                            "[channels, height, width], got rank "
                         << shape.size();
  for (int64_t dim : shape)
    if (dim <= 0)
      return emitOpError() << "input dimensions must be positive, got " << dim;
  if (getNumClassesAttr().getInt() < 1)
    return emitOpError() << "needs at least one class, got "
                         << getNumClassesAttr().getInt();
  if (Attribute resolution = getResolutionAttr()) {
    if (shape.size() != 3)
      return emitOpError() << "a searched resolution needs an image input "
                              "[channels, height, width]";
    if (isa<ExprAttr>(resolution))
      return emitOpError() << "resolution must be an integer, a choice or a "
                              "range";
    if (failed(verifyIntParam(*this, "resolution", resolution, 1)))
      return failure();
  }
  return success();
}

LogicalResult TargetOp::verify() {
  ArrayRef<PropertySpec> specs = getTargetProperties(getKind());
  if (auto properties = getPropsAttr()) {
    for (NamedAttribute property : properties) {
      const PropertySpec *spec =
          findProperty(specs, property.getName().getValue());
      if (!spec)
        return emitOpError()
               << "unknown property '" << property.getName().getValue()
               << "' for a " << stringifyTargetKind(getKind())
               << " target; expected one of " << listPropertyNames(specs);
      std::string error = checkPropertyValue(*spec, property.getValue());
      if (!error.empty())
        return emitOpError() << error;
      auto quantity = dyn_cast<QuantityAttr>(property.getValue());
      if (quantity && quantity.getNumber() < 0)
        return emitOpError() << "'" << property.getName().getValue()
                             << "' must not be negative";
      // The cost models divide by rates: a value whose base-unit figure is
      // not a normal double would make them infinite.
      if (quantity) {
        double base = quantity.getBaseValue();
        if (!std::isfinite(base) ||
            (base != 0 && base < std::numeric_limits<double>::min()))
          return emitOpError()
                 << "'" << property.getName().getValue() << "' of "
                 << quantity.getNumber() << " " << quantity.getUnit().getValue()
                 << " is out of range (a finite value, 0 or at least "
                 << std::numeric_limits<double>::min() << " in base units)";
      }
    }
  }
  if (auto tunables = getTunablesAttr())
    for (NamedAttribute tunable : tunables)
    {
      if (!isa<ChoiceAttr, RangeAttr>(tunable.getValue()))
        return emitOpError() << "tunable '" << tunable.getName().getValue()
                             << "' must be a choice or a range";
      std::string why = checkTunable(getKind(), tunable.getName().getValue(),
                                     tunable.getValue());
      if (!why.empty())
        return emitOpError() << why;
    }
  return success();
}

//===----------------------------------------------------------------------===//
// Containers
//===----------------------------------------------------------------------===//

LogicalResult NetworkOp::verify() {
  if (failed(verifyLayerBody(*this, getBody())))
    return failure();
  // A flattening fc leaves no spatial dimensions behind it.
  Operation *fc = nullptr;
  for (Operation &op : getBodyBlock()) {
    if (isa<FCOp>(op)) {
      fc = &op;
      continue;
    }
    if (fc && !isa<ActOp, BatchNormOp, IdentityOp>(op))
      return op.emitOpError() << "needs a spatial input, but a preceding "
                                 "'nas.fc' has flattened it";
  }
  return success();
}

namespace {

/// Follows the channel count through a layer sequence wherever it is fixed,
/// to catch shape errors that every candidate (or every candidate taking
/// one option) has, without enumerating the space. A searched count makes
/// the count unknown; unknown counts never cause an error.
class ChannelChecker {
public:
  using Channels = std::optional<int64_t>;

  LogicalResult run(Block &body, Channels &channels) {
    for (Operation &op : body)
      if (failed(layer(op, channels)))
        return failure();
    return success();
  }

private:
  /// run() for a repeat's body, remembered by input: nested repeats would
  /// otherwise run the innermost body 2^depth times.
  LogicalResult runRepeated(Block &body, Channels &channels) {
    auto key = std::make_pair(&body, channels);
    auto it = repeatedOutputs.find(key);
    if (it != repeatedOutputs.end()) {
      channels = it->second;
      return success();
    }
    if (failed(run(body, channels)))
      return failure();
    repeatedOutputs.emplace(key, channels);
    return success();
  }

  std::map<std::pair<Block *, Channels>, Channels> repeatedOutputs;

  static Channels fixed(Attribute param) {
    if (auto integer = dyn_cast_or_null<IntegerAttr>(param))
      return integer.getInt();
    return std::nullopt;
  }

  /// The channels after a layer whose output width is `out` (absent: kept).
  static Channels after(Attribute out, Channels channels) {
    return out ? fixed(out) : channels;
  }

  LogicalResult layer(Operation &op, Channels &channels);
};

} // namespace

LogicalResult ChannelChecker::layer(Operation &op, Channels &channels) {
  if (auto conv = dyn_cast<ConvOp>(op)) {
    Channels groups = fixed(conv.getGroupsAttr());
    if (channels && groups && *channels % *groups != 0)
      return conv.emitOpError() << "groups " << *groups << " do not divide its "
                                << *channels << " input channels";
    Channels out = fixed(conv.getOutAttr());
    if (conv.getDepthwise() && channels && out && *out % *channels != 0)
      return conv.emitOpError()
             << "depthwise: " << *out << " output channels are not a multiple "
             << "of its " << *channels << " input channels";
    channels = after(conv.getOutAttr(), channels);
    return success();
  }
  if (auto shuffle = dyn_cast<ShuffleOp>(op)) {
    Channels groups = fixed(shuffle.getGroupsAttr());
    if (channels && groups && *channels % *groups != 0)
      return shuffle.emitOpError()
             << "groups " << *groups << " do not divide its " << *channels
             << " channels";
    return success();
  }
  if (auto sep = dyn_cast<SepConvOp>(op)) {
    channels = after(sep.getOutAttr(), channels);
    return success();
  }
  if (auto mb = dyn_cast<MBConvOp>(op)) {
    channels = after(mb.getOutAttr(), channels);
    return success();
  }
  if (auto identity = dyn_cast<IdentityOp>(op)) {
    channels = after(identity.getOutAttr(), channels);
    return success();
  }
  if (auto fc = dyn_cast<FCOp>(op)) {
    channels = after(fc.getOutAttr(), channels);
    return success();
  }
  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    // A second pass sees the body fed with its own output, as every
    // repetition after the first is.
    int64_t passes = 1;
    for (int64_t count : getIntParamValues(repeat.getCount()))
      passes = std::max<int64_t>(passes, std::min<int64_t>(count, 2));
    for (int64_t i = 0; i < passes; ++i)
      if (failed(runRepeated(repeat.getBodyBlock(), channels)))
        return failure();
    return success();
  }
  if (isa<StageOp, BlockOp>(op))
    return run(op.getRegion(0).front(), channels);
  // Where the body changes the shape, the output is the body's.
  if (auto residual = dyn_cast<ResidualOp>(op);
      residual && residual.getShortcut() == Shortcut::identity_or_none)
    return run(residual.getBodyBlock(), channels);
  if (auto residual = dyn_cast<ResidualOp>(op)) {
    Channels input = channels;
    if (failed(run(residual.getBodyBlock(), channels)))
      return failure();
    if (residual.getShortcut() == Shortcut::identity && input && channels &&
        *input != *channels)
      return residual.emitOpError()
             << "identity shortcut adds " << *input
             << " input channels to a body output of " << *channels
             << " channels; use 'projection'";
    return success();
  }
  if (auto choose = dyn_cast<ChooseOp>(op)) {
    // The output is known only when every option agrees on it.
    std::optional<Channels> common;
    for (auto option : choose.getBody().getOps<OptionOp>()) {
      Channels optionChannels = channels;
      if (failed(run(option.getBodyBlock(), optionChannels)))
        return failure();
      if (!common)
        common = optionChannels;
      else if (*common != optionChannels)
        common = Channels();
    }
    channels = common.value_or(Channels());
    return success();
  }
  // A concatenating cell multiplies its channels by its intermediate nodes;
  // the cell is resolved elsewhere, so the count is left unknown.
  if (isa<CellRefOp>(op)) {
    auto cell = SymbolTable::lookupNearestSymbolFrom<CellOp>(
        &op, cast<CellRefOp>(op).getCellAttr());
    if (!cell || cell.getOutput() == CellOutput::concat)
      channels.reset();
    return success();
  }
  // Pools, activations, BN and zero keep the channel count.
  return success();
}

namespace {

/// Counts the most layers a candidate can unroll a layer sequence to (a
/// repeat's largest count times its body's layers, through every level), so
/// that a count like `repeat 1000000000` is reported here rather than
/// unrolled by the analyses. Counts saturate just past nasc::kMaxUnrolledLayers.
class UnrollCounter {
public:
  FailureOr<uint64_t> run(Block &body) {
    uint64_t total = 0;
    for (Operation &op : body) {
      FailureOr<uint64_t> layers = layer(op);
      if (failed(layers))
        return failure();
      total = capped(total + *layers);
    }
    return total;
  }

private:
  static uint64_t capped(unsigned __int128 count) {
    return uint64_t(std::min<unsigned __int128>(count, nasc::kMaxUnrolledLayers + 1));
  }

  FailureOr<uint64_t> layer(Operation &op) {
    if (auto repeat = dyn_cast<RepeatOp>(op)) {
      FailureOr<uint64_t> body = run(repeat.getBodyBlock());
      if (failed(body))
        return failure();
      int64_t count = 0;
      for (int64_t value : getIntParamValues(repeat.getCount()))
        count = std::max(count, value);
      uint64_t layers = capped((unsigned __int128)count * *body);
      if (layers > nasc::kMaxUnrolledLayers)
        return repeat.emitOpError()
               << "unrolls to more than " << nasc::kMaxUnrolledLayers
               << " layers (count " << count << " times " << *body
               << " layers; docs/language.md, \"Limits\")";
      return layers;
    }
    if (auto choose = dyn_cast<ChooseOp>(op))
      return largestOption(choose.getBody());
    if (auto residual = dyn_cast<ResidualOp>(op)) {
      FailureOr<uint64_t> body = run(residual.getBodyBlock());
      if (failed(body))
        return failure();
      return capped(*body + 2); // The shortcut's conv and BN or pool.
    }
    if (isa<StageOp, BlockOp>(op))
      return run(op.getRegion(0).front());
    if (auto ref = dyn_cast<CellRefOp>(op)) {
      auto cell = SymbolTable::lookupNearestSymbolFrom<CellOp>(
          &op, ref.getCellAttr());
      return cell ? cellLayers(cell) : FailureOr<uint64_t>(1);
    }
    return 1;
  }

  /// The most layers of the options in `options` (a choose's or an edge's).
  FailureOr<uint64_t> largestOption(Region &options) {
    uint64_t most = 0;
    for (auto option : options.getOps<OptionOp>()) {
      FailureOr<uint64_t> layers = run(option.getBodyBlock());
      if (failed(layers))
        return failure();
      most = std::max(most, *layers);
    }
    return most;
  }

  /// Every edge's largest option, once per cell.
  FailureOr<uint64_t> cellLayers(CellOp cell) {
    auto [it, inserted] = cells.try_emplace(cell.getOperation(), 0);
    if (!inserted)
      return it->second; // Known, or being counted (a cycle, reported elsewhere).
    uint64_t total = 0;
    for (auto edge : cell.getBody().getOps<EdgeOp>()) {
      FailureOr<uint64_t> most = largestOption(edge.getBody());
      if (failed(most))
        return failure();
      total = capped(total + *most);
    }
    cells[cell.getOperation()] = total;
    return total;
  }

  llvm::DenseMap<Operation *, uint64_t> cells;
};

} // namespace

LogicalResult NetworkOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  FailureOr<uint64_t> layers = UnrollCounter().run(getBodyBlock());
  if (failed(layers))
    return failure();
  if (*layers > nasc::kMaxUnrolledLayers)
    return emitOpError() << "unrolls to more than " << nasc::kMaxUnrolledLayers
                         << " layers (docs/language.md, \"Limits\")";
  if (failed(verifySymbolRef<DatasetOp>(*this, getDatasetAttr(), "dataset",
                                        symbolTable)))
    return failure();
  // The last fixed-width fc must produce one output per class.
  auto dataset =
      symbolTable.lookupNearestSymbolFrom<DatasetOp>(*this, getDatasetAttr());
  ChannelChecker::Channels channels;
  if (dataset.getInputShape().size() == 3)
    channels = dataset.getInputShape()[0];
  if (failed(ChannelChecker().run(getBodyBlock(), channels)))
    return failure();
  for (Operation &op : llvm::reverse(getBodyBlock())) {
    auto fc = dyn_cast<FCOp>(op);
    if (!fc)
      continue;
    auto out = dyn_cast_or_null<IntegerAttr>(fc.getOutAttr());
    if (out && out.getInt() != dataset.getNumClassesAttr().getInt())
      return fc.emitOpError()
             << "produces " << out.getInt() << " outputs but dataset @"
             << dataset.getSymName() << " has "
             << dataset.getNumClassesAttr().getInt() << " classes";
    break;
  }
  return success();
}

LogicalResult OptionOp::verify() {
  if (!isa<ChooseOp, EdgeOp>((*this)->getParentOp()))
    return emitOpError() << "must be inside 'nas.choose' or 'nas.edge'";
  if (getBodyBlock().empty())
    return emitOpError() << "'" << getName()
                         << "' is empty; use 'identity' for a skip";
  return verifyLayerBody(*this, getBody());
}

LogicalResult ChooseOp::verify() { return verifyOptions(*this, getBody()); }

LogicalResult RepeatOp::verify() {
  if (failed(verifyIntParam(*this, "count", getCount(), 1)))
    return failure();
  return verifyLayerBody(*this, getBody());
}

LogicalResult StageOp::verify() { return verifyLayerBody(*this, getBody()); }

LogicalResult BlockOp::verify() { return verifyLayerBody(*this, getBody()); }

/// The largest stride any op in `region` (recursively) may take, searched
/// strides included; 1 when every candidate keeps the spatial size.
static int64_t getLargestStride(Region &region) {
  int64_t largest = 1;
  region.walk([&](Operation *op) {
    if (Attribute stride = op->getAttr("stride"))
      for (int64_t value : getIntParamValues(stride))
        largest = std::max(largest, value);
  });
  return largest;
}

LogicalResult ResidualOp::verify() {
  if (failed(verifyLayerBody(*this, getBody())))
    return failure();
  if (getBodyBlock().empty())
    return emitOpError() << "needs a body";
  if (getShortcut() == Shortcut::identity) {
    int64_t stride = getLargestStride(getBody());
    if (stride > 1)
      return emitOpError() << "identity shortcut needs a body that keeps the "
                              "spatial size, but it has stride "
                           << stride << "; use 'projection'";
  }
  return success();
}

LogicalResult CellRefOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifySymbolRef<CellOp>(*this, getCellAttr(), "cell", symbolTable);
}

/// Bounds cell size so edge bookkeeping stays small; NAS cells have < 10.
static constexpr int64_t kMaxCellNodes = 64;

SmallVector<EdgeOp> nasc::nas::getEdgesInOrder(CellOp cell) {
  SmallVector<EdgeOp> edges(cell.getBody().getOps<EdgeOp>());
  llvm::stable_sort(edges, [](EdgeOp a, EdgeOp b) {
    return std::make_pair(a.getTo(), a.getFrom()) <
           std::make_pair(b.getTo(), b.getFrom());
  });
  return edges;
}

int64_t CellOp::getInputSource(int64_t k, size_t precedingLayers) {
  if (k == 0 || precedingLayers == 0)
    return -1;
  if (size_t(k) < precedingLayers)
    return int64_t(precedingLayers) - 1 - k;
  return 0;
}

LogicalResult CellOp::verify() {
  int64_t nodes = getNumNodesAttr().getInt(),
          inputs = getNumInputsAttr().getInt();
  if (inputs < 1)
    return emitOpError() << "needs at least one input node, got " << inputs;
  if (nodes <= inputs)
    return emitOpError() << "has " << nodes << " nodes but " << inputs
                         << " of them are inputs; it needs at least one more";
  if (nodes > kMaxCellNodes)
    return emitOpError() << "has " << nodes << " nodes; cells are limited to "
                         << kMaxCellNodes;
  std::set<std::pair<int64_t, int64_t>> edges;
  SmallVector<bool> hasInput(nodes, false);
  for (Operation &op : getBody().getOps()) {
    auto edge = dyn_cast<EdgeOp>(op);
    if (!edge)
      return op.emitOpError() << "cannot appear in a cell: expected 'nas.edge'";
    int64_t from = edge.getFromAttr().getInt(), to = edge.getToAttr().getInt();
    if (to >= nodes)
      return edge.emitOpError() << "targets node " << to << " but the cell has "
                                << nodes << " nodes (0.." << nodes - 1 << ")";
    if (to < inputs)
      return edge.emitOpError()
             << "targets node " << to << ", which is an input of the cell";
    if (!edges.insert({from, to}).second)
      return edge.emitOpError() << "duplicates edge " << from << " -> " << to;
    hasInput[to] = true;
  }
  for (int64_t node = inputs; node < nodes; ++node)
    if (!hasInput[node])
      return emitOpError() << "node " << node << " has no incoming edge";
  return success();
}

LogicalResult EdgeOp::verify() {
  if (getFromAttr().getInt() < 0)
    return emitOpError() << "starts at negative node "
                         << getFromAttr().getInt();
  if (getFromAttr().getInt() >= getToAttr().getInt())
    return emitOpError() << "goes from node " << getFromAttr().getInt()
                         << " to node " << getToAttr().getInt()
                         << ": edges must go to a later node (the cell is a "
                            "DAG in node order)";
  if (failed(verifyOptions(*this, getBody())))
    return failure();
  int64_t stride = getLargestStride(getBody());
  if (stride > 1)
    return emitOpError() << "has an option with stride " << stride
                         << ", but cell edges must keep the node shape";
  // Nodes sum their edges, so every edge keeps the channel count. Inside a
  // user op's call the widths may change and come back: the analyses check
  // the shape the call produces.
  // Pre-order: a post-order walk reaches the call's ops before the call, and
  // skipping it would then be too late.
  WalkResult setsOut = getBody().walk<WalkOrder::PreOrder>([](Operation *op) {
    if (auto block = dyn_cast<BlockOp>(op); block && block.getScope())
      return WalkResult::skip();
    return op->hasAttr("out") ? WalkResult::interrupt() : WalkResult::advance();
  });
  if (setsOut.wasInterrupted())
    return emitOpError() << "has an option that sets 'out', but cell edges "
                            "must keep the node's channel count";
  return success();
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  if (failed(verifyIntParam(*this, "out", getOutAttr(), 1)) ||
      failed(verifyIntParam(*this, "kernel", getKernelAttr(), 1)) ||
      failed(verifyIntParam(*this, "stride", getStrideAttr(), 1)) ||
      failed(verifyIntParam(*this, "groups", getGroupsAttr(), 1)) ||
      failed(verifyIntParam(*this, "dilation", getDilationAttr(), 1)) ||
      failed(verifyOddKernel(*this, getKernelAttr())))
    return failure();
  if (getOutAttr() && getGroupsAttr())
    for (int64_t out : getIntParamValues(getOutAttr()))
      for (int64_t groups : getIntParamValues(getGroupsAttr()))
        if (out % groups != 0)
          return emitOpError() << "out channels " << out
                               << " are not divisible by groups " << groups;
  return verifyCompression(*this, getWbitsAttr(), getAbitsAttr(),
                           getPruneAttr());
}

LogicalResult SepConvOp::verify() {
  if (failed(verifyIntParam(*this, "out", getOutAttr(), 1)) ||
      failed(verifyIntParam(*this, "kernel", getKernelAttr(), 1)) ||
      failed(verifyIntParam(*this, "stride", getStrideAttr(), 1)) ||
      failed(verifyOddKernel(*this, getKernelAttr())))
    return failure();
  return verifyCompression(*this, getWbitsAttr(), getAbitsAttr(),
                           getPruneAttr());
}

LogicalResult MBConvOp::verify() {
  if (failed(verifyIntParam(*this, "out", getOutAttr(), 1)) ||
      failed(verifyIntParam(*this, "kernel", getKernelAttr(), 1)) ||
      failed(verifyIntParam(*this, "expand", getExpandAttr(), 1)) ||
      failed(verifyIntParam(*this, "stride", getStrideAttr(), 1)) ||
      failed(verifyIntParam(*this, "groups", getGroupsAttr(), 1)) ||
      failed(verifyOddKernel(*this, getKernelAttr())))
    return failure();
  return verifyCompression(*this, getWbitsAttr(), getAbitsAttr(),
                           getPruneAttr());
}

LogicalResult PoolOp::verify() {
  return failure(failed(verifyIntParam(*this, "kernel", getKernelAttr(), 1)) ||
                 failed(verifyIntParam(*this, "stride", getStrideAttr(), 1)));
}

LogicalResult GlobalPoolOp::verify() { return success(); }

LogicalResult FCOp::verify() {
  if (failed(verifyIntParam(*this, "out", getOutAttr(), 1)))
    return failure();
  return verifyCompression(*this, getWbitsAttr(), getAbitsAttr(),
                           getPruneAttr());
}

LogicalResult IdentityOp::verify() {
  return failure(failed(verifyIntParam(*this, "out", getOutAttr(), 1)) ||
                 failed(verifyIntParam(*this, "stride", getStrideAttr(), 1)));
}

LogicalResult ShuffleOp::verify() {
  return verifyIntParam(*this, "groups", getGroupsAttr(), 1);
}

LogicalResult SEOp::verify() {
  return verifyIntParam(*this, "squeeze", getSqueezeAttr(), 1);
}

LogicalResult ZeroOp::verify() { return success(); }
LogicalResult BatchNormOp::verify() { return success(); }
LogicalResult ActOp::verify() { return success(); }

//===----------------------------------------------------------------------===//
// Goals and settings
//===----------------------------------------------------------------------===//

LogicalResult ObjectivesOp::verify() {
  SmallVector<ObjectiveOp> objectives;
  for (Operation &op : getBody().getOps()) {
    auto objective = dyn_cast<ObjectiveOp>(op);
    if (!objective)
      return op.emitOpError() << "cannot appear in 'nas.objectives'";
    objectives.push_back(objective);
  }
  if (objectives.empty())
    return emitOpError() << "needs at least one objective";

  Formulation formulation = getFormulation();
  StringRef name = stringifyFormulation(formulation);
  bool weighted = formulation == Formulation::weighted_sum ||
                  formulation == Formulation::weighted_product;
  std::set<std::pair<uint32_t, std::string>> seen;
  bool stages[3] = {false, false, false};
  for (ObjectiveOp objective : objectives) {
    std::string target =
        objective.getTarget() ? objective.getTarget()->str() : "";
    if (!seen.insert({static_cast<uint32_t>(objective.getMetric()), target})
             .second)
      return objective.emitOpError()
             << "repeats metric '" << stringifyMetric(objective.getMetric())
             << "'" << (target.empty() ? "" : " on @" + target);
    if (weighted && !objective.getWeight())
      return objective.emitOpError()
             << "needs a weight in a '" << name << "' formulation";
    if (!weighted && objective.getWeight())
      return objective.emitOpError()
             << "has a weight, but the formulation '" << name
             << "' does not combine objectives by weight";
    if (formulation == Formulation::two_stage) {
      // Children verify after their parent: check the range here too.
      IntegerAttr stage = objective.getStageAttr();
      if (!stage || stage.getInt() < 1 || stage.getInt() > 2)
        return objective.emitOpError()
               << "needs 'stage 1' or 'stage 2' in a 'two_stage' formulation";
      stages[stage.getInt()] = true;
    } else if (objective.getStage()) {
      return objective.emitOpError()
             << "has a stage, but the formulation is '" << name << "'";
    }
  }
  size_t count = objectives.size();
  switch (formulation) {
  case Formulation::single:
  case Formulation::constrained:
    if (count != 1)
      return emitOpError() << "'" << name
                           << "' formulation optimizes exactly one objective, "
                              "got "
                           << count;
    break;
  case Formulation::weighted_sum:
  case Formulation::weighted_product:
  case Formulation::pareto:
    if (count < 2)
      return emitOpError() << "'" << name
                           << "' formulation needs at least two objectives";
    break;
  case Formulation::two_stage:
    if (!stages[1] || !stages[2])
      return emitOpError() << "'two_stage' formulation needs objectives in "
                              "both stage 1 and stage 2";
    break;
  }
  return success();
}

LogicalResult ObjectiveOp::verify() {
  if (auto weight = getWeightAttr(); weight && weight.getValueAsDouble() <= 0)
    return emitOpError() << "weight must be positive, got "
                         << formatNumber(weight.getValueAsDouble());
  return verifyMetricTarget(*this, getMetric(), getTargetAttr());
}

LogicalResult
ObjectiveOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifySymbolRef<TargetOp>(*this, getTargetAttr(), "target",
                                   symbolTable);
}

LogicalResult ConstraintOp::verify() {
  if (failed(verifyMetricTarget(*this, getMetric(), getTargetAttr())))
    return failure();
  QuantityAttr bound = getBound();
  Dimension dimension = lookupUnit(bound.getUnit().getValue())->dimension;
  if (!isDimensionValidFor(getMetric(), dimension)) {
    Dimension expected = getMetricDimension(getMetric());
    return emitOpError() << "bound on '" << stringifyMetric(getMetric())
                         << "' must be a " << getDimensionName(expected) << " ("
                         << getDimensionUnits(expected) << "), but '"
                         << bound.getUnit().getValue() << "' is "
                         << getDimensionName(dimension);
  }
  double base = bound.getBaseValue();
  if (base < 0)
    return emitOpError() << "bound must not be negative";
  if (getMetric() == Metric::accuracy && base > 1.0)
    return emitOpError() << "accuracy bound " << formatNumber(base)
                         << " is above 1 (write 0.9 or 90 %)";
  return success();
}

LogicalResult
ConstraintOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifySymbolRef<TargetOp>(*this, getTargetAttr(), "target",
                                   symbolTable);
}

LogicalResult CompressOp::verify() {
  return verifyCompression(*this, getWbitsAttr(), getAbitsAttr(),
                           getPruneAttr());
}

/// Checks a settings dictionary against its schema.
static LogicalResult verifyParams(Operation *op, DictionaryAttr params,
                                  ArrayRef<PropertySpec> specs,
                                  StringRef owner) {
  if (!params)
    return success();
  for (NamedAttribute param : params) {
    const PropertySpec *spec = findProperty(specs, param.getName().getValue());
    if (!spec)
      return op->emitOpError()
             << "unknown parameter '" << param.getName().getValue() << "' for "
             << owner << "; expected one of " << listPropertyNames(specs);
    std::string error = checkPropertyValue(*spec, param.getValue());
    if (!error.empty())
      return op->emitOpError() << error;
  }
  return success();
}

LogicalResult SearchOp::verify() {
  if (auto budget = getBudgetAttr(); budget && budget.getInt() < 1)
    return emitOpError() << "budget must be at least 1, got "
                         << budget.getInt();
  if (auto seed = getSeedAttr(); seed && seed.getInt() < 0)
    return emitOpError() << "seed must not be negative, got " << seed.getInt();
  std::string owner =
      ("strategy '" + stringifyStrategy(getStrategy()) + "'").str();
  return verifyParams(*this, getParamsAttr(), getStrategyParams(getStrategy()),
                      owner);
}

LogicalResult EvaluateOp::verify() {
  DictionaryAttr params = getParamsAttr();
  if (failed(
          verifyParams(*this, params, getEvaluationParams(), "the evaluation")))
    return failure();
  auto getInt = [&](StringRef key) -> std::optional<int64_t> {
    if (auto value = params ? params.getAs<IntegerAttr>(key) : IntegerAttr())
      return value.getInt();
    return std::nullopt;
  };
  for (StringRef key : {"epochs", "batch_size", "threads"})
    if (auto value = getInt(key); value && *value < 1)
      return emitOpError() << "'" << key << "' must be at least 1, got "
                           << *value;
  if (auto patience = getInt("patience"); patience && *patience < 0)
    return emitOpError() << "'patience' must not be negative";
  if (params)
    if (auto fraction = params.getAs<FloatAttr>("proxy_fraction")) {
      double f = fraction.getValueAsDouble();
      if (f <= 0.0 || f > 1.0)
        return emitOpError()
               << "'proxy_fraction' must be in (0, 1], got " << formatNumber(f);
    }
  auto require = [&](StringRef key) -> LogicalResult {
    if (!params || !params.get(key))
      return emitOpError() << "method '" << stringifyEvalMethod(getMethod())
                           << "' needs '" << key << "'";
    return success();
  };
  if (getMethod() == EvalMethod::table)
    return require("table");
  if (getMethod() == EvalMethod::zero_cost)
    return require("proxy");
  return success();
}

#define GET_OP_CLASSES
#include "nasc/Dialect/NAS/IR/NASOps.cpp.inc"

int64_t nasc::nas::getBitWidth(Operation *op, StringRef name,
                               CompressOp compress) {
  Attribute value = op->getAttr(name);
  if (!value && compress && isa<ConvOp, SepConvOp, MBConvOp, FCOp>(op))
    value = compress->getAttr(name);
  auto fixed = dyn_cast_or_null<IntegerAttr>(value);
  return fixed ? fixed.getInt() : 32;
}
