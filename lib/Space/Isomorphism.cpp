//===- Isomorphism.cpp - Cells that compute the same function -------------===//
//
// Two cells are isomorphic when they compute the same function up to the
// order of a node's inputs, with `zero` edges contributing nothing and
// `identity` edges passing their input through. Each node gets a canonical
// string built from its inputs' strings, exactly as NAS-Bench-201's
// `Structure.to_unique_str(consider_zero=True)` does, which makes its 15,625
// cells 6,466 unique ones:
//   node 0                      "0"
//   edge zero, or from "#"      "#"
//   edge identity               the source's string
//   any other edge              "(" source ")@" option
//   node                        its edges' strings, sorted, joined by "+"
// The cell's key is its last node's string.
//
//===----------------------------------------------------------------------===//

#include "nasc/Space/Space.h"

#include "SpaceWalk.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

/// How an option acts in the isomorphism rules.
enum class EdgeRole { Zero, Identity, Other };

static EdgeRole getRole(OptionOp option) {
  Block &body = option.getBodyBlock();
  if (!llvm::hasSingleElement(body))
    return EdgeRole::Other;
  Operation &op = body.front();
  if (isa<ZeroOp>(op))
    return EdgeRole::Zero;
  if (auto identity = dyn_cast<IdentityOp>(op);
      identity && !identity.getOutAttr() && !identity.getStrideAttr())
    return EdgeRole::Identity;
  return EdgeRole::Other;
}

namespace {
/// Computes node strings edge by edge while the candidate is walked.
struct CellKey {
  std::vector<std::vector<std::string>> inputs; // per node, edge strings
  std::vector<std::string> nodes;

  explicit CellKey(int64_t numNodes) : inputs(numNodes), nodes(numNodes) {
    nodes[0] = "0";
  }
  /// Finalizes every node below `to` that is still open.
  void closeBefore(int64_t to, int64_t numInputs) {
    for (int64_t node = numInputs; node < to; ++node)
      if (nodes[node].empty()) {
        llvm::sort(inputs[node]);
        nodes[node] = llvm::join(inputs[node], "+");
      }
  }
};
} // namespace

/// Walks one cell's part of a candidate from `pos`; returns the key.
static std::string cellKey(CellOp cell, const DecisionSeq &edges,
                           const Candidate &candidate, size_t &pos) {
  int64_t numNodes = cell.getNumNodesAttr().getInt();
  int64_t numInputs = cell.getNumInputsAttr().getInt();
  CellKey key(numNodes);
  for (int64_t input = 1; input < numInputs; ++input)
    key.nodes[input] = std::to_string(input);
  for (const Decision &edge : edges) {
    auto edgeOp = cast<EdgeOp>(edge.op);
    int64_t from = edgeOp.getFromAttr().getInt();
    int64_t to = edgeOp.getToAttr().getInt();
    key.closeBefore(to, numInputs);
    uint32_t outcome = candidate.outcomes[pos++];
    // An option's own decisions are part of what it computes.
    std::string nested;
    if (!edge.below.empty() && !edge.below[outcome].empty()) {
      std::vector<std::string> tokens;
      pos = walk::encodeTokens(edge.below[outcome], candidate, pos, tokens);
      nested = "[" + llvm::join(tokens, ";") + "]";
    }
    OptionOp option =
        *std::next(edgeOp.getBody().getOps<OptionOp>().begin(), outcome);
    const std::string &source = key.nodes[from];
    std::string text;
    switch (getRole(option)) {
    case EdgeRole::Zero:
      text = "#";
      break;
    case EdgeRole::Identity:
      text = source;
      break;
    case EdgeRole::Other:
      text = source == "#"
                 ? "#"
                 : "(" + source + ")@" + edge.labels[outcome] + nested;
      break;
    }
    key.inputs[to].push_back(text);
  }
  key.closeBefore(numNodes, numInputs);
  if (cell.getOutput() == CellOutput::last)
    return key.nodes[numNodes - 1];
  // A concat output depends on every intermediate node, in order.
  return llvm::join(ArrayRef(key.nodes).drop_front(numInputs), "|");
}

std::string Space::getIsomorphismKey(const Candidate &candidate) const {
  std::vector<std::string> parts;
  size_t pos = 0;
  for (auto [cell, edges] : llvm::zip(cells, this->parts))
    parts.push_back(cellKey(cell, edges, candidate, pos));
  for (size_t part = cells.size(); part < this->parts.size(); ++part)
    pos = walk::encodeTokens(this->parts[part], candidate, pos, parts);
  return llvm::join(parts, " ");
}

FailureOr<llvm::DynamicAPInt> Space::countUnique(uint64_t maxPerCell) const {
  llvm::DynamicAPInt unique(1);
  for (auto [cell, edges] : llvm::zip(cells, parts)) {
    llvm::DynamicAPInt size(1);
    for (const Decision &edge : edges)
      size *= edge.size;
    if (size > llvm::DynamicAPInt(int64_t(maxPerCell)))
      return failure();
    // Enumerate this cell alone: its candidates are the unranked indices of
    // its own edge sequence.
    llvm::StringSet<> keys;
    for (int64_t i = 0, e = int64_t(size); i < e; ++i) {
      Candidate candidate;
      walk::unrankTokens(edges, llvm::DynamicAPInt(i), candidate.outcomes);
      size_t pos = 0;
      keys.insert(cellKey(cell, edges, candidate, pos));
    }
    unique *= llvm::DynamicAPInt(int64_t(keys.size()));
  }
  for (size_t part = cells.size(); part < parts.size(); ++part)
    for (const Decision &decision : parts[part])
      unique *= decision.size;
  return unique;
}
