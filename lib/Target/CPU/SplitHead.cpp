//===- SplitHead.cpp - The network's head, batched apart from its body ----===//
//
// NAME_run calls NAME_forward once per sample, so that a sample's
// activations stay in the cache from one layer to the next. The head after
// the global pooling (fully connected layers on [N, F]) gains nothing from
// that and loses much: each sample reads the head's weights again, one
// multiply-add per weight loaded (FBNet's 1984x1000 classifier ran at 6%
// of the core's peak). Here the entry point is cut at the first [N, F]
// value that the rest of the network depends on alone: NAME_forward keeps
// the body and writes the F features, and NAME_head computes the rest on
// a static block of `rows` samples, whose matmuls then reuse each weight
// loaded once for every row. NAME_run (Codegen.cpp, runtime/Head.c) runs
// the body per sample into a block of features and the head per block.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"
#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace nasc;

/// Whether `type` is a tensor<?xF> with a static F.
static bool isFeatureType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() == 2 && tensor.isDynamicDim(0) &&
         !tensor.isDynamicDim(1);
}

/// The values defined outside `op` that `op` or the ops nested in it read.
static SmallVector<Value> getCapturedOperands(Operation *op) {
  SmallVector<Value> captured;
  op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands()) {
      Operation *def = operand.getDefiningOp();
      Region *region = operand.getParentRegion();
      if (def ? !op->isAncestor(def) : !op->isAncestor(region->getParentOp()))
        captured.push_back(operand);
    }
  });
  return captured;
}

/// Whether `value` is `tensor.dim %x, 0` or `memref.dim %x, 0`: the
/// batch, which is `rows` in the head.
static bool isBatchDim(Value value) {
  std::optional<int64_t> index;
  if (auto dim = value.getDefiningOp<tensor::DimOp>())
    index = dim.getConstantIndex();
  else if (auto dim = value.getDefiningOp<memref::DimOp>())
    index = dim.getConstantIndex();
  return index && *index == 0;
}

namespace {
/// The entry point's pieces: the input's tensor, the ops that depend on
/// it in block order, and the result written to the output.
struct EntryPoint {
  bufferization::ToTensorOp input;
  bufferization::MaterializeInDestinationOp write;
  SmallVector<Operation *> dependent;
};
} // namespace

static FailureOr<EntryPoint> getEntryPoint(func::FuncOp func) {
  if (func.isExternal() || func.getNumArguments() != 2 ||
      !func.getBody().hasOneBlock())
    return failure();
  EntryPoint entry;
  for (Operation *user : func.getArgument(0).getUsers())
    if (auto input = dyn_cast<bufferization::ToTensorOp>(user))
      entry.input = input;
  for (Operation *user : func.getArgument(1).getUsers())
    if (auto write = dyn_cast<bufferization::MaterializeInDestinationOp>(user))
      entry.write = write;
  // The input is also read for its batch size.
  if (!entry.input || !entry.write || !func.getArgument(1).hasOneUse() ||
      llvm::any_of(func.getArgument(0).getUsers(), [&](Operation *user) {
        return user != entry.input && !(user->getNumResults() == 1 &&
                                        isBatchDim(user->getResult(0)));
      }))
    return failure();
  SetVector<Operation *> slice;
  getForwardSlice(entry.input.getOperation(), &slice);
  entry.dependent.push_back(entry.input);
  for (Operation &op : func.getBody().front())
    if (slice.contains(&op) && &op != entry.write)
      entry.dependent.push_back(&op);
  return entry;
}

/// The position in `entry.dependent` of the op defining the first [N, F]
/// value through which alone the output depends on the input, or -1.
static std::pair<int, Value> findCut(EntryPoint &entry) {
  llvm::DenseMap<Operation *, int> position;
  for (auto [index, op] : llvm::enumerate(entry.dependent))
    position[op] = index;
  auto positionOf = [&](Value v) -> int {
    Operation *def = v.getDefiningOp();
    auto it = def ? position.find(def) : position.end();
    return it == position.end() ? -1 : it->second;
  };
  // The output is [N, K]: the head's block is [rows, K].
  if (!isFeatureType(entry.write.getSource().getType()))
    return {-1, Value()};
  int last = positionOf(entry.write.getSource());
  for (auto [index, op] : llvm::enumerate(entry.dependent)) {
    for (Value cut : op->getResults()) {
      if (!isFeatureType(cut.getType()))
        continue;
      int at = int(index);
      bool alone = llvm::all_of(
          llvm::drop_begin(entry.dependent, at + 1), [&](Operation *later) {
            return llvm::all_of(getCapturedOperands(later), [&](Value v) {
              int from = positionOf(v);
              return from < 0 || from > at || v == cut || isBatchDim(v);
            });
          });
      // A head of no op (the features are the output) is left alone.
      if (alone && last > at)
        return {at, cut};
    }
  }
  return {-1, Value()};
}

