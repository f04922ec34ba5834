//===- IntegerDot.cpp - int8 contractions on VNNI dot products ------------===//
//
// An int8 convolution or matmul vectorizes into vector.contract ops whose
// operands are sign-extended i8 vectors and whose accumulator is i32. The
// generic lowering multiplies in 32 bits (vpmovsxbd, vpmulld, vpaddd): one
// product per lane and instruction. With VNNI, `vpdpbusd` adds four
// products of bytes to each i32 lane: this rewrites such a contraction,
// output extent a multiple of the lanes (16 or 8), into those dot
// products, padding its reduction extent to a multiple of 4.
//
// vpdpbusd multiplies unsigned bytes by signed ones. The activations (the
// broadcast operand) become unsigned by adding 128 (flipping their top
// bit); what that adds, 128 times the sum of the weights of each output
// channel, is taken off again, the weights' sums being dot products with
// ones. The weights are interleaved four input channels to a lane.
// Integer sums are exact and wrap in 32 bits as before, so the results
// are bit-identical to the generic lowering's.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using nasc::cpu::IntegerDot;

namespace {

/// The intrinsics' common prefix (.512, .256: AVX-VNNI's instruction
/// shares the 256-bit AVX-512 one's intrinsic).
constexpr llvm::StringLiteral kDotIntrinsic = "llvm.x86.avx512.vpdpbusd.";

/// The i8 vector `value` is sign-extended from, or null.
Value signExtendedBytes(Value value) {
  auto ext = value.getDefiningOp<arith::ExtSIOp>();
  if (!ext)
    return nullptr;
  auto type = dyn_cast<VectorType>(ext.getIn().getType());
  if (!type || !type.getElementType().isInteger(8))
    return nullptr;
  return ext.getIn();
}

/// The i32 lanes of `kind`'s dot product for `width` outputs: 16 (512
/// bits) where `kind` has them and they divide `width`, else 8 (256 bits;
/// AVX-512 VNNI has them too, as AVX-512 VL instructions); 0 for none.
int64_t dotLanes(IntegerDot kind, int64_t width) {
  if (kind == IntegerDot::Avx512Vnni && width % 16 == 0)
    return 16;
  return width % 8 == 0 ? 8 : 0;
}

/// `acc` (16 or 8 i32 lanes) plus, in each lane, the dot product of its
/// four unsigned bytes of `unsignedBytes` with its four signed ones of
/// `signedBytes`.
Value byteDot(PatternRewriter &rewriter, Location loc, Value acc,
              Value unsignedBytes, Value signedBytes) {
  int64_t lanes = cast<VectorType>(acc.getType()).getNumElements();
  std::string intrinsic = (kDotIntrinsic + (lanes == 16 ? "512" : "256")).str();
  return rewriter
      .create<LLVM::CallIntrinsicOp>(loc, acc.getType(), intrinsic,
                                     ValueRange{acc, unsignedBytes, signedBytes})
      .getResult(0);
}

/// Four vectors of `lanes` bytes interleaved into one of `lanes` i32:
/// lane i holds rows[0][i], rows[1][i], rows[2][i], rows[3][i] (little-
/// endian bytes).
Value interleaveFour(PatternRewriter &rewriter, Location loc,
                     ArrayRef<Value> rows, int64_t lanes) {
  SmallVector<int64_t> pairs, quads;
  for (int64_t i = 0; i < lanes; ++i) {
    pairs.append({i, lanes + i});
    quads.append({2 * i, 2 * i + 1, 2 * lanes + 2 * i, 2 * lanes + 2 * i + 1});
  }
  Value low = rewriter.create<vector::ShuffleOp>(loc, rows[0], rows[1], pairs);
  Value high = rewriter.create<vector::ShuffleOp>(loc, rows[2], rows[3], pairs);
  Value bytes = rewriter.create<vector::ShuffleOp>(loc, low, high, quads);
  return rewriter.create<vector::BitCastOp>(
      loc, VectorType::get({lanes}, rewriter.getI32Type()), bytes);
}

/// A splat vector of `lanes` i32.
Value splatLanes(PatternRewriter &rewriter, Location loc, int64_t lanes,
                 int32_t value) {
  auto type = VectorType::get({lanes}, rewriter.getI32Type());
  return rewriter.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(type, rewriter.getI32IntegerAttr(value)));
}

