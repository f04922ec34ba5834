//===- Encoding.cpp - Canonical text encoding of candidates ---------------===//
//
// Tokens separated by single spaces, in walk order (Space.h):
//   - each used cell: one NAS-Bench-201 architecture string,
//     `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, an edge's nested decisions in
//     brackets after its option (`|conv[kernel=5]~0|`);
//   - the network: a choose's option label, then the decisions inside it; a
//     searched hyper-parameter as `attr=value`; a searched repeat count as
//     `repeat=N`;
//   - target tunables as `target.name=value`.
//
//===----------------------------------------------------------------------===//

#include "nasc/Space/Space.h"

#include "SpaceWalk.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

/// A decision's token for one outcome, without what follows below it.
static std::string tokenOf(const Decision &decision, uint32_t outcome) {
  const std::string &label = decision.labels[outcome];
  switch (decision.kind) {
  case Decision::Kind::Option:
    return label;
  case Decision::Kind::Param:
    return decision.attrName + "=" + label;
  case Decision::Kind::Count:
    return "repeat=" + label;
  case Decision::Kind::Tunable:
    return (cast<TargetOp>(decision.op).getSymName() + "." + decision.attrName +
            "=" + label)
        .str();
  case Decision::Kind::Resolution:
    return "resolution=" + label;
  }
  llvm_unreachable("unknown decision kind");
}

size_t walk::encodeTokens(const DecisionSeq &seq, const Candidate &candidate,
                          size_t pos, std::vector<std::string> &tokens) {
  for (const Decision &decision : seq) {
    uint32_t outcome = candidate.outcomes[pos++];
    tokens.push_back(tokenOf(decision, outcome));
    if (!decision.below.empty())
      pos = walk::encodeTokens(decision.below[outcome], candidate, pos, tokens);
  }
  return pos;
}

std::string Space::encode(const Candidate &candidate) const {
  std::vector<std::string> tokens;
  size_t pos = 0;
  for (size_t part = 0; part < parts.size(); ++part) {
    if (part >= cells.size()) {
      pos = walk::encodeTokens(parts[part], candidate, pos, tokens);
      continue;
    }
    // One architecture string per cell, edges grouped by target node.
    std::string arch = "|";
    int64_t group = -1;
    for (const Decision &edge : parts[part]) {
      auto edgeOp = cast<EdgeOp>(edge.op);
      if (group != -1 && int64_t(edgeOp.getTo()) != group)
        arch += "+|";
      group = int64_t(edgeOp.getTo());
      uint32_t outcome = candidate.outcomes[pos++];
      arch += edge.labels[outcome];
      if (!edge.below.empty() && !edge.below[outcome].empty()) {
        std::vector<std::string> nested;
        pos = walk::encodeTokens(edge.below[outcome], candidate, pos, nested);
        arch += "[" + llvm::join(nested, ";") + "]";
      }
      arch += "~" + std::to_string(edgeOp.getFrom()) + "|";
    }
    tokens.push_back(arch);
  }
  return llvm::join(tokens, " ");
}

//===----------------------------------------------------------------------===//
// Decoding
//===----------------------------------------------------------------------===//

namespace {

/// Reads tokens against the decision tree, reporting the first bad one.
class Decoder {
public:
  Decoder(std::vector<std::string> tokens, std::string &error)
      : tokens(std::move(tokens)), error(error) {}

  LogicalResult seq(const DecisionSeq &decisions, Candidate &out);
  LogicalResult cell(CellOp cell, const DecisionSeq &edges, Candidate &out);
  LogicalResult finish();

private:
  std::vector<std::string> tokens;
  size_t pos = 0;
  std::string &error;

  LogicalResult fail(const Twine &message) {
    error = message.str();
    failedAt = pos;
    return failure();
  }

public:
  /// The index of the token that failed (the token count if one is missing).
  size_t failedAt = 0;

private:
  std::string where() const {
    return ("token " + Twine(pos + 1) + " '" + tokens[pos] + "'").str();
  }
};

} // namespace

/// What a decision expects, for diagnostics: `a, b or c`.
static std::string expected(const Decision &decision) {
  SmallVector<std::string> options;
  for (uint32_t i = 0; i < decision.numOutcomes() && i < 12; ++i)
    options.push_back(tokenOf(decision, i));
  std::string text = llvm::join(options, ", ");
  if (decision.numOutcomes() > 12)
    text += ", ...";
  return text;
}

