//===- CostModel.h - Latency and energy of candidates on targets -*- C++ -*-===//
//
// The hardware cost models (docs/costmodel.md): a candidate's latency and
// energy on a target, estimated by one of four methods behind one
// interface: analytical (a roofline per layer), lookup table (per-layer
// entries, interpolated where missing), predictor (ridge regression fitted
// to measured whole networks: `nasc calibrate`) and measured (the CPU
// backend's code, timed). Every estimate carries its method and an error
// bar: the cross-validated mean absolute percentage error of the
// calibration that made it, where there was one.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_COSTMODEL_H
#define NASC_COSTMODEL_COSTMODEL_H

#include "nasc/Analysis/Costs.h"
#include "nasc/Hardware/TargetDesc.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::cost {

/// The figures a cost model reads (lib/Hardware).
using hw::TargetDesc;

/// One record of the cost analysis as the cost models see it.
struct LayerWork {
  /// conv, dwconv (groups = channels), sep_conv, mbconv, fc, pool,
  /// global_pool, bn, act, identity, zero, add, concat, ...
  std::string kind;
  /// The lookup table's key: kind, input and output shapes, kernel,
  /// stride, groups and bit widths ("conv 16x28x28 32x14x14 k3 s2 g1
  /// w32a32").
  std::string key;
  int64_t kernel = 0;
  double macs = 0, flops = 0;
  /// Activations read and written and weights read, at their bit widths:
  /// the sum over `kernels` when the record has them.
  double bytes = 0;
  unsigned weightBits = 32, activationBits = 32;
  /// The kernels a layer record runs as (LayerCost::kernels: batch norms
  /// and activations fused into their producer), each with its FLOPs and
  /// bytes, and the fused FLOPs. Without them (`perKernel` false: a
  /// lookup table's key, a kernel of the CPU code) the record is one
  /// kernel of `flops` and `bytes`.
  struct Kernel {
    double flops = 0, bytes = 0;
    /// Its loop nest (LayerCost::Kernel::nest).
    KernelNest nest;
  };
  llvm::SmallVector<Kernel, 3> kernels;
  double fusedFlops = 0;
  bool perKernel = false;
  /// The kind of the record executed just before it ("" for the first): a
  /// runtime that fuses an op into the kernel before it, or skips an add
  /// after a `zero`, makes a record's cost depend on it (getContextKey).
  std::string context;
  /// The records of the same list whose outputs it reads (earlier ones,
  /// ascending): the record graph the graph predictor reads. Empty for a
  /// record that reads only the network input.
  llvm::SmallVector<unsigned, 2> inputs;
};

/// The share of the target's peak a kernel of `nest` reaches with the CPU
/// backend's tiles of `schedule` (lib/CostModel/CPUSchedule.cpp,
/// docs/costmodel.md "Tiles"), in (0, 1]; 1 without a schedule
/// (`vectorBits` 0) and for nests of kind Other.
double getTileEfficiency(const hw::TargetDesc::CPUSchedule &schedule,
                         const KernelNest &nest);

/// The record's key in its context: the kind before it, the key and the
/// number of kernels ("bn>relu 16x32x32 16x32x32 k0 s1 g1 w32a32 n0"), so
/// that a fused or skipped record has a key of its own (a node sum of
/// three operands is two kernels, of two one).
std::string getContextKey(const LayerWork &layer);

/// The work of every record of a concrete candidate's analysis.
std::vector<LayerWork> getLayerWork(const CostAnalysis &analysis);
/// One record's MACs, FLOPs, bytes and bit widths (no kind or key).
LayerWork getRecordWork(const LayerCost &record);

/// What a model's records are: the layers of the cost analysis (every
/// layer of the candidate, as the language counts them), or the kernels
/// of the CPU backend's code (the linalg ops and pads left after inlining,
/// fusion of element-wise ops and dead-code removal: only what the code
/// computes, e.g. nothing of a cell whose every path to the output is
/// `none`).
enum class Records { Layers, Kernels };
llvm::StringRef stringifyRecords(Records records);
std::optional<Records> parseRecords(llvm::StringRef name);

