//===- CostCommands.cpp - nasc calibrate and nasc transfer ----------------===//
//
// `nasc calibrate`: fits a target's cost model to measured candidates and
// reports its cross-validated quality (docs/costmodel.md, "Calibration").
// `nasc transfer`: re-ranks a finished search's trials for another
// target's cost model, without training again, and searches the chosen
// candidate's compression choices under that target's limits.
//
//===----------------------------------------------------------------------===//

#include "CostCommands.h"
#include "Input.h"

#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/CostModel/CostEvaluator.h"
#include "nasc/CostModel/Measurements.h"
#include "nasc/CostModel/Transfer.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Search/Pareto.h"
#include "nasc/Search/Problem.h"
#include "nasc/Support/CSV.h"
#include "nasc/Support/MetricKey.h"
#include "nasc/Target/FPGA/DesignCalibration.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace llvm;
using namespace mlir;
using namespace nasc;

static cl::OptionCategory
    costCommandCategory("nasc calibrate / transfer options");

static cl::SubCommand calibrateCommand(
    "calibrate",
    "Fit a target's latency/energy model to measured candidates (a CSV of "
    "encodings and measurements) and report its cross-validated error "
    "(docs/costmodel.md)");
static cl::SubCommand transferCommand(
    "transfer",
    "Re-rank a finished search's trials for another target's cost model and "
    "compress the chosen candidate for it (docs/costmodel.md)");

static cl::opt<std::string> specPath(cl::Positional, cl::Required,
                                     cl::desc("<spec .nas or .mlir>"),
                                     cl::sub(calibrateCommand),
                                     cl::sub(transferCommand));
static cl::opt<std::string>
    targetName("target",
               cl::desc("The target: one the spec declares, or any name "
                        "(a target known only by its measurements)"),
               cl::value_desc("NAME"), cl::sub(calibrateCommand),
               cl::cat(costCommandCategory));
static cl::opt<std::string> measurementsPath(
    "measurements",
    cl::desc("CSV: `encoding` and `latency_ms` (or nasc measure's "
             "`median_ms`) and/or `energy_mj`; rows of another `batch` than "
             "--batch are skipped"),
    cl::value_desc("CSV"), cl::sub(calibrateCommand),
    cl::cat(costCommandCategory));
static cl::opt<std::string> method(
    "method",
    cl::desc("analytical (a scaled roofline), predictor (ridge regression), "
             "lookup_table (one value per record key fitted to the whole "
             "networks), graph (a graph network over the records) or auto: "
             "the one with the lowest cross-validated error (default)"),
    cl::init("auto"), cl::sub(calibrateCommand), cl::cat(costCommandCategory));
static cl::opt<std::string> recordsOption(
    "records",
    cl::desc("What the model reads of a candidate: layers (the cost "
             "analysis), kernels (the CPU backend's code: for measurements "
             "of nasc's own code) or auto: kernels for a target with preset "
             "host_cpu or nasc measure's CSV, else layers (default)"),
    cl::init("auto"), cl::sub(calibrateCommand), cl::cat(costCommandCategory));
static cl::list<std::string> priorPaths(
    "prior",
    cl::desc("A model of another device (as nasc calibrate writes it; "
             "repeatable): its estimates become a base or a feature of "
             "every method, so that a related device needs ~20 "
             "measurements (docs/costmodel.md, \"Calibration\")"),
    cl::value_desc("MODEL.json"), cl::sub(calibrateCommand),
    cl::cat(costCommandCategory));
static cl::opt<int64_t> batchSize("batch",
                                  cl::desc("The batch size to calibrate for "
                                           "(default 1)"),
                                  cl::init(1), cl::sub(calibrateCommand),
                                  cl::cat(costCommandCategory));
static cl::opt<std::string> outPath("out", cl::desc("Where to write"),
                                    cl::value_desc("PATH"),
                                    cl::sub(calibrateCommand),
                                    cl::sub(transferCommand),
                                    cl::cat(costCommandCategory));
static cl::opt<std::string>
    trialsPath("trials", cl::desc("The finished search's trials.csv"),
               cl::value_desc("CSV"), cl::sub(transferCommand),
               cl::cat(costCommandCategory));
static cl::opt<std::string>
    newModel("cost-model", cl::desc("The new target's model (nasc calibrate)"),
             cl::value_desc("MODEL.json"), cl::sub(transferCommand),
             cl::cat(costCommandCategory));
