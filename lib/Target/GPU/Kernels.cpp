//===- Kernels.cpp - linalg ops as kernels, the host side as a plan -------===//
//
// The bufferized forward function is walked in order. Each linalg op (in
// its generic form) becomes a gpu.func in which thread `i` computes element
// `i` of the op's parallel iteration space, row-major in the order of the
// first output's dimensions (consecutive threads write consecutive
// elements); the reduction dimensions run in a loop nest in iterator order,
// the order of the CPU backend's loops, so that sums add up alike. The
// other ops (allocations, weights, views, deallocations) become the plan's
// buffers and views; workspace buffers share memory by first fit over their
// lifetimes, the batch-scaled ones at offsets that scale with the batch.
//
//===----------------------------------------------------------------------===//

#include "GPUInternal.h"

#include "nasc/Target/CPU/Passes.h"
#include "nasc/Target/Common/Diagnostics.h"
#include "nasc/Target/Common/Lowering.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/TypeSwitch.h"

#include <map>

using namespace mlir;
using namespace nasc;
using namespace nasc::gpu;

llvm::ArrayRef<llvm::StringRef> nasc::gpu::getSupportedArchs() {
  static const llvm::StringRef archs[] = {"sm_75", "sm_80", "sm_86", "sm_89",
                                          "sm_90"};
  return archs;
}

//===----------------------------------------------------------------------===//
// One thread per element
//===----------------------------------------------------------------------===//

/// `map`'s results at `ivs`: dimensions directly, other expressions through
/// affine.apply.
static SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                                   ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      indices.push_back(ivs[dim.getPosition()]);
      continue;
    }
    indices.push_back(b.create<affine::AffineApplyOp>(
        loc, AffineMap::get(map.getNumDims(), 0, expr), ivs));
  }
  return indices;
}

/// `memref` at `indices` as a value of type `want`: an element stored at
/// lower precision (a half-precision buffer) widens.
static Value loadAs(OpBuilder &b, Location loc, Value memref,
                    ValueRange indices, Type want) {
  Value value = b.create<memref::LoadOp>(loc, memref, indices);
  if (value.getType() != want)
    value = b.create<arith::ExtFOp>(loc, want, value);
  return value;
}

/// Stores `value` into `memref` at `indices`, narrowed to its element type.
static void storeAs(OpBuilder &b, Location loc, Value value, Value memref,
                    ValueRange indices) {
  Type stored = cast<MemRefType>(memref.getType()).getElementType();
  if (value.getType() != stored)
    value = b.create<arith::TruncFOp>(loc, stored, value);
  b.create<memref::StoreOp>(loc, value, memref, indices);
}

/// The parallel dimensions of `op` in the order of its first output's
/// dimensions, or failure when an output is not indexed by exactly the
/// parallel dimensions (then threads could not own their elements).
static FailureOr<SmallVector<unsigned>> getThreadOrder(linalg::GenericOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned parallel = llvm::count(iterators, utils::IteratorType::parallel);
  SmallVector<unsigned> order;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    SmallVector<unsigned> dims;
    for (AffineExpr expr : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel)
        return failure();
      dims.push_back(dim.getPosition());
    }
    if (dims.size() != parallel ||
        llvm::SmallDenseSet<unsigned>(dims.begin(), dims.end()).size() !=
            parallel)
      return failure();
    if (order.empty())
      order = dims;
  }
  return order;
}

/// `op`'s payload with its block arguments bound: inputs from `inputs`,
/// outputs' current values from `current`, linalg.index from `ivs`; the
/// values it yields.
static SmallVector<Value> clonePayload(OpBuilder &b, linalg::GenericOp op,
                                       ArrayRef<Value> inputs,
                                       ValueRange current,
                                       ArrayRef<Value> ivs) {
  Block *body = op.getBody();
  IRMapping mapping;
  for (auto [i, value] : llvm::enumerate(inputs))
    mapping.map(body->getArgument(i), value);
  for (auto [i, value] : llvm::enumerate(current))
    mapping.map(body->getArgument(inputs.size() + i), value);
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  SmallVector<Value> yielded;
  for (Value value : body->getTerminator()->getOperands())
    yielded.push_back(mapping.lookupOrDefault(value));
  return yielded;
}

/// `op`'s inputs at `ivs`: memrefs loaded through their maps, scalars as
/// they are; `skip`, when given, is left null (a fused value), and a
/// non-null `reuse[i]` is taken for input i instead of a load.
static SmallVector<Value> loadInputs(OpBuilder &b, Location loc,
                                     linalg::GenericOp op, ArrayRef<Value> ivs,
                                     Value skip = {},
                                     ArrayRef<Value> reuse = {}) {
  SmallVector<Value> values;
  for (OpOperand *input : op.getDpsInputOperands()) {
    unsigned i = values.size();
    if (skip && input->get() == skip) {
      values.push_back({});
      continue;
    }
    if (!reuse.empty() && reuse[i]) {
      values.push_back(reuse[i]);
      continue;
    }
    if (!isa<MemRefType>(input->get().getType())) {
      values.push_back(input->get());
      continue;
    }
    values.push_back(
        loadAs(b, loc, input->get(),
               applyMap(b, loc, op.getMatchingIndexingMap(input), ivs),
               op.getMatchingBlockArgument(input).getType()));
  }
  return values;
}

