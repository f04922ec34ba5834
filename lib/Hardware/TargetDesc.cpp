//===- TargetDesc.cpp - Hardware targets described by their figures -----===//

#include "nasc/Hardware/TargetDesc.h"

#include "nasc/Dialect/NAS/IR/NASAttrs.h"

#include <immintrin.h>

#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

using namespace mlir;
using namespace nasc;
using namespace nasc::hw;
using nas::TargetKind;

//===----------------------------------------------------------------------===//
// Measuring this machine
//===----------------------------------------------------------------------===//

namespace {
template <typename Body> double timeLoop(Body body) {
  auto start = std::chrono::steady_clock::now();
  body();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

/// 16 independent multiply-add chains of LANES floats: enough parallelism
/// to fill two FMA pipes; the compiler vectorizes each chain, and the
/// chains are unrolled so that they stay in registers.
#define NASC_FMA_KERNEL(LANES)                                                 \
  float acc[16][LANES];                                                        \
  for (int i = 0; i < 16; ++i)                                                 \
    for (int j = 0; j < LANES; ++j)                                            \
      acc[i][j] = float(i + j) * 1e-3f;                                        \
  for (long r = 0; r < repeats; ++r)                                           \
    _Pragma("GCC unroll 16") for (int i = 0; i < 16; ++i)                      \
      for (int j = 0; j < LANES; ++j)                                          \
        acc[i][j] = acc[i][j] * 0.999999f + 1e-7f;                             \
  float sum = 0;                                                               \
  for (int i = 0; i < 16; ++i)                                                 \
    for (int j = 0; j < LANES; ++j)                                            \
      sum += acc[i][j];                                                        \
  return sum;

/// The same 16 chains on explicit 512-bit vectors, which a compiler's
/// auto-vectorizer may split into 256-bit ones.
__attribute__((target("avx512f"))) float fmaLoopAvx512(long repeats) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_ps(float(i) * 1e-3f);
  __m512 scale = _mm512_set1_ps(0.999999f), offset = _mm512_set1_ps(1e-7f);
  for (long r = 0; r < repeats; ++r)
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], scale, offset);
  // Stored, not _mm512_reduce_add_ps (GCC 12 warns in its own header).
  float sum = 0;
  alignas(64) float lanes[16];
  for (int i = 0; i < 16; ++i) {
    _mm512_store_ps(lanes, acc[i]);
    for (float v : lanes)
      sum += v;
  }
  return sum;
}
__attribute__((target("avx2,fma"))) float fmaLoopAvx2(long repeats) {
  NASC_FMA_KERNEL(8)
}
float fmaLoopBaseline(long repeats) { NASC_FMA_KERNEL(8) }
#undef NASC_FMA_KERNEL
} // namespace

/// The widest vectors the CPU backend's code uses on this machine: 512
/// bits with AVX-512, 256 with AVX2 and FMA, else 128.
static unsigned getHostVectorBits() {
  return __builtin_cpu_supports("avx512f") ? 512
         : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
             ? 256
             : 128;
}

double hw::measureHostPeakFlops(unsigned vectorBits) {
  unsigned hostBits = getHostVectorBits();
  int widest = hostBits >= 256 ? int(hostBits / 32) : 0;
  int lanes = std::min<int>(widest, int(vectorBits / 32));
  if (lanes < 8)
    lanes = 0;
  // Measured once per width and process.
  static std::mutex lock;
  static std::map<int, double> measured;
  std::lock_guard<std::mutex> guard(lock);
  auto found = measured.find(lanes);
  if (found != measured.end())
    return found->second;
  long repeats = 2'000'000;
  volatile float sink = 0;
  double best = 1e30;
  for (int trial = 0; trial < 3; ++trial)
    best = std::min(best, timeLoop([&] {
                      sink = lanes == 16  ? fmaLoopAvx512(repeats)
                             : lanes == 8 ? fmaLoopAvx2(repeats)
                                          : fmaLoopBaseline(repeats);
                    }));
  (void)sink;
  double peak = 2.0 * 16 * (lanes == 16 ? 16 : 8) * double(repeats) / best;
  measured[lanes] = peak;
  return peak;
}

