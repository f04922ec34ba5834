//===- Space.cpp - The decision tree of a nas.spec ------------------------===//

#include "nasc/Space/Space.h"
#include "nasc/Support/Limits.h"

#include "SpaceWalk.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using llvm::DynamicAPInt;

/// Ranges longer than this are not enumerated value by value.
static constexpr uint64_t kMaxOutcomes = 1u << 20;

std::string nasc::toString(const DynamicAPInt &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

uint64_t Random::next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Random::below(uint64_t bound) {
  // Rejection keeps every value equally likely.
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t value;
  do
    value = next();
  while (value >= limit);
  return value % bound;
}

DynamicAPInt Random::below(const DynamicAPInt &bound) {
  // Rejection sampling over the smallest power of two >= bound: uniform,
  // and the same draws on every machine.
  unsigned bits = 0;
  for (DynamicAPInt rest = bound - 1; rest > 0; rest /= 2)
    ++bits;
  while (true) {
    DynamicAPInt value(0);
    for (unsigned done = 0; done < bits; done += 32) {
      unsigned take = std::min(32u, bits - done);
      value = value * DynamicAPInt(int64_t(1) << take) +
              DynamicAPInt(int64_t(next() & ((uint64_t(1) << take) - 1)));
    }
    if (value < bound)
      return value;
  }
}

//===----------------------------------------------------------------------===//
// Building the tree
//===----------------------------------------------------------------------===//

namespace {

/// Walks the IR in the documented order and builds the decisions.
class TreeBuilder {
public:
  explicit TreeBuilder(CompressOp compress) : compress(compress) {}

  LogicalResult collectBlock(Block &body, StringRef scope, StringRef reps,
                             DecisionSeq &out);
  LogicalResult collectEdge(CellOp cell, EdgeOp edge, DecisionSeq &out);
  void collectTunables(TargetOp target, DecisionSeq &out);
  /// The dataset's searched resolution, if any.
  LogicalResult collectResolution(DatasetOp dataset, DecisionSeq &out);

private:
  CompressOp compress;
  /// Column names by decision position (op, attribute, repetitions), so a
  /// decision reached under several outcomes keeps one column.
  std::map<std::tuple<Operation *, std::string, std::string>, std::string>
      columns;
  llvm::StringMap<unsigned> columnCount;

  std::string column(Operation *op, StringRef attr, StringRef reps,
                     std::string name);
  LogicalResult collectLayer(Operation &op, StringRef scope, StringRef reps,
                             DecisionSeq &out);
  LogicalResult valueDecision(Decision &decision, Attribute param,
                              Operation *op, StringRef what);
  static void sizeOf(Decision &decision);
};

} // namespace

static std::string join(StringRef scope, StringRef name) {
  return scope.empty() ? name.str() : (scope + "/" + name).str();
}

/// The product of the decisions' sizes, multiplied pairwise in a balanced
/// tree. DynamicAPInt multiplies at the wider operand's width, so a running
/// product of n factors costs O(n) words for every factor once it outgrows
/// 64 bits, O(n^3) word multiplications in all (seconds for a `repeat
/// 30000 { choose ... }`); the tree's last step dominates instead.
static DynamicAPInt sizeOf(const DecisionSeq &seq) {
  std::vector<DynamicAPInt> factors;
  factors.reserve(seq.size());
  for (const Decision &decision : seq)
    factors.push_back(decision.size);
  if (factors.empty())
    return DynamicAPInt(1);
  while (factors.size() > 1) {
    std::vector<DynamicAPInt> products;
    products.reserve((factors.size() + 1) / 2);
    for (size_t i = 0; i + 1 < factors.size(); i += 2)
      products.push_back(factors[i] * factors[i + 1]);
    if (factors.size() % 2)
      products.push_back(std::move(factors.back()));
    factors = std::move(products);
  }
  return std::move(factors.front());
}

void TreeBuilder::sizeOf(Decision &decision) {
  decision.size = DynamicAPInt(0);
  decision.outcomeSizes.clear();
  for (size_t i = 0; i < decision.numOutcomes(); ++i) {
    decision.outcomeSizes.push_back(
        decision.below.empty() ? DynamicAPInt(1) : ::sizeOf(decision.below[i]));
    decision.size += decision.outcomeSizes.back();
  }
  decision.uniform = llvm::all_equal(decision.outcomeSizes);
}

std::string TreeBuilder::column(Operation *op, StringRef attr, StringRef reps,
                                std::string name) {
  auto key = std::make_tuple(op, attr.str(), reps.str());
  auto it = columns.find(key);
  if (it != columns.end())
    return it->second;
  unsigned seen = columnCount[name]++;
  if (seen)
    name += "#" + std::to_string(seen + 1);
  columns[key] = name;
  return name;
}

LogicalResult TreeBuilder::valueDecision(Decision &decision, Attribute param,
                                         Operation *op, StringRef what) {
  if (auto range = dyn_cast<RangeAttr>(param);
      range && range.size() > kMaxOutcomes)
    return op->emitError() << "'" << what << "' ranges over " << range.size()
                           << " values; at most " << kMaxOutcomes
                           << " can be enumerated";
  decision.values = walk::getValues(param);
  for (Attribute value : decision.values)
    decision.labels.push_back(walk::getValueToken(value));
  return success();
}

LogicalResult TreeBuilder::collectBlock(Block &body, StringRef scope,
                                        StringRef reps, DecisionSeq &out) {
  for (Operation &op : body)
    if (failed(collectLayer(op, scope, reps, out)))
      return failure();
  return success();
}

LogicalResult TreeBuilder::collectLayer(Operation &op, StringRef scope,
                                        StringRef reps, DecisionSeq &out) {
  if (auto choose = dyn_cast<ChooseOp>(op)) {
    std::string name = join(scope, choose.getName().value_or("choose"));
    Decision decision{Decision::Kind::Option, &op};
    decision.column = column(&op, "", reps, name + reps.str());
    for (auto option : choose.getBody().getOps<OptionOp>()) {
      decision.labels.push_back(option.getName().str());
      decision.below.emplace_back();
      if (failed(collectBlock(option.getBodyBlock(),
                              join(name, option.getName()), reps,
                              decision.below.back())))
        return failure();
    }
    sizeOf(decision);
    out.push_back(std::move(decision));
    return success();
  }

  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    std::string name = join(scope, "repeat");
    // The body once per repetition (once if shared), each repetition with
    // columns of its own.
    auto bodyFor = [&](int64_t count, DecisionSeq &seq) -> LogicalResult {
      int64_t times = count <= 0 ? 0 : repeat.getShared() ? 1 : count;
      for (int64_t r = 0; r < times; ++r) {
        std::string rep = repeat.getShared()
                              ? reps.str()
                              : (reps + "[" + Twine(r) + "]").str();
        if (failed(collectBlock(repeat.getBodyBlock(), name, rep, seq)))
          return failure();
      }
      return success();
    };
    Attribute count = repeat.getCount();
    if (!walk::isSearched(count))
      return bodyFor(cast<IntegerAttr>(count).getInt(), out);
    Decision decision{Decision::Kind::Count, &op, "count"};
    decision.column = column(&op, "count", reps, name + reps.str());
    if (failed(valueDecision(decision, count, &op, "count")))
      return failure();
    for (Attribute value : decision.values) {
      decision.below.emplace_back();
      if (failed(bodyFor(cast<IntegerAttr>(value).getInt(),
                         decision.below.back())))
        return failure();
    }
    sizeOf(decision);
    out.push_back(std::move(decision));
    return success();
  }

  if (isa<CellRefOp>(op))
    return success();

  // Searched hyper-parameters, then nested layers.
  auto label = op.getAttrOfType<StringAttr>("name");
  std::string opName =
      join(scope, label ? label.getValue() : op.getName().stripDialect());
  for (auto &[attr, param] : walk::getParams(&op, compress)) {
    if (!walk::isSearched(param))
      continue;
    Decision decision{Decision::Kind::Param, &op, attr};
    decision.column = column(&op, attr, reps, opName + "." + attr + reps.str());
    if (failed(valueDecision(decision, param, &op, attr)))
      return failure();
    sizeOf(decision);
    out.push_back(std::move(decision));
  }
  for (Region &region : op.getRegions())
    for (Block &block : region)
      if (failed(collectBlock(block, op.getNumRegions() ? opName : scope, reps,
                              out)))
        return failure();
  return success();
}

