//===- LayerSemantics.cpp - Shapes of the primitives of a layer -----------===//

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/Expr.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace nasc;
using namespace nasc::nas;

uint64_t TensorShape::getNumElements() const {
  uint64_t elements =
      llvm::SaturatingMultiply(uint64_t(channels), uint64_t(height));
  return llvm::SaturatingMultiply(elements, uint64_t(width));
}

void TensorShape::print(llvm::raw_ostream &os) const {
  if (spatial)
    os << "[" << channels << ", " << height << ", " << width << "]";
  else
    os << "[" << channels << "]";
}

std::string TensorShape::str() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  print(os);
  return text;
}

int64_t nas::mulCount(int64_t a, int64_t b) {
  uint64_t product = llvm::SaturatingMultiply(uint64_t(a), uint64_t(b));
  return int64_t(std::min<uint64_t>(
      product, uint64_t(std::numeric_limits<int64_t>::max())));
}

/// (before, after) of a window on one axis.
static std::pair<int64_t, int64_t> getSamePadding(int64_t size, int64_t kernel,
                                                  int64_t stride) {
  int64_t total = std::max<int64_t>(
      (getSameOutputSize(size, stride) - 1) * stride + kernel - size, 0);
  return {total / 2, total - total / 2};
}

SamePadding nas::getSamePadding(const TensorShape &in, int64_t kernel,
                                int64_t stride) {
  auto [top, bottom] = ::getSamePadding(in.height, kernel, stride);
  auto [left, right] = ::getSamePadding(in.width, kernel, stride);
  return {top, bottom, left, right};
}

TensorShape nas::getConvShape(const TensorShape &in, const ConvSpec &conv) {
  return TensorShape::image(conv.out, getSameOutputSize(in.height, conv.stride),
                            getSameOutputSize(in.width, conv.stride));
}

TensorShape nas::getPoolShape(const TensorShape &in, int64_t stride) {
  return TensorShape::image(in.channels, getSameOutputSize(in.height, stride),
                            getSameOutputSize(in.width, stride));
}

int64_t nas::getShortcutStride(const TensorShape &in, const TensorShape &body) {
  // The output size falls as the stride grows: bisect for the smallest.
  auto fits = [&](int64_t stride) {
    return getSameOutputSize(in.height, stride) <= body.height &&
           getSameOutputSize(in.width, stride) <= body.width;
  };
  int64_t low = 1, high = std::max<int64_t>(1, std::max(in.height, in.width));
  if (!fits(high))
    return 1;
  while (low < high) {
    int64_t middle = low + (high - low) / 2;
    if (fits(middle))
      high = middle;
    else
      low = middle + 1;
  }
  return low;
}

int64_t nas::getIntParam(mlir::Attribute param,
                         llvm::ArrayRef<int64_t> scopeInputs,
                         int64_t defaultValue) {
  if (auto integer = llvm::dyn_cast_or_null<mlir::IntegerAttr>(param))
    return integer.getInt();
  if (auto expr = llvm::dyn_cast_or_null<ExprAttr>(param)) {
    std::string error;
    return expr.evaluate(scopeInputs, error).value_or(defaultValue);
  }
  return defaultValue;
}

bool nas::addsShortcut(ResidualOp residual, const TensorShape &in,
                       const TensorShape &body) {
  return residual.getShortcut() != Shortcut::identity_or_none || in == body;
}

mlir::LogicalResult nas::checkExprs(
    mlir::Operation *op, llvm::ArrayRef<int64_t> scopeInputs,
    llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)> fail) {
  // The verifier keeps expressions inside enough calls.
  if (scopeInputs.empty())
    return mlir::success();
  // By name: getAttrs() would build a dictionary for every layer.
  static constexpr llvm::StringLiteral kExprParams[] = {
      "out", "kernel", "stride", "groups", "dilation", "expand", "squeeze"};
  for (llvm::StringRef name : kExprParams) {
    auto expr = llvm::dyn_cast_or_null<ExprAttr>(op->getAttr(name));
    if (!expr)
      continue;
    std::string error;
    std::optional<int64_t> value = expr.evaluate(scopeInputs, error);
    auto where = [&] {
      std::string inputs;
      for (size_t i = scopeInputs.size(); i-- > 0;)
        inputs += (inputs.empty() ? "" : ", ") +
                  (i + 1 == scopeInputs.size()
                       ? std::string("in")
                       : "in^" + std::to_string(scopeInputs.size() - 1 - i)) +
                  " = " + std::to_string(scopeInputs[i]);
      return "'" + name.str() + " = " + exprToString(expr.getCode()) +
             "'" + (inputs.empty() ? "" : " with " + inputs);
    };
    if (!value)
      return fail(where() + " " + error);
    if (*value < 1)
      return fail(where() + " is " + std::to_string(*value) +
                  "; it must be at least 1");
  }
  return mlir::success();
}