/// The kernels of the concrete `spec` (Records::Kernels): kind (conv,
/// dwconv, pool, fc, elementwise, reduce, transpose, fill, pad, insert),
/// key (the kind, operand types, strides, body size), MACs, FLOPs and
/// bytes of one sample. Fails with `error` when it does not lower.
mlir::FailureOr<std::vector<LayerWork>> getKernelWork(nas::SpecOp spec,
                                                      std::string &error);

/// The records of `candidate` (materialized, then analyzed or lowered),
/// or failure for an ill-shaped candidate.
mlir::FailureOr<std::vector<LayerWork>>
getCandidateLayers(const Space &space, const Candidate &candidate,
                   Records records = Records::Layers);

enum class Method { Analytical, LookupTable, Predictor, Graph, Measured };
llvm::StringRef stringifyMethod(Method method);

/// latency (seconds) or energy (joules).
enum class Quantity { Latency, Energy };
llvm::StringRef stringifyQuantity(Quantity quantity);

struct Estimate {
  double value = std::nan("");
  /// The relative error bar (cross-validated MAPE as a fraction; 0 when
  /// the method was never calibrated).
  double relativeError = 0;
  /// Some layers were missing from a lookup table and were interpolated.
  bool interpolated = false;
};

class CostModel {
public:
  virtual ~CostModel();
  virtual Method getMethod() const = 0;
  const TargetDesc &getTarget() const { return target; }
  virtual bool provides(Quantity quantity) const = 0;
  /// The records `estimate` takes.
  virtual Records getRecords() const { return Records::Layers; }
  virtual Estimate estimate(Quantity quantity,
                            llvm::ArrayRef<LayerWork> layers) const = 0;
  /// What its results depend on (the evaluation cache's key).
  virtual std::string getFingerprint() const = 0;

protected:
  explicit CostModel(TargetDesc target) : target(std::move(target)) {}
  TargetDesc target;
};

/// The roofline: per kernel max(flops / peak, bytes / bandwidth) plus the
/// target's per-kernel overhead, plus fused FLOPs at the peak; energy = macs × energy per MAC (scaled by
/// the bit widths) + bytes × energy per byte (docs/costmodel.md). A
/// candidate's estimate is the sum of its layers' in whole femtoseconds and
/// femtojoules (getAnalyticalCount), so that `--emit=stats` folds it
/// exactly.
std::unique_ptr<CostModel> createAnalyticalModel(TargetDesc target);
/// The roofline's estimate for one layer (the predictor's base feature).
double getRooflineLatency(const TargetDesc &target, const LayerWork &layer);
double getRooflineEnergy(const TargetDesc &target, const LayerWork &layer);

/// Seconds per count of analytical latency, joules per count of energy.
inline constexpr double kAnalyticalUnit = 1e-15;
/// One layer's analytical latency or energy in whole counts of
/// kAnalyticalUnit (rounded to the nearest; UINT64_MAX past 2^64 - 1).
uint64_t getAnalyticalCount(const TargetDesc &target, Quantity quantity,
                            const LayerWork &layer);

/// The targets of `spec` whose analytical latency and energy `--emit=stats`
/// folds, as RecordMetrics named `latency(T)` (ms) and `energy(T)` (mJ):
/// every declared target's energy, and its latency when it has a peak or a
/// bandwidth (RecordMetrics::unavailable names the others).
RecordMetrics getAnalyticalRecordMetrics(nas::SpecOp spec);

/// A per-layer lookup table: CSV with columns `key`, `latency_ms` and
/// optionally `energy_mj`. A layer missing from it is interpolated from the
/// entry of the same kind and bit widths nearest in MACs, scaled by the
/// MACs (and flagged). Errors name the file and line.
std::unique_ptr<CostModel> loadLookupTable(TargetDesc target,
                                           llvm::StringRef path,
                                           std::string &error);

/// A whole-network measurement: the layers of a candidate and what was
/// measured on it (NaN where not).
struct Measurement {
  std::string encoding;
  std::vector<LayerWork> layers;
  double latency = std::nan(""), energy = std::nan("");
  /// The rows of the measurements file it is the mean of.
  unsigned repeats = 1;
};