LogicalResult TreeBuilder::collectEdge(CellOp cell, EdgeOp edge,
                                       DecisionSeq &out) {
  std::string name = (cell.getSymName() + "/" + Twine(edge.getFrom()) + "->" +
                      Twine(edge.getTo()))
                         .str();
  Decision decision{Decision::Kind::Option, edge};
  decision.column = column(edge, "", "", name);
  for (auto option : edge.getBody().getOps<OptionOp>()) {
    decision.labels.push_back(option.getName().str());
    decision.below.emplace_back();
    if (failed(collectBlock(option.getBodyBlock(), join(name, option.getName()),
                            "", decision.below.back())))
      return failure();
  }
  sizeOf(decision);
  out.push_back(std::move(decision));
  return success();
}

void TreeBuilder::collectTunables(TargetOp target, DecisionSeq &out) {
  DictionaryAttr tunables = target.getTunablesAttr();
  if (!tunables)
    return;
  for (NamedAttribute tunable : tunables) {
    Decision decision{Decision::Kind::Tunable, target, tunable.getName().str()};
    decision.column =
        column(target, decision.attrName, "",
               (target.getSymName() + "." + decision.attrName).str());
    // Tunable ranges are bounded like parameters.
    if (failed(valueDecision(decision, tunable.getValue(), target,
                             decision.attrName)))
      continue;
    sizeOf(decision);
    out.push_back(std::move(decision));
  }
}