ThreadTile nasc::gpu::getThreadTile(linalg::GenericOp op, unsigned outputs) {
  ThreadTile tile;
  FailureOr<SmallVector<unsigned>> order = getThreadOrder(op);
  if (outputs <= 1 || failed(order))
    return tile;
  SmallVector<int64_t> extents = op.getStaticLoopRanges();
  // The most shared loads, then the fewest elements recomputed past the
  // extent, then the outermost.
  std::pair<unsigned, int64_t> best = {0, 0};
  for (unsigned d : *order) {
    if (ShapedType::isDynamic(extents[d]) || extents[d] < 2)
      continue;
    unsigned shared = 0;
    for (OpOperand *input : op.getDpsInputOperands())
      if (isa<MemRefType>(input->get().getType()) &&
          op.payloadUsesValueFromOperand(input) &&
          !op.getMatchingIndexingMap(input).isFunctionOfDim(d))
        ++shared;
    int64_t count = std::min<int64_t>(outputs, extents[d]);
    int64_t wasted = llvm::alignTo(extents[d], count) - extents[d];
    // Per element of the iteration space, so extents compare.
    std::pair<unsigned, int64_t> score = {shared,
                                          -wasted * 1000000 / extents[d]};
    if (shared > 0 && (tile.count == 1 || score > best)) {
      best = score;
      tile.dim = d;
      tile.extent = extents[d];
      tile.count = unsigned(count);
    }
  }
  return tile;
}

/// `op`'s inputs at each element of a thread's tile: an input that does
/// not depend on the tiled dimension is loaded once for all of them.
static SmallVector<SmallVector<Value>>
loadTileInputs(OpBuilder &b, Location loc, linalg::GenericOp op,
               ArrayRef<SmallVector<Value>> elementIvs,
               const ThreadTile &tile) {
  SmallVector<SmallVector<Value>> values;
  SmallVector<Value> shared;
  for (auto [j, ivs] : llvm::enumerate(elementIvs)) {
    values.push_back(loadInputs(b, loc, op, ivs, {}, shared));
    if (j != 0)
      continue;
    for (OpOperand *input : op.getDpsInputOperands())
      shared.push_back(
          op.getMatchingIndexingMap(input).isFunctionOfDim(tile.dim)
              ? Value()
              : values[0][shared.size()]);
  }
  return values;
}

LogicalResult nasc::gpu::buildElement(OpBuilder &b, Location loc,
                                      const KernelGroup &group,
                                      const ThreadTile &tile, Value linear) {
  linalg::GenericOp op = group.producer;
  FailureOr<SmallVector<unsigned>> order = getThreadOrder(op);
  if (failed(order))
    return op.emitError("the gpu backend needs every output indexed by all "
                        "parallel dimensions");
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  auto size = [&](unsigned d) {
    return getValueOrCreateConstantIndexOp(b, loc, ranges[d].size);
  };
  auto constant = [&](int64_t value) -> Value {
    return b.create<arith::ConstantIndexOp>(loc, value);
  };
  unsigned numDims = ranges.size();
  SmallVector<Value> ivs(numDims);

  // The thread's parallel indices, the last dimension fastest; along the
  // tiled dimension it counts tiles.
  Value rest = linear;
  for (unsigned d : llvm::reverse(*order)) {
    Value extent =
        d == tile.dim && tile.count > 1 ? constant(tile.getTiles()) : size(d);
    ivs[d] = b.create<arith::RemUIOp>(loc, rest, extent);
    rest = b.create<arith::DivUIOp>(loc, rest, extent);
  }

  // Its elements: `tile.count` consecutive indices of the tiled dimension.
  // Past the extent, an element recomputes the last one and stores nothing.
  SmallVector<SmallVector<Value>> elementIvs(tile.count, ivs);
  SmallVector<Value> inRange(tile.count);
  if (tile.count > 1) {
    Value first =
        b.create<arith::MulIOp>(loc, ivs[tile.dim], constant(tile.count));
    for (unsigned j = 0; j < tile.count; ++j) {
      Value index = b.create<arith::AddIOp>(loc, first, constant(j));
      if (tile.extent % tile.count != 0) {
        inRange[j] = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ult,
                                             index, constant(tile.extent));
        index = b.create<arith::MinUIOp>(loc, index, constant(tile.extent - 1));
      }
      elementIvs[j][tile.dim] = index;
    }
  }

  // The producer output's dimension k is the parallel dimension
  // `outputIvs[k]`: the initializer's and the consumer's dimension k.
  AffineMap producerMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<SmallVector<Value>> outputIvs;
  for (ArrayRef<Value> element : elementIvs) {
    outputIvs.emplace_back();
    for (AffineExpr expr : producerMap.getResults())
      outputIvs.back().push_back(
          element[cast<AffineDimExpr>(expr).getPosition()]);
  }

  // The outputs' first values, element after element: the initializer's,
  // else what they hold.
  linalg::GenericOp init = group.init;
  unsigned numResults = op.getNumDpsInits();
  SmallVector<Value> accumulators;
  for (unsigned j = 0; j < tile.count; ++j) {
    if (init) {
      llvm::append_range(accumulators,
                         clonePayload(b, init,
                                      loadInputs(b, loc, init, outputIvs[j]),
                                      {}, outputIvs[j]));
      continue;
    }
    for (OpOperand &output : op.getDpsInitsMutable())
      accumulators.push_back(loadAs(
          b, loc, output.get(),
          applyMap(b, loc, op.getMatchingIndexingMap(&output), elementIvs[j]),
          op.getMatchingBlockArgument(&output).getType()));
  }

  // The reduction dimensions nest in iterator order.
  SmallVector<unsigned> reductions;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::reduction)
      reductions.push_back(d);
  std::function<SmallVector<Value>(OpBuilder &, unsigned, ValueRange)> nest =
      [&](OpBuilder &nb, unsigned level, ValueRange current) {
        if (level == reductions.size()) {
          SmallVector<SmallVector<Value>> inputs =
              loadTileInputs(nb, loc, op, elementIvs, tile);
          SmallVector<Value> yielded;
          for (unsigned j = 0; j < tile.count; ++j)
            llvm::append_range(
                yielded, clonePayload(nb, op, inputs[j],
                                      current.slice(j * numResults, numResults),
                                      elementIvs[j]));
          return yielded;
        }
        unsigned d = reductions[level];
        Value zero = nb.create<arith::ConstantIndexOp>(loc, 0);
        Value one = nb.create<arith::ConstantIndexOp>(loc, 1);
        auto loop = nb.create<scf::ForOp>(
            loc, zero, getValueOrCreateConstantIndexOp(nb, loc, ranges[d].size),
            one, current,
            [&](OpBuilder &lb, Location, Value iv, ValueRange iterArgs) {
              for (SmallVector<Value> &element : elementIvs)
                element[d] = iv;
              lb.create<scf::YieldOp>(loc, nest(lb, level + 1, iterArgs));
            });
        return SmallVector<Value>(loop.getResults());
      };
  SmallVector<Value> results = nest(b, 0, accumulators);

  // Each element's results: stored, or first through the consumer.
  auto finish = [&](OpBuilder &fb, unsigned j) {
    ArrayRef<Value> element = elementIvs[j];
    ArrayRef<Value> values =
        ArrayRef<Value>(results).slice(j * numResults, numResults);
    if (!group.consumer) {
      for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable()))
        storeAs(fb, loc, values[i], init.get(),
                applyMap(fb, loc, op.getMatchingIndexingMap(&init), element));
      return;
    }
    linalg::GenericOp consumer = group.consumer;
    Value fused = op.getDpsInitOperand(0)->get();
    ArrayRef<Value> consumerIvs = outputIvs[j];
    SmallVector<Value> inputs =
        loadInputs(fb, loc, consumer, consumerIvs, fused);
    for (Value &input : inputs)
      if (!input)
        input = values[0];
    SmallVector<Value> current;
    for (OpOperand &init : consumer.getDpsInitsMutable())
      current.push_back(
          init.get() == fused // in place: the producer's value
              ? values[0]
              : loadAs(fb, loc, init.get(),
                       applyMap(fb, loc, consumer.getMatchingIndexingMap(&init),
                                consumerIvs),
                       consumer.getMatchingBlockArgument(&init).getType()));
    SmallVector<Value> yielded =
        clonePayload(fb, consumer, inputs, current, consumerIvs);
    for (auto [i, init] : llvm::enumerate(consumer.getDpsInitsMutable()))
      storeAs(fb, loc, yielded[i], init.get(),
              applyMap(fb, loc, consumer.getMatchingIndexingMap(&init),
                       consumerIvs));
  };
  for (unsigned j = 0; j < tile.count; ++j) {
    if (!inRange[j]) {
      finish(b, j);
      continue;
    }
    auto guard = b.create<scf::IfOp>(loc, inRange[j],
                                     /*withElseRegion=*/false);
    OpBuilder inside = guard.getThenBodyBuilder();
    finish(inside, j);
  }
  return success();
}