/// How well a calibrated model predicts measurements it did not see.
struct Quality {
  size_t rows = 0;
  /// Distinct candidates among the rows: a candidate measured twice is
  /// validated as one, never on a model fitted to its other measurement.
  size_t candidates = 0;
  /// Leave-one-candidate-out (fewer than 20 candidates) or 5-fold
  /// cross-validation over candidates.
  double spearman = 0, meanAbsolutePercentageError = 0;
  /// Kendall's τ-b of the predictions with the measurements.
  double kendall = 0;
  /// Share of rows predicted within ±10%.
  double within10 = 0;
};

/// A calibrated model: for each quantity measured, either a scaled
/// roofline (`analytical`: one efficiency factor per quantity), ridge
/// regression on the records' features (`predictor`), or a lookup table
/// fitted to the whole-network measurements (`lookup_table`: one value per
/// record key, shrunk towards the scaled roofline, corrections per key in
/// context where cross-validation finds them worth it, a per-record
/// overhead and a constant; keys it never saw get the scaled roofline), or
/// a graph network over the record graph (`graph`, GraphNetwork.h), with
/// its cross-validated quality. Saved as and loaded from JSON.
class CalibratedModel : public CostModel {
public:
  /// Fits `method` (Analytical, Predictor or LookupTable) to `rows`, whose
  /// layers are `records`; fails with `error` when fewer than 5 rows
  /// measure a quantity.
  ///
  /// `priors` (models of other devices, e.g. `--prior`) transfer what they
  /// learned: the analytical and lookup-table methods may scale a prior's
  /// per-record estimates instead of the roofline, and the predictor has
  /// each prior's estimate as a feature; cross-validation chooses. They
  /// must read the same records. The fitted model keeps them (and writes
  /// them into its JSON).
  static std::unique_ptr<CalibratedModel>
  fit(TargetDesc target, Method method, llvm::ArrayRef<Measurement> rows,
      std::string &error, Records records = Records::Layers,
      llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors = {});
  /// Reads a model `nasc calibrate` wrote; errors name the file.
  static std::unique_ptr<CalibratedModel> load(llvm::StringRef path,
                                               std::string &error);
  llvm::json::Value toJSON() const;

  Method getMethod() const override { return method; }
  bool provides(Quantity quantity) const override;
  Records getRecords() const override { return records; }
  Estimate estimate(Quantity quantity,
                    llvm::ArrayRef<LayerWork> layers) const override;
  std::string getFingerprint() const override;
  /// The cross-validated quality for `quantity` (null when not fitted).
  const Quality *getQuality(Quantity quantity) const;
  /// Each record's share of the estimate of `quantity` for `layers`, in
  /// their context (every method's estimate is a constant plus their sum;
  /// the graph method's shares depend on a record's neighbours); 0 when
  /// not fitted.
  std::vector<double> getRecordValues(Quantity quantity,
                                      llvm::ArrayRef<LayerWork> layers) const;
  /// The constant the records' values add to (0 when not fitted).
  double getConstant(Quantity quantity) const;
  /// What cross-validation chose for `quantity` ("scaled roofline, keys in
  /// context"), for the report.
  std::string describeFit(Quantity quantity) const;

  struct Fit;
  ~CalibratedModel() override;

private:
  CalibratedModel(TargetDesc target, Method method, Records records);
  /// A model's JSON (a file's, or a prior kept in one); errors name `path`.
  static std::unique_ptr<CalibratedModel>
  fromJSON(const llvm::json::Value &value, llvm::StringRef path,
           std::string &error);
  Method method;
  Records records;
  std::vector<std::unique_ptr<Fit>> fits; // by Quantity
  std::vector<std::shared_ptr<const CalibratedModel>> priors;
  std::string fingerprint;
};

/// The features of the predictor: the roofline estimate, the FLOPs and
/// bytes (with `full`, per group of kinds: convolutions, pointwise,
/// depthwise, blocks, fully connected, the rest; with `counts`, also the
/// number of records of each group) and the number of records.
/// Calibration uses the per-group features from 60 rows on.
std::vector<double> getPredictorFeatures(const TargetDesc &target,
                                         Quantity quantity,
                                         llvm::ArrayRef<LayerWork> layers,
                                         bool full, bool counts = true);
std::vector<std::string> getPredictorFeatureNames(bool full,
                                                  bool counts = true);

} // namespace nasc::cost

#endif // NASC_COSTMODEL_COSTMODEL_H