LogicalResult TreeBuilder::collectResolution(DatasetOp dataset,
                                             DecisionSeq &out) {
  Attribute sides = dataset.getResolutionAttr();
  if (!sides || !walk::isSearched(sides))
    return success();
  Decision decision{Decision::Kind::Resolution, dataset, "resolution"};
  decision.column = column(dataset, "resolution", "", "resolution");
  if (auto range = dyn_cast<RangeAttr>(sides);
      range && range.size() > kMaxResolutions)
    return dataset.emitError()
           << "'resolution' ranges over " << range.size()
           << " values; at most " << kMaxResolutions
           << " (docs/language.md, \"Limits\")";
  if (failed(valueDecision(decision, sides, dataset, "resolution")))
    return failure();
  sizeOf(decision);
  out.push_back(std::move(decision));
  return success();
}

FailureOr<Space> Space::build(SpecOp spec) {
  Space space(spec);
  TreeBuilder builder(walk::getCompress(spec));
  space.cells = walk::getUsedCells(spec);
  for (CellOp cell : space.cells) {
    DecisionSeq &seq = space.parts.emplace_back();
    for (EdgeOp edge : getEdgesInOrder(cell))
      if (failed(builder.collectEdge(cell, edge, seq)))
        return failure();
  }
  if (failed(builder.collectBlock(spec.getNetwork().getBodyBlock(), "", "",
                                  space.parts.emplace_back())))
    return failure();
  DecisionSeq &tunables = space.parts.emplace_back();
  for (TargetOp target : spec.getBodyBlock().getOps<TargetOp>())
    builder.collectTunables(target, tunables);
  DecisionSeq &resolution = space.parts.emplace_back();
  if (DatasetOp dataset = space.getDataset())
    if (failed(builder.collectResolution(dataset, resolution)))
      return failure();
  space.total = DynamicAPInt(1);
  for (const DecisionSeq &seq : space.parts)
    space.total *= sizeOf(seq);
  return space;
}

DatasetOp Space::getDataset() const {
  SpecOp specOp = spec;
  NetworkOp network = specOp.getNetwork();
  for (DatasetOp dataset : specOp.getBodyBlock().getOps<DatasetOp>())
    if (dataset.getSymName() == network.getDataset())
      return dataset;
  return {};
}

TensorShape Space::getInputShape(const Candidate &candidate) const {
  DatasetOp dataset = getDataset();
  ArrayRef<int64_t> dims = dataset.getInputShape();
  if (dims.size() != 3)
    return TensorShape::flat(dims[0]);
  int64_t height = dims[1], width = dims[2];
  if (Attribute sides = dataset.getResolutionAttr()) {
    Attribute side = sides;
    if (!getResolutionDecisions().empty())
      side = getResolutionDecisions().front().values[candidate.outcomes.back()];
    height = width = cast<IntegerAttr>(side).getInt();
  }
  return TensorShape::image(dims[0], height, width);
}