/// Bytes per second read and written by copying the first `bytes` of `a`
/// into `b`, `repeats` times a trial: the best of three trials.
static double measureCopies(std::vector<char> &a, std::vector<char> &b,
                            size_t bytes, size_t repeats) {
  double best = 1e30;
  for (int trial = 0; trial < 3; ++trial)
    best = std::min(best, timeLoop([&] {
                      for (size_t r = 0; r < repeats; ++r) {
                        std::memcpy(b.data(), a.data(), bytes);
                        // Keep the copies: each reads what the last wrote.
                        a[r % bytes] = b[(r * 7) % bytes];
                      }
                    }));
  return 2.0 * double(bytes) * double(repeats) / best;
}

double hw::measureHostBandwidth() {
  static double bandwidth = [] {
    size_t bytes = size_t(64) << 20;
    std::vector<char> a(bytes, 1), b(bytes, 0);
    return measureCopies(a, b, bytes, 1);
  }();
  return bandwidth;
}

std::vector<TargetDesc::CacheBandwidth> hw::measureHostCacheBandwidths() {
  static std::vector<TargetDesc::CacheBandwidth> levels = [] {
    std::vector<TargetDesc::CacheBandwidth> result;
    size_t largest = size_t(16) << 20;
    std::vector<char> a(largest / 2, 1), b(largest / 2, 0);
    for (size_t bytes : {size_t(16) << 10, size_t(128) << 10,
                         size_t(512) << 10, size_t(4) << 20, largest}) {
      // A working set of two halves; about 256 MiB moved per trial, the
      // first trial warming the set.
      size_t repeats = std::max<size_t>(1, (size_t(256) << 20) / bytes);
      result.push_back(
          {double(bytes), measureCopies(a, b, bytes / 2, repeats)});
    }
    return result;
  }();
  return levels;
}

double hw::getWorkingSetBandwidth(const TargetDesc &target, double bytes) {
  for (const TargetDesc::CacheBandwidth &level : target.cacheBandwidths)
    if (bytes <= level.bytes)
      return level.bandwidth;
  return target.bandwidth;
}

//===----------------------------------------------------------------------===//
// Built-in descriptions
//===----------------------------------------------------------------------===//

