//===- NASOps.td - Operations of the nas dialect -----------*- tablegen -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASOPS_TD
#define NASC_DIALECT_NAS_IR_NASOPS_TD

include "nasc/Dialect/NAS/IR/NASDialect.td"
include "nasc/Dialect/NAS/IR/NASAttrs.td"
include "nasc/Dialect/NAS/IR/NASEnums.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/OpAsmInterface.td"

//===----------------------------------------------------------------------===//
// Parameter constraints
//===----------------------------------------------------------------------===//

/// An integer hyper-parameter: fixed, or searched over a choice or a range.
def NAS_IntParam : AnyAttrOf<[I64Attr, NAS_ChoiceAttr, NAS_RangeAttr,
                              NAS_ExprAttr],
    "an integer, #nas.choice, #nas.range or #nas.expr">;
/// A real hyper-parameter (pruning ratio): fixed or a choice.
def NAS_FloatParam : AnyAttrOf<[F64Attr, NAS_ChoiceAttr],
    "a 64-bit float or #nas.choice">;

/// Marks the operations that may appear in a layer sequence.
def NAS_Layer : NativeOpTrait<"NASLayer">;
/// Marks the operations that may appear directly in a `nas.spec`.
def NAS_Decl : NativeOpTrait<"NASDecl">;

/// A body of layers executed in order.
class NAS_SeqRegionOp<string mnemonic, list<Trait> traits = []>
    : NAS_Op<mnemonic, !listconcat(traits, [SingleBlock, NoTerminator])> {
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
  code seqExtraDecl = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
  let extraClassDeclaration = seqExtraDecl;
}

//===----------------------------------------------------------------------===//
// Top level
//===----------------------------------------------------------------------===//

