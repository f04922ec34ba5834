//===- Engine.cpp - The engines of an FPGA design -------------------------===//

#include "nasc/Target/FPGA/Engine.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstdlib>

using namespace nasc;
using namespace nasc::fpga;

llvm::StringRef fpga::stringifyDesignTemplate(DesignTemplate kind) {
  return kind == DesignTemplate::Folded ? "folded" : "dataflow";
}

std::optional<DesignTemplate>
fpga::symbolizeDesignTemplate(llvm::StringRef name) {
  if (name == "folded")
    return DesignTemplate::Folded;
  if (name == "dataflow")
    return DesignTemplate::Dataflow;
  return std::nullopt;
}

namespace {

EngineKind getEngineKind(IntOpKind kind) {
  switch (kind) {
  case IntOpKind::Conv:
    return KConv;
  case IntOpKind::MaxPool:
    return KMax;
  case IntOpKind::AvgPool:
    return KAvg;
  case IntOpKind::Add:
    return KAdd;
  case IntOpKind::Copy:
    return KCopy;
  case IntOpKind::HardSwish:
    return KHardSwish;
  case IntOpKind::Scale:
    return KScale;
  }
  llvm_unreachable("unknown layer kind");
}

/// Whether the engine computes each output of `kind` from two terms: an
/// addition's two inputs; the channel scaling's gate then its input.
bool hasTwoTerms(IntOpKind kind) {
  return kind == IntOpKind::Add || kind == IntOpKind::Scale;
}

/// A layer's start, its terms and its drain (getEngineLatency).
int64_t getLayerCycles(const ProgramEntry &e, int64_t pe) {
  return e.outc / e.lanes * e.outh * e.outw * e.terms + 7 + pe;
}

} // namespace

llvm::ArrayRef<Requant> fpga::getRequantWords(const IntOp &op) {
  llvm::ArrayRef<Requant> words = op.requant;
  return op.kind == IntOpKind::Add ? words.take_front(1) : words;
}

int64_t RequantThresholds::apply(int32_t acc) const {
  int64_t x = negate ? -int64_t(acc) : int64_t(acc);
  int64_t level = lo;
  for (int64_t t : thresholds)
    level += x >= t;
  return level;
}

std::optional<RequantThresholds> RequantThresholds::from(const Requant &r) {
  if (r.hi - r.lo + 1 > kMaxLevels)
    return std::nullopt;
  RequantThresholds result;
  result.lo = r.lo;
  // Requant::apply is monotone in the sum: non-decreasing for a multiplier
  // of 0 or more, else non-increasing, so non-decreasing in x.
  result.negate = r.multiplier < 0;
  int64_t first = result.negate ? -int64_t(INT32_MAX) : int64_t(INT32_MIN);
  int64_t last = result.negate ? -int64_t(INT32_MIN) : int64_t(INT32_MAX);
  auto level = [&](int64_t x) { return r.apply(result.negate ? -x : x); };
  for (int64_t k = 1; k <= r.hi - r.lo; ++k) {
    int64_t target = r.lo + k;
    if (level(last) < target)
      continue; // kNever
    // The least x whose level reaches `target`.
    int64_t below = first - 1, at = last;
    while (at - below > 1) {
      int64_t mid = below + (at - below) / 2;
      (level(mid) >= target ? at : below) = mid;
    }
    result.thresholds[k - 1] = at;
  }
  return result;
}