static std::vector<TargetDesc> makeBuiltins() {
  std::vector<TargetDesc> all;
  TargetDesc host;
  host.name = host.preset = "host_cpu";
  host.kind = TargetKind::cpu;
  host.overhead = 1e-6;
  host.power = 0; // RAPL when readable, else the default (docs)
  host.source = "this machine, one core: peak and bandwidths measured by a "
                "multiply-add loop and copies of 16 KiB to 64 MiB on first "
                "use";
  all.push_back(host);

  TargetDesc nano;
  nano.name = nano.preset = "jetson_nano";
  nano.kind = TargetKind::gpu;
  nano.peakFlops = 236e9; // 128 Maxwell cores x 921.6 MHz x 2
  nano.bandwidth = 25.6e9;
  nano.overhead = 10e-6;
  nano.power = 10;
  nano.memory = 4e9;
  nano.source = "NVIDIA Jetson Nano datasheet (DA-09402-004): 472 GFLOPS "
                "fp16, 25.6 GB/s LPDDR4, 10 W mode; launch overhead assumed";
  all.push_back(nano);

  TargetDesc a76;
  a76.name = a76.preset = "mobile_a76";
  a76.kind = TargetKind::mobile;
  a76.peakFlops = 45.4e9; // 2 x 128-bit FMA pipes x 2.84 GHz
  a76.peakInt8 = 181.8e9; // 2 x SDOT (16 int8 MACs) per cycle
  a76.bandwidth = 34.1e9;
  a76.overhead = 5e-6;
  a76.power = 2;
  a76.memory = 6e9;
  a76.source = "one Cortex-A76 at 2.84 GHz (Snapdragon 855 prime core): Arm "
               "Cortex-A76 Software Optimization Guide; LPDDR4X-4266 x64";
  all.push_back(a76);

  TargetDesc pynq;
  pynq.name = pynq.preset = "pynq_z2";
  pynq.kind = TargetKind::fpga;
  pynq.peakFlops = 13.2e9; // ~5 DSPs per fp32 MAC at 150 MHz
  pynq.peakInt8 = 132e9;   // 220 DSPs x 2 packed int8 MACs x 150 MHz
  pynq.bandwidth = 2.13e9; // DDR3-1066 x16
  pynq.overhead = 50e-6;
  pynq.energyPerMac = 5e-12;
  pynq.energyPerByte = 80e-12;
  pynq.power = 2.5;
  pynq.sram = 630e3; // 140 BRAM36
  pynq.memory = 512e6;
  pynq.dsp = 220;
  pynq.bram = 140;
  pynq.lut = 53200;
  pynq.source = "Zynq-7020 (Xilinx DS190), TUL PYNQ-Z2 manual; accelerator "
                "at 150 MHz assumed";
  all.push_back(pynq);

  TargetDesc stm;
  stm.name = stm.preset = "stm32f746";
  stm.kind = TargetKind::tiny;
  stm.peakFlops = 432e6; // one fp32 FMA per cycle at 216 MHz
  stm.peakInt8 = 864e6;  // SMLAD: two 16-bit MACs per cycle
  stm.bandwidth = 864e6; // 4 bytes per cycle
  stm.overhead = 2e-6;
  stm.power = 0.33;
  stm.sram = 320 * 1024;
  stm.flash = 1024 * 1024;
  stm.source = "STM32F746 (ST DS10916): Cortex-M7 at 216 MHz, 320 KB SRAM, "
               "1 MB flash (MCUNet's board)";
  all.push_back(stm);
  return all;
}

llvm::ArrayRef<TargetDesc> hw::getBuiltinTargets() {
  static std::vector<TargetDesc> builtins = makeBuiltins();
  return builtins;
}