//===----------------------------------------------------------------------===//
// Walking candidates
//===----------------------------------------------------------------------===//

static void collectAll(const DecisionSeq &seq,
                       std::vector<const Decision *> &out,
                       llvm::StringSet<> &seen) {
  for (const Decision &decision : seq) {
    if (seen.insert(decision.column).second)
      out.push_back(&decision);
    for (const DecisionSeq &below : decision.below)
      collectAll(below, out, seen);
  }
}

static uint64_t maxTaken(const DecisionSeq &seq) {
  uint64_t total = 0;
  for (const Decision &decision : seq) {
    uint64_t richest = 0;
    for (const DecisionSeq &below : decision.below)
      richest = std::max(richest, maxTaken(below));
    total += 1 + richest;
  }
  return total;
}

uint64_t Space::getMaxDecisionsPerCandidate() const {
  uint64_t total = 0;
  for (const DecisionSeq &seq : parts)
    total += maxTaken(seq);
  return total;
}

std::vector<const Decision *> Space::getAllDecisions() const {
  std::vector<const Decision *> all;
  llvm::StringSet<> seen;
  for (const DecisionSeq &seq : parts)
    collectAll(seq, all, seen);
  return all;
}

/// The outcome holding `index` in `decision`'s subtree, then the rest below.
static void unrankDecision(const Decision &decision, DynamicAPInt index,
                           std::vector<uint32_t> &out) {
  for (uint32_t i = 0; i < decision.numOutcomes(); ++i) {
    const DynamicAPInt &size = decision.outcomeSizes[i];
    if (index < size) {
      out.push_back(i);
      if (!decision.below.empty())
        walk::unrankTokens(decision.below[i], index, out);
      return;
    }
    index -= size;
  }
  llvm_unreachable("index beyond the decision's size");
}

/// The digit of `index` in radix `size`, and `index` divided by it. A
/// DynamicAPInt that was once large stays large whatever its value: an
/// index below the radix is taken as it is, so that a small index (the
/// first rows of a table) never enters the slow arithmetic.
static DynamicAPInt takeDigit(DynamicAPInt &index, const DynamicAPInt &size) {
  if (index < size) {
    DynamicAPInt digit = std::move(index);
    index = DynamicAPInt(0);
    return digit;
  }
  DynamicAPInt digit = index % size;
  index /= size;
  return digit;
}

/// Mixed radix over the sequence, the last decision varying fastest.
void walk::unrankTokens(ArrayRef<Decision> seq, DynamicAPInt index,
                        std::vector<uint32_t> &out) {
  std::vector<DynamicAPInt> digits(seq.size());
  for (size_t k = seq.size(); k-- > 0;)
    digits[k] = takeDigit(index, seq[k].size);
  for (size_t k = 0; k < seq.size(); ++k)
    unrankDecision(seq[k], digits[k], out);
}

Candidate Space::unrank(DynamicAPInt index) const {
  Candidate candidate;
  std::vector<DynamicAPInt> digits(parts.size());
  for (size_t k = parts.size(); k-- > 0;)
    digits[k] = takeDigit(index, sizeOf(parts[k]));
  for (size_t k = 0; k < parts.size(); ++k)
    walk::unrankTokens(parts[k], digits[k], candidate.outcomes);
  return candidate;
}

/// Draws the outcomes of `seq` uniformly among its candidates: decisions in
/// a sequence are independent, and an outcome is taken with probability
/// proportional to the candidates below it.
static void sampleSeq(const DecisionSeq &seq, Random &random,
                      std::vector<uint32_t> &out) {
  for (const Decision &decision : seq) {
    uint32_t outcome;
    if (decision.uniform) {
      outcome = uint32_t(random.below(uint64_t(decision.numOutcomes())));
    } else {
      DynamicAPInt index = random.below(decision.size);
      for (outcome = 0; index >= decision.outcomeSizes[outcome]; ++outcome)
        index -= decision.outcomeSizes[outcome];
    }
    out.push_back(outcome);
    if (!decision.below.empty())
      sampleSeq(decision.below[outcome], random, out);
  }
}

Candidate Space::sample(Random &random) const {
  Candidate candidate;
  for (const DecisionSeq &seq : parts)
    sampleSeq(seq, random, candidate.outcomes);
  return candidate;
}

