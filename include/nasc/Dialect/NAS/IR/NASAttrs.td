//===- NASAttrs.td - Attributes of the nas dialect ---------*- tablegen -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASATTRS_TD
#define NASC_DIALECT_NAS_IR_NASATTRS_TD

include "nasc/Dialect/NAS/IR/NASDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

class NAS_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<NAS_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def NAS_ChoiceAttr : NAS_Attr<"Choice", "choice"> {
  let summary = "A searchable choice among listed alternatives";
  let description = [{
    The search picks exactly one of `options`. Alternatives are integers,
    floats, strings or quantities, all of one kind.

    ```mlir
    kernel = #nas.choice<[3, 5, 7]>
    ```
  }];
  let parameters = (ins "::mlir::ArrayAttr":$options);
  let assemblyFormat = "`<` $options `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    size_t size() const { return getOptions().size(); }
  }];
}

def NAS_RangeAttr : NAS_Attr<"Range", "range"> {
  let summary = "A searchable integer range, bounds included";
  let description = [{
    `lo..hi step s` in the language: the values lo, lo+s, ... up to hi.

    ```mlir
    out = #nas.range<16, 64, 16>   // 16, 32, 48, 64
    ```
  }];
  let parameters = (ins "int64_t":$lo, "int64_t":$hi, "int64_t":$step);
  let assemblyFormat = "`<` $lo `,` $hi `,` $step `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of values in the range.
    uint64_t size() const {
      return (uint64_t(getHi()) - uint64_t(getLo())) / uint64_t(getStep()) + 1;
    }
  }];
}

def NAS_ExprAttr : NAS_Attr<"Expr", "expr"> {
  let summary = "An integer computed from the input channels of a call";
  let description = [{
    A hyper-parameter of a layer inside a user-defined `op` that depends on
    `in`, the input channels of the op's call (`in^N`: of the call N calls
    further out). A postfix program (nasc/Dialect/NAS/IR/Expr.h), evaluated
    in exact rational arithmetic per candidate; the result must be an
    integer.

    ```mlir
    out = #nas.expr<"make_divisible(in * 6 / 4, 8)">
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$code);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The value for the calls' input channels `inputs` (innermost last),
    /// or nothing with the reason in `error`.
    std::optional<int64_t> evaluate(::llvm::ArrayRef<int64_t> inputs,
                                    std::string &error) const;
    /// How many enclosing calls the expression reads (1 + its outermost
    /// level).
    int64_t getNumLevels() const;
  }];
}

def NAS_QuantityAttr : NAS_Attr<"Quantity", "quantity"> {
  let summary = "A number with a physical unit";
  let description = [{
    The unit is kept as written (`ms`, `GB/s`, `MiB`, `M`, `%`); its dimension
    and scale come from the unit table (nasc/Dialect/NAS/IR/Units.h).

    ```mlir
    #nas.quantity<5.0 "ms">
    ```
  }];
  let parameters = (ins "::llvm::APFloat":$value, "::mlir::StringAttr":$unit);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The value in the SI base unit of its dimension (seconds, joules,
    /// bytes, ...); plain numbers are scaled by K, M, G.
    double getBaseValue() const;
    /// The value as written, in the quantity's own unit.
    double getNumber() const { return getValue().convertToDouble(); }
  }];
}

#endif // NASC_DIALECT_NAS_IR_NASATTRS_TD