struct DotProductContraction : OpRewritePattern<vector::ContractionOp> {
  DotProductContraction(MLIRContext *ctx, IntegerDot kind)
      : OpRewritePattern(ctx), kind(kind) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    auto accType = dyn_cast<VectorType>(op.getAccType());
    if (!accType || !accType.getElementType().isInteger(32) ||
        accType.isScalable() || op.getKind() != vector::CombiningKind::ADD)
      return rewriter.notifyMatchFailure(op, "not an i32 sum");
    Value lhs = signExtendedBytes(op.getLhs());
    Value rhs = signExtendedBytes(op.getRhs());
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "operands not i8");
    // (m, n, k): lhs (m, k), rhs (k, n), acc (m, n); or without m.
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    auto iterators = op.getIteratorTypesArray();
    int64_t rank = accType.getRank();
    if ((rank != 1 && rank != 2) || iterators.size() != size_t(rank + 1))
      return rewriter.notifyMatchFailure(op, "not a matrix product");
    int64_t k = -1;
    for (auto [i, type] : llvm::enumerate(iterators))
      if (type == vector::IteratorType::reduction)
        k = k < 0 ? int64_t(i) : -2;
    if (k < 0)
      return rewriter.notifyMatchFailure(op, "not one reduction");
    if (!llvm::all_of(maps, [](AffineMap map) {
          return map.isProjectedPermutation(/*allowZeroInResults=*/false);
        }))
      return rewriter.notifyMatchFailure(op, "maps not permutations");
    AffineMap accMap = maps[2];
    int64_t n = accMap.getDimPosition(rank - 1);
    int64_t m = rank == 2 ? accMap.getDimPosition(0) : -1;
    auto dims = [&](AffineMap map) {
      SmallVector<int64_t> positions;
      for (unsigned i = 0; i < map.getNumResults(); ++i)
        positions.push_back(map.getDimPosition(i));
      return positions;
    };
    SmallVector<int64_t> lhsDims = dims(maps[0]), rhsDims = dims(maps[1]);
    SmallVector<int64_t> wantLhs = rank == 2 ? SmallVector<int64_t>{m, k}
                                             : SmallVector<int64_t>{k};
    if (lhsDims != wantLhs || rhsDims != SmallVector<int64_t>{k, n})
      return rewriter.notifyMatchFailure(op, "operands not (m, k) x (k, n)");
    auto lhsType = cast<VectorType>(lhs.getType());
    auto rhsType = cast<VectorType>(rhs.getType());
    int64_t depth = rhsType.getDimSize(0), width = rhsType.getDimSize(1);
    int64_t rows = rank == 2 ? accType.getDimSize(0) : 1;
    // Output extents padded to the lanes made a mobile candidate 11%
    // slower than 32-bit products on them (moving the sums in and out).
    int64_t lanes = dotLanes(kind, width);
    if (!lanes)
      return rewriter.notifyMatchFailure(op, "output extent not a multiple");

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto laneType = VectorType::get({lanes}, i32);
    // A reduction extent not a multiple of 4 is padded with zero bytes:
    // zero weights, so whatever the padded activations become adds 0.
    int64_t groups = (depth + 3) / 4, chunks = width / lanes;
    if (depth % 4) {
      SmallVector<int64_t> padded(lhsType.getShape());
      padded.back() = 4 * groups;
      auto paddedType = VectorType::get(padded, i8);
      Value zeros = rewriter.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(paddedType, rewriter.getI8IntegerAttr(0)));
      lhs = rewriter.create<vector::InsertStridedSliceOp>(
          loc, lhs, zeros, SmallVector<int64_t>(padded.size(), 0),
          SmallVector<int64_t>(padded.size(), 1));
      lhsType = paddedType;
    }
    Value zeroRow = rewriter.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(VectorType::get({width}, i8),
                                    rewriter.getI8IntegerAttr(0)));
    auto dot = [&](Value acc, Value unsignedBytes, Value signedBytes) {
      return byteDot(rewriter, loc, acc, unsignedBytes, signedBytes);
    };
    auto splat = [&](int32_t value) {
      return splatLanes(rewriter, loc, lanes, value);
    };

    // The weights, four input channels to a lane: lane i of group g holds
    // rhs[4g..4g+3][i] (little-endian bytes).
    SmallVector<SmallVector<Value>> weights(groups);
    SmallVector<Value> weightSums(chunks);
    Value ones = splat(0x01010101), zero = splat(0);
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t c = 0; c < chunks; ++c) {
        Value row[4];
        for (int64_t i = 0; i < 4; ++i) {
          Value full = 4 * g + i < depth
                           ? rewriter.create<vector::ExtractOp>(
                                 loc, rhs, ArrayRef<int64_t>{4 * g + i})
                           : zeroRow;
          row[i] = chunks == 1 ? full
                               : rewriter.create<vector::ExtractStridedSliceOp>(
                                     loc, full, ArrayRef<int64_t>{c * lanes},
                                     ArrayRef<int64_t>{lanes},
                                     ArrayRef<int64_t>{1});
        }
        Value lane = interleaveFour(rewriter, loc, row, lanes);
        weights[g].push_back(lane);
        weightSums[c] = dot(g ? weightSums[c] : zero, ones, lane);
      }
    // What the unsigned activations add: 128 times the weights' sums.
    Value seven = splat(7);
    for (Value &sum : weightSums)
      sum = rewriter.create<arith::ShLIOp>(loc, sum, seven);

    // The activations, four bytes to an i32, their top bit flipped.
    auto flatType = VectorType::get({lhsType.getNumElements()}, i8);
    Value flat = rewriter.create<vector::ShapeCastOp>(loc, flatType, lhs);
    Value words = rewriter.create<vector::BitCastOp>(
        loc, VectorType::get({lhsType.getNumElements() / 4}, i32), flat);
    Value flip = rewriter.create<arith::ConstantOp>(
        loc, rewriter.getI32IntegerAttr(int32_t(0x80808080u)));

    Value result = op.getAcc();
    for (int64_t r = 0; r < rows; ++r) {
      Value accRow = rank == 2 ? rewriter.create<vector::ExtractOp>(
                                     loc, result, ArrayRef<int64_t>{r})
                               : result;
      for (int64_t c = 0; c < chunks; ++c) {
        Value acc = chunks == 1
                        ? accRow
                        : rewriter.create<vector::ExtractStridedSliceOp>(
                              loc, accRow, ArrayRef<int64_t>{c * lanes},
                              ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1});
        for (int64_t g = 0; g < groups; ++g) {
          Value word = rewriter.create<vector::ExtractOp>(
              loc, words, ArrayRef<int64_t>{r * groups + g});
          word = rewriter.create<arith::XOrIOp>(loc, word, flip);
          Value broadcast =
              rewriter.create<vector::BroadcastOp>(loc, laneType, word);
          acc = dot(acc, broadcast, weights[g][c]);
        }
        acc = rewriter.create<arith::SubIOp>(loc, acc, weightSums[c]);
        accRow = chunks == 1 ? acc
                             : rewriter.create<vector::InsertStridedSliceOp>(
                                   loc, acc, accRow,
                                   ArrayRef<int64_t>{c * lanes},
                                   ArrayRef<int64_t>{1});
      }
      result = rank == 2 ? rewriter.create<vector::InsertOp>(
                               loc, accRow, result, ArrayRef<int64_t>{r})
                         : accRow;
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  IntegerDot kind;
};

/// llvm.call_intrinsic declares no memory effects, which buffer
/// deallocation refuses. The byte dot products have none; other
/// intrinsics get every effect, as if unknown.
struct IntrinsicEffects
    : MemoryEffectOpInterface::ExternalModel<IntrinsicEffects,
                                             LLVM::CallIntrinsicOp> {
  void getEffects(Operation *op,
                  SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                      &effects) const {
    StringRef name = cast<LLVM::CallIntrinsicOp>(op).getIntrin();
    if (name.starts_with(kDotIntrinsic))
      return;
    effects.emplace_back(MemoryEffects::Allocate::get());
    effects.emplace_back(MemoryEffects::Free::get());
    effects.emplace_back(MemoryEffects::Read::get());
    effects.emplace_back(MemoryEffects::Write::get());
  }
};

} // namespace

void nasc::cpu::registerIntegerDotEffects(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LLVM::LLVMDialect *) {
    LLVM::CallIntrinsicOp::attachInterface<IntrinsicEffects>(*ctx);
  });
}

void nasc::cpu::populateIntegerDotPatterns(RewritePatternSet &patterns,
                                           IntegerDot kind) {
  if (kind != IntegerDot::None)
    patterns.add<DotProductContraction>(patterns.getContext(), kind);
}