const TargetDesc *hw::findBuiltinTarget(llvm::StringRef name) {
  for (const TargetDesc &target : getBuiltinTargets())
    if (target.name == name)
      return &target;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Declared targets
//===----------------------------------------------------------------------===//

/// The value of `op`'s tunable `name`: `chosen`'s, else its only
/// alternative, else null (undecided).
static Attribute getChosenTunable(nas::TargetOp op, StringRef name,
                                  hw::TunableValues chosen) {
  for (const auto &[tunable, value] : chosen)
    if (tunable == name)
      return value;
  DictionaryAttr tunables = op.getTunablesAttr();
  auto choice =
      tunables ? dyn_cast_or_null<nas::ChoiceAttr>(tunables.get(name)) : nullptr;
  return choice && choice.size() == 1 ? choice.getOptions()[0] : nullptr;
}

/// The tunables each target kind's description reads.
static ArrayRef<StringRef> getDescribedTunables(nas::TargetKind kind) {
  static const StringRef cpu[] = {"tile_channels", "tile_reduction",
                                  "tile_width", "vector"};
  static const StringRef gpu[] = {"precision"};
  if (kind == nas::TargetKind::cpu)
    return cpu;
  if (kind == nas::TargetKind::gpu)
    return gpu;
  return {};
}

/// The schedule a `cpu` target's decided tunables give its code (an
/// undecided one keeps the backend's default): the vectors `vector` names,
/// else this machine's widest for host_cpu and 512 bits for another target;
/// the tiles' limits.
static TargetDesc::CPUSchedule getCPUSchedule(nas::TargetOp op, bool host,
                                              hw::TunableValues chosen) {
  TargetDesc::CPUSchedule schedule;
  schedule.vectorBits = host ? getHostVectorBits() : 512;
  auto decided = [&](StringRef name) {
    return getChosenTunable(op, name, chosen);
  };
  if (auto vector = dyn_cast_or_null<StringAttr>(decided("vector")))
    schedule.vectorBits = vector.getValue() == "avx2" ? 256 : 512;
  std::pair<StringRef, int64_t *> limits[] = {
      {"tile_width", &schedule.tiles.width},
      {"tile_channels", &schedule.tiles.channels},
      {"tile_reduction", &schedule.tiles.reduction}};
  for (auto [name, slot] : limits)
    if (auto value = dyn_cast_or_null<IntegerAttr>(decided(name)))
      *slot = value.getInt();
  return schedule;
}

std::vector<std::pair<std::string, llvm::SmallVector<Attribute>>>
hw::getCostTunables(nas::TargetOp op) {
  std::vector<std::pair<std::string, llvm::SmallVector<Attribute>>> result;
  DictionaryAttr tunables = op.getTunablesAttr();
  if (!tunables)
    return result;
  for (StringRef name : getDescribedTunables(op.getKind()))
    if (auto choice =
            dyn_cast_or_null<nas::ChoiceAttr>(tunables.get(name)))
      if (choice.size() > 1)
        result.push_back(
            {name.str(), llvm::SmallVector<Attribute>(
                                 choice.getOptions().getValue())});
  return result;
}

TargetDesc hw::getTargetDesc(nas::TargetOp op, TunableValues chosen) {
  TargetDesc target;
  DictionaryAttr props = op.getPropsAttr();
  if (props)
    if (auto preset = props.getAs<StringAttr>("preset"))
      if (const TargetDesc *builtin = findBuiltinTarget(preset.getValue()))
        target = *builtin;
  target.name = op.getSymName().str();
  target.kind = op.getKind();
  if (target.kind == nas::TargetKind::cpu)
    target.schedule =
        getCPUSchedule(op, target.preset == "host_cpu", chosen);
  if (target.kind == nas::TargetKind::gpu)
    if (auto precision = dyn_cast_or_null<StringAttr>(
            getChosenTunable(op, "precision", chosen)))
      target.floatStorageBits = precision.getValue() == "fp16" ? 16 : 32;
  if (target.preset == "host_cpu") {
    // A candidate's decided tunable `vector` (docs/language.md) sets the
    // vectors its code uses, and so the peak they reach here.
    target.peakFlops = measureHostPeakFlops(target.schedule.vectorBits);
    target.bandwidth = measureHostBandwidth();
    target.cacheBandwidths = measureHostCacheBandwidths();
  }
  if (!props)
    return target;
  auto set = [&](llvm::StringRef name, double &field) {
    if (auto value = props.getAs<nas::QuantityAttr>(name))
      field = value.getBaseValue();
  };
  set("peak_compute", target.peakFlops);
  set("peak_int8", target.peakInt8);
  set("bandwidth", target.bandwidth);
  set("overhead", target.overhead);
  set("energy_per_mac", target.energyPerMac);
  set("energy_per_byte", target.energyPerByte);
  set("power", target.power);
  set("sram", target.sram);
  set("flash", target.flash);
  set("memory", target.memory);
  set("dsp", target.dsp);
  set("bram", target.bram);
  set("lut", target.lut);
  if (target.preset.empty())
    target.source = "the spec's properties";
  else
    target.source += "; overridden by the spec's properties";
  return target;
}

std::vector<TargetDesc> hw::getSpecTargets(nas::SpecOp spec) {
  std::vector<TargetDesc> targets;
  for (nas::TargetOp op : spec.getBodyBlock().getOps<nas::TargetOp>())
    targets.push_back(getTargetDesc(op));
  return targets;
}
