//===- Schema.cpp - Known properties of .nas declarations -----------------===//

#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Dialect/NAS/IR/NASAttrs.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace nasc::nas;
using D = Dimension;
using K = ValueKind;

// Properties every target may have.
#define COMMON_TARGET_PROPERTIES                                               \
  {"peak_compute", K::Quantity, D::OpsRate, "peak throughput"},                \
      {"bandwidth", K::Quantity, D::Bandwidth, "memory bandwidth"},            \
      {"memory", K::Quantity, D::Bytes, "main memory size"},                   \
      {"sram", K::Quantity, D::Bytes, "on-chip memory"},                       \
      {"flash", K::Quantity, D::Bytes, "non-volatile storage for weights"},    \
      {"cache", K::Quantity, D::Bytes, "last-level cache"},                    \
      {"frequency", K::Quantity, D::Frequency, "clock"},                       \
      {"cores", K::Quantity, D::Count, "compute units"},                       \
      {"power", K::Quantity, D::Power, "power budget (TDP)"},                  \
      {"energy_per_mac", K::Quantity, D::Energy, "energy of one MAC"},         \
      {"energy_per_byte", K::Quantity, D::Energy, "energy per byte moved"},    \
      {"overhead", K::Quantity, D::Time, "fixed per-layer launch overhead"},   \
      {"peak_int8", K::Quantity, D::OpsRate, "peak 8-bit throughput"},         \
      {"preset", K::Word, D::Count,                                            \
       "a built-in target description (docs/costmodel.md)",                    \
       "host_cpu,jetson_nano,mobile_a76,pynq_z2,stm32f746"},                   \
  {                                                                            \
    "area", K::Quantity, D::Area, "silicon area"                               \
  }

static const PropertySpec kTargetProperties[] = {COMMON_TARGET_PROPERTIES};

static const PropertySpec kFpgaProperties[] = {
    COMMON_TARGET_PROPERTIES,
    {"dsp", K::Quantity, D::Count, "DSP slices"},
    {"bram", K::Quantity, D::Count, "block RAMs"},
    {"lut", K::Quantity, D::Count, "look-up tables"},
    {"ff", K::Quantity, D::Count, "flip-flops"},
};
#undef COMMON_TARGET_PROPERTIES

// What each backend binds a tunable to (docs/language.md, "Tunables").
static const PropertySpec kFpgaTunables[] = {
    {"template", K::Word, D::Count,
     "the design: one engine that runs the layers in turn, or a chain of "
     "engines",
     "folded,dataflow"},
    {"pe", K::Int, D::Count,
     "an engine's lanes: output channels a convolution computes at once", "", 1,
     64},
    {"stages", K::Int, D::Count, "the dataflow chain's most engines", "", 1,
     256},
};
static const PropertySpec kCpuTunables[] = {
    {"vector", K::Word, D::Count,
     "the widest vectors the code uses: 256-bit AVX2 or 512-bit AVX-512",
     "avx2,avx512"},
    {"tile_width", K::Int, D::Count,
     "output columns a vectorized tile computes (the largest divisor of the "
     "width within it)",
     "", 1, 64},
    {"tile_channels", K::Int, D::Count,
     "output channels a vectorized tile computes: its vectors' length", "", 1,
     64},
    {"tile_reduction", K::Int, D::Count,
     "input channels a convolution's tile reduces at once", "", 1, 64},
    {"threads", K::Int, D::Count,
     "threads NAME_run shares a batch among (its default)", "", 1, 64},
};

static const PropertySpec kGpuTunables[] = {
    {"arch", K::Word, D::Count, "the GPU the PTX is for",
     "sm_75,sm_80,sm_86,sm_89,sm_90"},
    {"block_size", K::Int, D::Count, "threads per block of every kernel", "",
     32, 1024},
    {"thread_tile", K::Int, D::Count,
     "output elements a thread computes, along the dimension the most of "
     "its kernel's loads do not depend on",
     "", 1, 16},
    {"precision", K::Word, D::Count,
     "how the workspace's and the weights' floats are stored: float, or "
     "half precision with float arithmetic",
     "fp32,fp16"},
    {"fusion", K::Word, D::Count,
     "whether a kernel takes in its output's initializer and next "
     "element-wise consumer (on) or every linalg op is a kernel (off)",
     "on,off"},
};

llvm::ArrayRef<PropertySpec> nasc::nas::getTargetProperties(TargetKind kind) {
  if (kind == TargetKind::fpga)
    return kFpgaProperties;
  return kTargetProperties;
}

std::optional<llvm::ArrayRef<PropertySpec>>
nasc::nas::getTargetTunables(TargetKind kind) {
  switch (kind) {
  case TargetKind::fpga:
    return llvm::ArrayRef(kFpgaTunables);
  case TargetKind::cpu:
    return llvm::ArrayRef(kCpuTunables);
  case TargetKind::gpu:
    return llvm::ArrayRef(kGpuTunables);
  default:
    return std::nullopt;
  }
}

