//===- Problem.cpp - What a search optimizes ------------------------------===//

#include "nasc/Search/Problem.h"

#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Support/MetricKey.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

using namespace nasc;
using namespace nasc::search;
using namespace nasc::nas;

bool Constraint::holds(double value) const {
  if (std::isnan(value))
    return false;
  switch (cmp) {
  case Comparison::lt:
    return value < bound;
  case Comparison::le:
    return value <= bound;
  case Comparison::gt:
    return value > bound;
  case Comparison::ge:
    return value >= bound;
  }
  return false;
}

std::string search::getMetricKey(Metric metric,
                                 std::optional<llvm::StringRef> target) {
  return MetricKey{stringifyMetric(metric).str(),
                   target ? target->str() : std::string()}
      .str();
}

Problem Problem::fromSpec(SpecOp spec) {
  Problem problem;
  for (ObjectivesOp objectives : spec.getBodyBlock().getOps<ObjectivesOp>()) {
    problem.formulation = objectives.getFormulation();
    for (ObjectiveOp objective :
         objectives.getBody().getOps<ObjectiveOp>()) {
      Objective o;
      std::optional<llvm::StringRef> target;
      if (auto ref = objective.getTargetAttr())
        target = ref.getValue();
      o.metric = getMetricKey(objective.getMetric(), target);
      o.maximize = objective.getDirection() == Direction::maximize;
      if (auto weight = objective.getWeightAttr())
        o.weight = weight.getValueAsDouble();
      if (auto stage = objective.getStageAttr())
        o.stage = int(stage.getInt());
      problem.objectives.push_back(o);
    }
  }
  for (ConstraintOp constraint : spec.getBodyBlock().getOps<ConstraintOp>()) {
    Constraint c;
    std::optional<llvm::StringRef> target;
    if (auto ref = constraint.getTargetAttr())
      target = ref.getValue();
    c.metric = getMetricKey(constraint.getMetric(), target);
    c.cmp = constraint.getCmp();
    c.bound = constraint.getBound().getBaseValue();
    llvm::raw_string_ostream os(c.text);
    os << c.metric << " " << getComparisonSymbol(c.cmp) << " ";
    printSourceForm(constraint.getBound(), os);
    problem.constraints.push_back(std::move(c));
  }
  problem.update();
  return problem;
}

std::optional<Objective> Problem::parseObjective(llvm::StringRef text,
                                                 std::string &error) {
  auto [direction, metric] = text.split(':');
  Objective objective;
  if (direction == "max" || direction == "maximize")
    objective.maximize = true;
  else if (direction == "min" || direction == "minimize")
    objective.maximize = false;
  else {
    error = "'" + text.str() +
            "': expected max:METRIC or min:METRIC (optionally *WEIGHT)";
    return std::nullopt;
  }
  metric = metric.trim();
  // `METRIC*W`: a weight for the scalarized formulations.
  if (size_t star = metric.rfind('*'); star != llvm::StringRef::npos) {
    llvm::StringRef weight = metric.drop_front(star + 1).trim();
    if (weight.getAsDouble(objective.weight) || !(objective.weight > 0)) {
      error = "'" + text.str() + "': the weight '" + weight.str() +
              "' is not a positive number";
      return std::nullopt;
    }
    metric = metric.take_front(star).trim();
  }
  if (!MetricKey::parse(metric)) {
    error = "'" + text.str() + "': '" + metric.str() +
            "' is not a metric name";
    return std::nullopt;
  }
  objective.metric = metric.str();
  return objective;
}