std::vector<ProgramEntry> fpga::getProgram(const IntegerNetwork &net,
                                           int64_t pe) {
  std::vector<ProgramEntry> program;
  int64_t wbase = 0, rqbase = 0;
  for (const IntOp &op : net.ops) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    ProgramEntry e{};
    e.kind = getEngineKind(op.kind);
    e.in0 = in.address + op.inChannelOffset * in.height * in.width;
    e.in1 = op.secondInput >= 0 ? net.tensors[op.secondInput].address : 0;
    e.out = out.address + op.outChannelOffset * in.height * in.width;
    e.inh = in.height;
    e.inw = in.width;
    e.kh = op.kernelH;
    e.kw = op.kernelW;
    e.stride = op.stride;
    e.padt = op.padTop;
    e.padl = op.padLeft;
    e.wbase = wbase;
    e.rqbase = rqbase;
    if (op.kind == IntOpKind::Conv) {
      e.cinpg = in.channels / op.groups;
      int64_t perGroup = out.channels / op.groups;
      e.outc = out.channels;
      e.outh = out.height;
      e.outw = out.width;
      e.terms = e.cinpg * e.kh * e.kw;
      e.lanes = perGroup % pe == 0 && e.terms >= pe ? pe : 1;
      e.blocks = perGroup / e.lanes;
    } else {
      // One input channel per output channel.
      e.cinpg = e.blocks = e.lanes = 1;
      e.outc =
          op.kind == IntOpKind::Copy ? getCopiedChannels(op, in) : in.channels;
      bool window =
          op.kind == IntOpKind::MaxPool || op.kind == IntOpKind::AvgPool;
      e.outh = window ? out.height : in.height;
      e.outw = window ? out.width : in.width;
      e.terms = hasTwoTerms(op.kind) ? 2 : e.kh * e.kw;
    }
    if (op.kind == IntOpKind::Add) {
      e.coef0 = op.requant[1].multiplier;
      e.coef1 = op.requant[2].multiplier;
    } else if (op.kind == IntOpKind::HardSwish) {
      e.coef0 = op.offsetLevel;
      e.coef1 = op.capLevel;
    }
    e.plane = e.inh * e.inw;
    e.rowstep = e.stride * e.inw;
    e.groupstep = e.cinpg * e.plane;
    e.rowstart = -e.padt * e.inw;
    e.outplane = e.outh * e.outw;
    // A copy's channels land outChannelStride planes apart.
    e.blockskip = (e.lanes - 1 + op.outChannelStride - 1) * e.outplane;
    // Weight words: a block's terms, each word a weight per lane.
    wbase += int64_t(op.weights.size()) / e.lanes;
    rqbase += int64_t(getRequantWords(op).size());
    program.push_back(e);
  }
  return program;
}

int64_t fpga::getComputeCycles(const ProgramEntry &e) {
  return e.outc / e.lanes * e.outh * e.outw * e.terms;
}

int64_t fpga::getComputeCycles(const std::vector<ProgramEntry> &program) {
  int64_t cycles = 0;
  for (const ProgramEntry &e : program)
    cycles += getComputeCycles(e);
  return cycles;
}

int64_t fpga::getEngineLatency(const IntegerNetwork &net,
                               const std::vector<ProgramEntry> &program,
                               int64_t pe) {
  int64_t cycles =
      net.tensors[net.input].size() + 2 * net.tensors[net.output].size();
  for (const ProgramEntry &e : program)
    cycles += getLayerCycles(e, pe);
  return cycles;
}

int64_t DesignPlan::getMaxLanes() const {
  int64_t lanes = 1;
  for (const EngineStage &stage : stages)
    lanes = std::max(lanes, stage.lanes);
  return lanes;
}

namespace {

/// A dataflow stage's cycle with `pe` lanes: the first engine takes a level
/// per cycle, the others one every two (the previous engine's send), n
/// levels in 2n - 1 cycles.
int64_t getStageCycle(const IntegerNetwork &stage, int64_t pe, bool first) {
  std::vector<ProgramEntry> program = getProgram(stage, pe);
  return getEngineLatency(stage, program, pe) +
         (first ? 0 : stage.tensors[stage.input].size() - 1);
}

/// Groups the minimal stages between `bounds` (op indices, both ends
/// included) into at most `maxStages` runs with the smallest largest
/// estimated cycle (a binary search over that bound, packing greedily),
/// each run at most kMaxLayersPerEngine layers. Returns the kept bounds.
std::vector<size_t> mergeStages(const IntegerNetwork &net,
                                const std::vector<size_t> &bounds,
                                size_t maxStages, int64_t pe) {
  size_t segments = bounds.size() - 1;
  if (segments <= maxStages)
    return bounds;
  // Each minimal stage's estimated cycles: its layers' own (the whole
  // network's program) and its input and output streams at two cycles a
  // level. A run's estimate is their sum (it overcounts the streams inside
  // a run, but it is additive, so the greedy packing below is optimal).
  std::vector<ProgramEntry> program = getProgram(net, pe);
  std::vector<int64_t> boundarySize(bounds.size());
  // At a cut point the one live tensor is what the next layer reads.
  for (size_t s = 0; s < bounds.size(); ++s) {
    size_t b = bounds[s];
    int tensor = b == 0                ? net.input
                 : b == net.ops.size() ? net.output
                                       : net.ops[b].input;
    boundarySize[s] = net.tensors[tensor].size();
  }
  std::vector<int64_t> prefix(segments + 1, 0);
  for (size_t s = 0; s < segments; ++s) {
    int64_t cycles = 2 * boundarySize[s] + 2 * boundarySize[s + 1];
    for (size_t i = bounds[s]; i < bounds[s + 1]; ++i)
      cycles += getLayerCycles(program[i], pe);
    prefix[s + 1] = prefix[s] + cycles;
  }
  auto work = [&](size_t from, size_t to) { return prefix[to] - prefix[from]; };
  auto pack = [&](int64_t limit, std::vector<size_t> *kept) {
    size_t runs = 0, start = 0;
    if (kept)
      kept->assign(1, bounds[0]);
    while (start < segments) {
      size_t end = start + 1;
      while (end < segments && work(start, end + 1) <= limit &&
             bounds[end + 1] - bounds[start] <= kMaxLayersPerEngine)
        ++end;
      ++runs;
      if (kept)
        kept->push_back(bounds[end]);
      start = end;
    }
    return runs;
  };
  int64_t lo = 0, hi = work(0, segments);
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (pack(mid, nullptr) <= maxStages)
      hi = mid;
    else
      lo = mid + 1;
  }
  std::vector<size_t> kept;
  pack(lo, &kept);
  return kept;
}

} // namespace