def NAS_SpecOp : NAS_Op<"spec", [SymbolTable, Symbol, IsolatedFromAbove,
                                  SingleBlock, NoTerminator]> {
  let summary = "A hardware-aware NAS problem";
  let description = [{
    Holds exactly one `nas.network` (the architecture space) and the
    declarations around it: datasets, targets, cells, objectives,
    constraints, compression and search settings.

    ```mlir
    nas.spec @nb201 {
      nas.dataset @cifar10 input [3, 32, 32] classes 10
      nas.network @net on @cifar10 { ... }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The spec's network; the verifier guarantees there is exactly one.
    NetworkOp getNetwork();
  }];
}

def NAS_DatasetOp : NAS_Op<"dataset", [Symbol, NAS_Decl]> {
  let summary = "Input data: tensor shape, classes and where it comes from";
  let description = [{
    ```mlir
    nas.dataset @fashion input [1, 28, 28] classes 10 {source = "fashion-mnist"}
    ```

    `resolution`, an integer, choice or range, is the searched side of the
    square input: a candidate's input is [C, r, r] (Once-for-All's elastic
    resolution); the images are resized to it.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, DenseI64ArrayAttr:$input_shape,
                       I64Attr:$num_classes, OptionalAttr<StrAttr>:$source,
                       OptionalAttr<StrAttr>:$path,
                       OptionalAttr<NAS_IntParam>:$resolution);
  let assemblyFormat =
      "$sym_name `input` $input_shape `classes` $num_classes attr-dict";
  let hasVerifier = 1;
}

def NAS_TargetOp : NAS_Op<"target", [Symbol, NAS_Decl]> {
  let summary = "A hardware target and its properties";
  let description = [{
    `props` maps known property names to `#nas.quantity` values of the
    right dimension (plain counts have the unit ""); `tunables` holds the target's hardware
    search space: each entry is a `#nas.choice` or `#nas.range`.

    ```mlir
    nas.target @edge_gpu gpu {props = {peak_compute = #nas.quantity<1.3 "TFLOPS">}}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, NAS_TargetKind:$kind,
                       OptionalAttr<DictionaryAttr>:$props,
                       OptionalAttr<DictionaryAttr>:$tunables);
  let assemblyFormat = "$sym_name $kind attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Architecture space: containers
//===----------------------------------------------------------------------===//

def NAS_NetworkOp : NAS_SeqRegionOp<"network", [Symbol, NAS_Decl,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "The architecture space: a sequence of layers over a dataset";
  let description = [{
    ```mlir
    nas.network @net on @cifar10 {
      nas.conv {kernel = 3 : i64, out = 16 : i64}
      nas.bn
      nas.cell_ref @cell
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, FlatSymbolRefAttr:$dataset);
  let assemblyFormat = "$sym_name `on` $dataset attr-dict-with-keyword $body";
}

def NAS_CellOp : NAS_Op<"cell", [Symbol, NAS_Decl, SingleBlock, NoTerminator]> {
  let summary = "A DAG cell whose every edge chooses one operation";
  let description = [{
    Nodes `0 .. inputs-1` are the cell's inputs; every other node sums its
    incoming edges. The output is the last node (`last`) or the concatenation
    of the intermediate nodes (`concat`). All `nas.cell_ref` uses of a cell
    share one set of edge decisions: that is what makes the space cell-based.

    ```mlir
    nas.cell @c nodes 4 inputs 1 output last {
      nas.edge 0 -> 1 { nas.option "skip_connect" { nas.identity } ... }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$num_nodes,
                       I64Attr:$num_inputs, NAS_CellOutput:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `nodes` $num_nodes `inputs` $num_inputs `output` $output
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Which tensor a cell's input `k` reads, given how many layers precede
    /// it in its sequence: -1 for the cell's own input (k = 0, or no layer
    /// before), else an index into those layers' outputs, oldest first (the
    /// k-th from the end, or the earliest when fewer precede;
    /// docs/language.md §8.3).
    static int64_t getInputSource(int64_t k, size_t precedingLayers);
  }];
}

def NAS_EdgeOp : NAS_Op<"edge", [HasParent<"CellOp">, SingleBlock,
                                  NoTerminator]> {
  let summary = "One edge of a cell, choosing among named options";
  let arguments = (ins I64Attr:$from, I64Attr:$to);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$from `->` $to attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def NAS_OptionOp : NAS_SeqRegionOp<"option"> {
  let summary = "One named alternative of a choose or an edge";
  let arguments = (ins StrAttr:$name);
  let assemblyFormat = "$name attr-dict-with-keyword $body";
}

def NAS_ChooseOp : NAS_Op<"choose", [NAS_Layer, SingleBlock, NoTerminator]> {
  let summary = "A layer that picks one of its named options";
  let description = [{
    ```mlir
    nas.choose "l1" {
      nas.option "k3_e1" { nas.mbconv {expand = 1 : i64, kernel = 3 : i64} }
      nas.option "skip" { nas.identity }
    }
    ```
  }];
  let arguments = (ins OptionalAttr<StrAttr>:$name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "($name^)? attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def NAS_RepeatOp : NAS_SeqRegionOp<"repeat", [NAS_Layer]> {
  let summary = "Its body repeated `count` times";
  let description = [{
    Choices inside the body are decided per repetition, unless `shared` is
    set (MnasNet-style blocks whose layers all take the same decision). The
    count itself may be searched (depth search).

    ```mlir
    nas.repeat #nas.choice<[2, 3, 4]> shared { nas.choose { ... } }
    ```
  }];
  let arguments = (ins NAS_IntParam:$count, UnitAttr:$shared);
  let assemblyFormat = "$count (`shared` $shared^)? attr-dict-with-keyword $body";
}

def NAS_StageOp : NAS_SeqRegionOp<"stage", [NAS_Layer]> {
  let summary = "A named stage of the macro skeleton";
  let arguments = (ins OptionalAttr<StrAttr>:$name);
  let assemblyFormat = "($name^)? attr-dict-with-keyword $body";
}

def NAS_BlockOp : NAS_SeqRegionOp<"block", [NAS_Layer]> {
  let summary = "A named group of layers (an instance of a declared block)";
  let description = [{
    A `scope` block is a call of a user-defined `op`: `#nas.expr` parameters
    inside it read its input channels as `in` (those of the N-th enclosing
    scope block as `in^N`).

    ```mlir
    nas.block "ir" scope {
      nas.conv {kernel = 1 : i64, out = #nas.expr<"in * 6">}
    }
    ```
  }];
  let arguments = (ins StrAttr:$name, UnitAttr:$scope);
  let assemblyFormat = "$name (`scope` $scope^)? attr-dict-with-keyword $body";
}

def NAS_ResidualOp : NAS_SeqRegionOp<"residual", [NAS_Layer]> {
  let summary = "Its body plus a shortcut from its input";
  let description = [{
    `identity` adds the input unchanged (the body must keep the shape);
    `identity_or_none` adds it where the body keeps the shape and nothing
    otherwise (an inverted residual's rule);
    `projection` adds a strided 1x1 conv + BN of the input; `avgpool_conv`
    adds a 2x2 average pool followed by a 1x1 conv (NAS-Bench-201's
    reduction block).

    ```mlir
    nas.residual avgpool_conv { nas.conv {kernel = 3 : i64, stride = 2 : i64} }
    ```
  }];
  let arguments = (ins NAS_Shortcut:$shortcut, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = "$shortcut attr-dict-with-keyword $body";
}

def NAS_CellRefOp : NAS_Op<"cell_ref", [NAS_Layer,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "An instance of a declared cell (decisions shared)";
  let arguments = (ins FlatSymbolRefAttr:$cell);
  let assemblyFormat = "$cell attr-dict";
}

//===----------------------------------------------------------------------===//
// Architecture space: layers
//===----------------------------------------------------------------------===//

class NAS_LayerOp<string mnemonic, list<Trait> traits = []>
    : NAS_Op<mnemonic, !listconcat(traits, [NAS_Layer])> {
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

/// Layers with weights take searchable compression settings: weight and
/// activation bit widths and a structured pruning ratio.
defvar compressionArgs = (ins OptionalAttr<NAS_IntParam>:$wbits,
                              OptionalAttr<NAS_IntParam>:$abits,
                              OptionalAttr<NAS_FloatParam>:$prune);

def NAS_ConvOp : NAS_LayerOp<"conv"> {
  let summary = "2-D convolution (grouped when groups > 1)";
  let description = [{
    Defaults: out = input channels, kernel 3, stride 1, groups 1, dilation 1,
    "same" padding. `depthwise`: one group per input channel (groups =
    input channels; out defaults to them and must be a multiple).

    ```mlir
    nas.conv {kernel = #nas.choice<[3, 5]>, out = 32 : i64, stride = 2 : i64}
    ```
  }];
  let arguments = !con((ins OptionalAttr<StrAttr>:$name,
                            OptionalAttr<NAS_IntParam>:$out,
                            OptionalAttr<NAS_IntParam>:$kernel,
                            OptionalAttr<NAS_IntParam>:$stride,
                            OptionalAttr<NAS_IntParam>:$groups,
                            OptionalAttr<NAS_IntParam>:$dilation,
                            UnitAttr:$depthwise),
                       compressionArgs);
}

def NAS_SepConvOp : NAS_LayerOp<"sep_conv"> {
  let summary = "Depthwise-separable convolution: depthwise k x k, then 1x1";
  let description = [{
    Defaults: out = input channels, kernel 3, stride 1.
  }];
  let arguments = !con((ins OptionalAttr<StrAttr>:$name,
                            OptionalAttr<NAS_IntParam>:$out,
                            OptionalAttr<NAS_IntParam>:$kernel,
                            OptionalAttr<NAS_IntParam>:$stride),
                       compressionArgs);
}

def NAS_MBConvOp : NAS_LayerOp<"mbconv"> {
  let summary = "Inverted residual (MobileNetV2/FBNet) block";
  let description = [{
    1x1 expansion by `expand` (grouped by `groups`), depthwise k x k with
    `stride`, 1x1 projection to `out`; a residual add when the shape is kept.
    Defaults: out = input channels, kernel 3, expand 6, stride 1, groups 1,
    no squeeze-and-excitation.
  }];
  let arguments = !con((ins OptionalAttr<StrAttr>:$name,
                            OptionalAttr<NAS_IntParam>:$out,
                            OptionalAttr<NAS_IntParam>:$kernel,
                            OptionalAttr<NAS_IntParam>:$expand,
                            OptionalAttr<NAS_IntParam>:$stride,
                            OptionalAttr<NAS_IntParam>:$groups,
                            UnitAttr:$se),
                       compressionArgs);
}

def NAS_ShuffleOp : NAS_LayerOp<"shuffle"> {
  let summary = "Channel shuffle (ShuffleNet, FBNet's grouped blocks)";
  let description = [{
    Views the C channels as [groups, C / groups], transposes them to
    [C / groups, groups] and flattens them back: channel g * (C / groups) + i
    moves to i * groups + g. No weights, no MACs.
  }];
  let arguments = (ins OptionalAttr<StrAttr>:$name,
                       OptionalAttr<NAS_IntParam>:$groups);
}

def NAS_SEOp : NAS_LayerOp<"se"> {
  let summary = "Squeeze-and-excitation";
  let description = [{
    Global average pool, 1x1 conv to `squeeze` channels with bias, ReLU,
    1x1 conv back with bias, hard sigmoid, then the input scaled per
    channel (MobileNetV3). Default squeeze: max(1, input channels / 4).
  }];
  let arguments = (ins OptionalAttr<StrAttr>:$name,
                       OptionalAttr<NAS_IntParam>:$squeeze);
}

def NAS_PoolOp : NAS_LayerOp<"pool"> {
  let summary = "Average or max pooling (default kernel 3, stride 1)";
  let arguments = (ins NAS_PoolKind:$kind, OptionalAttr<StrAttr>:$name,
                       OptionalAttr<NAS_IntParam>:$kernel,
                       OptionalAttr<NAS_IntParam>:$stride);
  let assemblyFormat = "$kind attr-dict";
}

def NAS_GlobalPoolOp : NAS_LayerOp<"global_pool"> {
  let summary = "Global pooling to 1x1";
  let arguments = (ins NAS_PoolKind:$kind, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = "$kind attr-dict";
}

def NAS_FCOp : NAS_LayerOp<"fc"> {
  let summary = "Fully connected layer (flattens its input)";
  let arguments = !con((ins OptionalAttr<StrAttr>:$name,
                            OptionalAttr<NAS_IntParam>:$out),
                       compressionArgs);
}

def NAS_IdentityOp : NAS_LayerOp<"identity"> {
  let summary = "Skip connection";
  let description = [{
    The input unchanged; when `out` or `stride` change the shape it becomes a
    1x1 conv + BN projection (FBNet's `skip`).
  }];
  let arguments = (ins OptionalAttr<StrAttr>:$name,
                       OptionalAttr<NAS_IntParam>:$out,
                       OptionalAttr<NAS_IntParam>:$stride);
}

def NAS_ZeroOp : NAS_LayerOp<"zero"> {
  let summary = "The zero operation (no connection, NAS-Bench-201's none)";
  let arguments = (ins OptionalAttr<StrAttr>:$name);
}

def NAS_BatchNormOp : NAS_LayerOp<"bn"> {
  let summary = "Batch normalization (affine)";
  let arguments = (ins OptionalAttr<StrAttr>:$name);
}

def NAS_ActOp : NAS_LayerOp<"act"> {
  let summary = "Element-wise activation";
  let arguments = (ins NAS_ActKind:$kind, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = "$kind attr-dict";
}

//===----------------------------------------------------------------------===//
// Goals and settings
//===----------------------------------------------------------------------===//

def NAS_ObjectivesOp : NAS_Op<"objectives", [NAS_Decl, SingleBlock,
                                              NoTerminator]> {
  let summary = "The objectives and how they are combined";
  let description = [{
    ```mlir
    nas.objectives pareto {
      nas.objective maximize accuracy
      nas.objective minimize latency on @edge_gpu
    }
    ```
  }];
  let arguments = (ins NAS_Formulation:$formulation);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$formulation attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def NAS_ObjectiveOp : NAS_Op<"objective", [HasParent<"ObjectivesOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Maximize or minimize one metric (on one target)";
  let arguments = (ins NAS_Direction:$direction, NAS_Metric:$metric,
                       OptionalAttr<FlatSymbolRefAttr>:$target,
                       OptionalAttr<F64Attr>:$weight,
                       OptionalAttr<I64Attr>:$stage);
  let assemblyFormat = "$direction $metric (`on` $target^)? attr-dict";
  let hasVerifier = 1;
}

def NAS_ConstraintOp : NAS_Op<"constraint", [NAS_Decl,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "A hard threshold on a metric";
  let description = [{
    ```mlir
    nas.constraint latency on @edge_gpu lt <5.000000e+00 "ms">
    ```
  }];
  let arguments = (ins NAS_Metric:$metric,
                       OptionalAttr<FlatSymbolRefAttr>:$target,
                       NAS_Comparison:$cmp, NAS_QuantityAttr:$bound);
  let assemblyFormat = "$metric (`on` $target^)? $cmp $bound attr-dict";
  let hasVerifier = 1;
}

def NAS_CompressOp : NAS_Op<"compress", [NAS_Decl]> {
  let summary = "Default compression choices for every layer with weights";
  let arguments = compressionArgs;
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def NAS_SearchOp : NAS_Op<"search", [NAS_Decl]> {
  let summary = "Search strategy, budget, seed and strategy parameters";
  let arguments = (ins NAS_Strategy:$strategy, OptionalAttr<I64Attr>:$budget,
                       OptionalAttr<I64Attr>:$seed,
                       OptionalAttr<DictionaryAttr>:$params);
  let assemblyFormat = "$strategy attr-dict";
  let hasVerifier = 1;
}

def NAS_EvaluateOp : NAS_Op<"evaluate", [NAS_Decl]> {
  let summary = "How candidates' accuracy is evaluated";
  let arguments = (ins NAS_EvalMethod:$method,
                       OptionalAttr<DictionaryAttr>:$params);
  let assemblyFormat = "$method attr-dict";
  let hasVerifier = 1;
}

#endif // NASC_DIALECT_NAS_IR_NASOPS_TD