static cl::list<std::string>
    limits("constraint",
           cl::desc("A limit on the new target (e.g. 'latency(pi)<20ms', "
                    "'model_bytes<1MB'; repeatable): the chosen candidate's "
                    "compression choices are searched to meet them"),
           cl::value_desc("C"), cl::sub(transferCommand),
           cl::cat(costCommandCategory));

bool tool::isCalibrateCommand() { return bool(calibrateCommand); }
bool tool::isTransferCommand() { return bool(transferCommand); }
cl::OptionCategory &tool::getCostCommandCategory() {
  return costCommandCategory;
}
cl::SubCommand &tool::getCalibrateSubCommand() { return calibrateCommand; }
cl::SubCommand &tool::getTransferSubCommand() { return transferCommand; }

namespace {
std::string percent(double fraction) {
  std::string text;
  raw_string_ostream os(text);
  os << format("%.1f%%", 100 * fraction);
  return text;
}
} // namespace

static int fail(const Twine &command, const Twine &message) {
  errs() << "nasc " << command << ": error: " << message << "\n";
  return 1;
}

//===----------------------------------------------------------------------===//
// nasc calibrate
//===----------------------------------------------------------------------===//

/// Writes the fitted model to --out, whole or not at all, and says so.
static int writeModel(const llvm::json::Value &model, StringRef what) {
  std::string message;
  auto file = openOutputFile(outPath, &message);
  if (!file)
    return fail("calibrate", message);
  file->os() << formatv("{0:2}", model) << "\n";
  file->keep();
  outs() << "wrote " << outPath << " (" << what << ")\n";
  return 0;
}

/// `nasc calibrate --target T` for an fpga target: the resource model
/// fitted to measured designs.
static int calibrateDesigns(const Space &space) {
  auto error = [](const Twine &message) { return fail("calibrate", message); };
  llvm::Expected<fpga::DesignCalibration> calibration =
      fpga::calibrateDesignResources(space, measurementsPath);
  if (!calibration)
    return error(toString(calibration.takeError()));
  for (const std::string &warning : calibration->warnings)
    errs() << "nasc calibrate: warning: " << warning << "\n";
  outs() << "fpga designs for " << calibration->part << ": "
         << calibration->designs << " measured; cycles from the plan "
         << percent(calibration->cyclesWithin10) << " within ±10%\n";
  auto print = [&](StringRef label, const fpga::ResourceQuality &q) {
    outs() << "  " << label;
    for (size_t r = 0; r < fpga::kNumResourceKinds; ++r)
      outs() << (r ? ", " : "")
             << fpga::stringifyResourceKind(fpga::ResourceKind(r)) << " "
             << percent(q.within15[r]) << format(" (MAPE %.1f%%)", q.mape[r]);
    outs() << "\n";
  };
  outs() << "  resources within ±15%:\n";
  print("uncalibrated:                ", calibration->uncalibrated);
  print(calibration->leaveOneOut ? "calibrated (leave-one-out): "
                                 : "calibrated (5-fold):        ",
        calibration->calibrated);
  const fpga::ResourceQuality &before = calibration->uncalibrated,
                              &after = calibration->calibrated;
  if (after.fmaxDesigns)
    outs() << "  fmax within ±10% (" << after.fmaxDesigns
           << " placed and routed): uncalibrated "
           << percent(before.fmaxWithin10)
           << format(" (MAPE %.1f%%)", before.fmaxMape) << ", calibrated "
           << percent(after.fmaxWithin10)
           << format(" (MAPE %.1f%%)", after.fmaxMape) << "; model "
           << format("%.2f", calibration->model.fmaxMHz) << " MHz\n";
  else
    outs() << "  fmax: no design has one (fmax_mhz); the model keeps the "
              "part's nominal "
           << format("%.2f", calibration->model.fmaxMHz) << " MHz\n";
  return writeModel(calibration->model.toJSON(), "fpga resource model");
}