llvm::Expected<DesignPlan> fpga::planDesign(const IntegerNetwork &net,
                                            DesignTemplate kind, int64_t pe,
                                            int64_t maxStages) {
  if (pe < 1 || pe > kMaxLanes)
    return llvm::createStringError("the engine takes 1 to " +
                                   llvm::Twine(kMaxLanes) + " lanes, not " +
                                   llvm::Twine(pe));
  if (maxStages < 0)
    return llvm::createStringError("the number of stages must be positive");
  DesignPlan plan;
  plan.kind = kind;
  if (kind == DesignTemplate::Folded) {
    if (net.ops.size() > kMaxLayersPerEngine)
      return llvm::createStringError(
          net.name + ": " + llvm::Twine(net.ops.size()) +
          " layers; the folded engine's program holds " +
          llvm::Twine(kMaxLayersPerEngine));
    EngineStage stage;
    stage.net = net;
    stage.lanes = pe;
    stage.program = getProgram(net, pe);
    stage.cycleCycles = getEngineLatency(net, stage.program, pe);
    plan.latencyCycles = plan.intervalCycles = stage.cycleCycles;
    plan.stages.push_back(std::move(stage));
    return plan;
  }

  std::vector<size_t> bounds = {0};
  for (size_t cut : getCutPoints(net))
    bounds.push_back(cut);
  bounds.push_back(net.ops.size());
  for (size_t s = 0; s + 1 < bounds.size(); ++s)
    if (bounds[s + 1] - bounds[s] > kMaxLayersPerEngine)
      return llvm::createStringError(
          net.name + ": layers " + llvm::Twine(bounds[s]) + " to " +
          llvm::Twine(bounds[s + 1] - 1) +
          " cannot be cut apart and are more than an engine's program "
          "holds (" +
          llvm::Twine(kMaxLayersPerEngine) + ")");
  size_t limit = maxStages > 0 ? size_t(maxStages) : bounds.size() - 1;
  if (limit > kMaxEngines) {
    if (maxStages > 0)
      return llvm::createStringError("a dataflow design holds at most " +
                                     llvm::Twine(kMaxEngines) +
                                     " engines, not " + llvm::Twine(maxStages));
    return llvm::createStringError(
        net.name + ": " + llvm::Twine(bounds.size() - 1) +
        " stages; a dataflow design holds at most " + llvm::Twine(kMaxEngines) +
        " engines: give fewer stages (--fpga-stages)");
  }
  bounds = mergeStages(net, bounds, limit, pe);
  if (bounds.size() - 1 > limit)
    return llvm::createStringError(
        net.name + ": " + llvm::Twine(net.ops.size()) + " layers do not fit " +
        llvm::Twine(limit) + " engines of " + llvm::Twine(kMaxLayersPerEngine) +
        " layers each");

  for (size_t s = 0; s + 1 < bounds.size(); ++s) {
    EngineStage stage;
    stage.net = extractStage(net, bounds[s], bounds[s + 1]);
    stage.firstOp = bounds[s];
    plan.stages.push_back(std::move(stage));
  }
  // Each stage's cycle with 1 to `pe` lanes (a convolution takes lanes
  // that divide its channels, so fewer lanes can be faster). The slowest
  // stage at its best sets the interval; every stage gets the fewest lanes
  // that keep it within.
  std::vector<std::vector<int64_t>> cycles(plan.stages.size());
  int64_t target = 0;
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    for (int64_t lanes = 1; lanes <= pe; ++lanes)
      cycles[s].push_back(getStageCycle(plan.stages[s].net, lanes, s == 0));
    target =
        std::max(target, *std::min_element(cycles[s].begin(), cycles[s].end()));
  }
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    EngineStage &stage = plan.stages[s];
    for (int64_t lanes = 1; lanes <= pe; ++lanes)
      if (cycles[s][lanes - 1] <= target) {
        stage.lanes = lanes;
        stage.cycleCycles = cycles[s][lanes - 1];
        break;
      }
    stage.program = getProgram(stage.net, stage.lanes);
    plan.intervalCycles = std::max(plan.intervalCycles, stage.cycleCycles);
    // Each later engine takes its input while the previous one sends it.
    plan.latencyCycles +=
        getEngineLatency(stage.net, stage.program, stage.lanes) -
        (s == 0 ? 0 : stage.net.tensors[stage.net.input].size());
  }
  return plan;
}

