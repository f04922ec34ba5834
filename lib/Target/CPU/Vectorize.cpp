//===- Vectorize.cpp - Tiling and vectorization of the hot linalg ops -----===//
//
// Convolutions, depthwise convolutions, pooling, matmuls and element-wise
// generics are tiled so that every tile has static sizes (batch 1, one
// output row, widths and channels by divisors: no partial tiles), the 2-D
// windows are decomposed into 1-D ones, and the tiles vectorized; vector
// ops are then lowered to what convert-vector-to-llvm handles (outer
// products, 1-D transfers). This is the transform-dialect recipe of the
// toolchain notes. Each op gets a class attribute by its tile sizes, and
// the script tiles each class.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;

static constexpr llvm::StringLiteral kClassAttr = "nasc.tile_class";

/// The largest divisor of `n` at most `limit`, preferring multiples of 8.
static int64_t divisor(int64_t n, int64_t limit) {
  for (int64_t d = limit - limit % 8; d >= 8; d -= 8)
    if (n % d == 0)
      return d;
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// Tile sizes for `op`, or empty to leave it alone. Shapes are those of
/// the op's output (N first).
static SmallVector<int64_t> tileSizes(linalg::LinalgOp op,
                                      const nasc::cpu::TileLimits &limits) {
  int64_t width = limits.width, channels = limits.channels;
  auto out = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
  if (!out)
    return {};
  ArrayRef<int64_t> shape = out.getShape();
  if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
    // (n, oh, ow, f, kh, kw, c)
    auto in = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    int64_t c = in.getShape()[2];
    // Input channels 8 at a time: the reduction unrolls into one outer
    // product per channel and window column, and 64 of them made a 2-3x
    // slower compile for no faster code.
    return {1, 1, divisor(shape[2], width), divisor(shape[3], channels),
            1, 0, c > limits.reduction ? divisor(c, limits.reduction) : 0};
  }
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcSumOp,
          linalg::PoolingNhwcMaxOp>(op))
    // (n, oh, ow, c, kh, kw)
    return {1, 1, divisor(shape[2], width), divisor(shape[3], channels), 1,
            0};
  if (isa<linalg::MatmulOp>(op)) {
    auto in = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    int64_t k = in.getShape()[0];
    return {1, divisor(shape[1], channels), k > 64 ? divisor(k, 64) : 0};
  }
  // Element-wise generics; not those reading a broadcast through constant
  // indices (the SE gate), which the vector lowering leaves 2-D.
  if (isa<linalg::GenericOp>(op) &&
      op.getNumParallelLoops() == op.getNumLoops() &&
      llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      })) {
    if (shape.size() == 4)
      return {1, 1, divisor(shape[2], width), divisor(shape[3], channels)};
    if (shape.size() == 2)
      return {1, divisor(shape[1], channels)};
  }
  return {};
}

LogicalResult nasc::cpu::tileAndVectorize(ModuleOp module,
                                          const TileLimits &limits) {
  MLIRContext *ctx = module.getContext();
  // Classes by tile sizes and whether the op has a 2-D window to
  // decompose.
  std::map<std::pair<SmallVector<int64_t>, bool>, int64_t> classes;
  module.walk([&](linalg::LinalgOp op) {
    SmallVector<int64_t> sizes = tileSizes(op, limits);
    if (sizes.empty())
      return;
    bool window = isa<linalg::ConvolutionOpInterface>(op.getOperation());
    int64_t id =
        classes.try_emplace({sizes, window}, classes.size()).first->second;
    op->setAttr(kClassAttr, IntegerAttr::get(IntegerType::get(ctx, 64), id));
  });

  std::string script =
      "module attributes {transform.with_named_sequence} {\n"
      "transform.named_sequence @nasc_vectorize(%root: !transform.any_op "
      "{transform.readonly}) {\n";
  for (const auto &[key, id] : classes) {
    const auto &[sizes, window] = key;
    std::string list;
    for (size_t i = 0; i < sizes.size(); ++i)
      list += (i ? ", " : "") + std::to_string(sizes[i]);
    size_t loops = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
    std::string results = "%t" + std::to_string(id);
    std::string types = "!transform.any_op";
    for (size_t i = 0; i < loops; ++i)
      types += ", !transform.any_op";
    script += "  %m" + std::to_string(id) +
              " = transform.structured.match attributes {" + kClassAttr.str() +
              " = " + std::to_string(id) +
              " : i64} in %root : (!transform.any_op) -> !transform.any_op\n";
    script += "  " + results + ", %l" + std::to_string(id) + ":" +
              std::to_string(loops) +
              " = transform.structured.tile_using_for %m" +
              std::to_string(id) + " tile_sizes [" + list +
              "] : (!transform.any_op) -> (" + types + ")\n";
    if (window)
      script += "  %d" + std::to_string(id) +
                " = transform.structured.decompose " + results +
                " : (!transform.any_op) -> !transform.any_op\n";
  }
  script +=
      "  %f = transform.structured.match ops{[\"func.func\"]} in %root : "
      "(!transform.any_op) -> !transform.any_op\n"
      "  %v = transform.structured.vectorize_children_and_apply_patterns %f "
      ": (!transform.any_op) -> !transform.any_op\n"
      "  transform.apply_patterns to %v {\n"
      "    transform.apply_patterns.vector.cast_away_vector_leading_one_dim\n"
      "    transform.apply_patterns.vector.lower_contraction "
      "lowering_strategy = outerproduct\n"
      "    transform.apply_patterns.vector.transfer_permutation_patterns\n"
      "    transform.apply_patterns.vector.lower_multi_reduction "
      "lowering_strategy = innerparallel\n"
      "    transform.apply_patterns.vector.transfer_to_scf "
      "max_transfer_rank = 1 full_unroll = true\n"
      "    transform.apply_patterns.vector.lower_transfer "
      "max_transfer_rank = 1\n"
      "    transform.apply_patterns.vector.lower_shape_cast\n"
      "    transform.apply_patterns.vector.lower_transpose "
      "lowering_strategy = shuffle_1d\n"
      "    transform.apply_patterns.vector.lower_outerproduct\n"
      "    transform.apply_patterns.vector.lower_broadcast\n"
      "  } : !transform.any_op\n"
      "  transform.yield\n}\n}\n";

  OwningOpRef<ModuleOp> library = parseSourceString<ModuleOp>(script, ctx);
  if (!library) {
    module.emitError() << "bad vectorization script:\n" << script;
    return failure();
  }
  Operation *entry = nullptr;
  library->walk([&](transform::NamedSequenceOp op) { entry = op; });
  LogicalResult result = transform::applyTransformNamedSequence(
      module, entry, *library, transform::TransformOptions());
  module.walk([](Operation *op) { op->removeAttr(kClassAttr); });
  return result;
}
