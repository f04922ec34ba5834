//===- Backend.cpp - The FPGA backend in the target registry --------------===//
//
// `fpga` for nasc/Target/Common/TargetBackend.h. Emitting writes the
// design (Emit.h); compiling a candidate to measure it simulates and
// synthesizes its design (Measure.h): the latency is its cycles at the
// Fmax nextpnr reports, or at the part's nominal clock where there is none.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/FPGA/FPGATarget.h"

#include "nasc/Target/Common/Lowering.h"
#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/FPGA/Emit.h"
#include "nasc/Target/FPGA/Energy.h"
#include "nasc/Target/FPGA/Measure.h"
#include "nasc/Target/FPGA/ResourceModel.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace nasc;

namespace {

llvm::Error notMeasurable() {
  return llvm::createStringError(
      "the fpga backend measures whole designs only (cycles, resources, "
      "Fmax), not layers or kernels");
}

std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.2f", value);
  return text;
}

/// The design's options: the part the options name (else the default);
/// the lanes, template and stages they give, else the fpga target's
/// tunables `pe`, `template` and `stages`, else 1 lane, folded, one engine
/// per stage.
llvm::Expected<fpga::EmitOptions>
getEmitOptions(nas::SpecOp spec, const target::CodeOptions &options) {
  fpga::EmitOptions emit;
  if (!options.part.empty())
    emit.part = options.part;
  llvm::Expected<fpga::TunedDesign> tuned = fpga::getTunedDesign(spec);
  if (!tuned)
    return tuned.takeError();
  emit.pe = options.lanes > 0 ? options.lanes : tuned->lanes.value_or(1);
  if (!options.hardwareTemplate.empty()) {
    std::optional<fpga::DesignTemplate> kind =
        fpga::symbolizeDesignTemplate(options.hardwareTemplate);
    if (!kind)
      return llvm::createStringError("the fpga templates are folded and "
                                     "dataflow, not '" +
                                     options.hardwareTemplate + "'");
    emit.designTemplate = *kind;
  } else if (tuned->designTemplate) {
    emit.designTemplate = *tuned->designTemplate;
  }
  emit.maxStages =
      options.stages > 0 ? options.stages : tuned->stages.value_or(0);
  return emit;
}

/// The model of options.estimateModel (its part then the design's), else
/// the design's part's default.
llvm::Expected<fpga::ResourceModel>
getResourceModel(fpga::EmitOptions &emit, const target::CodeOptions &options) {
  if (options.estimateModel.empty()) {
    llvm::Expected<fpga::FPGAPart> part = fpga::lookupFPGAPart(emit.part);
    if (!part)
      return part.takeError();
    return fpga::ResourceModel::getDefault(*part);
  }
  auto fail = [&](const llvm::Twine &why) {
    return llvm::createStringError(options.estimateModel + ": " + why);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(options.estimateModel, /*IsText=*/true);
  if (!file)
    return fail(file.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*file)->getBuffer());
  if (!json)
    return fail(llvm::toString(json.takeError()));
  llvm::Expected<fpga::ResourceModel> model =
      fpga::ResourceModel::fromJSON(*json);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  if (!options.part.empty() && options.part != model->part)
    return fail("a model of " + model->part + ", the design is for " +
                options.part);
  emit.part = model->part;
  return model;
}

class MeasuredDesign : public target::CompiledCandidate {
public:
  MeasuredDesign(fpga::DesignMeasurement m, const fpga::FPGAPart &part,
                 const fpga::EmitOptions &options,
                 const fpga::DesignActivity &activity)
      : m(std::move(m)),
        clockMHz(this->m.fmaxMHz ? *this->m.fmaxMHz
                                 : fpga::getNominalClockMHz(part)),
        options(options),
        energy(fpga::getDesignEnergy(
            activity, fpga::getEnergyFigures(part),
            fpga::getDesignSeconds(this->m.latencyCycles,
                                   this->m.intervalCycles, 1, clockMHz),
            this->m.switching ? &*this->m.switching : nullptr)) {}

  /// A batch streams through: the first image's latency, then one interval
  /// per further image. The simulation is exact: every repeat is the same.
  target::LatencyStats time(int64_t batch, unsigned, unsigned) const override {
    double seconds = fpga::getDesignSeconds(m.latencyCycles, m.intervalCycles,
                                            batch, clockMHz);
    target::LatencyStats stats;
    stats.median = stats.p25 = stats.p75 = stats.min = seconds;
    stats.repeats = 1;
    return stats;
  }

  std::vector<std::pair<std::string, std::string>> getReport() const override {
    std::string fits = "yes";
    for (const std::string &overflow : m.overflows)
      fits = (fits == "yes" ? "no: " : fits + "; ") + overflow;
    return {{"cycles", std::to_string(m.latencyCycles)},
            {"interval_cycles", std::to_string(m.intervalCycles)},
            {"lut", std::to_string(m.resources.luts)},
            {"ff", std::to_string(m.resources.flipFlops)},
            {"dsp", std::to_string(m.resources.dsps)},
            {"bram", std::to_string(m.resources.brams)},
            {"fmax_mhz", m.fmaxMHz ? formatNumber(*m.fmaxMHz) : ""},
            {"clock_mhz", formatNumber(clockMHz)},
            // An image's energy at that clock (Energy.h): the arithmetic
            // priced by the simulation's toggles, the memories by the
            // plan's accesses.
            {"energy_uj", formatNumber(energy * 1e6)},
            {"fits", fits},
            // The design's options: what `nasc calibrate` rebuilds it from.
            {"part", options.part},
            {"template",
             fpga::stringifyDesignTemplate(options.designTemplate).str()},
            {"pe", std::to_string(options.pe)},
            {"stages", std::to_string(options.maxStages)}};
  }

private:
  fpga::DesignMeasurement m;
  double clockMHz;
  fpga::EmitOptions options;
  double energy;
};

