//===- LookupTable.cpp - Per-layer latency and energy tables --------------===//
//
// FBNet's and nn-Meter's method: the cost of a network is the sum of its
// layers' entries, measured per layer on the device. An entry is keyed by
// the layer's kind, shapes, kernel, stride, groups and bit widths
// (LayerWork::key). A layer without an entry takes the entry of the same
// kind and bit widths nearest to it in MACs (log scale), scaled by the
// ratio of their MACs (or bytes, for layers without MACs); a layer of a
// kind without entries costs its roofline estimate (nothing without target
// figures). Such estimates are flagged as interpolated.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"
#include "nasc/Support/CSV.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace nasc;
using namespace nasc::cost;

namespace {
struct Entry {
  double latency = std::nan(""), energy = std::nan("");
};

class LookupTable : public CostModel {
public:
  LookupTable(TargetDesc target, std::string digest)
      : CostModel(std::move(target)), digest(std::move(digest)) {}
  Method getMethod() const override { return Method::LookupTable; }
  bool provides(Quantity quantity) const override {
    return quantity == Quantity::Latency ? hasLatency : hasEnergy;
  }
  std::string getFingerprint() const override {
    return "lookup_table " + target.name + " " + digest;
  }
  Estimate estimate(Quantity quantity,
                    llvm::ArrayRef<LayerWork> layers) const override {
    Estimate estimate;
    estimate.value = 0;
    for (const LayerWork &layer : layers) {
      auto it = entries.find(layer.key);
      if (it != entries.end()) {
        double v = quantity == Quantity::Latency ? it->second.latency
                                                 : it->second.energy;
        if (!std::isnan(v)) {
          estimate.value += v;
          continue;
        }
      }
      // Nothing of this kind (adds and concatenations, which per-layer
      // measurements do not time): the target's roofline, else nothing.
      std::optional<double> v = interpolate(quantity, layer);
      if (!v && (target.peakFlops > 0 || target.bandwidth > 0))
        v = quantity == Quantity::Latency ? getRooflineLatency(target, layer)
                                          : getRooflineEnergy(target, layer);
      estimate.value += v.value_or(0.0);
      estimate.interpolated = true;
    }
    return estimate;
  }

  llvm::StringMap<Entry> entries;
  /// Per "kind wNaM": (work, entry) of every entry, for interpolation.
  llvm::StringMap<std::vector<std::pair<double, Entry>>> byKind;
  bool hasLatency = false, hasEnergy = false;

private:
  static std::string kindKey(const LayerWork &layer) {
    return layer.kind + " w" + std::to_string(layer.weightBits) + "a" +
           std::to_string(layer.activationBits);
  }
  static double work(const LayerWork &layer) {
    return layer.macs > 0 ? layer.macs : layer.bytes;
  }
  std::optional<double> interpolate(Quantity quantity,
                                    const LayerWork &layer) const {
    auto it = byKind.find(kindKey(layer));
    if (it == byKind.end())
      return std::nullopt;
    double w = std::max(1.0, work(layer));
    const std::pair<double, Entry> *nearest = nullptr;
    double distance = INFINITY;
    for (const auto &candidate : it->second) {
      double v = quantity == Quantity::Latency ? candidate.second.latency
                                               : candidate.second.energy;
      if (std::isnan(v))
        continue;
      double d = std::fabs(std::log(w / std::max(1.0, candidate.first)));
      if (d < distance) {
        distance = d;
        nearest = &candidate;
      }
    }
    if (!nearest)
      return std::nullopt;
    double v = quantity == Quantity::Latency ? nearest->second.latency
                                             : nearest->second.energy;
    return v * w / std::max(1.0, nearest->first);
  }
  friend std::unique_ptr<CostModel> cost::loadLookupTable(TargetDesc,
                                                          llvm::StringRef,
                                                          std::string &);
  std::string digest;
};
} // namespace