Value nasc::gpu::buildThreadCount(OpBuilder &b, Location loc,
                                  linalg::GenericOp op,
                                  const ThreadTile &tile) {
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  Value total = b.create<arith::ConstantIndexOp>(loc, 1);
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (iterator != utils::IteratorType::parallel)
      continue;
    Value extent =
        d == tile.dim && tile.count > 1
            ? b.create<arith::ConstantIndexOp>(loc, tile.getTiles())
            : getValueOrCreateConstantIndexOp(b, loc, ranges[d].size);
    total = b.create<arith::MulIOp>(loc, total, extent);
  }
  return total;
}

//===----------------------------------------------------------------------===//
// The plan
//===----------------------------------------------------------------------===//

namespace {

/// Extent arithmetic; a product of two batch-scaled extents is an error.
std::optional<Extent> multiply(Extent a, Extent b) {
  if (a.perSample && b.perSample)
    return std::nullopt;
  if (a.perSample)
    std::swap(a, b);
  // a is fixed.
  return Extent{a.fixed * b.perSample, a.fixed * b.fixed};
}

/// `start` times every extent of `sizes`, or nullopt when the batch would
/// scale it twice.
std::optional<Extent> multiplyAll(Extent start, llvm::ArrayRef<Extent> sizes) {
  for (const Extent &size : sizes) {
    std::optional<Extent> product = multiply(start, size);
    if (!product)
      return std::nullopt;
    start = *product;
  }
  return start;
}

int64_t alignTo(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

constexpr int64_t kAlignment = 256;

/// The allocation, weight or argument `value` views.
Value getRootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      value = view.getViewSource();
    else
      break;
  }
  return value;
}

/// Whether `op` reads memory of `buffer`'s allocation.
bool readsRoot(linalg::GenericOp op, Value buffer) {
  Value root = getRootBuffer(buffer);
  return llvm::any_of(op.getDpsInputs(), [&](Value input) {
    return getRootBuffer(input) == root;
  });
}

/// Whether `op` only initializes `output`: all loops parallel, `output`
/// written through the identity and never read (a fill, a copy, a bias
/// broadcast), so that its payload can give the producer's first values.
bool isInitializerOf(Operation *op, Value output) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getDpsInitOperand(0)->get() != output ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity() ||
      llvm::is_contained(generic.getDpsInputs(), output))
    return false;
  return generic.getBody()->getArgument(generic.getNumDpsInputs()).use_empty();
}

/// Whether `consumer` is element-wise over `output` (all loops parallel,
/// every operand through the identity, `output` read once as an input, or
/// updated in place as its output), so that its payload can follow the
/// producer's in one thread.
bool isElementwiseConsumer(linalg::GenericOp consumer, Value output) {
  auto rank = cast<MemRefType>(output.getType()).getRank();
  if (consumer.getNumLoops() != rank || consumer.getNumDpsInits() != 1 ||
      consumer.getNumParallelLoops() != rank ||
      !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
           .isIdentity())
    return false;
  bool inPlace = consumer.getDpsInitOperand(0)->get() == output;
  unsigned reads = 0;
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input->get() == output) {
      if (!consumer.getMatchingIndexingMap(input).isIdentity())
        return false;
      ++reads;
    }
  return inPlace ? reads <= 1 : reads == 1;
}

