//===- SpaceWalk.h - What the space walk and materialization share -*- C++ -*-//
//
// Private to lib/Space: the decision tree (Space.cpp) and materialization
// (Materialize.cpp) must visit decisions in exactly the same order, so both
// take the order from these helpers.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_SPACE_SPACEWALK_H
#define NASC_LIB_SPACE_SPACEWALK_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Space/Space.h"

#include "llvm/ADT/SmallVector.h"

#include <string>
#include <utility>

namespace nasc::walk {

/// Whether a parameter is searched (a choice or a range).
inline bool isSearched(mlir::Attribute param) {
  return llvm::isa_and_nonnull<nas::ChoiceAttr, nas::RangeAttr>(param);
}

/// Layers with weights, which take compression settings.
inline bool hasWeights(mlir::Operation *op) {
  return llvm::isa<nas::ConvOp, nas::SepConvOp, nas::MBConvOp, nas::FCOp>(op);
}

/// The hyper-parameters of `op` (the attributes a layer may search), sorted
/// by name: its own and, for layers with weights, the `nas.compress`
/// defaults it does not set itself.
llvm::SmallVector<std::pair<std::string, mlir::Attribute>>
getParams(mlir::Operation *op, nas::CompressOp compress);

/// The values a parameter can take, in order.
llvm::SmallVector<mlir::Attribute> getValues(mlir::Attribute param);


/// The cells `spec`'s network refers to, in declaration order.
llvm::SmallVector<nas::CellOp> getUsedCells(nas::SpecOp spec);

/// The spec's `nas.compress`, or null.
nas::CompressOp getCompress(nas::SpecOp spec);

/// A value as an encoding token: its source form without spaces.
std::string getValueToken(mlir::Attribute value);

/// Appends the encoding tokens of `seq` for the candidate's outcomes from
/// `pos`; returns the position after them.
size_t encodeTokens(const DecisionSeq &seq, const Candidate &candidate,
                    size_t pos, std::vector<std::string> &tokens);

/// Appends the outcomes of the `index`-th candidate of `seq`.
void unrankTokens(llvm::ArrayRef<Decision> seq, llvm::DynamicAPInt index,
                  std::vector<uint32_t> &outcomes);

} // namespace nasc::walk

#endif // NASC_LIB_SPACE_SPACEWALK_H