//===----------------------------------------------------------------------===//
// Network layers
//===----------------------------------------------------------------------===//

/// How many decisions TreeBuilder::collectLayer adds to its sequence for
/// `op` (those below an outcome not counted).
static size_t countDecisions(Operation &op, CompressOp compress) {
  if (isa<ChooseOp>(op))
    return 1;
  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    Attribute count = repeat.getCount();
    if (walk::isSearched(count))
      return 1;
    int64_t n = cast<IntegerAttr>(count).getInt();
    int64_t times = n <= 0 ? 0 : repeat.getShared() ? 1 : n;
    size_t body = 0;
    for (Operation &inner : repeat.getBodyBlock())
      body += countDecisions(inner, compress);
    return size_t(times) * body;
  }
  if (isa<CellRefOp>(op))
    return 0;
  size_t n = llvm::count_if(walk::getParams(&op, compress), [](auto &param) {
    return walk::isSearched(param.second);
  });
  for (Region &region : op.getRegions())
    for (Block &block : region)
      for (Operation &inner : block)
        n += countDecisions(inner, compress);
  return n;
}

static void unrollLayers(Block &body, SmallVectorImpl<Operation *> &out) {
  for (Operation &op : body) {
    if (auto stage = dyn_cast<StageOp>(op)) {
      unrollLayers(stage.getBodyBlock(), out);
      continue;
    }
    if (auto repeat = dyn_cast<RepeatOp>(op);
        repeat && !repeat.getShared() && !walk::isSearched(repeat.getCount())) {
      for (int64_t r = 0, e = cast<IntegerAttr>(repeat.getCount()).getInt();
           r < e; ++r)
        unrollLayers(repeat.getBodyBlock(), out);
      continue;
    }
    out.push_back(&op);
  }
}

std::vector<Space::LayerDecisions> Space::getNetworkLayers() const {
  SpecOp spec = this->spec;
  SmallVector<Operation *> layers;
  unrollLayers(spec.getNetwork().getBodyBlock(), layers);
  CompressOp compress = walk::getCompress(spec);
  ArrayRef<Decision> all = getNetworkDecisions();
  std::vector<LayerDecisions> result;
  size_t pos = 0;
  for (Operation *layer : layers) {
    size_t n = countDecisions(*layer, compress);
    result.push_back({layer, all.slice(pos, n)});
    pos += n;
  }
  assert(pos == all.size() && "layers and decisions out of step");
  return result;
}

//===----------------------------------------------------------------------===//
// DecisionCursor
//===----------------------------------------------------------------------===//

DecisionCursor::DecisionCursor(ArrayRef<ArrayRef<Decision>> roots,
                               ArrayRef<uint32_t> outcomes)
    : outcomes(outcomes) {
  for (ArrayRef<Decision> root : llvm::reverse(roots))
    if (!root.empty())
      stack.push_back({root.data(), root.data() + root.size()});
}

const Decision *DecisionCursor::peek() {
  while (!stack.empty() && stack.back().next == stack.back().end)
    stack.pop_back();
  return stack.empty() ? nullptr : stack.back().next;
}

std::pair<const Decision *, uint32_t> DecisionCursor::take() {
  const Decision *decision = peek();
  assert(decision && pos < outcomes.size() && "no decision left");
  ++stack.back().next;
  uint32_t outcome = outcomes[pos++];
  if (!decision->below.empty()) {
    const DecisionSeq &below = decision->below[outcome];
    if (!below.empty())
      stack.push_back({below.data(), below.data() + below.size()});
  }
  return {decision, outcome};
}

void DecisionCursor::skipBelow(size_t depth) {
  while (stack.size() > depth) {
    if (stack.back().next == stack.back().end)
      stack.pop_back();
    else
      take();
  }
}

void nasc::unrankOutcomes(ArrayRef<Decision> seq, DynamicAPInt index,
                          std::vector<uint32_t> &outcomes) {
  walk::unrankTokens(seq, std::move(index), outcomes);
}

size_t nasc::skipOutcomes(ArrayRef<Decision> seq, ArrayRef<uint32_t> outcomes,
                          size_t pos) {
  for (const Decision &decision : seq) {
    uint32_t outcome = outcomes[pos++];
    if (!decision.below.empty())
      pos = skipOutcomes(decision.below[outcome], outcomes, pos);
  }
  return pos;
}

