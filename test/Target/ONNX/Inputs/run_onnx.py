"""Runs an ONNX model nasc exported, in float64 numpy, on main.c's input.

A reference for the operators nasc's exporter writes (lib/Eval/Network.cpp),
independent of LibTorch and of nasc's code: it prints the logits of image 0
as `i value` lines, as the emitted main.c does. An operator it does not know
is an error.

Usage: run_onnx.py MODEL.onnx
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b, a):
    group = a.get("group", 1)
    sh, sw = a.get("strides", [1, 1])
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    dh, dw = a.get("dilations", [1, 1])
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    og = o // group
    for g in range(group):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                out[:, g * og:(g + 1) * og] += np.einsum(
                    "nchw,oc->nohw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def pool(x, a, kind):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=fill)
    ones = np.pad(np.ones(x.shape[2:]), ((pt, pb), (pl, pr)))
    n, c, h, w = xp.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((n, c, oh, ow))
    for y in range(oh):
        for z in range(ow):
            win = xp[:, :, y * sh:y * sh + kh, z * sw:z * sw + kw]
            if kind == "max":
                out[:, :, y, z] = win.max(axis=(2, 3))
            else:
                count = kh * kw if a.get("count_include_pad", 0) else \
                    ones[y * sh:y * sh + kh, z * sw:z * sw + kw].sum()
                out[:, :, y, z] = win.sum(axis=(2, 3)) / count
    return out


def run(model, x):
    values = {i.name: numpy_helper.to_array(i).astype(np.float64)
              for i in model.graph.initializer}
    values[model.graph.input[0].name] = x
    for node in model.graph.node:
        a = attrs(node)
        ins = [values[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            y = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "Gemm":
            w = ins[1].T if a.get("transB", 0) else ins[1]
            y = ins[0] @ w + (ins[2] if len(ins) > 2 else 0)
        elif op == "BatchNormalization":
            x0, s, b, m, v = ins
            r = (1, -1) + (1,) * (x0.ndim - 2)
            y = (x0 - m.reshape(r)) / np.sqrt(v.reshape(r) + a.get("epsilon", 1e-5)) \
                * s.reshape(r) + b.reshape(r)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
            y = np.clip(ins[0], lo, hi)
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-ins[0]))
        elif op == "HardSigmoid":
            y = np.clip(a.get("alpha", 0.2) * ins[0] + a.get("beta", 0.5), 0, 1)
        elif op == "HardSwish":
            y = ins[0] * np.clip(ins[0] / 6 + 0.5, 0, 1)
        elif op == "Tanh":
            y = np.tanh(ins[0])
        elif op in ("Add", "Mul"):
            y = ins[0] + ins[1] if op == "Add" else ins[0] * ins[1]
        elif op == "Div":
            y = ins[0] / ins[1]
        elif op == "Max":
            y = np.maximum(ins[0], ins[1])
        elif op == "Abs":
            y = np.abs(ins[0])
        elif op == "Round":
            y = np.round(ins[0])  # half to even, as ONNX's
        elif op == "ReduceMax":
            axes = tuple(a["axes"]) if "axes" in a else None
            y = np.max(ins[0], axis=axes, keepdims=bool(a.get("keepdims", 1)))
        elif op == "Concat":
            y = np.concatenate(ins, axis=a["axis"])
        elif op == "Flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
        elif op in ("GlobalAveragePool", "GlobalMaxPool"):
            f = np.mean if op == "GlobalAveragePool" else np.max
            y = f(ins[0], axis=(2, 3), keepdims=True)
        elif op in ("MaxPool", "AveragePool"):
            y = pool(ins[0], a, "max" if op == "MaxPool" else "avg")
        elif op == "Identity":
            y = ins[0]
        else:
            sys.exit(f"run_onnx.py: no reference for {op}")
        values[node.output[0]] = y
    return values[model.graph.output[0].name]


def main():
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    size = int(np.prod(dims[1:]))
    # main.c's deterministic input in [-1, 1].
    x = np.array([((i * 7919) % 2001) / 1000.0 - 1.0 for i in range(size)],
                 dtype=np.float32).astype(np.float64).reshape([1] + dims[1:])
    for i, v in enumerate(run(model, x)[0]):
        print(f"{i} {v:.6g}")


if __name__ == "__main__":
    main()