/// The kernels of `forward`'s generic ops (nasc::gpu::KernelGroup), by
/// their last op: with `fuse`, a producer takes into its kernel the op
/// right before it that only initializes its output and the element-wise
/// op that next reads it; without, every op is a kernel of its own.
DenseMap<Operation *, KernelGroup> groupKernels(func::FuncOp forward,
                                                bool fuse) {
  DenseMap<Operation *, KernelGroup> groups;
  DenseSet<Operation *> fused;
  SmallVector<linalg::GenericOp> generics(
      forward.getBody().front().getOps<linalg::GenericOp>());
  for (auto [i, op] : llvm::enumerate(generics)) {
    if (fused.contains(op))
      continue;
    KernelGroup group;
    group.producer = op;
    if (fuse && op.getNumDpsInits() == 1) {
      Value output = op.getDpsInitOperand(0)->get();
      // Every op that touches the output's memory, through views too.
      SetVector<Operation *> unique;
      SmallVector<Value> aliases = {output};
      while (!aliases.empty())
        for (Operation *user : aliases.pop_back_val().getUsers()) {
          auto view = dyn_cast<ViewLikeOpInterface>(user);
          if (view && view.getViewSource())
            llvm::append_range(aliases, user->getResults());
          else
            unique.insert(user);
        }
      SmallVector<Operation *> users(unique.begin(), unique.end());
      llvm::sort(users, [](Operation *a, Operation *b) {
        return a->isBeforeInBlock(b);
      });
      auto self = llvm::find(users, op.getOperation());
      bool single = output.getDefiningOp<memref::AllocOp>() &&
                    llvm::count(op->getOperands(), output) == 1 &&
                    llvm::all_of(users, [&](Operation *user) {
                      return user->getBlock() == op->getBlock();
                    });
      // Right before the producer: its output's initializer (no op in
      // between writes what the initializer reads).
      if (single && self - users.begin() == 1 && i > 0 &&
          users[0] == generics[i - 1].getOperation() &&
          !fused.contains(generics[i - 1]) &&
          !readsRoot(generics[i - 1], output) &&
          isInitializerOf(users[0], output))
        group.init = cast<linalg::GenericOp>(users[0]);
      // The output's next user: the consumer, if the generics in between
      // write nothing the producer reads (the kernel runs where the
      // consumer was). Unless it updates the output in place, nothing but
      // the release follows (the output is then never stored).
      auto after = llvm::make_range(std::next(self), users.end());
      size_t rest = std::distance(after.begin(), after.end());
      auto next = rest ? llvm::find(generics, *after.begin()) : generics.end();
      if (single && next != generics.end() && !fused.contains(*next) &&
          !readsRoot(op, output) &&
          !(group.init && readsRoot(group.init, output)) &&
          isElementwiseConsumer(*next, output) &&
          ((*next).getDpsInitOperand(0)->get() == output || rest == 1 ||
           (rest == 2 && isa<memref::DeallocOp>(users.back())))) {
        llvm::SmallPtrSet<Value, 8> read;
        for (linalg::GenericOp reader : {group.init, op})
          if (reader)
            for (Value input : reader.getDpsInputs())
              read.insert(getRootBuffer(input));
        // The consumer's writes must not race with other threads' reads of
        // the same memory in the fused kernel, nor may the ops in between
        // change what the producer reads.
        auto writesRead = [&](linalg::GenericOp writer) {
          return llvm::any_of(writer.getDpsInits(), [&](Value init) {
            return read.contains(getRootBuffer(init));
          });
        };
        bool independent =
            !writesRead(*next) &&
            llvm::none_of(llvm::make_range(generics.begin() + i + 1, next),
                          writesRead);
        if (independent)
          group.consumer = *next;
        // No op but these touches the output, and the kernel neither
        // reads nor writes it: it needs no memory.
        bool readsOutput =
            !group.init &&
            !op.getBody()->getArgument(op.getNumDpsInputs()).use_empty();
        group.outputInRegisters =
            independent && !readsOutput &&
            (*next).getDpsInitOperand(0)->get() != output &&
            users.size() == size_t(group.init ? 1 : 0) + 1 + rest;
      }
    }
    if (group.init) {
      groups.erase(group.init);
      fused.insert(group.init);
    }
    if (group.consumer)
      fused.insert(group.consumer);
    groups[op] = group;
  }
  // A kernel launches where its last op was: the consumer's buffers exist.
  DenseMap<Operation *, KernelGroup> byLast;
  for (auto &[op, group] : groups)
    byLast[group.consumer ? group.consumer.getOperation() : op] = group;
  return byLast;
}

class PlanBuilder {
public:
  PlanBuilder(Program &program, ModuleOp module, mlir::gpu::GPUModuleOp kernels,
              const CompileOptions &options)
      : program(program), module(module), kernels(kernels), options(options) {}

  LogicalResult run(func::FuncOp forward);

private:
  LogicalResult addView(Value value, unsigned buffer,
                        llvm::ArrayRef<Extent> dynamicSizes);
  FailureOr<SmallVector<Extent>> getIndices(ValueRange values, Operation *user);
  LogicalResult addWeight(memref::GetGlobalOp op);
  /// Whether a buffer of `kind` holding `type`'s elements stores them in
  /// half precision: floats of the workspace and the weights, when the
  /// precision is fp16 (the input and output stay float, the C API's).
  bool isHalf(MemRefType type, BufferKind kind) const {
    return options.halfStorage && type.getElementType().isF32() &&
           (kind == BufferKind::Workspace || kind == BufferKind::Weight);
  }
  /// The type a kernel takes `buffer` as: with f16 elements where stored so.
  Type getStoredType(Value buffer) const {
    auto type = cast<MemRefType>(buffer.getType());
    if (!isHalf(type, program.buffers[views.at(buffer).buffer].kind))
      return type;
    return MemRefType::Builder(type).setElementType(
        Float16Type::get(type.getContext()));
  }
  LogicalResult addKernel(const KernelGroup &group);
  LogicalResult addReshape(Operation *op, Value source, Value result,
                           ArrayRef<ReassociationIndices> groups,
                           bool collapse);
  void planWorkspace();

