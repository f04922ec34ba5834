#!/usr/bin/env python3
"""nasc's ONNX export of a candidate, run by PyTorch: the GPU peer.

  onnx_torch.py export MODEL.onnx OUT      # OUT.json + OUT.bin (needs onnx)
  onnx_torch.py reference OUT BATCH        # CPU outputs of the fixed input
  onnx_torch.py time OUT BATCH REPEATS     # CUDA: eager and graph replay, ms

`export` runs where nasc runs (Debian's python3-onnx); the other commands
need only PyTorch, so that a GPU machine with a CUDA build of PyTorch runs
the peer on the very graph and weights nasc compiled. Each ONNX node maps to
the torch.nn.functional call of the same meaning (fp32; cuDNN for the
convolutions); an unknown node is an error.
"""

import json
import struct
import sys

FIXED_INPUT = "((i * 7919) % 2001) / 1000 - 1"  # as main.c and gpu_check.py


def export(model_path, out):
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(model_path)
    graph = model.graph
    blob = bytearray()
    tensors = {}
    for init in graph.initializer:
        array = numpy_helper.to_array(init)
        kind = "int64" if array.dtype == np.int64 else "float32"
        data = array.astype(kind).tobytes()
        tensors[init.name] = {"offset": len(blob), "shape": list(array.shape),
                              "dtype": kind}
        blob += data
    nodes = []
    for node in graph.node:
        attrs = {}
        for a in node.attribute:
            value = onnx.helper.get_attribute_value(a)
            if isinstance(value, bytes):
                value = value.decode()
            elif isinstance(value, onnx.TensorProto):
                array = numpy_helper.to_array(value)
                value = {"tensor": array.tolist(), "dtype": str(array.dtype)}
            elif hasattr(value, "__iter__") and not isinstance(value, str):
                value = list(value)
            attrs[a.name] = value
        nodes.append({"op": node.op_type, "inputs": list(node.input),
                      "outputs": list(node.output), "attrs": attrs})
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    with open(out + ".json", "w") as f:
        json.dump({"input": graph.input[0].name, "input_shape": dims[1:],
                   "output": graph.output[0].name, "tensors": tensors,
                   "nodes": nodes}, f)
    with open(out + ".bin", "wb") as f:
        f.write(blob)


def pad(x, attrs, value):
    """ONNX pads (top, left, bottom, right), which may differ per side."""
    import torch.nn.functional as F
    top, left, bottom, right = attrs.get("pads", [0, 0, 0, 0])
    if not (top or left or bottom or right):
        return x
    return F.pad(x, (left, right, top, bottom), value=value)