LogicalResult Decoder::seq(const DecisionSeq &decisions, Candidate &out) {
  for (const Decision &decision : decisions) {
    if (pos >= tokens.size())
      return fail("missing token " + Twine(pos + 1) + ": expected " +
                  expected(decision) + " for '" + decision.column + "'");
    uint32_t outcome = 0;
    while (outcome < decision.numOutcomes() &&
           tokenOf(decision, outcome) != tokens[pos])
      ++outcome;
    if (outcome == decision.numOutcomes())
      return fail(where() + " is not an outcome of '" + decision.column +
                  "' (expected one of " + expected(decision) + ")");
    ++pos;
    out.outcomes.push_back(outcome);
    if (!decision.below.empty() && failed(seq(decision.below[outcome], out)))
      return failure();
  }
  return success();
}

LogicalResult Decoder::cell(CellOp cellOp, const DecisionSeq &edges,
                            Candidate &out) {
  if (pos >= tokens.size())
    return fail("missing token " + Twine(pos + 1) +
                ": expected the architecture string of cell '" +
                cellOp.getSymName() + "'");
  StringRef arch = tokens[pos];
  std::string bad = where();
  if (!arch.starts_with("|") || !arch.ends_with("|") || arch.size() < 2)
    return fail(bad + " is not an architecture string |op~0|+|...| of cell '" +
                cellOp.getSymName() + "'");
  // `|a~0|+|b~0|c~1|` -> edge tokens in order, with the group boundaries.
  SmallVector<StringRef> groups;
  arch.drop_front().drop_back().split(groups, "|+|");
  SmallVector<std::pair<StringRef, int64_t>> edgeTokens; // token, group
  for (auto [index, group] : llvm::enumerate(groups)) {
    SmallVector<StringRef> parts;
    group.split(parts, '|');
    for (StringRef part : parts)
      edgeTokens.push_back({part, static_cast<int64_t>(index)});
  }
  if (edgeTokens.size() != edges.size())
    return fail(bad + ": cell '" + cellOp.getSymName() + "' has " +
                Twine(edges.size()) + " edges, the string names " +
                Twine(edgeTokens.size()));
  int64_t group = -1, lastTo = -1;
  for (auto [edge, token] : llvm::zip(edges, edgeTokens)) {
    auto edgeOp = cast<EdgeOp>(edge.op);
    if (int64_t(edgeOp.getTo()) != lastTo)
      ++group;
    lastTo = int64_t(edgeOp.getTo());
    auto [text, tokenGroup] = token;
    auto [body, from] = text.rsplit('~');
    if (tokenGroup != group || from != std::to_string(edgeOp.getFrom()))
      return fail(bad + ": '" + text + "' is not edge " +
                  Twine(edgeOp.getFrom()) + " -> " + Twine(edgeOp.getTo()) +
                  " of cell '" + cellOp.getSymName() + "' (write it as " +
                  "'op~" + Twine(edgeOp.getFrom()) + "' in group " +
                  Twine(group + 1) + ")");
    auto [label, nested] = body.split('[');
    uint32_t outcome = llvm::find(edge.labels, label) - edge.labels.begin();
    if (outcome == edge.numOutcomes())
      return fail(bad + ": '" + label + "' is not an option of '" +
                  edge.column + "' (expected one of " + expected(edge) + ")");
    out.outcomes.push_back(outcome);
    if (edge.below.empty() || edge.below[outcome].empty())
      continue;
    // Nested decisions: `[tok,tok]`, read by a decoder of their own.
    if (!nested.ends_with("]"))
      return fail(bad + ": option '" + label + "' of '" + edge.column +
                  "' needs its decisions in brackets, as " + label + "[...]");
    SmallVector<StringRef> inner;
    nested.drop_back().split(inner, ';');
    std::string innerError;
    Decoder sub(std::vector<std::string>(inner.begin(), inner.end()),
                innerError);
    if (failed(sub.seq(edge.below[outcome], out)) || failed(sub.finish()))
      return fail(bad + ": in '" + label + "[...]': " + innerError);
  }
  ++pos;
  return success();
}

LogicalResult Decoder::finish() {
  if (pos < tokens.size())
    return fail(where() + " is one too many: the candidate is complete");
  return success();
}

FailureOr<Candidate> Space::decode(StringRef encoding, std::string &error,
                                   size_t *badToken) const {
  SmallVector<StringRef> split;
  encoding.split(split, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::vector<std::string> tokens;
  for (StringRef token : split) {
    token = token.trim();
    if (!token.empty())
      tokens.push_back(token.str());
  }
  Decoder decoder(std::move(tokens), error);
  Candidate candidate;
  for (size_t part = 0; part < parts.size(); ++part) {
    LogicalResult result =
        part < cells.size() ? decoder.cell(cells[part], parts[part], candidate)
                            : decoder.seq(parts[part], candidate);
    if (failed(result)) {
      if (badToken)
        *badToken = decoder.failedAt;
      return failure();
    }
  }
  if (failed(decoder.finish())) {
    if (badToken)
      *badToken = decoder.failedAt;
    return failure();
  }
  return candidate;
}