std::optional<cpu::HeadSplit>
cpu::splitHead(ModuleOp module, StringRef entryPoint, int64_t rows) {
  auto func = module.lookupSymbol<func::FuncOp>(entryPoint);
  if (!func || rows < 1 || func->hasAttr(kSamplesCoupledAttr) ||
      !entryPoint.ends_with("_forward"))
    return std::nullopt;
  std::string headName =
      (entryPoint.drop_back(StringRef("_forward").size()) + "_head").str();
  if (module.lookupSymbol(headName))
    return std::nullopt;
  FailureOr<EntryPoint> entry = getEntryPoint(func);
  if (failed(entry))
    return std::nullopt;
  auto [at, cut] = findCut(*entry);
  if (at < 0)
    return std::nullopt;
  auto result = cast<RankedTensorType>(entry->write.getSource().getType());
  auto features = cast<RankedTensorType>(cut.getType());
  int64_t outputs = result.getDimSize(1);

  // NAME_head(memref<rows x F>, memref<rows x K>): the ops after the cut,
  // on the block's features viewed as [?, F], and what they read that
  // does not depend on the input (weights, constants), cloned.
  OpBuilder b(module.getContext());
  b.setInsertionPointAfter(func);
  Location loc = func.getLoc();
  Type element = features.getElementType();
  llvm::DenseSet<Operation *> later(entry->dependent.begin() + at + 1,
                                    entry->dependent.end());
  auto buildHead = [&](StringRef name, int64_t blockRows) -> func::FuncOp {
    auto blockIn =
        MemRefType::get({blockRows, features.getDimSize(1)}, element);
    auto blockOut =
        MemRefType::get({blockRows, outputs}, result.getElementType());
    auto head = b.create<func::FuncOp>(
        loc, name, b.getFunctionType({blockIn, blockOut}, {}));
    OpBuilder::InsertionGuard guard(b);
    Block *body = head.addEntryBlock();
    b.setInsertionPointToStart(body);
    Value block = b.create<bufferization::ToTensorOp>(
        loc, RankedTensorType::get(blockIn.getShape(), element),
        body->getArgument(0), /*restrict=*/true, /*writable=*/false);
    IRMapping mapping;
    mapping.map(cut, b.create<tensor::CastOp>(loc, features, block));
    Value batch = b.create<arith::ConstantIndexOp>(loc, blockRows);
    // Clones what `v` needs that is neither the cut nor after it; fails on
    // a value of NAME_forward's own (an argument) the head cannot have.
    std::function<bool(Value)> provide = [&](Value v) {
      if (mapping.contains(v))
        return true;
      Operation *def = v.getDefiningOp();
      if (isBatchDim(v) && !later.contains(def)) {
        mapping.map(v, batch);
        return true;
      }
      if (!def)
        return false;
      if (later.contains(def))
        return true;
      if (!llvm::all_of(getCapturedOperands(def), provide))
        return false;
      b.clone(*def, mapping);
      return true;
    };
    for (Operation *op : llvm::drop_begin(entry->dependent, at + 1)) {
      if (!llvm::all_of(getCapturedOperands(op), provide)) {
        head.erase();
        return nullptr;
      }
      b.clone(*op, mapping);
    }
    Value logits = b.create<tensor::CastOp>(
        loc,
        RankedTensorType::get(blockOut.getShape(), result.getElementType()),
        mapping.lookup(entry->write.getSource()));
    auto write = b.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange{}, logits, body->getArgument(1));
    write.setRestrict(true);
    write.setWritable(true);
    b.create<func::ReturnOp>(loc);
    b.setInsertionPointAfter(head);
    return head;
  };
  func::FuncOp head = buildHead(headName, rows);
  if (!head)
    return std::nullopt;
  // A lone sample (batch 1, or a block's last) skips the block's other
  // rows: NAME_head_one, the same head on one row.
  std::string singleName;
  if (rows > 1) {
    singleName = headName + "_one";
    if (module.lookupSymbol(singleName) || !buildHead(singleName, 1))
      singleName.clear();
  }

  // NAME_forward now writes the features; what only the head needed goes.
  BlockArgument output = func.getArgument(1);
  auto featureMemref = MemRefType::get(features.getShape(), element);
  output.setType(featureMemref);
  func.setFunctionType(
      b.getFunctionType({func.getArgument(0).getType(), featureMemref}, {}));
  entry->write.getSourceMutable().assign(cut);
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
    if (isOpTriviallyDead(&op))
      op.erase();
  return cpu::HeadSplit{headName, rows, features.getDimSize(1), singleName};
}
