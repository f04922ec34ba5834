//===- Space.h - The candidates of a nas.spec -------------------*- C++ -*-===//
//
// A spec's search space as a tree of decisions: every `nas.choose` and cell
// edge (pick an option), every searched hyper-parameter (pick a value, from
// the op or from `nas.compress`), every searched repeat count, and every
// target tunable. What hangs below an outcome (the decisions inside the
// chosen option, or the repetitions of a body) are the decisions taken only
// with that outcome. A candidate is the list of outcomes taken, in the order
// the tree is walked; the space's size is exact (DynamicAPInt).
//
// Order of the walk, which is also the order of the canonical encoding and
// of enumeration (the last decision varies fastest):
//   1. each cell the network uses, in declaration order; its edges by target
//      node, then source node (NAS-Bench-201's architecture-string order);
//   2. the network, depth first in program order: an op's searched
//      hyper-parameters by name, then its nested layers; a repeat's count,
//      then its body once per repetition (once if shared);
//   3. each target's tunables, targets in declaration order, names sorted.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SPACE_SPACE_H
#define NASC_SPACE_SPACE_H

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DynamicAPInt.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nasc {

/// The decimal digits of a big count.
std::string toString(const llvm::DynamicAPInt &value);

struct Decision;
/// Decisions taken one after the other.
using DecisionSeq = std::vector<Decision>;

/// One searchable decision and the decisions below each of its outcomes.
struct Decision {
  enum class Kind {
    Option,  ///< a nas.choose or a cell edge: one of its options
    Param,   ///< a searched hyper-parameter of one op
    Count,   ///< a searched repeat count
    Tunable, ///< a hardware tunable of a target
    Resolution, ///< the searched input resolution of the network's dataset
  };
  Kind kind;
  /// The choose, edge, layer, repeat or target the decision belongs to.
  mlir::Operation *op = nullptr;
  /// Attribute name (Param, Tunable); empty otherwise.
  std::string attrName;
  /// Unique, readable name: the CSV column of this decision.
  std::string column;
  /// Values of a Param, Count or Tunable outcome (null for Option).
  llvm::SmallVector<mlir::Attribute> values;
  /// The text of each outcome in an encoding: option label or value.
  llvm::SmallVector<std::string> labels;
  /// Decisions taken only with each outcome (empty: none).
  std::vector<DecisionSeq> below;
  /// Candidates below each outcome (1 when nothing hangs below).
  std::vector<llvm::DynamicAPInt> outcomeSizes;
  /// Candidates of this decision's subtree: the sum over its outcomes.
  llvm::DynamicAPInt size;
  /// Whether every outcome has as many candidates below it (sampling then
  /// picks an outcome uniformly).
  bool uniform = true;

  size_t numOutcomes() const { return labels.size(); }
};

/// A candidate: the outcome index of every decision it takes, in walk order.
struct Candidate {
  std::vector<uint32_t> outcomes;
  bool operator==(const Candidate &other) const {
    return outcomes == other.outcomes;
  }
};

/// Reads a candidate's outcomes in walk order together with the decisions
/// they answer, depth first through the tree: what the cost analysis uses to
/// follow a candidate through a spec that is not concrete, without copying
/// any IR (docs/analysis.md, "Candidates without materializing").
class DecisionCursor {
public:
  /// Walks `roots` one after the other, reading `outcomes` from the first.
  DecisionCursor(llvm::ArrayRef<llvm::ArrayRef<Decision>> roots,
                 llvm::ArrayRef<uint32_t> outcomes);

  /// The next decision, or null when every decision has been taken.
  const Decision *peek();
  /// Takes the next decision (there must be one): it and its outcome; the
  /// decisions below that outcome come next.
  std::pair<const Decision *, uint32_t> take();
  /// Takes every decision below the one just taken, whose frame depth was
  /// `depth` (getDepth() before that take()).
  void skipBelow(size_t depth);
  size_t getDepth() const { return stack.size(); }
  /// Outcomes read so far.
  size_t getPosition() const { return pos; }
  llvm::ArrayRef<uint32_t> getOutcomes() const { return outcomes; }

  struct Frame {
    const Decision *next, *end;
  };
  /// Where the cursor stands; restoring it reads the same outcomes again
  /// (a shared repeat's body, each instance of a cell).
  struct State {
    llvm::SmallVector<Frame, 8> stack;
    size_t pos = 0;
  };
  State save() const { return {stack, pos}; }
  void restore(const State &state) {
    stack = state.stack;
    pos = state.pos;
  }

private:
  llvm::SmallVector<Frame, 8> stack;
  llvm::ArrayRef<uint32_t> outcomes;
  size_t pos = 0;
};

/// The position just after the outcomes of the decisions `seq` (and
/// everything below them) when they are read from `outcomes` at `pos`.
size_t skipOutcomes(llvm::ArrayRef<Decision> seq,
                    llvm::ArrayRef<uint32_t> outcomes, size_t pos);

/// Appends the outcomes of the `index`-th candidate (enumeration order) of
/// the decisions `seq`, 0 <= index < the product of their sizes.
void unrankOutcomes(llvm::ArrayRef<Decision> seq, llvm::DynamicAPInt index,
                    std::vector<uint32_t> &outcomes);

/// A cell edge's chosen option and where the decisions inside it start.
struct EdgeChoice {
  unsigned option = 0;
  DecisionCursor::State inside;
  /// The outcomes of the decisions inside the edge: [begin, end) of the
  /// cursor's outcomes.
  size_t insideBegin = 0, insideEnd = 0;
};
using EdgeChoices = llvm::DenseMap<mlir::Operation *, EdgeChoice>;

/// A deterministic random source, identical on every machine (SplitMix64).
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  uint64_t next();
  /// A uniformly distributed integer in [0, bound), bound > 0.
  uint64_t below(uint64_t bound);
  llvm::DynamicAPInt below(const llvm::DynamicAPInt &bound);

private:
  uint64_t state;
};