  Program &program;
  ModuleOp module;
  mlir::gpu::GPUModuleOp kernels;
  const CompileOptions &options;
  DenseMap<Value, View> views;
  DenseMap<Value, Extent> indices;
  /// Workspace buffers no kernel reads or writes (fused outputs).
  DenseSet<unsigned> unstored;
  /// The kernel that launches at each generic op (its last).
  DenseMap<Operation *, KernelGroup> groups;
  std::map<std::string, unsigned> weightBuffers;
  /// Workspace buffers' lifetimes: op positions of allocation and release.
  struct Lifetime {
    unsigned buffer, begin, end;
  };
  std::vector<Lifetime> lifetimes;
  unsigned position = 0;
};

} // namespace

FailureOr<SmallVector<Extent>> PlanBuilder::getIndices(ValueRange values,
                                                       Operation *user) {
  SmallVector<Extent> extents;
  for (Value value : values) {
    auto it = indices.find(value);
    APInt constant;
    if (it != indices.end())
      extents.push_back(it->second);
    else if (matchPattern(value, m_ConstantInt(&constant)))
      extents.push_back({0, constant.getSExtValue()});
    else
      return user->emitError("the gpu backend takes sizes that are "
                             "constants or the batch, not this value");
  }
  return extents;
}

LogicalResult PlanBuilder::addView(Value value, unsigned buffer,
                                   llvm::ArrayRef<Extent> dynamicSizes) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)) ||
      ShapedType::isDynamic(offset) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return value.getDefiningOp()->emitError(
        "the gpu backend needs static strides and offsets");
  View view;
  view.buffer = buffer;
  view.elementBytes = isHalf(type, program.buffers[buffer].kind)
                          ? 2
                          : std::max(1u, type.getElementTypeBitWidth() / 8);
  view.offset = offset;
  view.strides.assign(strides.begin(), strides.end());
  unsigned next = 0;
  for (int64_t dim : type.getShape())
    view.sizes.push_back(ShapedType::isDynamic(dim) ? dynamicSizes[next++]
                                                    : Extent{0, dim});
  views[value] = std::move(view);
  return success();
}

LogicalResult PlanBuilder::addWeight(memref::GetGlobalOp op) {
  auto global =
      module.lookupSymbol<memref::GlobalOp>(op.getNameAttr().getAttr());
  auto value =
      global ? dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr())
             : DenseElementsAttr();
  if (!value || !global.getConstant())
    return op.emitError("the gpu backend needs constant, dense weights");
  auto it = weightBuffers.find(global.getSymName().str());
  if (it == weightBuffers.end()) {
    Type element = value.getElementType();
    unsigned bits = element.getIntOrFloatBitWidth();
    if (bits % 8)
      return op.emitError("the gpu backend cannot store ")
             << element << " weights";
    program.weights.resize(alignTo(program.weights.size(), kAlignment), '\0');
    Buffer buffer;
    buffer.kind = BufferKind::Weight;
    buffer.offset = {0, int64_t(program.weights.size())};
    if (isHalf(op.getType(), BufferKind::Weight)) {
      // Rounded to the nearest half, ties to even.
      for (APFloat weight : value.getValues<APFloat>()) {
        bool losesInfo;
        weight.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven,
                       &losesInfo);
        uint16_t half = uint16_t(weight.bitcastToAPInt().getZExtValue());
        program.weights.append({char(half & 0xff), char(half >> 8)});
      }
    } else {
      ArrayRef<char> raw = value.getRawData();
      if (value.isSplat())
        for (int64_t i = 0; i < value.getNumElements(); ++i)
          program.weights.append(raw.begin(), raw.begin() + bits / 8);
      else
        program.weights.append(raw.begin(), raw.end());
    }
    buffer.bytes = {0, int64_t(program.weights.size()) - buffer.offset.fixed};
    program.buffers.push_back(buffer);
    it = weightBuffers
             .emplace(global.getSymName().str(), program.buffers.size() - 1)
             .first;
  }
  return addView(op.getResult(), it->second, {});
}

LogicalResult PlanBuilder::addReshape(Operation *op, Value source, Value result,
                                      ArrayRef<ReassociationIndices> groups,
                                      bool collapse) {
  const View &from = views.at(source);
  auto type = cast<MemRefType>(result.getType());
  // The dynamic sizes of the result.
  SmallVector<Extent> dynamic;
  for (auto [g, group] : llvm::enumerate(groups)) {
    if (collapse) {
      if (!type.isDynamicDim(g))
        continue;
      SmallVector<Extent> parts;
      for (int64_t d : group)
        parts.push_back(from.sizes[d]);
      std::optional<Extent> size = multiplyAll({0, 1}, parts);
      if (!size)
        return op->emitError("the gpu backend cannot scale a size by the "
                             "batch twice");
      dynamic.push_back(*size);
      continue;
    }
    // expand: one dynamic result dimension takes what the others leave.
    for (int64_t d : group) {
      if (!type.isDynamicDim(d))
        continue;
      int64_t others = 1;
      for (int64_t e : group)
        if (e != d)
          others *= type.getDimSize(e);
      Extent size = from.sizes[g];
      if (size.perSample % others || size.fixed % others)
        return op->emitError("the gpu backend cannot expand this shape");
      dynamic.push_back({size.perSample / others, size.fixed / others});
    }
  }
  return addView(result, from.buffer, dynamic);
}

