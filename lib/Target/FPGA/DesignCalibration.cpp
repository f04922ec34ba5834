//===- DesignCalibration.cpp - FPGA resource models fitted to designs -----===//

#include "nasc/Target/FPGA/DesignCalibration.h"

#include "nasc/Support/CSV.h"
#include "nasc/Target/FPGA/Emit.h"

#include "mlir/IR/BuiltinOps.h"

#include <cmath>

using namespace nasc;
using namespace nasc::fpga;

namespace {

/// One measured design, rebuilt.
struct Row {
  MeasuredDesign design;
  int64_t measuredCycles = 0, plannedCycles = 0;
};

ResourceQuality score(llvm::ArrayRef<Row> rows,
                      llvm::function_ref<Resources(size_t)> predict,
                      llvm::function_ref<double(size_t)> predictFmax) {
  ResourceQuality q;
  std::array<size_t, kNumResourceKinds> counted{};
  for (size_t i = 0; i < rows.size(); ++i) {
    if (std::optional<double> fmax = rows[i].design.fmaxMHz) {
      double relative = std::fabs(predictFmax(i) - *fmax) / *fmax;
      q.fmaxWithin10 += relative <= 0.10 + 1e-12;
      q.fmaxMape += 100 * relative;
      ++q.fmaxDesigns;
    }
    Resources p = predict(i);
    for (size_t r = 0; r < kNumResourceKinds; ++r) {
      auto kind = ResourceKind(r);
      double y = double(getResource(rows[i].design.measured, kind));
      double e = std::fabs(double(getResource(p, kind)) - y);
      // A resource the design does not use is right only at zero.
      double relative = y > 0 ? e / y : (e > 0 ? 1.0 : 0.0);
      q.within15[r] += relative <= 0.15 + 1e-12;
      q.mape[r] += 100 * relative;
      ++counted[r];
    }
  }
  for (size_t r = 0; r < kNumResourceKinds; ++r)
    if (counted[r]) {
      q.within15[r] /= double(counted[r]);
      q.mape[r] /= double(counted[r]);
    }
  if (q.fmaxDesigns) {
    q.fmaxWithin10 /= double(q.fmaxDesigns);
    q.fmaxMape /= double(q.fmaxDesigns);
  }
  return q;
}

} // namespace