std::optional<Constraint> Problem::parseConstraint(llvm::StringRef text,
                                                   std::string &error) {
  size_t at = text.find_first_of("<>");
  if (at == llvm::StringRef::npos) {
    error = "'" + text.str() + "': expected METRIC<VALUE (or <=, >, >=)";
    return std::nullopt;
  }
  Constraint constraint;
  llvm::StringRef metric = text.take_front(at).trim();
  llvm::StringRef rest = text.drop_front(at);
  bool orEqual = rest.size() > 1 && rest[1] == '=';
  constraint.cmp = rest[0] == '<'
                       ? (orEqual ? Comparison::le : Comparison::lt)
                       : (orEqual ? Comparison::ge : Comparison::gt);
  llvm::StringRef value = rest.drop_front(orEqual ? 2 : 1).trim();
  if (!MetricKey::parse(metric)) {
    error = "'" + text.str() + "': '" + metric.str() +
            "' is not a metric name";
    return std::nullopt;
  }
  // A number, then an optional unit.
  size_t numberEnd = 0;
  while (numberEnd < value.size() &&
         (llvm::isDigit(value[numberEnd]) || value[numberEnd] == '.' ||
          value[numberEnd] == 'e' || value[numberEnd] == 'E' ||
          ((value[numberEnd] == '-' || value[numberEnd] == '+') &&
           numberEnd > 0 &&
           (value[numberEnd - 1] == 'e' || value[numberEnd - 1] == 'E'))))
    ++numberEnd;
  double number;
  if (numberEnd == 0 || value.take_front(numberEnd).getAsDouble(number)) {
    error = "'" + text.str() + "': '" + value.str() + "' is not a number";
    return std::nullopt;
  }
  llvm::StringRef unit = value.drop_front(numberEnd).trim();
  std::optional<UnitInfo> info = lookupUnit(unit);
  if (!info) {
    error = "'" + text.str() + "': unknown unit '" + unit.str() + "'";
    return std::nullopt;
  }
  // Metrics of the spec language: the unit must fit.
  llvm::StringRef base = MetricKey::getName(metric);
  if (std::optional<Metric> known = symbolizeMetric(base))
    if (!isDimensionValidFor(*known, info->dimension)) {
      error = "'" + text.str() + "': a " + base.str() + " bound needs " +
              getDimensionName(getMetricDimension(*known)).str() + " (" +
              getDimensionUnits(getMetricDimension(*known)).str() +
              "), not '" + unit.str() + "'";
      return std::nullopt;
    }
  constraint.metric = metric.str();
  constraint.bound = number * info->scale;
  constraint.text = metric.str() + " " +
                    getComparisonSymbol(constraint.cmp).str() + " " +
                    value.str();
  return constraint;
}

void Problem::update() {
  metrics.clear();
  auto add = [&](const std::string &metric) {
    if (!llvm::is_contained(metrics, metric))
      metrics.push_back(metric);
  };
  for (const Objective &objective : objectives)
    add(objective.metric);
  for (const Constraint &constraint : constraints)
    add(constraint.metric);
  for (const std::string &metric : reported)
    add(metric);
  for (Objective &objective : objectives)
    objective.index = indexOf(objective.metric);
  for (Constraint &constraint : constraints)
    constraint.index = indexOf(constraint.metric);
}

std::vector<std::string> Problem::getMetrics() const { return metrics; }

size_t Problem::indexOf(llvm::StringRef metric) const {
  return size_t(llvm::find(metrics, metric) - metrics.begin());
}