int tool::runCalibrateCommand() {
  auto error = [](const Twine &message) { return fail("calibrate", message); };
  if (targetName.empty() || measurementsPath.empty() || outPath.empty())
    return error("--target, --measurements and --out are required");
  if (method != "auto" && method != "analytical" && method != "predictor" &&
      method != "lookup_table" && method != "graph")
    return error("--method must be auto, analytical, predictor, "
                 "lookup_table or graph, not '" +
                 method + "'");
  std::optional<cost::Records> records = cost::parseRecords(recordsOption);
  if (!records && recordsOption != "auto")
    return error("--records must be auto, layers or kernels, not '" +
                 recordsOption + "'");
  tool::LoadedSpec loaded;
  if (!loaded.load(specPath, "calibrate"))
    return 1;
  // The target: declared, or known only by these measurements.
  hw::TargetDesc target;
  target.name = targetName;
  target.source = "measurements only";
  bool declared = false;
  for (nas::TargetOp op : loaded.spec.getBodyBlock().getOps<nas::TargetOp>())
    if (op.getSymName() == targetName.getValue()) {
      target = hw::getTargetDesc(op);
      declared = true;
    }

  // An fpga target's designs: the resource model (docs/fpga.md).
  bool fpgaTarget = targetName == "fpga";
  for (nas::TargetOp op : loaded.spec.getBodyBlock().getOps<nas::TargetOp>())
    if (op.getSymName() == targetName.getValue())
      fpgaTarget = op.getKind() == nas::TargetKind::fpga;
  if (fpgaTarget)
    return calibrateDesigns(*loaded.space);

  std::string why;
  std::vector<std::shared_ptr<const cost::CalibratedModel>> priors;
  for (const std::string &path : priorPaths) {
    std::shared_ptr<const cost::CalibratedModel> prior =
        cost::CalibratedModel::load(path, why);
    if (!prior)
      return error(why);
    priors.push_back(std::move(prior));
  }
  std::vector<std::string> warnings;
  std::optional<std::vector<cost::Measurement>> rows =
      cost::loadMeasurements(*loaded.space, target, measurementsPath, batchSize,
                             records, why, &warnings);
  if (!rows)
    return error(why);
  for (auto [path, prior] : llvm::zip(priorPaths, priors))
    if (prior->getRecords() != *records)
      return error(path + ": the prior reads " +
                   cost::stringifyRecords(prior->getRecords()) +
                   ", this calibration " + cost::stringifyRecords(*records) +
                   " (pass --records " +
                   cost::stringifyRecords(prior->getRecords()) + ")");
  cost::checkMeasurementSpread(*rows, warnings);
  for (const std::string &warning : warnings)
    errs() << "nasc calibrate: warning: " << warning << "\n";
  // Fit the methods that apply; keep the one asked for, or the best.
  std::optional<cost::Method> only;
  if (method != "auto")
    only = method == "analytical"     ? cost::Method::Analytical
           : method == "predictor"    ? cost::Method::Predictor
           : method == "lookup_table" ? cost::Method::LookupTable
                                      : cost::Method::Graph;
  std::optional<cost::Calibration> calibration = cost::calibrate(
      target, *rows, measurementsPath, only, *records, why, priors);
  if (!calibration)
    return error(why);

  unsigned measured = 0;
  for (const cost::Measurement &row : *rows)
    measured += row.repeats;
  outs() << "target " << target.name << " ("
         << (declared ? "declared in the spec" : "measured only") << "), "
         << rows->size() << " measured candidates"
         << (measured > rows->size()
                 ? " (" + std::to_string(measured) + " rows, repeats averaged)"
                 : std::string())
         << ", their " << cost::stringifyRecords(*records) << "\n";
  for (const auto &model : calibration->fitted) {
    for (cost::Quantity q : {cost::Quantity::Latency, cost::Quantity::Energy})
      if (const cost::Quality *quality = model->getQuality(q))
        outs() << "  " << cost::stringifyMethod(model->getMethod()) << " "
               << cost::stringifyQuantity(q) << ": "
               << (quality->candidates < 20 ? "leave-one-candidate-out"
                                            : "5-fold")
               << " cross-validated Spearman "
               << format("%.3f", quality->spearman) << ", Kendall "
               << format("%.3f", quality->kendall) << ", MAPE "
               << format("%.1f%%", quality->meanAbsolutePercentageError)
               << ", " << percent(quality->within10) << " within ±10%"
               << (model->describeFit(q).empty()
                       ? std::string()
                       : " (" + model->describeFit(q) + ")")
               << "\n";
  }
  const cost::CalibratedModel *chosen =
      calibration->fitted[calibration->chosen].get();
  return writeModel(chosen->toJSON(),
                    cost::stringifyMethod(chosen->getMethod()));
}

//===----------------------------------------------------------------------===//
// nasc transfer
//===----------------------------------------------------------------------===//