llvm::Expected<DesignCalibration>
fpga::calibrateDesignResources(const Space &space, llvm::StringRef csvPath) {
  CSVTable table;
  std::string why;
  if (!loadCSVFile(csvPath, table, why))
    return llvm::createStringError(why);
  const char *required[] = {"encoding", "cycles", "lut", "ff",
                            "dsp",      "bram",   "part"};
  for (const char *name : required)
    if (table.column(name) < 0)
      return llvm::createStringError(
          csvPath + ":" + llvm::Twine(table.headerLine) + ": no column '" +
          name + "' (nasc measure --target fpga --csv writes it)");
  auto column = [&](llvm::StringRef name) { return table.column(name); };
  DesignCalibration result;
  std::vector<Row> rows;
  std::optional<FPGAPart> part;
  for (size_t k = 0; k < table.rows.size(); ++k) {
    const std::vector<std::string> &fields = table.rows[k];
    std::string where =
        (csvPath + ":" + llvm::Twine(table.lines[k]) + ": ").str();
    auto fail = [&](const llvm::Twine &message) {
      return llvm::createStringError(where + message);
    };
    auto integer = [&](llvm::StringRef name, int64_t &out) {
      int c = column(name);
      return c >= 0 && !llvm::StringRef(fields[c]).getAsInteger(10, out) &&
             out >= 0;
    };
    llvm::Expected<FPGAPart> rowPart = lookupFPGAPart(fields[column("part")]);
    if (!rowPart)
      return fail(llvm::toString(rowPart.takeError()));
    if (part && part->name != rowPart->name)
      return fail("part " + rowPart->name + ", but the rows above are " +
                  part->name + "'s: calibrate one part at a time");
    part = *rowPart;
    Row row;
    int64_t value[kNumResourceKinds];
    for (size_t r = 0; r < kNumResourceKinds; ++r) {
      llvm::StringRef name = stringifyResourceKind(ResourceKind(r));
      if (!integer(name, value[r]))
        return fail("'" + name + "' is not a non-negative integer");
    }
    row.design.measured = {value[0], value[1], value[2], value[3]};
    if (!integer("cycles", row.measuredCycles) || row.measuredCycles == 0)
      return fail("'cycles' is not a positive integer");
    // Empty where place and route did not run or the design did not fit.
    if (int c = column("fmax_mhz"); c >= 0 && !fields[c].empty()) {
      double fmax = 0;
      if (llvm::StringRef(fields[c]).getAsDouble(fmax) ||
          !std::isfinite(fmax) || fmax <= 0)
        return fail("'fmax_mhz' is not a positive number");
      row.design.fmaxMHz = fmax;
    }

    mlir::FailureOr<Candidate> candidate =
        space.decode(fields[column("encoding")], why);
    if (failed(candidate))
      return fail(why);
    mlir::OwningOpRef<mlir::ModuleOp> concrete = space.materialize(*candidate);
    nas::SpecOp spec = *concrete->getOps<nas::SpecOp>().begin();
    // The design's options: the row's columns, else the encoded tunables.
    llvm::Expected<TunedDesign> tuned = getTunedDesign(spec);
    if (!tuned)
      return fail(llvm::toString(tuned.takeError()));
    DesignTemplate kind =
        tuned->designTemplate.value_or(DesignTemplate::Folded);
    if (int c = column("template"); c >= 0 && !fields[c].empty()) {
      std::optional<DesignTemplate> named = symbolizeDesignTemplate(fields[c]);
      if (!named)
        return fail("template '" + fields[c] +
                    "' is neither folded nor dataflow");
      kind = *named;
    }
    int64_t pe = tuned->lanes.value_or(1), stages = tuned->stages.value_or(0);
    if (column("pe") >= 0 && !integer("pe", pe))
      return fail("'pe' is not a non-negative integer");
    if (column("stages") >= 0 && !integer("stages", stages))
      return fail("'stages' is not a non-negative integer");
    // The plan reads shapes, not scales: one calibration image.
    IntegerOptions shapesOnly;
    shapesOnly.calibrationSamples = 1;
    llvm::Expected<IntegerNetwork> net =
        loadIntegerNetwork(spec, "", 0, shapesOnly);
    if (!net)
      return fail(llvm::toString(net.takeError()));
    llvm::Expected<DesignPlan> plan =
        planDesign(*net, kind, std::max<int64_t>(pe, 1), stages);
    if (!plan)
      return fail(llvm::toString(plan.takeError()));
    row.plannedCycles = plan->latencyCycles;
    row.design.features = getResourceFeatures(*plan, *part);
    rows.push_back(std::move(row));
  }
  if (rows.empty())
    return llvm::createStringError(csvPath + ": no measured designs");

  result.part = part->name.str();
  result.designs = rows.size();
  size_t coefficients = getResourceFeatureNames().size();
  if (rows.size() < coefficients + 2)
    result.warnings.push_back(std::to_string(rows.size()) +
                              " designs are few for " +
                              std::to_string(coefficients) +
                              " coefficients a resource: the fit may not "
                              "hold beyond them");
  std::vector<MeasuredDesign> designs;
  for (const Row &row : rows)
    designs.push_back(row.design);
  result.model = fitResourceModel(*part, designs, csvPath);

  ResourceModel uncalibrated = ResourceModel::getDefault(*part);
  result.uncalibrated = score(
      rows,
      [&](size_t i) { return uncalibrated.predict(rows[i].design.features); },
      [&](size_t) { return uncalibrated.fmaxMHz; });
  // Cross-validation: each design predicted by a model fitted without its
  // fold.
  result.leaveOneOut = rows.size() < 20;
  size_t folds = result.leaveOneOut ? rows.size() : 5;
  std::vector<Resources> held(rows.size());
  std::vector<double> heldFmax(rows.size());
  for (size_t f = 0; f < folds; ++f) {
    std::vector<MeasuredDesign> training;
    for (size_t i = 0; i < rows.size(); ++i)
      if (i % folds != f)
        training.push_back(rows[i].design);
    ResourceModel fitted = fitResourceModel(*part, training, csvPath);
    for (size_t i = f; i < rows.size(); i += folds) {
      held[i] = fitted.predict(rows[i].design.features);
      heldFmax[i] = fitted.fmaxMHz;
    }
  }
  result.calibrated = score(
      rows, [&](size_t i) { return held[i]; },
      [&](size_t i) { return heldFmax[i]; });
  size_t close = 0;
  for (const Row &row : rows)
    close += std::fabs(double(row.plannedCycles - row.measuredCycles)) <=
             0.10 * double(row.measuredCycles);
  result.cyclesWithin10 = double(close) / double(rows.size());
  return result;
}