const char *const ProgramEntry::kFieldNames[ProgramEntry::kNumFields] = {
    "in0",       "in1",      "out",    "cinpg",    "blocks",
    "outc",      "inh",      "inw",    "outh",     "outw",
    "kh",        "kw",       "stride", "padt",     "padl",
    "wbase",     "rqbase",   "terms",  "plane",    "rowstep",
    "groupstep", "rowstart", "lanes",  "outplane", "blockskip"};

int64_t fpga::getWeightStorageBits(const IntOp &op) {
  if (op.wbits > 1)
    return std::min<int64_t>(op.wbits, 8);
  bool zeros = llvm::is_contained(op.weights, int8_t(0));
  return zeros ? 2 : 1;
}

EngineParameters fpga::getEngineParameters(const EngineStage &stage) {
  EngineParameters params;
  const IntegerNetwork &net = stage.net;
  params.activationDepth = net.activationMemory;
  if (!net.tensors.empty()) {
    params.activationBits = 0;
    for (const IntTensor &t : net.tensors)
      params.activationBits = std::max(params.activationBits, t.bits);
  }
  int64_t weightBits = 0;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    params.weightDepth +=
        int64_t(net.ops[i].weights.size()) / stage.program[i].lanes;
    params.requantDepth += int64_t(getRequantWords(net.ops[i]).size());
    if (!net.ops[i].weights.empty())
      weightBits = std::max(weightBits, getWeightStorageBits(net.ops[i]));
    params.hardSwish |= net.ops[i].kind == IntOpKind::HardSwish;
    params.scale |= net.ops[i].kind == IntOpKind::Scale;
  }
  params.weightBits = weightBits ? weightBits : 8;
  params.thresholds = params.requantDepth > 0;
  bool coefficients = false;
  for (const IntOp &op : net.ops) {
    for (const Requant &r : getRequantWords(op))
      params.thresholds &= RequantThresholds::from(r).has_value();
    coefficients |= op.kind == IntOpKind::Add ||
                    op.kind == IntOpKind::HardSwish ||
                    op.kind == IntOpKind::Scale;
  }
  params.multiplierFreeLane0 =
      hasMultiplierFreeLanes(params.weightBits) && !coefficients;
  params.layers = int64_t(net.ops.size());
  params.lanes = stage.lanes;
  // The counters run up to a field or a depth, and a running address one
  // step past its end (a block's skip, a term count): twice the largest.
  int64_t largest = std::max({params.activationDepth, params.weightDepth,
                              params.requantDepth, 6 + stage.lanes});
  if (!net.tensors.empty())
    largest = std::max({largest, net.tensors[net.input].size(),
                        net.tensors[net.output].size()});
  for (const ProgramEntry &e : stage.program)
    for (int64_t v : e.getFields())
      largest = std::max(largest, std::abs(v));
  params.counterBits =
      std::min<int64_t>(32, llvm::Log2_64_Ceil(uint64_t(2 * largest + 1)) + 1);
  return params;
}