std::string Problem::validate() const {
  size_t n = objectives.size();
  if (n == 0)
    return "no objective: give one in the spec's 'objectives' or with "
           "--objective max:METRIC|min:METRIC";
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (objectives[i].metric == objectives[j].metric)
        return "objective '" + objectives[i].metric + "' appears twice";
  auto name = stringifyFormulation(formulation).str();
  switch (formulation) {
  case Formulation::single:
    if (n != 1)
      return "formulation 'single' needs exactly one objective, not " +
             std::to_string(n);
    break;
  case Formulation::constrained:
    if (n != 1)
      return "formulation 'constrained' needs exactly one objective";
    if (constraints.empty())
      return "formulation 'constrained' needs at least one constraint";
    break;
  case Formulation::weighted_sum:
  case Formulation::weighted_product:
    if (n < 2)
      return "formulation '" + name + "' needs at least two objectives";
    for (const Objective &objective : objectives)
      if (!(objective.weight > 0))
        return "formulation '" + name + "': objective '" + objective.metric +
               "' needs a positive weight";
    break;
  case Formulation::pareto:
    if (n < 2)
      return "formulation 'pareto' needs at least two objectives";
    break;
  case Formulation::two_stage: {
    bool one = false, two = false;
    for (const Objective &objective : objectives) {
      if (objective.stage != 1 && objective.stage != 2)
        return "formulation 'two_stage': objective '" + objective.metric +
               "' needs 'stage 1' or 'stage 2'";
      one |= objective.stage == 1;
      two |= objective.stage == 2;
    }
    if (!one || !two)
      return "formulation 'two_stage' needs objectives in both stages";
    break;
  }
  }
  return "";
}

bool Problem::isMultiObjective() const {
  return formulation == Formulation::pareto ||
         (formulation == Formulation::two_stage && objectives.size() > 1);
}

std::vector<Objective> Problem::getActiveObjectives(int stage) const {
  if (formulation != Formulation::two_stage)
    return objectives;
  std::vector<Objective> active;
  for (const Objective &objective : objectives)
    if (stage == 1 ? objective.stage == 1 : true)
      active.push_back(objective);
  return active;
}

double Problem::scalarize(llvm::ArrayRef<Objective> active,
                          llvm::ArrayRef<double> values) const {
  auto value = [&](const Objective &objective) {
    return values[objective.index];
  };
  auto signedValue = [&](const Objective &objective) {
    double v = value(objective);
    return objective.maximize ? v : -v;
  };
  switch (formulation) {
  case Formulation::weighted_sum: {
    double sum = 0;
    for (const Objective &objective : active)
      sum += objective.weight * signedValue(objective);
    return sum;
  }
  case Formulation::weighted_product: {
    // log of Π v^(±w): the same order, no overflow.
    double sum = 0;
    for (const Objective &objective : active) {
      double v = value(objective);
      if (!(v > 0))
        return -std::numeric_limits<double>::infinity();
      sum += (objective.maximize ? 1 : -1) * objective.weight * std::log(v);
    }
    return sum;
  }
  default:
    return signedValue(active.front());
  }
}

std::vector<double> Problem::orient(llvm::ArrayRef<Objective> active,
                                    llvm::ArrayRef<double> values) const {
  std::vector<double> oriented;
  oriented.reserve(active.size());
  for (const Objective &objective : active) {
    double v = values[objective.index];
    oriented.push_back(objective.maximize ? -v : v);
  }
  return oriented;
}

int Problem::firstViolatedKnown(llvm::ArrayRef<double> values) const {
  for (size_t c = 0; c < constraints.size(); ++c) {
    double value = values[constraints[c].index];
    if (!std::isnan(value) && !constraints[c].holds(value))
      return int(c);
  }
  return -1;
}

int Problem::firstViolated(llvm::ArrayRef<double> values) const {
  int known = firstViolatedKnown(values);
  if (known >= 0)
    return known;
  for (size_t c = 0; c < constraints.size(); ++c)
    if (!constraints[c].holds(values[constraints[c].index]))
      return int(c);
  return -1;
}

double Problem::violation(llvm::ArrayRef<double> values) const {
  // A metric not evaluated (a candidate not trained because its cheap
  // metrics already break a constraint) adds nothing to the known
  // violations; unknown alone, the violation is unbounded.
  double total = 0;
  bool unknown = false;
  for (const Constraint &constraint : constraints) {
    double v = values[constraint.index];
    if (constraint.holds(v))
      continue;
    if (std::isnan(v)) {
      unknown = true;
      continue;
    }
    double scale = std::max(1e-12, std::fabs(constraint.bound));
    total += std::fabs(v - constraint.bound) / scale + 1e-9;
  }
  return unknown && total == 0 ? std::numeric_limits<double>::infinity()
                               : total;
}

