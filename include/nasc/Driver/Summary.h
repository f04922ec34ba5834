//===- Summary.h - Human-readable outline of a nas.spec ---------*- C++ -*-===//

#ifndef NASC_DRIVER_SUMMARY_H
#define NASC_DRIVER_SUMMARY_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/Support/raw_ostream.h"

namespace nasc {

/// Prints what `nasc FILE.nas` shows by default: the dataset, targets, the
/// network outline with every searchable decision, cells, goals and
/// settings, and the number of decisions.
void printSpecSummary(nas::SpecOp spec, llvm::raw_ostream &os);

} // namespace nasc

#endif // NASC_DRIVER_SUMMARY_H
