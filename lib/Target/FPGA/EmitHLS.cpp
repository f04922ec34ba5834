//===- EmitHLS.cpp - A candidate as HLS C++ -------------------------------===//
//
// Writes the integer network as HLS C++ in the shape hls4ml and FINN give
// their layers: a function per layer whose loops are runInteger's
// (forEachWindow's window, padding skipped, Requant::apply's formula), the
// folding as pragmas, and a dataflow top in Vitis HLS's canonical form:
// every buffer has one writer and one reader, so a tensor that several
// layers read is first copied once per reader (a fork), a concatenation's
// parts are one function, and the top's arguments are read and written by
// a load and a store process.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/FPGA/EmitHLS.h"
#include "nasc/Target/FPGA/Emit.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <numeric>

using namespace nasc;
using namespace nasc::fpga;

/// The largest divisor of `n` that is at most 4 (the default folding).
static int64_t getLanes(int64_t n) {
  for (int64_t d = 4; d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

HLSFolding fpga::getHLSFolding(const IntegerNetwork &net, const IntOp &op) {
  if (op.kind != IntOpKind::Conv)
    return {};
  return {getLanes(net.tensors[op.output].channels / op.groups),
          getLanes(net.tensors[op.input].channels / op.groups)};
}

namespace {

/// `[C][H][W]`: the shape of the buffer of `t`.
std::string getDims(const IntTensor &t) {
  return "[" + std::to_string(t.channels) + "][" + std::to_string(t.height) +
         "][" + std::to_string(t.width) + "]";
}

/// The narrowest <cstdint> type that holds every value.
const char *getIntType(llvm::ArrayRef<int64_t> values) {
  int64_t lo = 0, hi = 0;
  for (int64_t v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo >= INT8_MIN && hi <= INT8_MAX)
    return "int8_t";
  if (lo >= INT16_MIN && hi <= INT16_MAX)
    return "int16_t";
  if (lo >= INT32_MIN && hi <= INT32_MAX)
    return "int32_t";
  return "int64_t";
}

void emitConstArray(llvm::raw_ostream &os, llvm::StringRef name,
                    llvm::StringRef dims, llvm::ArrayRef<int64_t> values) {
  os << "static const " << getIntType(values) << " " << name << dims << " = {";
  for (size_t i = 0; i < values.size(); ++i)
    os << (i % 16 ? " " : "\n    ") << values[i]
       << (i + 1 < values.size() ? "," : "");
  os << "};\n";
}

/// `out * stride + k - pad`, without the terms that do nothing.
std::string getPosition(llvm::StringRef out, int64_t stride, llvm::StringRef k,
                        int64_t pad) {
  std::string text = out.str();
  if (stride != 1)
    text += " * " + std::to_string(stride);
  text += " + " + k.str();
  if (pad)
    text += " - " + std::to_string(pad);
  return text;
}

/// The requantization of `acc` by op `index`'s Requant number `which`.
std::string getRequant(int64_t index, llvm::StringRef which,
                       llvm::StringRef acc) {
  std::string prefix = "l" + std::to_string(index) + "_";
  std::string args;
  for (const char *field : {"m", "b", "s", "lo", "hi"})
    args += ", " + prefix + field + "[" + which.str() + "]";
  return "requantize(" + acc.str() + args + ")";
}

/// Loops over the elements of `t`, the column loop pipelined, around the
/// statement `body` (which reads c, y and x).
void emitElementLoops(llvm::raw_ostream &os, const IntTensor &t,
                      llvm::StringRef body) {
  os << "  for (int c = 0; c < " << t.channels << "; ++c)\n"
     << "    for (int y = 0; y < " << t.height << "; ++y)\n"
     << "      for (int x = 0; x < " << t.width << "; ++x) {\n"
     << "#pragma HLS PIPELINE II=1\n"
     << "        " << body << "\n      }\n";
}

/// The window of a convolution or pool at output (oy, ox): `iy` and `ix`,
/// and the skip of the positions outside the input.
void emitWindowPosition(llvm::raw_ostream &os, const IntOp &op,
                        const IntTensor &in, llvm::StringRef indent) {
  os << indent
     << "const int iy = " << getPosition("oy", op.stride, "ky", op.padTop)
     << ", ix = " << getPosition("ox", op.stride, "kx", op.padLeft) << ";\n"
     << indent << "if (iy < 0 || iy >= " << in.height
     << " || ix < 0 || ix >= " << in.width << ")\n"
     << indent << "  continue;\n";
}

/// Writes NAME_hls.cpp from the ops grouped by the tensor they write and
/// each tensor's readers (which decide the forks and the buffers).
class HLSWriter {
public:
  HLSWriter(const IntegerNetwork &net, llvm::StringRef name)
      : net(net), name(name.str()) {
    // A concatenation's parts are consecutive copies into one tensor.
    for (size_t i = 0; i < net.ops.size(); ++i) {
      if (groups.empty() ||
          net.ops[groups.back().back()].output != net.ops[i].output)
        groups.emplace_back();
      groups.back().push_back(int(i));
    }
    for (const std::vector<int> &group : groups) {
      std::vector<int> inputs = getInputs(group);
      for (size_t k = 0; k < inputs.size(); ++k)
        addReader(inputs[k], group.front(), int(k));
    }
    addReader(net.output, -1, 0);
  }

  std::string emitSource();

private:
  const IntegerNetwork &net;
  std::string name;
  /// Ops that write one tensor, in program order.
  std::vector<std::vector<int>> groups;
  /// Each tensor's readers: (the first op of a group, its function's input
  /// number), op -1 the output store.
  std::map<int, std::vector<std::pair<int, int>>> readers;

  /// The tensors a group's function reads, in its parameters' order: an
  /// addition's or a channel scaling's two (even when they are one tensor),
  /// a copy group's distinct inputs (a channel shuffle's copies read one
  /// tensor).
  std::vector<int> getInputs(const std::vector<int> &group) const {
    const IntOp &op = net.ops[group.front()];
    if (op.secondInput >= 0)
      return {op.input, op.secondInput};
    std::vector<int> inputs;
    for (int index : group)
      if (!llvm::is_contained(inputs, net.ops[index].input))
        inputs.push_back(net.ops[index].input);
    return inputs;
  }

  void addReader(int tensor, int op, int port) {
    readers[tensor].push_back({op, port});
  }

  std::string getBuffer(int tensor) const {
    return "t" + std::to_string(tensor);
  }
  /// The buffer that reader (op, port) of `tensor` reads.
  std::string getReadBuffer(int tensor, int op, int port) const {
    const auto &list = readers.at(tensor);
    if (list.size() == 1)
      return getBuffer(tensor);
    auto it = llvm::find(list, std::make_pair(op, port));
    return getBuffer(tensor) + "_" + std::to_string(it - list.begin());
  }
  /// Channels per cycle that the reader (op, port) reads.
  int64_t getReadLanes(int op, int port) const {
    if (op < 0 || port != 0)
      return 1;
    return getHLSFolding(net, net.ops[op]).simd;
  }

  std::string getFunction(int op) const {
    return "layer" + std::to_string(op) + "_" +
           stringifyIntOpKind(net.ops[op].kind).str();
  }

  void emitConstants(llvm::raw_ostream &os, int index);
  void emitWindowLayer(llvm::raw_ostream &os, int index);
  void emitLayer(llvm::raw_ostream &os, const std::vector<int> &group);
  void emitFork(llvm::raw_ostream &os, int tensor);
  void emitBuffer(llvm::raw_ostream &os, llvm::StringRef buffer,
                  const IntTensor &t, int64_t lanes);
  void emitTop(llvm::raw_ostream &os);
};

void HLSWriter::emitConstants(llvm::raw_ostream &os, int index) {
  const IntOp &op = net.ops[index];
  std::string prefix = "l" + std::to_string(index) + "_";
  if (op.kind == IntOpKind::Conv) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    std::vector<int64_t> weights(op.weights.begin(), op.weights.end());
    emitConstArray(os, prefix + "w",
                   "[" + std::to_string(out.channels) + "][" +
                       std::to_string(in.channels / op.groups) + "][" +
                       std::to_string(op.kernelH) + "][" +
                       std::to_string(op.kernelW) + "]",
                   weights);
  }
  if (op.requant.empty())
    return;
  std::vector<int64_t> fields[5];
  for (const Requant &r : op.requant) {
    fields[0].push_back(r.multiplier);
    fields[1].push_back(r.offset);
    fields[2].push_back(r.shift);
    fields[3].push_back(r.lo);
    fields[4].push_back(r.hi);
  }
  std::string size = "[" + std::to_string(op.requant.size()) + "]";
  const char *names[] = {"m", "b", "s", "lo", "hi"};
  for (int f = 0; f < 5; ++f)
    emitConstArray(os, prefix + names[f], size, fields[f]);
}

/// A convolution (or fc) or pool: output channels (PE at a time), rows,
/// columns, then the window, whose column loop is pipelined; a convolution
/// sums SIMD input channels per cycle.
void HLSWriter::emitWindowLayer(llvm::raw_ostream &os, int index) {
  const IntOp &op = net.ops[index];
  const IntTensor &in = net.tensors[op.input];
  const IntTensor &out = net.tensors[op.output];
  std::string prefix = "l" + std::to_string(index) + "_";
  os << "static void " << getFunction(index) << "(const int8_t in"
     << getDims(in) << ", int8_t out" << getDims(out) << ") {\n";
  if (op.kind != IntOpKind::Conv) {
    // Pools: one input channel per output channel.
    bool isMax = op.kind == IntOpKind::MaxPool;
    os << "  for (int oc = 0; oc < " << out.channels << "; ++oc)\n"
       << "    for (int oy = 0; oy < " << out.height << "; ++oy)\n"
       << "      for (int ox = 0; ox < " << out.width << "; ++ox) {\n"
       << (isMax ? "        // Below every level until a position inside the "
                   "input.\n"
                   "        int32_t best = INT8_MIN - 1;\n"
                 : "        int32_t sum = 0, count = 0;\n")
       << "        for (int ky = 0; ky < " << op.kernelH << "; ++ky)\n"
       << "          for (int kx = 0; kx < " << op.kernelW << "; ++kx) {\n"
       << "#pragma HLS PIPELINE II=1\n";
    emitWindowPosition(os, op, in, "            ");
    if (isMax)
      os << "            const int32_t v = in[oc][iy][ix];\n"
         << "            best = v > best ? v : best;\n"
         << "          }\n"
         << "        out[oc][oy][ox] = int8_t(best < INT8_MIN ? 0 : best);\n";
    else
      os << "            sum += in[oc][iy][ix];\n"
         << "            ++count;\n"
         << "          }\n"
         << "        out[oc][oy][ox] = count ? "
         << getRequant(index, "count - 1", "sum") << " : 0;\n";
    os << "      }\n}\n\n";
    return;
  }
  HLSFolding fold = getHLSFolding(net, op);
  int64_t outPerGroup = out.channels / op.groups;
  int64_t inPerGroup = in.channels / op.groups;
  // The PE x SIMD weights of a cycle lie in distinct banks.
  if (fold.pe > 1)
    os << "#pragma HLS ARRAY_PARTITION variable=" << prefix
       << "w cyclic factor=" << fold.pe << " dim=1\n";
  if (fold.simd > 1)
    os << "#pragma HLS ARRAY_PARTITION variable=" << prefix
       << "w cyclic factor=" << fold.simd << " dim=2\n";
  os << "  for (int oc0 = 0; oc0 < " << out.channels << "; oc0 += " << fold.pe
     << ") {\n"
     << "    // The first input channel of oc0's group.\n"
     << "    const int group0 = oc0 / " << outPerGroup << " * " << inPerGroup
     << ";\n"
     << "    for (int oy = 0; oy < " << out.height << "; ++oy)\n"
     << "      for (int ox = 0; ox < " << out.width << "; ++ox) {\n"
     << "        int32_t acc[" << fold.pe << "];\n"
     << "#pragma HLS ARRAY_PARTITION variable=acc complete\n"
     << "        for (int p = 0; p < " << fold.pe << "; ++p) {\n"
     << "#pragma HLS UNROLL\n"
     << "          acc[p] = 0;\n"
     << "        }\n"
     << "        for (int ic0 = 0; ic0 < " << inPerGroup
     << "; ic0 += " << fold.simd << ")\n"
     << "          for (int ky = 0; ky < " << op.kernelH << "; ++ky)\n"
     << "            for (int kx = 0; kx < " << op.kernelW << "; ++kx) {\n"
     << "#pragma HLS PIPELINE II=1\n";
  emitWindowPosition(os, op, in, "              ");
  os << "              for (int p = 0; p < " << fold.pe << "; ++p) {\n"
     << "#pragma HLS UNROLL\n"
     << "                // The reduction over input channels, SIMD at a "
        "time.\n"
     << "                for (int ic = ic0; ic < ic0 + " << fold.simd
     << "; ++ic) {\n"
     << "#pragma HLS UNROLL factor=" << fold.simd << "\n"
     << "                  acc[p] += in[group0 + ic][iy][ix] * " << prefix
     << "w[oc0 + p][ic][ky][kx];\n"
     << "                }\n"
     << "              }\n"
     << "            }\n"
     << "        for (int p = 0; p < " << fold.pe << "; ++p) {\n"
     << "#pragma HLS UNROLL\n"
     << "          out[oc0 + p][oy][ox] = "
     << getRequant(index, "oc0 + p", "acc[p]") << ";\n"
     << "        }\n"
     << "      }\n"
     << "  }\n}\n\n";
}

void HLSWriter::emitLayer(llvm::raw_ostream &os,
                          const std::vector<int> &group) {
  int first = group.front();
  const IntOp &op = net.ops[first];
  const IntTensor &out = net.tensors[op.output];
  for (int index : group) {
    const IntOp &part = net.ops[index];
    const IntTensor &in = net.tensors[part.input];
    HLSFolding fold = getHLSFolding(net, part);
    os << "// Layer " << index << ": " << part.label << " ("
       << stringifyIntOpKind(part.kind) << ")"
       << (part.location.empty() ? "" : " at " + part.location) << ", "
       << getDims(in) << " -> " << getDims(out);
    if (part.kind == IntOpKind::Conv)
      os << ", PE " << fold.pe << ", SIMD " << fold.simd;
    os << ".\n";
    emitConstants(os, index);
  }
  switch (op.kind) {
  case IntOpKind::Conv:
  case IntOpKind::MaxPool:
  case IntOpKind::AvgPool:
    emitWindowLayer(os, first);
    return;
  case IntOpKind::Add: {
    const IntTensor &in = net.tensors[op.input];
    os << "static void " << getFunction(first) << "(const int8_t in0"
       << getDims(in) << ", const int8_t in1" << getDims(in) << ", int8_t out"
       << getDims(out) << ") {\n";
    std::string m = "l" + std::to_string(first) + "_m";
    emitElementLoops(os, out,
                     "out[c][y][x] = " +
                         getRequant(first, "0",
                                    "int64_t(in0[c][y][x]) * " + m +
                                        "[1] + int64_t(in1[c][y][x]) * " + m +
                                        "[2]") +
                         ";");
    os << "}\n\n";
    return;
  }
  case IntOpKind::HardSwish: {
    // x · clamp(x + 3/s, 0, 6/s), s the input's scale, requantized.
    os << "static void " << getFunction(first) << "(const int8_t in"
       << getDims(out) << ", int8_t out" << getDims(out) << ") {\n";
    std::string offset = std::to_string(op.offsetLevel);
    std::string cap = std::to_string(op.capLevel);
    emitElementLoops(os, out,
                     "const int32_t v = in[c][y][x], t = v + " + offset +
                         ";\n        out[c][y][x] = " +
                         getRequant(first, "0",
                                    "int64_t(v) * (t < 0 ? 0 : t > " + cap +
                                        " ? " + cap + " : t)") +
                         ";");
    os << "}\n\n";
    return;
  }
  case IntOpKind::Scale: {
    // Each channel times its gate level (squeeze-and-excitation).
    const IntTensor &gate = net.tensors[op.secondInput];
    os << "static void " << getFunction(first) << "(const int8_t in0"
       << getDims(out) << ", const int8_t in1" << getDims(gate)
       << ", int8_t out" << getDims(out) << ") {\n";
    emitElementLoops(
        os, out,
        "out[c][y][x] = " +
            getRequant(first, "0", "int64_t(in0[c][y][x]) * in1[c][0][0]") +
            ";");
    os << "}\n\n";
    return;
  }
  case IntOpKind::Copy: {
    std::vector<int> inputs = getInputs(group);
    os << "static void " << getFunction(first) << "(";
    for (size_t k = 0; k < inputs.size(); ++k)
      os << "const int8_t in" << k << getDims(net.tensors[inputs[k]]) << ", ";
    os << "int8_t out" << getDims(out) << ") {\n";
    // Copied channel c of a part: input channel inChannelOffset + c, output
    // channel outChannelOffset + c * outChannelStride.
    auto getChannel = [](int64_t offset, int64_t stride) {
      std::string c = stride == 1 ? "c" : "c * " + std::to_string(stride);
      return offset ? std::to_string(offset) + " + " + c : c;
    };
    for (int index : group) {
      const IntOp &part = net.ops[index];
      const IntTensor &in = net.tensors[part.input];
      IntTensor copied = in;
      copied.channels = getCopiedChannels(part, in);
      std::string source =
          "in" +
          std::to_string(llvm::find(inputs, part.input) - inputs.begin());
      emitElementLoops(
          os, copied,
          "out[" + getChannel(part.outChannelOffset, part.outChannelStride) +
              "][y][x] = " +
              getRequant(index, "c",
                         source + "[" + getChannel(part.inChannelOffset, 1) +
                             "][y][x]") +
              ";");
    }
    os << "}\n\n";
    return;
  }
  }
}

void HLSWriter::emitFork(llvm::raw_ostream &os, int tensor) {
  const IntTensor &t = net.tensors[tensor];
  size_t copies = readers.at(tensor).size();
  os << "// Tensor " << tensor << " has " << copies
     << " readers: one copy each.\n"
     << "static void fork_" << getBuffer(tensor) << "(const int8_t in"
     << getDims(t);
  for (size_t k = 0; k < copies; ++k)
    os << ", int8_t out" << k << getDims(t);
  os << ") {\n";
  std::string body;
  for (size_t k = 0; k < copies; ++k)
    body += (k ? " " : "") + ("out" + std::to_string(k)) +
            "[c][y][x] = in[c][y][x];";
  emitElementLoops(os, t, body);
  os << "}\n\n";
}

void HLSWriter::emitBuffer(llvm::raw_ostream &os, llvm::StringRef buffer,
                           const IntTensor &t, int64_t lanes) {
  os << "  int8_t " << buffer << getDims(t) << ";\n";
  if (lanes > 1)
    os << "#pragma HLS ARRAY_PARTITION variable=" << buffer
       << " cyclic factor=" << lanes << " dim=1\n";
}

void HLSWriter::emitTop(llvm::raw_ostream &os) {
  std::string upper = llvm::StringRef(name).upper();
  os << "void " << name << "_top(const int8_t in[" << upper
     << "_INPUT_SIZE], int8_t out[" << upper << "_OUTPUT_SIZE]) {\n"
     << "#pragma HLS DATAFLOW\n";
  // Buffers, each partitioned for the channels per cycle of its writer
  // (a convolution's PE) and its reader (a convolution's SIMD).
  std::vector<int64_t> writeLanes(net.tensors.size(), 1);
  for (const IntOp &op : net.ops)
    writeLanes[op.output] =
        std::max<int64_t>(writeLanes[op.output], getHLSFolding(net, op).pe);
  for (const auto &[tensor, list] : readers) {
    const IntTensor &t = net.tensors[tensor];
    if (list.size() == 1) {
      emitBuffer(os, getBuffer(tensor), t,
                 std::lcm(writeLanes[tensor],
                          getReadLanes(list[0].first, list[0].second)));
      continue;
    }
    emitBuffer(os, getBuffer(tensor), t, writeLanes[tensor]);
    for (auto [op, port] : list)
      emitBuffer(os, getReadBuffer(tensor, op, port), t,
                 getReadLanes(op, port));
  }
  auto callFork = [&](int tensor) {
    const auto &list = readers.at(tensor);
    if (list.size() == 1)
      return;
    os << "  fork_" << getBuffer(tensor) << "(" << getBuffer(tensor);
    for (auto [op, port] : list)
      os << ", " << getReadBuffer(tensor, op, port);
    os << ");\n";
  };
  os << "  load_input(in, " << getBuffer(net.input) << ");\n";
  callFork(net.input);
  for (const std::vector<int> &group : groups) {
    const IntOp &op = net.ops[group.front()];
    os << "  " << getFunction(group.front()) << "(";
    std::vector<int> inputs = getInputs(group);
    for (size_t k = 0; k < inputs.size(); ++k)
      os << getReadBuffer(inputs[k], group.front(), int(k)) << ", ";
    os << getBuffer(op.output) << ");\n";
    callFork(op.output);
  }
  os << "  store_output(" << getReadBuffer(net.output, -1, 0) << ", out);\n"
     << "}\n";
}

std::string HLSWriter::emitSource() {
  std::string text;
  llvm::raw_string_ostream os(text);
  const IntTensor &in = net.tensors[net.input];
  const IntTensor &out = net.tensors[net.output];
  std::string upper = llvm::StringRef(name).upper();
  os << "// " << name << "_hls.cpp: HLS C++ of " << net.name
     << " (nasc --emit=fpga), for Vitis/Vivado HLS.\n"
     << "// The integer network's layers, one function each, bit-exact with\n"
        "// nasc's integer reference; hls_tb.cpp checks it (./build.sh hls).\n"
        "// The pragmas fold each convolution PE output channels by SIMD\n"
        "// input channels per cycle (docs/fpga.md); g++ ignores them.\n"
     << "#include \"" << name << "_hls.h\"\n\n"
     << "#include <cstdint>\n\n"
     << "// clamp((acc * m + b) >> s, lo, hi): the shift is arithmetic.\n"
        "static int8_t requantize(int64_t acc, int64_t m, int64_t b, int s,\n"
        "                         int lo, int hi) {\n"
        "#pragma HLS INLINE\n"
        "  const int64_t v = (acc * m + b) >> s;\n"
        "  const int64_t low = v < lo ? lo : v;\n"
        "  return int8_t(low > hi ? hi : low);\n"
        "}\n\n"
     << "// The input, CHW order.\n"
     << "static void load_input(const int8_t in[" << upper
     << "_INPUT_SIZE], int8_t out" << getDims(in) << ") {\n";
  emitElementLoops(os, in,
                   "out[c][y][x] = in[(c * " + std::to_string(in.height) +
                       " + y) * " + std::to_string(in.width) + " + x];");
  os << "}\n\n"
     << "static void store_output(const int8_t in" << getDims(out)
     << ", int8_t out[" << upper << "_OUTPUT_SIZE]) {\n";
  emitElementLoops(os, out,
                   "out[(c * " + std::to_string(out.height) + " + y) * " +
                       std::to_string(out.width) + " + x] = in[c][y][x];");
  os << "}\n\n";
  for (const auto &[tensor, list] : readers)
    if (list.size() > 1)
      emitFork(os, tensor);
  for (const std::vector<int> &group : groups)
    emitLayer(os, group);
  emitTop(os);
  return text;
}

} // namespace

std::string fpga::emitHLSHeader(const IntegerNetwork &net,
                                llvm::StringRef name) {
  std::string upper = name.upper();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// " << name << "_hls.h: the HLS top function of " << net.name
     << " (nasc --emit=fpga).\n"
     << "#ifndef " << upper << "_HLS_H\n#define " << upper << "_HLS_H\n\n"
     << "#include <cstdint>\n\n"
     << "// Levels in CHW order: the input at scale "
     << llvm::format("%.6g", net.tensors[net.input].scale)
     << ", the output at scale "
     << llvm::format("%.6g", net.tensors[net.output].scale) << ".\n"
     << "#define " << upper << "_INPUT_SIZE " << net.tensors[net.input].size()
     << "\n#define " << upper << "_OUTPUT_SIZE "
     << net.tensors[net.output].size() << "\n\n"
     << "void " << name << "_top(const int8_t in[" << upper
     << "_INPUT_SIZE], int8_t out[" << upper << "_OUTPUT_SIZE]);\n\n"
     << "#endif // " << upper << "_HLS_H\n";
  return text;
}

std::string fpga::emitHLSSource(const IntegerNetwork &net,
                                llvm::StringRef name) {
  return HLSWriter(net, name).emitSource();
}

std::string fpga::emitHLSTestbench(const IntegerNetwork &net,
                                   llvm::StringRef name) {
  std::string upper = name.upper();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// C-simulation testbench of " << name << "_top (nasc --emit=fpga).\n"
     << "// Runs each image of input.mem through the top function and\n"
        "// compares its output with expected.mem (nasc's integer\n"
        "// reference). Exits 1 on any difference.\n"
     << "#include \"" << name << "_hls.h\"\n\n"
     << "#include <cstdint>\n#include <cstdio>\n#include <fstream>\n"
        "#include <string>\n#include <vector>\n\n"
     << "static const long kInputSize = " << upper << "_INPUT_SIZE;\n"
     << "static const long kOutputSize = " << upper << "_OUTPUT_SIZE;\n\n"
     << getLevelReaderSource() << "\n"
     << R"cpp(int main() {
  std::vector<int> input, expected;
  if (!readLevels("input.mem", input) || !readLevels("expected.mem", expected)) {
    std::fprintf(stderr, "hls: cannot read input.mem or expected.mem\n");
    return 1;
  }
  long images = long(input.size()) / kInputSize;
  if (images == 0 || long(input.size()) != images * kInputSize ||
      long(expected.size()) != images * kOutputSize) {
    std::fprintf(stderr, "hls: input.mem and expected.mem do not hold whole images\n");
    return 1;
  }
  std::vector<int8_t> in(kInputSize), out(kOutputSize);
  long mismatches = 0;
  for (long image = 0; image < images; ++image) {
    for (long i = 0; i < kInputSize; ++i)
      in[i] = int8_t(input[image * kInputSize + i]);
)cpp"
     << "    " << name << "_top(in.data(), out.data());\n"
     << R"cpp(    for (long i = 0; i < kOutputSize; ++i) {
      int want = expected[image * kOutputSize + i];
      if (out[i] != want && mismatches++ < 10)
        std::fprintf(stderr, "hls: image %ld output %ld: %d, expected %d\n",
                     image, i, int(out[i]), want);
    }
  }
  if (mismatches) {
    std::printf("hls: %ld of %ld outputs differ from the reference\n",
                mismatches, images * kOutputSize);
    return 1;
  }
  std::printf("hls: all %ld outputs equal the reference\n",
              images * kOutputSize);
  return 0;
}
)cpp";
  return text;
}