//===----------------------------------------------------------------------===//
// Variation
//===----------------------------------------------------------------------===//

namespace {
/// Mutation of one candidate (Space::mutate).
struct Mutator {
  Random &random;
  uint64_t threshold; // a decision changes when next() < threshold
  int64_t forced;     // the mutable decision that changes anyway (countdown)
  std::vector<uint32_t> out;

  size_t run(const DecisionSeq &seq, ArrayRef<uint32_t> in, size_t pos) {
    for (const Decision &decision : seq) {
      uint32_t outcome = in[pos++];
      bool change = false;
      if (decision.numOutcomes() > 1) {
        bool draw = random.next() < threshold;
        change = forced-- == 0 || draw;
      }
      if (!change) {
        out.push_back(outcome);
        if (!decision.below.empty())
          pos = run(decision.below[outcome], in, pos);
        continue;
      }
      uint32_t other =
          uint32_t(random.below(uint64_t(decision.numOutcomes() - 1)));
      if (other >= outcome)
        ++other;
      out.push_back(other);
      if (!decision.below.empty()) {
        pos = skipOutcomes(decision.below[outcome], in, pos);
        sampleSeq(decision.below[other], random, out);
      }
    }
    return pos;
  }
};

/// Crossover of two candidates (Space::crossover).
struct Crosser {
  Random &random;
  ArrayRef<uint32_t> a, b;
  std::vector<uint32_t> out;

  void run(const DecisionSeq &seq, size_t &pa, size_t &pb) {
    for (const Decision &decision : seq) {
      uint32_t oa = a[pa++], ob = b[pb++];
      if (oa == ob) {
        out.push_back(oa);
        if (!decision.below.empty())
          run(decision.below[oa], pa, pb);
        continue;
      }
      bool fromA = random.next() & 1;
      out.push_back(fromA ? oa : ob);
      if (decision.below.empty())
        continue;
      size_t endA = skipOutcomes(decision.below[oa], a, pa);
      size_t endB = skipOutcomes(decision.below[ob], b, pb);
      if (fromA)
        out.insert(out.end(), a.begin() + pa, a.begin() + endA);
      else
        out.insert(out.end(), b.begin() + pb, b.begin() + endB);
      pa = endA;
      pb = endB;
    }
  }
};
} // namespace

Candidate Space::mutate(const Candidate &parent, Random &random,
                        double rate) const {
  int64_t mutable_ = 0;
  forEachOutcome(parent, [&](const Decision &decision, uint32_t) {
    mutable_ += decision.numOutcomes() > 1;
  });
  if (mutable_ == 0)
    return parent;
  double clamped = std::min(1.0, std::max(0.0, rate));
  Mutator mutator{random,
                  clamped >= 1.0 ? UINT64_MAX
                                 : uint64_t(clamped * 18446744073709551616.0),
                  int64_t(random.below(uint64_t(mutable_))),
                  {}};
  size_t pos = 0;
  for (const DecisionSeq &seq : parts)
    pos = mutator.run(seq, parent.outcomes, pos);
  return Candidate{std::move(mutator.out)};
}

Candidate Space::crossover(const Candidate &a, const Candidate &b,
                           Random &random) const {
  Crosser crosser{random, a.outcomes, b.outcomes, {}};
  size_t pa = 0, pb = 0;
  for (const DecisionSeq &seq : parts)
    crosser.run(seq, pa, pb);
  return Candidate{std::move(crosser.out)};
}

static size_t
forEachInSeq(const DecisionSeq &seq, const Candidate &candidate, size_t pos,
             llvm::function_ref<void(const Decision &, uint32_t)> fn) {
  for (const Decision &decision : seq) {
    uint32_t outcome = candidate.outcomes[pos++];
    fn(decision, outcome);
    if (!decision.below.empty())
      pos = forEachInSeq(decision.below[outcome], candidate, pos, fn);
  }
  return pos;
}

void Space::forEachOutcome(
    const Candidate &candidate,
    llvm::function_ref<void(const Decision &, uint32_t)> fn) const {
  size_t pos = 0;
  for (const DecisionSeq &seq : parts)
    pos = forEachInSeq(seq, candidate, pos, fn);
}
