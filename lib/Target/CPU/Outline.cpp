//===- Outline.cpp - One function per loop nest ---------------------------===//
//
// A network lowers to one function of hundreds of loop nests in sequence.
// LLVM's loop analyses walk dominator chains from each loop to the entry,
// so O3 on that function grows quadratically with the number of layers (a
// 224x224 mobile candidate spent most of its 20 s compile there). Each
// top-level loop nest or linalg op of the entry point is outlined into its
// own private, never-inlined function: optimization time becomes linear,
// and a call per layer costs nothing measurable.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

LogicalResult nasc::cpu::outlineLoopNests(ModuleOp module,
                                          StringRef entryPoint) {
  auto entry = module.lookupSymbol<func::FuncOp>(entryPoint);
  if (!entry || entry.isExternal())
    return success();
  SmallVector<Operation *> nests;
  for (Operation &op : entry.getBody().front())
    if (op.getNumResults() == 0 && isa<scf::ForOp, linalg::LinalgOp>(op))
      nests.push_back(&op);
  IRRewriter rewriter(module.getContext());
  auto noInline = rewriter.getArrayAttr({rewriter.getStringAttr("noinline")});
  auto internal = LLVM::LinkageAttr::get(module.getContext(),
                                         LLVM::Linkage::Internal);
  for (auto [index, op] : llvm::enumerate(nests)) {
    rewriter.setInsertionPoint(op);
    auto region =
        rewriter.create<scf::ExecuteRegionOp>(op->getLoc(), TypeRange{});
    Block *body = rewriter.createBlock(&region.getRegion());
    rewriter.setInsertionPointToEnd(body);
    auto yield = rewriter.create<scf::YieldOp>(op->getLoc());
    op->moveBefore(yield);
    std::string name = (entryPoint + "_" + Twine(index)).str();
    FailureOr<func::FuncOp> outlined = outlineSingleBlockRegion(
        rewriter, op->getLoc(), region.getRegion(), name);
    if (failed(outlined))
      return region.emitError() << "cannot outline a loop nest";
    outlined->setPrivate();
    (*outlined)->setAttr("passthrough", noInline);
    // convert-func-to-llvm reads the linkage here (else external).
    (*outlined)->setAttr("llvm.linkage", internal);
    // The region now only calls the function: put the call in its place.
    Block &callBlock = region.getRegion().front();
    rewriter.inlineBlockBefore(&callBlock, region);
    rewriter.eraseOp(region->getPrevNode()); // the scf.yield
    rewriter.eraseOp(region);
  }
  return success();
}