std::string nasc::nas::checkTunableFlag(TargetKind kind, llvm::StringRef name,
                                        llvm::StringRef flag, int64_t value) {
  std::optional<llvm::ArrayRef<PropertySpec>> specs = getTargetTunables(kind);
  const PropertySpec *spec = specs ? findProperty(*specs, name) : nullptr;
  assert(spec && spec->kind == ValueKind::Int && "an integer tunable");
  if (value >= spec->min && value <= spec->max)
    return "";
  return (flag + " must be " + llvm::Twine(spec->min) + " to " +
          llvm::Twine(spec->max) + ", not " + llvm::Twine(value))
      .str();
}

std::string nasc::nas::checkTunable(TargetKind kind, llvm::StringRef name,
                                    mlir::Attribute alternatives) {
  std::optional<llvm::ArrayRef<PropertySpec>> specs = getTargetTunables(kind);
  if (!specs)
    return "";
  const PropertySpec *spec = findProperty(*specs, name);
  if (!spec)
    return ("unknown tunable '" + name + "' for a " +
            stringifyTargetKind(kind) + " target; expected one of " +
            listPropertyNames(*specs))
        .str();
  auto bad = [&](const std::string &why) {
    return ("tunable '" + name + "': " + why).str();
  };
  if (auto range = llvm::dyn_cast<RangeAttr>(alternatives)) {
    if (spec->kind != K::Int)
      return bad("a range gives integers; it must be " + describeKind(*spec));
    for (int64_t bound : {range.getLo(), range.getHi()})
      if (bound < spec->min || bound > spec->max)
        return bad("the range reaches " + std::to_string(bound) +
                   "; it must be " + describeKind(*spec));
    return "";
  }
  if (auto choice = llvm::dyn_cast<ChoiceAttr>(alternatives))
    for (mlir::Attribute option : choice.getOptions()) {
      std::string why = checkPropertyValue(*spec, option);
      if (why.empty())
        continue;
      std::string text;
      llvm::raw_string_ostream os(text);
      printSourceForm(option, os);
      return bad("alternative " + text + " " + why.substr(why.find("must")));
    }
  return "";
}

static const PropertySpec kNSGA2Params[] = {
    {"population", K::Int, D::Count, "population size"},
    {"sample_size", K::Int, D::Count, "tournament size"},
    {"mutation_rate", K::Real, D::Count, "probability to mutate a decision"},
    {"crossover_rate", K::Real, D::Count, "probability of crossover"},
    {"time_limit", K::Quantity, D::Time, "wall-clock limit"},
};
static const PropertySpec kEvolutionParams[] = {
    {"population", K::Int, D::Count, "population size"},
    {"sample_size", K::Int, D::Count, "tournament size"},
    {"mutation_rate", K::Real, D::Count, "probability to mutate a decision"},
    {"crossover_rate", K::Real, D::Count, "probability of crossover"},
    {"batch", K::Int, D::Count,
     "children bred at a time (default population / 8)"},
    {"time_limit", K::Quantity, D::Time, "wall-clock limit"},
};
static const PropertySpec kRLParams[] = {
    {"lr", K::Real, D::Count, "controller learning rate"},
    {"baseline_decay", K::Real, D::Count, "moving-average reward baseline"},
    {"entropy", K::Real, D::Count, "entropy bonus weight"},
    {"batch", K::Int, D::Count, "architectures per policy update"},
    {"time_limit", K::Quantity, D::Time, "wall-clock limit"},
};
static const PropertySpec kGradientParams[] = {
    {"arch_lr", K::Real, D::Count, "architecture-weight learning rate"},
    {"weight_lr", K::Real, D::Count, "supernet weight learning rate"},
    {"temperature", K::Real, D::Count, "initial Gumbel-softmax temperature"},
    {"epochs", K::Int, D::Count, "supernet training epochs"},
    {"cost_weight", K::Real, D::Count, "weight of the hardware-cost term"},
    {"cost_metric", K::Word, D::Count,
     "the analyses' metric the cost term uses"},
    {"weight_steps", K::Int, D::Count, "supernet steps on each sampled path"},
    {"batch", K::Int, D::Count, "architectures per policy update"},
    {"entropy", K::Real, D::Count, "entropy bonus weight"},
    {"baseline_decay", K::Real, D::Count, "moving-average reward baseline"},
    {"time_limit", K::Quantity, D::Time, "wall-clock limit"},
};
static const PropertySpec kPlainParams[] = {
    {"time_limit", K::Quantity, D::Time, "wall-clock limit"},
};