int tool::runTransferCommand() {
  auto error = [](const Twine &message) { return fail("transfer", message); };
  if (trialsPath.empty() || newModel.empty() || outPath.empty())
    return error("--trials, --cost-model and --out are required");
  tool::LoadedSpec loaded;
  if (!loaded.load(specPath, "transfer"))
    return 1;
  std::string why;
  std::unique_ptr<cost::CalibratedModel> model =
      cost::CalibratedModel::load(newModel, why);
  if (!model)
    return error(why);
  std::string name = model->getTarget().name;
  std::string latencyKey = MetricKey{"latency", name}.str();
  std::vector<search::Constraint> constraints;
  for (const std::string &text : limits) {
    std::optional<search::Constraint> c =
        search::Problem::parseConstraint(text, why);
    if (!c)
      return error(why);
    constraints.push_back(*c);
  }
  std::optional<cost::TransferredTrials> trials =
      cost::loadTransferredTrials(*loaded.space, *model, trialsPath, why);
  if (!trials)
    return error(why);
  const std::vector<cost::TransferredTrial> &rows = trials->trials;
  if (std::isnan(rows.front().latency))
    return error(newModel + ": the model has no latency");
  bool withAccuracy = trials->withAccuracy;
  // The front on the new target: accuracy (when known) against latency.
  std::vector<size_t> front = cost::getTransferFront(*trials);
  if (std::error_code ec = sys::fs::create_directories(outPath))
    return error(outPath + ": " + ec.message());
  SmallString<128> frontPath(outPath);
  sys::path::append(frontPath, "pareto.csv");
  {
    std::string message;
    auto file = openOutputFile(frontPath, &message);
    if (!file)
      return error(message);
    file->os() << "encoding,"
               << (withAccuracy ? search::getMetricHeader("accuracy") + ","
                                : std::string())
               << csvField(search::getMetricHeader(latencyKey)) << "\n";
    for (size_t i : front) {
      file->os() << csvField(rows[i].encoding) << ",";
      if (withAccuracy)
        file->os() << rows[i].accuracy << ",";
      file->os() << search::toMetricUnit(latencyKey, rows[i].latency) << "\n";
    }
    file->keep();
  }
  outs() << "transfer to " << name << " ("
         << cost::stringifyMethod(model->getMethod())
         << " model): " << rows.size()
         << " trials re-ranked, no training; front of " << front.size()
         << " in " << frontPath << "\n";
  for (size_t k = 0; k < front.size() && k < 8; ++k) {
    const cost::TransferredTrial &row = rows[front[k]];
    outs() << "  ";
    if (withAccuracy)
      outs() << "accuracy " << format("%-9.4g", row.accuracy) << " ";
    outs() << latencyKey << " "
           << search::formatMetricValue(latencyKey, row.latency) << "  "
           << row.encoding << "\n";
  }
  if (constraints.empty())
    return 0;

  // Compression for the new target: the most accurate front member, its
  // architecture fixed, its bit widths and pruning ratios searched.
  const cost::TransferredTrial &chosen = rows[front.back()];
  std::optional<cost::Compression> compression =
      cost::compressForTarget(*loaded.space, *model, chosen, constraints, why);
  if (!compression)
    return error(why);
  size_t tries = compression->tries;
  const std::vector<size_t> &positions = compression->positions;
  const std::vector<const Decision *> &decisions = compression->decisions;
  std::optional<cost::TransferredTrial> best;
  if (!std::isnan(compression->best.latency))
    best = compression->best;
  if (!best) {
    outs() << "compression: no bit widths and pruning ratios of "
           << chosen.encoding << " meet the limits (" << tries
           << " combinations tried)\n";
    return 1;
  }
  outs() << "compression of " << chosen.encoding << " for " << name << " ("
         << tries << " combinations tried): " << best->encoding << ", "
         << latencyKey << " "
         << format("%.6g", search::toMetricUnit(latencyKey, chosen.latency))
         << " → " << search::formatMetricValue(latencyKey, best->latency)
         << "\n";
  for (size_t p = 0; p < positions.size(); ++p) {
    uint32_t before = chosen.candidate.outcomes[positions[p]];
    uint32_t after = best->candidate.outcomes[positions[p]];
    if (before != after)
      outs() << "  " << decisions[p]->column << ": "
             << decisions[p]->labels[before] << " → "
             << decisions[p]->labels[after] << "\n";
  }
  outs() << "  (accuracy after compression is not known: train it, e.g. "
            "nasc search --table or with --eval-method train)\n";
  return 0;
}