class FPGABackend : public target::TargetBackend {
public:
  StringRef getKind() const override { return "fpga"; }
  llvm::Error emit(ModuleOp concreteSpec, StringRef dir,
                   const target::CodeOptions &options) override {
    llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
    if (!spec)
      return spec.takeError();
    llvm::Expected<fpga::EmitOptions> emit = getEmitOptions(*spec, options);
    if (!emit)
      return emit.takeError();
    return fpga::emitFPGA(concreteSpec, options.weightsPath, options.seed, dir,
                          *emit);
  }
  llvm::Expected<std::unique_ptr<target::CompiledCandidate>>
  compile(nas::SpecOp spec, const target::CodeOptions &options) override {
    llvm::Expected<fpga::EmitOptions> emit = getEmitOptions(spec, options);
    if (!emit)
      return emit.takeError();
    llvm::Expected<fpga::FPGAPart> part = fpga::lookupFPGAPart(emit->part);
    if (!part)
      return part.takeError();
    llvm::Expected<IntegerNetwork> net =
        fpga::loadIntegerNetwork(spec, options.weightsPath, options.seed);
    if (!net)
      return net.takeError();
    llvm::Expected<fpga::DesignPlan> plan =
        fpga::planDesign(*net, emit->designTemplate, emit->pe, emit->maxStages);
    if (!plan)
      return plan.takeError();
    llvm::Expected<fpga::DesignMeasurement> m =
        fpga::measureDesign(*net, *part, *emit);
    if (!m)
      return m.takeError();
    return std::make_unique<MeasuredDesign>(std::move(*m), *part, *emit,
                                            fpga::getDesignActivity(*plan));
  }
  llvm::Expected<std::vector<target::LayerLatency>>
  measureLayers(ModuleOp, int64_t, unsigned, unsigned, uint64_t) override {
    return notMeasurable();
  }
  llvm::Expected<OwningOpRef<ModuleOp>> prepareKernels(nas::SpecOp) override {
    return notMeasurable();
  }
  /// getReport()'s columns that are metrics.
  llvm::ArrayRef<StringRef> getReportedMetrics() const override {
    static const StringRef metrics[] = {"cycles", "lut", "ff", "dsp", "bram"};
    return metrics;
  }
  llvm::ArrayRef<StringRef> getEstimatedMetrics() const override {
    static const StringRef metrics[] = {"cycles", "lut",     "ff",
                                        "dsp",    "bram",    "fmax",
                                        "latency", "energy", "area"};
    return metrics;
  }
  /// The design's cycles per image, from its plan: what the simulation
  /// gives, to the cycle (docs/fpga.md), without building it; its
  /// resources and Fmax, from the part's resource model (ResourceModel.h);
  /// its latency per image, the cycles at the clock it runs at (as
  /// nasc measure's: the Fmax where it fits, else the nominal clock); its
  /// energy per image (Energy.h); and its area, the LUTs it takes (a
  /// plain count, as docs/language.md gives an FPGA's area).
  llvm::Expected<std::vector<std::pair<std::string, double>>>
  estimate(nas::SpecOp spec, const target::CodeOptions &options) override {
    llvm::Expected<fpga::EmitOptions> emit = getEmitOptions(spec, options);
    if (!emit)
      return emit.takeError();
    // The cycles depend on the shapes, not on the scales: one calibration
    // image instead of eight.
    IntegerOptions shapesOnly;
    shapesOnly.calibrationSamples = 1;
    llvm::Expected<IntegerNetwork> net = fpga::loadIntegerNetwork(
        spec, options.weightsPath, options.seed, shapesOnly);
    if (!net)
      return net.takeError();
    llvm::Expected<fpga::DesignPlan> plan =
        fpga::planDesign(*net, emit->designTemplate, emit->pe, emit->maxStages);
    if (!plan)
      return plan.takeError();
    llvm::Expected<fpga::ResourceModel> model =
        getResourceModel(*emit, options);
    if (!model)
      return model.takeError();
    llvm::Expected<fpga::FPGAPart> part = fpga::lookupFPGAPart(model->part);
    if (!part)
      return part.takeError();
    fpga::Resources used =
        model->predict(fpga::getResourceFeatures(*plan, *part));
    double clockMHz = model->getClockMHz(used, *part);
    double seconds = fpga::getDesignSeconds(
        plan->latencyCycles, plan->intervalCycles, /*batch=*/1, clockMHz);
    return std::vector<std::pair<std::string, double>>{
        {"cycles", double(plan->latencyCycles)},
        {"fmax", model->fmaxMHz * 1e6}, // Hz
        {"latency", seconds},           // s
        {"energy", fpga::getDesignEnergy(*plan, *part, clockMHz)}, // J
        {"area", double(used.luts)},
        {"lut", double(used.luts)},
        {"ff", double(used.flipFlops)},
        {"dsp", double(used.dsps)},
        {"bram", double(used.brams)}};
  }
};

} // namespace

void fpga::registerFPGABackend() {
  target::registerTargetBackend(std::make_unique<FPGABackend>());
}