/// Units of counts, which a spec writes as plain numbers, and of the
/// zero-cost proxies' scores (docs/evaluation.md).
static constexpr llvm::StringLiteral kCountUnits[] = {
    "fraction", "FLOPs", "MACs", "BOPs", "count", "log10 score", "log det",
    "cycles", "LUTs", "flip-flops", "DSPs", "BRAMs"};

std::string search::getMetricUnit(llvm::StringRef metric) {
  llvm::StringRef base = MetricKey::getName(metric);
  if (std::optional<Metric> known = symbolizeMetric(base)) {
    switch (*known) {
    case Metric::accuracy:
      return "fraction";
    case Metric::flops:
      return "FLOPs";
    case Metric::macs:
      return "MACs";
    case Metric::bops:
      return "BOPs";
    case Metric::params:
      return "count";
    case Metric::cycles:
      return "cycles";
    case Metric::lut:
      return "LUTs";
    case Metric::ff:
      return "flip-flops";
    case Metric::dsp:
      return "DSPs";
    case Metric::bram:
      return "BRAMs";
    default:
      break;
    }
    switch (Dimension dimension = getMetricDimension(*known)) {
    case Dimension::Time:
    case Dimension::Energy:
    case Dimension::Power:
    case Dimension::Bytes:
    case Dimension::Frequency:
      return getOutputUnit(dimension).str();
    default:
      return "";
    }
  }
  // The analyses' and training's metrics that no spec names.
  if (base == "test_accuracy")
    return "fraction";
  if (base == "train_seconds")
    return "s";
  // The zero-cost proxies: SynFlow's score is written as its log10,
  // NASWOT's is the log-determinant of its kernel.
  if (base == "synflow")
    return "log10 score";
  if (base == "naswot")
    return "log det";
  if (base.ends_with("_bytes"))
    return "B";
  return "";
}

std::string search::getMetricHeader(llvm::StringRef metric) {
  std::string unit = getMetricUnit(metric);
  return unit.empty() ? metric.str() : (metric + " [" + unit + "]").str();
}

double search::rescale(double value, double scale) {
  if (scale == 1)
    return value;
  int exponent = int(std::lround(std::log10(scale)));
  if (!std::isfinite(value) || value == 0 ||
      std::fabs(scale / std::pow(10.0, exponent) - 1) > 1e-12)
    return value * scale;
  // 1.47802e-03 with the exponent moved: 0.00147802 s is 1.47802 ms, not
  // the 1.4780199999999999 of a multiplication, and reads back exactly.
  char buffer[48];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value,
                                 std::chars_format::scientific);
  llvm::StringRef text(buffer, ec == std::errc() ? end - buffer : 0);
  auto [mantissa, power] = text.split('e');
  int written = 0;
  power.consume_front("+");
  if (text.empty() || power.getAsInteger(10, written))
    return value * scale;
  return std::strtod(
      (mantissa + "e" + llvm::Twine(written + exponent)).str().c_str(),
      nullptr);
}

double search::toMetricUnit(llvm::StringRef metric, double value) {
  std::optional<double> scale = getUnitScale(getMetricUnit(metric));
  return scale ? rescale(value, 1 / *scale) : value;
}

std::string search::formatMetricValue(llvm::StringRef metric, double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.6g", toMetricUnit(metric, value));
  if (std::string unit = getMetricUnit(metric); !unit.empty())
    os << " " << unit;
  return text;
}

std::optional<double> search::getUnitScale(llvm::StringRef unit) {
  if (llvm::is_contained(kCountUnits, unit))
    return 1.0;
  if (std::optional<UnitInfo> info = lookupUnit(unit))
    return info->scale;
  return std::nullopt;
}