LogicalResult PlanBuilder::addKernel(const KernelGroup &group) {
  linalg::GenericOp op = group.producer;
  Location loc = op.getLoc();
  std::string name =
      program.name + "_k" + std::to_string(program.kernels.size());
  SmallVector<linalg::GenericOp> ops;
  for (linalg::GenericOp member : {group.init, op, group.consumer})
    if (member)
      ops.push_back(member);

  // The kernel takes the ops' buffers, each once; scalars and the payloads'
  // captured values must be constants, which it defines itself.
  SetVector<Value> captured, buffers;
  for (linalg::GenericOp member : ops) {
    getUsedValuesDefinedAbove(member.getRegion(), captured);
    for (Value operand : member->getOperands())
      if (isa<MemRefType>(operand.getType()))
        buffers.insert(operand);
      else
        captured.insert(operand);
  }
  SmallVector<Type> argTypes;
  Launch launch;
  for (Value buffer : buffers) {
    auto view = views.find(buffer);
    if (view == views.end())
      return op.emitError("the gpu backend cannot find this operand's buffer");
    argTypes.push_back(getStoredType(buffer));
    launch.operands.push_back(view->second);
  }
  // A memref is 2 pointers and 1 + 2 * rank integers of 8 bytes; drivers
  // take 4 KiB of parameters.
  int64_t parameters = 0;
  for (Type type : argTypes)
    parameters += 3 + 2 * cast<MemRefType>(type).getRank();
  if (parameters > 512)
    return op.emitError("the gpu backend's kernel would take ")
           << parameters << " parameters, more than 512";
  for (Value value : captured)
    if (!matchPattern(value, m_Constant()))
      return op.emitError("the gpu backend passes only constants to a kernel "
                          "besides its buffers");

  OpBuilder b(kernels.getBodyRegion());
  b.setInsertionPoint(kernels.getBody()->getTerminator());
  auto func = b.create<mlir::gpu::GPUFuncOp>(loc, name,
                                             b.getFunctionType(argTypes, {}));
  func->setAttr(mlir::gpu::GPUDialect::getKernelFuncAttrName(),
                b.getUnitAttr());
  b.setInsertionPointToStart(&func.getBody().front());
  IRMapping mapping;
  for (auto [i, buffer] : llvm::enumerate(buffers))
    mapping.map(buffer, func.getArgument(i));
  for (Value value : captured)
    mapping.map(value, b.clone(*value.getDefiningOp())->getResult(0));
  KernelGroup inKernel;
  auto cloneOf = [&](linalg::GenericOp member) {
    return member ? cast<linalg::GenericOp>(b.clone(*member, mapping))
                  : linalg::GenericOp();
  };
  inKernel.init = cloneOf(group.init);
  inKernel.producer = cloneOf(op);
  inKernel.consumer = cloneOf(group.consumer);

  // Thread blockIdx.x * blockDim.x + threadIdx.x owns that element.
  Value block = b.create<mlir::gpu::BlockIdOp>(loc, mlir::gpu::Dimension::x);
  Value threads = b.create<mlir::gpu::BlockDimOp>(loc, mlir::gpu::Dimension::x);
  Value thread = b.create<mlir::gpu::ThreadIdOp>(loc, mlir::gpu::Dimension::x);
  Value linear = b.create<arith::AddIOp>(
      loc, b.create<arith::MulIOp>(loc, block, threads), thread);
  ThreadTile tile = getThreadTile(inKernel.producer, options.threadTile);
  Value total = buildThreadCount(b, loc, inKernel.producer, tile);
  auto guard = b.create<scf::IfOp>(
      loc,
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ult, linear, total),
      /*withElseRegion=*/false);
  OpBuilder inside = guard.getThenBodyBuilder();
  if (failed(buildElement(inside, loc, inKernel, tile, linear)))
    return failure();
  for (linalg::GenericOp member :
       {inKernel.consumer, inKernel.producer, inKernel.init})
    if (member)
      member.erase();
  b.setInsertionPointToEnd(&func.getBody().front());
  b.create<mlir::gpu::ReturnOp>(loc);

  // One thread per element of the producer's first output, or per tile
  // of them.
  launch.kernel = program.kernels.size();
  std::vector<Extent> threadExtents =
      views.at(op.getDpsInitOperand(0)->get()).sizes;
  launch.outputsPerThread = tile.count;
  if (tile.count > 1)
    threadExtents[*op.getMatchingIndexingMap(op.getDpsInitOperand(0))
                       .getResultPosition(b.getAffineDimExpr(tile.dim))] = {
        0, tile.getTiles()};
  std::optional<Extent> threadCount = multiplyAll({0, 1}, threadExtents);
  if (!threadCount)
    return op.emitError("the gpu backend cannot scale a size by the batch "
                        "twice");
  launch.threads = *threadCount;
  std::string what;
  llvm::raw_string_ostream os(what);
  for (auto [i, member] : llvm::enumerate(ops)) {
    os << (i ? " + " : "");
    if (auto named = member->getAttrOfType<StringAttr>("nasc.gpu.op"))
      os << named.getValue();
    else
      os << "linalg.generic";
  }
  for (Value buffer : buffers) {
    auto type = cast<MemRefType>(buffer.getType());
    os << " ";
    llvm::interleave(
        type.getShape(), os,
        [&](int64_t d) {
          if (ShapedType::isDynamic(d))
            os << "B";
          else
            os << d;
        },
        "x");
  }
  launch.what = what;
  // A producer output that only lives in registers (its first values from
  // the initializer, its last ones consumed) needs no memory: the kernel
  // takes its descriptor for the sizes alone.
  Value fusedOutput = op.getDpsInitOperand(0)->get();
  if (group.outputInRegisters)
    unstored.insert(views.at(fusedOutput).buffer);
  program.kernels.push_back(name);
  program.launches.push_back(std::move(launch));
  return success();
}