class Space {
public:
  /// Builds the decision tree of `spec`; reports (and fails on) a range too
  /// long to enumerate.
  static mlir::FailureOr<Space> build(nas::SpecOp spec);

  nas::SpecOp getSpec() const { return spec; }
  const llvm::DynamicAPInt &size() const { return total; }
  /// Every decision of the tree, depth first, each once (CSV columns).
  std::vector<const Decision *> getAllDecisions() const;
  /// The most decisions one candidate takes (cells' once, each repetition's
  /// unless shared, compression defaults per layer, tunables).
  uint64_t getMaxDecisionsPerCandidate() const;

  /// The candidate at `index` in enumeration order, 0 <= index < size().
  Candidate unrank(llvm::DynamicAPInt index) const;
  /// A candidate drawn uniformly from the whole space.
  Candidate sample(Random &random) const;

  /// A variation of `parent` that respects the space's structure: one
  /// decision it takes (drawn uniformly), and each other with probability
  /// `rate`, takes another outcome; what hangs below a changed outcome is
  /// drawn uniformly. The parent itself when no decision has two outcomes.
  Candidate mutate(const Candidate &parent, Random &random,
                   double rate) const;
  /// Uniform crossover along the tree: where both parents take the same
  /// outcome the child does too and the decisions below are crossed in
  /// turn; where they differ, the child takes one parent's outcome (equal
  /// odds) with everything below it.
  Candidate crossover(const Candidate &a, const Candidate &b,
                      Random &random) const;

  /// The canonical encoding (docs/space.md).
  std::string encode(const Candidate &candidate) const;
  /// Parses an encoding; on failure `error` says which token is wrong and
  /// `badToken` (if given) receives its index among the tokens.
  mlir::FailureOr<Candidate> decode(llvm::StringRef encoding,
                                    std::string &error,
                                    size_t *badToken = nullptr) const;

  /// Calls `fn(decision, outcome)` for every decision the candidate takes.
  void
  forEachOutcome(const Candidate &candidate,
                 llvm::function_ref<void(const Decision &, uint32_t)> fn) const;

  /// Equal for candidates that compute the same function: each cell by its
  /// canonical node strings (NAS-Bench-201's rule, docs/space.md), the rest
  /// as encoded.
  std::string getIsomorphismKey(const Candidate &candidate) const;
  /// The number of candidates unique up to cell isomorphism; fails when a
  /// cell has more than `maxPerCell` candidates to compare.
  mlir::FailureOr<llvm::DynamicAPInt>
  countUnique(uint64_t maxPerCell = 10'000'000) const;

  /// The used cells, in declaration order, and their edge decisions.
  llvm::ArrayRef<nas::CellOp> getCells() const { return cells; }
  const DecisionSeq &getCellDecisions(size_t index) const {
    return parts[index];
  }
  /// The network's decisions, in walk order.
  const DecisionSeq &getNetworkDecisions() const { return parts[cells.size()]; }
  /// One layer of the network's sequence and the decisions taken inside it.
  struct LayerDecisions {
    mlir::Operation *layer;
    llvm::ArrayRef<Decision> decisions;
  };
  /// The network's layers in execution order, stages and fixed repeats
  /// that are not shared unrolled (a choice, a searched or shared repeat, a
  /// block, a residual stays one layer), each with its consecutive slice of
  /// getNetworkDecisions().
  std::vector<LayerDecisions> getNetworkLayers() const;
  /// The targets' tunables.
  const DecisionSeq &getTunableDecisions() const {
    return parts[cells.size() + 1];
  }
  /// The network's dataset (null when the verifier has not run).
  nas::DatasetOp getDataset() const;
  /// The input resolution (none, or one decision: the side of the square
  /// image), the last of a candidate's outcomes.
  const DecisionSeq &getResolutionDecisions() const { return parts.back(); }
  /// The network's input for `candidate`: the dataset's, with the searched
  /// resolution's side as height and width.
  TensorShape getInputShape(const Candidate &candidate) const;

  /// A copy of the spec with every decision resolved: no nas.choose or
  /// nas.repeat, no choice or range attributes, one option per cell edge,
  /// unused cells removed, compression defaults applied to every layer.
  mlir::OwningOpRef<mlir::ModuleOp>
  materialize(const Candidate &candidate) const;

private:
  explicit Space(nas::SpecOp spec) : spec(spec) {}

  nas::SpecOp spec;
  /// Cells the network uses, in declaration order.
  llvm::SmallVector<nas::CellOp> cells;
  /// One sequence per used cell (its edges), then the network, then the
  /// tunables, then the resolution.
  std::vector<DecisionSeq> parts;
  llvm::DynamicAPInt total;
};

} // namespace nasc

#endif // NASC_SPACE_SPACE_H