llvm::ArrayRef<PropertySpec> nasc::nas::getStrategyParams(Strategy strategy) {
  switch (strategy) {
  case Strategy::evolution:
    return kEvolutionParams;
  case Strategy::nsga2:
    return kNSGA2Params;
  case Strategy::reinforce:
    return kRLParams;
  case Strategy::gradient:
    return kGradientParams;
  case Strategy::random:
  case Strategy::grid:
    return kPlainParams;
  }
  llvm_unreachable("unknown strategy");
}

static const PropertySpec kEvaluationParams[] = {
    {"epochs", K::Int, D::Count, "training epochs per candidate"},
    {"batch_size", K::Int, D::Count, "training batch size"},
    {"lr", K::Real, D::Count, "initial learning rate"},
    {"optimizer", K::Word, D::Count, "training optimizer", "sgd,adam"},
    {"schedule", K::Word, D::Count, "learning-rate schedule",
     "cosine,multistep,constant"},
    {"patience", K::Int, D::Count, "early stopping: epochs without gain"},
    {"proxy_fraction", K::Real, D::Count, "class-balanced data subset"},
    {"hot_start", K::Bool, D::Count, "inherit the parent's weights"},
    {"checkpoint", K::String, D::Count, "known-good model to start from"},
    {"table", K::String, D::Count, "CSV of precomputed metrics"},
    {"proxy", K::Word, D::Count, "zero-cost proxy", "synflow,naswot"},
    {"threads", K::Int, D::Count, "training threads"},
    {"calibration_batches", K::Int, D::Count,
     "batches recomputing BN statistics before accuracy"},
    {"finetune_epochs", K::Int, D::Count,
     "magnitude pruning: fine-tuning epochs"},
    {"halving", K::Real, D::Count, "successive halving rate after the search"},
};

llvm::ArrayRef<PropertySpec> nasc::nas::getEvaluationParams() {
  return kEvaluationParams;
}

const PropertySpec *nasc::nas::findProperty(llvm::ArrayRef<PropertySpec> specs,
                                            llvm::StringRef name) {
  const auto *it = llvm::find_if(
      specs, [&](const PropertySpec &spec) { return spec.name == name; });
  return it == specs.end() ? nullptr : it;
}

std::string nasc::nas::listPropertyNames(llvm::ArrayRef<PropertySpec> specs) {
  return llvm::join(
      llvm::map_range(specs,
                      [](const PropertySpec &spec) { return spec.name.str(); }),
      ", ");
}

std::string nasc::nas::describeKind(const PropertySpec &spec) {
  switch (spec.kind) {
  case K::Int:
    if (spec.min != std::numeric_limits<int64_t>::min() ||
        spec.max != std::numeric_limits<int64_t>::max())
      return "an integer in " + std::to_string(spec.min) + ".." +
             std::to_string(spec.max);
    return "an integer";
  case K::Real:
    return "a number";
  case K::Bool:
    return "true or false";
  case K::String:
    return "a string";
  case K::Word:
    if (!spec.words.empty()) {
      llvm::SmallVector<llvm::StringRef> words;
      llvm::StringRef(spec.words).split(words, ',');
      return "one of " + llvm::join(words, ", ");
    }
    return "a name";
  case K::Quantity:
    return ("a " + getDimensionName(spec.dimension) + " quantity (" +
            getDimensionUnits(spec.dimension) + ")")
        .str();
  }
  llvm_unreachable("unknown value kind");
}

std::string nasc::nas::checkPropertyValue(const PropertySpec &spec,
                                          mlir::Attribute value) {
  bool ok = false;
  switch (spec.kind) {
  case K::Int:
    if (auto number = llvm::dyn_cast<mlir::IntegerAttr>(value))
      ok = !llvm::isa<mlir::BoolAttr>(value) && number.getInt() >= spec.min &&
           number.getInt() <= spec.max;
    break;
  case K::Real:
    ok = llvm::isa<mlir::FloatAttr>(value);
    break;
  case K::Bool:
    ok = llvm::isa<mlir::BoolAttr>(value);
    break;
  case K::String:
    ok = llvm::isa<mlir::StringAttr>(value);
    break;
  case K::Word:
    if (auto word = llvm::dyn_cast<mlir::StringAttr>(value)) {
      llvm::SmallVector<llvm::StringRef> words;
      llvm::StringRef(spec.words).split(words, ',');
      ok = spec.words.empty() || llvm::is_contained(words, word.getValue());
    }
    break;
  case K::Quantity:
    if (auto quantity = llvm::dyn_cast<QuantityAttr>(value)) {
      auto unit = lookupUnit(quantity.getUnit().getValue());
      ok = unit && unit->dimension == spec.dimension;
    }
    break;
  }
  if (ok)
    return "";
  return ("'" + spec.name + "' must be " + describeKind(spec)).str();
}