class Network:
    def __init__(self, path, device):
        import torch
        with open(path + ".json") as f:
            self.meta = json.load(f)
        with open(path + ".bin", "rb") as f:
            blob = f.read()
        self.consts = {}
        for name, t in self.meta["tensors"].items():
            dtype = torch.int64 if t["dtype"] == "int64" else torch.float32
            count = 1
            for d in t["shape"]:
                count *= d
            size = count * (8 if dtype == torch.int64 else 4)
            data = bytearray(blob[t["offset"]:t["offset"] + size])
            tensor = torch.frombuffer(data, dtype=dtype).reshape(t["shape"])
            self.consts[name] = tensor.clone().to(device)
        self.device = device

    def __call__(self, x):
        import torch
        import torch.nn.functional as F
        values = dict(self.consts)
        values[self.meta["input"]] = x
        for node in self.meta["nodes"]:
            a = node["attrs"]
            ins = [values[i] if i else None for i in node["inputs"]]
            op = node["op"]
            if op == "Conv":
                x = pad(ins[0], a, 0.0)
                y = F.conv2d(x, ins[1], ins[2] if len(ins) > 2 else None,
                             stride=a.get("strides", [1, 1]),
                             dilation=a.get("dilations", [1, 1]),
                             groups=a.get("group", 1))
            elif op == "BatchNormalization":
                y = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2],
                                 False, 0.0, a.get("epsilon", 1e-5))
            elif op == "Relu":
                y = F.relu(ins[0])
            elif op == "Sigmoid":
                y = torch.sigmoid(ins[0])
            elif op == "Tanh":
                y = torch.tanh(ins[0])
            elif op == "HardSwish":
                y = F.hardswish(ins[0])
            elif op == "HardSigmoid":
                y = torch.clamp(ins[0] * a.get("alpha", 0.2) +
                                a.get("beta", 0.5), 0, 1)
            elif op == "Clip":
                lo = ins[1] if len(ins) > 1 and ins[1] is not None else None
                hi = ins[2] if len(ins) > 2 and ins[2] is not None else None
                y = torch.clamp(ins[0], lo, hi)
            elif op in ("Add", "Mul", "Div", "Max"):
                fn = {"Add": torch.add, "Mul": torch.mul, "Div": torch.div,
                      "Max": torch.maximum}[op]
                y = fn(ins[0], ins[1])
            elif op == "Abs":
                y = torch.abs(ins[0])
            elif op == "Round":
                y = torch.round(ins[0])
            elif op == "ReduceMax":
                axes = a.get("axes")
                keep = bool(a.get("keepdims", 1))
                y = ins[0]
                if axes is None:
                    y = torch.amax(y) if not keep else torch.amax(
                        y, dim=list(range(y.dim())), keepdim=True)
                else:
                    y = torch.amax(y, dim=axes, keepdim=keep)
            elif op in ("MaxPool", "AveragePool"):
                kw = dict(kernel_size=a["kernel_shape"],
                          stride=a.get("strides", a["kernel_shape"]),
                          ceil_mode=bool(a.get("ceil_mode", 0)))
                if op == "MaxPool":
                    y = F.max_pool2d(pad(ins[0], a, float("-inf")), **kw)
                elif a.get("count_include_pad", 0):
                    y = F.avg_pool2d(pad(ins[0], a, 0.0), **kw)
                else:
                    # The mean of the window's elements inside the input.
                    ones = torch.ones_like(ins[0][:, :1])
                    y = (F.avg_pool2d(pad(ins[0], a, 0.0), **kw) /
                         F.avg_pool2d(pad(ones, a, 0.0), **kw))
            elif op == "GlobalAveragePool":
                y = torch.mean(ins[0], dim=(2, 3), keepdim=True)
            elif op == "GlobalMaxPool":
                y = torch.amax(ins[0], dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = torch.flatten(ins[0], a.get("axis", 1))
            elif op == "Gemm":
                w = ins[1].t() if a.get("transB", 0) else ins[1]
                y = ins[0] @ w
                if len(ins) > 2 and ins[2] is not None:
                    y = y + ins[2]
            elif op == "Concat":
                y = torch.cat(ins, dim=a.get("axis", 1))
            elif op == "Identity":
                y = ins[0]
            elif op == "Gather":
                y = torch.index_select(ins[0], a.get("axis", 0),
                                       ins[1].reshape(-1).long())
            elif op == "Reshape":
                y = ins[0].reshape([int(d) for d in ins[1].tolist()])
            elif op == "Transpose":
                y = ins[0].permute(a["perm"])
            else:
                raise SystemExit(f"onnx_torch: no mapping for ONNX {op}")
            values[node["outputs"][0]] = y
        return values[self.meta["output"]]

    def fixed_input(self, batch):
        import torch
        shape = [batch] + self.meta["input_shape"]
        count = 1
        for d in shape:
            count *= d
        i = torch.arange(count, dtype=torch.int64)
        x = ((i * 7919) % 2001).to(torch.float32) / 1000.0 - 1.0
        return x.reshape(shape).to(self.device)


def reference(path, batch):
    import torch
    net = Network(path, "cpu")
    with torch.no_grad():
        y = net(net.fixed_input(batch))
    for v in y.reshape(-1).tolist():
        print(f"{v:.9g}")


def time_cuda(path, batch, repeats):
    import torch
    torch.backends.cudnn.benchmark = True
    net = Network(path, "cuda")
    x = net.fixed_input(batch)
    start, end = (torch.cuda.Event(enable_timing=True) for _ in range(2))

    def measure(run):
        trials = []
        for _ in range(5):
            start.record()
            for _ in range(repeats):
                run()
            end.record()
            torch.cuda.synchronize()
            trials.append(start.elapsed_time(end) / repeats)
        return sorted(trials)[len(trials) // 2]

    with torch.no_grad():
        for _ in range(10):
            net(x)
        torch.cuda.synchronize()
        eager = measure(lambda: net(x))
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(3):
                net(x)
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            net(x)
        graph.replay()
        torch.cuda.synchronize()
        replay = measure(graph.replay)
    print(f"{eager:.4f},{replay:.4f}")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "export" and len(sys.argv) == 4:
        export(sys.argv[2], sys.argv[3])
    elif command == "reference" and len(sys.argv) == 4:
        reference(sys.argv[2], int(sys.argv[3]))
    elif command == "time" and len(sys.argv) == 5:
        time_cuda(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