void PlanBuilder::planWorkspace() {
  // First fit by address, separately for the batch-scaled buffers (offsets
  // per sample) and the fixed ones (placed after all batch-scaled bytes).
  for (bool scaled : {true, false}) {
    struct Placed {
      int64_t offset, size;
      unsigned end;
    };
    std::vector<Placed> live;
    int64_t top = 0;
    for (const Lifetime &lifetime : lifetimes) {
      Buffer &buffer = program.buffers[lifetime.buffer];
      if (unstored.contains(lifetime.buffer))
        continue;
      bool isScaled = buffer.bytes.perSample != 0;
      if (isScaled != scaled)
        continue;
      int64_t size = alignTo(
          scaled ? buffer.bytes.perSample : buffer.bytes.fixed, kAlignment);
      llvm::erase_if(live,
                     [&](const Placed &p) { return p.end <= lifetime.begin; });
      llvm::sort(live, [](const Placed &a, const Placed &b) {
        return a.offset < b.offset;
      });
      int64_t offset = 0;
      for (const Placed &p : live) {
        if (p.offset - offset >= size)
          break;
        offset = std::max(offset, p.offset + p.size);
      }
      live.push_back({offset, size, lifetime.end});
      top = std::max(top, offset + size);
      buffer.offset = scaled ? Extent{offset, 0} : Extent{0, offset};
    }
    if (scaled)
      program.workspaceBytes.perSample = top;
    else
      program.workspaceBytes.fixed = top;
  }
  // The fixed buffers follow the batch-scaled ones.
  for (const Lifetime &lifetime : lifetimes) {
    Buffer &buffer = program.buffers[lifetime.buffer];
    if (buffer.bytes.perSample == 0)
      buffer.offset.perSample = program.workspaceBytes.perSample;
  }
}

LogicalResult PlanBuilder::run(func::FuncOp forward) {
  if (forward.getNumArguments() != 2 || !forward.getBody().hasOneBlock())
    return forward.emitError("the gpu backend expects forward(input, output)");
  const BufferKind kinds[] = {BufferKind::Input, BufferKind::Output};
  for (auto [i, kind] : llvm::enumerate(kinds)) {
    Value arg = forward.getArgument(i);
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type || !type.getElementType().isF32() || type.getRank() == 0 ||
        !type.isDynamicDim(0))
      return forward.emitError("the gpu backend expects float batches");
    Buffer buffer;
    buffer.kind = kind;
    program.buffers.push_back(buffer);
    // The leading dimension is the batch.
    if (failed(addView(arg, program.buffers.size() - 1, {Extent{1, 0}})))
      return failure();
    program.buffers.back().bytes =
        *multiplyAll({0, 4}, views[arg].sizes); // float
  }

  groups = groupKernels(forward, options.fuse);
  DenseMap<unsigned, unsigned> lifetimeOf;
  for (Operation &op : forward.getBody().front()) {
    ++position;
    LogicalResult handled =
        llvm::TypeSwitch<Operation *, LogicalResult>(&op)
            .Case([&](memref::DimOp dim) -> LogicalResult {
              auto view = views.find(dim.getSource());
              std::optional<int64_t> index = dim.getConstantIndex();
              if (view == views.end() || !index)
                return dim.emitError("the gpu backend cannot size this");
              indices[dim.getResult()] = view->second.sizes[*index];
              return success();
            })
            .Case([&](memref::AllocOp alloc) -> LogicalResult {
              Buffer buffer;
              program.buffers.push_back(buffer);
              unsigned id = program.buffers.size() - 1;
              FailureOr<SmallVector<Extent>> dynamic =
                  getIndices(alloc.getDynamicSizes(), alloc);
              if (failed(dynamic) ||
                  failed(addView(alloc.getResult(), id, *dynamic)))
                return failure();
              int64_t elementBytes = views[alloc.getResult()].elementBytes;
              if (alloc.getType().getElementTypeBitWidth() < 8)
                return alloc.emitError("the gpu backend cannot store ")
                       << alloc.getType().getElementType() << " buffers";
              std::optional<Extent> bytes = multiplyAll(
                  {0, elementBytes}, views[alloc.getResult()].sizes);
              if (!bytes)
                return alloc.emitError("the gpu backend cannot scale a "
                                       "size by the batch twice");
              program.buffers[id].bytes = *bytes;
              lifetimeOf[id] = lifetimes.size();
              lifetimes.push_back({id, position, ~0u});
              return success();
            })
            .Case([&](memref::DeallocOp dealloc) -> LogicalResult {
              auto view = views.find(dealloc.getMemref());
              if (view == views.end())
                return dealloc.emitError("the gpu backend cannot free this");
              auto it = lifetimeOf.find(view->second.buffer);
              if (it != lifetimeOf.end()) {
                unsigned &end = lifetimes[it->second].end;
                end = end == ~0u ? position : std::max(end, position);
              }
              return success();
            })
            .Case([&](memref::GetGlobalOp get) { return addWeight(get); })
            .Case([&](memref::SubViewOp subview) -> LogicalResult {
              auto source = views.find(subview.getSource());
              if (source == views.end())
                return subview.emitError("the gpu backend cannot view this");
              // Rank-reducing views drop unit dimensions.
              if (subview.getType().getRank() !=
                  subview.getSourceType().getRank())
                return subview.emitError(
                    "the gpu backend takes no rank-reducing views");
              FailureOr<SmallVector<Extent>> dynamic =
                  getIndices(subview.getSizes(), subview);
              if (failed(dynamic))
                return failure();
              return addView(subview.getResult(), source->second.buffer,
                             *dynamic);
            })
            .Case([&](memref::CollapseShapeOp collapse) -> LogicalResult {
              if (!views.count(collapse.getSrc()))
                return collapse.emitError("the gpu backend cannot view this");
              return addReshape(collapse, collapse.getSrc(),
                                collapse.getResult(),
                                collapse.getReassociationIndices(), true);
            })
            .Case([&](memref::ExpandShapeOp expand) -> LogicalResult {
              if (!views.count(expand.getSrc()))
                return expand.emitError("the gpu backend cannot view this");
              return addReshape(expand, expand.getSrc(), expand.getResult(),
                                expand.getReassociationIndices(), false);
            })
            .Case([&](memref::CastOp cast) -> LogicalResult {
              auto source = views.find(cast.getSource());
              if (source == views.end())
                return cast.emitError("the gpu backend cannot view this");
              views[cast.getResult()] = source->second;
              return success();
            })
            .Case([&](linalg::GenericOp generic) -> LogicalResult {
              auto group = groups.find(generic);
              if (group == groups.end())
                return success(); // fused into another op's kernel
              if (failed(addKernel(group->second)))
                return failure();
              // The kernel may run after its inputs' release (a fused
              // consumer's position): they stay live until it has run.
              for (const View &operand : program.launches.back().operands) {
                auto it = lifetimeOf.find(operand.buffer);
                if (it == lifetimeOf.end())
                  continue;
                unsigned &end = lifetimes[it->second].end;
                if (end != ~0u)
                  end = std::max(end, position + 1);
              }
              return success();
            })
            .Case([&](func::ReturnOp) { return success(); })
            .Default([&](Operation *other) -> LogicalResult {
              if (matchPattern(other, m_Constant()))
                return success();
              return other->emitError("the gpu backend cannot run '")
                     << other->getName() << "' on the host";
            });
    if (failed(handled))
      return failure();
  }
  planWorkspace();
  program.blockSize = options.blockSize;
  return success();
}