/// "ops conv 16x28x28 ..." → the LayerWork a key describes (kind, shapes,
/// bits), for interpolation; false when it is not one.
static bool parseKey(llvm::StringRef key, LayerWork &layer) {
  llvm::SmallVector<llvm::StringRef> parts;
  key.split(parts, ' ', -1, false);
  if (parts.size() != 7)
    return false;
  auto dims = [](llvm::StringRef text, int64_t out[3]) {
    llvm::SmallVector<llvm::StringRef> d;
    text.split(d, 'x');
    if (d.size() != 3)
      return false;
    for (int i = 0; i < 3; ++i)
      if (d[i].getAsInteger(10, out[i]))
        return false;
    return true;
  };
  int64_t in[3], out[3], kernel, groups;
  unsigned w, a;
  llvm::StringRef bits = parts[6];
  if (!dims(parts[1], in) || !dims(parts[2], out) ||
      !parts[3].consume_front("k") || parts[3].getAsInteger(10, kernel) ||
      !parts[5].consume_front("g") || parts[5].getAsInteger(10, groups) ||
      !bits.consume_front("w"))
    return false;
  auto [wText, aText] = bits.split('a');
  if (wText.getAsInteger(10, w) || aText.getAsInteger(10, a))
    return false;
  layer.kind = parts[0].str();
  layer.weightBits = w;
  layer.activationBits = a;
  // MACs of a convolution-like layer; elements otherwise.
  double outputs = double(out[0] * out[1] * out[2]);
  layer.macs = kernel > 0 ? outputs * double(kernel * kernel) *
                                double(in[0] / std::max<int64_t>(1, groups))
               : layer.kind == "fc" ? double(in[0] * in[1] * in[2]) * out[0]
                                    : 0;
  layer.bytes = 4.0 * (double(in[0] * in[1] * in[2]) + outputs);
  return true;
}

std::unique_ptr<CostModel> cost::loadLookupTable(TargetDesc target,
                                                 llvm::StringRef path,
                                                 std::string &error) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(path, &message);
  if (!file) {
    error = path.str() + ": " + message;
    return nullptr;
  }
  auto table = std::make_unique<LookupTable>(
      std::move(target),
      llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(
          file->getBuffer()))));
  CSVTable csv;
  if (!parseCSV(file->getBuffer(), path, csv, error))
    return nullptr;
  int keyColumn = csv.column("key"), latencyColumn = csv.column("latency_ms"),
      energyColumn = csv.column("energy_mj");
  if (keyColumn < 0 || (latencyColumn < 0 && energyColumn < 0)) {
    error = path.str() + ":" + std::to_string(std::max<size_t>(csv.headerLine, 1)) +
            ": a lookup table needs a 'key' column and 'latency_ms' and/or "
            "'energy_mj'";
    return nullptr;
  }
  const std::vector<std::string> &header = csv.header;
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const std::vector<std::string> &fields = csv.rows[r];
    std::string where = path.str() + ":" + std::to_string(csv.lines[r]) + ": ";
    LayerWork layer;
    if (!parseKey(fields[keyColumn], layer)) {
      error = where + "'" + fields[keyColumn] +
              "' is no layer key (kind CxHxW CxHxW kK sS gG wWaA)";
      return nullptr;
    }
    Entry entry;
    auto number = [&](int column, double scale, double &out) {
      if (column < 0 || fields[column].empty())
        return true;
      double value;
      if (llvm::StringRef(fields[column]).getAsDouble(value) || value < 0) {
        error = where + "'" + fields[column] + "' in column '" +
                header[column] + "' is not a non-negative number";
        return false;
      }
      out = value * scale;
      return true;
    };
    if (!number(latencyColumn, 1e-3, entry.latency) ||
        !number(energyColumn, 1e-3, entry.energy))
      return nullptr;
    table->hasLatency |= !std::isnan(entry.latency);
    table->hasEnergy |= !std::isnan(entry.energy);
    table->entries[fields[keyColumn]] = entry;
    std::string kind = layer.kind + " w" + std::to_string(layer.weightBits) +
                       "a" + std::to_string(layer.activationBits);
    table->byKind[kind].push_back(
        {layer.macs > 0 ? layer.macs : layer.bytes, entry});
  }
  if (table->entries.empty()) {
    error = path.str() + ": no entries";
    return nullptr;
  }
  return table;
}
