//===- CostColumns.h - Latency and energy columns of candidate tables -----===//

#ifndef NASC_TOOLS_NASC_COSTCOLUMNS_H
#define NASC_TOOLS_NASC_COSTCOLUMNS_H

#include "nasc/Driver/SpaceOutput.h"

#include <memory>
#include <optional>

namespace nasc::tool {

/// With --cost-model, --lookup-table or --target-costs: the columns
/// `latency(T) [ms]`, `latency_err(T) [ms]`, `energy(T) [mJ]`,
/// `energy_err(T) [mJ]` and `method(T)` for every target with a model
/// (docs/costmodel.md); none without them. Fails with `error`.
std::optional<ExtraColumns> makeCostColumns(const Space &space,
                                            std::string &error);
/// Whether any of those options was given.
bool wantsCostColumns();

/// --emit=layers: for each selected candidate, the records the analytical
/// model and per-layer tables read (the cost analysis's layers), one CSV
/// row each: encoding, record index, kind, key, MACs, FLOPs, bytes and the
/// number of kernels it runs as (docs/costmodel.md).
mlir::LogicalResult writeLayerRecords(const Space &space,
                                      const CandidateSelection &selection,
                                      mlir::MLIRContext &context,
                                      llvm::raw_ostream &os);

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_COSTCOLUMNS_H