//===----------------------------------------------------------------------===//
// The whole network
//===----------------------------------------------------------------------===//

/// Named linalg ops as generics, each remembering its name.
static LogicalResult generalize(func::FuncOp forward) {
  IRRewriter rewriter(forward.getContext());
  SmallVector<linalg::LinalgOp> named;
  forward.walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::GenericOp>(op))
      named.push_back(op);
  });
  for (linalg::LinalgOp op : named) {
    std::string name = op->getName().getStringRef().str();
    rewriter.setInsertionPoint(op);
    // linalg.map's payload takes no output element: a generic's does.
    if (auto map = dyn_cast<linalg::MapOp>(op.getOperation())) {
      unsigned rank = map.getInit().getType().getRank();
      AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
      auto generic = rewriter.create<linalg::GenericOp>(
          map.getLoc(), TypeRange(), map.getInputs(), ValueRange{map.getInit()},
          SmallVector<AffineMap>(map.getInputs().size() + 1, identity),
          SmallVector<utils::IteratorType>(rank,
                                           utils::IteratorType::parallel));
      Block &from = map.getMapper().front();
      Block *to = rewriter.createBlock(&generic.getRegion());
      IRMapping mapping;
      for (BlockArgument arg : from.getArguments())
        mapping.map(arg, to->addArgument(arg.getType(), arg.getLoc()));
      to->addArgument(getElementTypeOrSelf(map.getInit().getType()),
                      map.getLoc());
      rewriter.setInsertionPointToStart(to);
      for (Operation &inner : from.without_terminator())
        rewriter.clone(inner, mapping);
      SmallVector<Value> yielded;
      for (Value value : from.getTerminator()->getOperands())
        yielded.push_back(mapping.lookupOrDefault(value));
      rewriter.create<linalg::YieldOp>(map.getLoc(), yielded);
      generic->setAttr("nasc.gpu.op", rewriter.getStringAttr(name));
      rewriter.eraseOp(map);
      continue;
    }
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generic))
      return op.emitError("the gpu backend cannot generalize ")
             << op->getName();
    (*generic)->setAttr("nasc.gpu.op", rewriter.getStringAttr(name));
  }
  return success();
}

llvm::Expected<OwningOpRef<ModuleOp>>
nasc::gpu::buildKernels(nas::SpecOp spec, WeightSource &weights,
                        const CompileOptions &options, Program &program) {
  LinalgLoweringOptions lowering;
  lowering.integerArithmetic = options.integerArithmetic;
  auto module =
      target::lowerCandidate(spec, weights, program.signature, lowering);
  if (!module)
    return module.takeError();
  program.name = target::getCName(spec);
  program.arch = options.arch;
  MLIRContext *context = spec.getContext();
  prepareContext(context);
  target::DiagnosticCapture capture(context);

  // The CPU backend's target-neutral stages: the entry point, preparation,
  // bufferization, copies as linalg.
  PassManager pm(context);
  pm.addPass(cpu::createAddEntryPointPass(program.name));
  cpu::populatePreparationPipeline(pm);
  cpu::populateBufferizationPipeline(pm);
  pm.addPass(cpu::createCopyToLinalgPass());
  if (failed(pm.run(**module)))
    return capture.takeError("cannot bufferize " + program.name);
  auto forward =
      (*module)->lookupSymbol<func::FuncOp>(program.name + "_forward");
  if (!forward)
    return llvm::createStringError("no forward function for " + program.name);
  if (failed(generalize(forward)))
    return capture.takeError("cannot generalize " + program.name);

  OwningOpRef<ModuleOp> kernels = ModuleOp::create(spec.getLoc());
  OpBuilder b(kernels->getBodyRegion());
  auto gpuModule = b.create<mlir::gpu::GPUModuleOp>(spec.getLoc(),
                                                    program.name + "_kernels");
  PlanBuilder plan(program, **module, gpuModule, options);
  if (failed(plan.run(forward)))
    return capture.takeError("cannot plan " + program.name + " for the gpu");
  return std::move(kernels);
}
