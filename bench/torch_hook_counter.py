#!/usr/bin/env python3
"""The peer of bench/costs.sh: NAS-Bench-201's own way of counting a
candidate's MACs and parameters, in PyTorch.

For every NAS-Bench-201 architecture string read from FILE (one a line, the
format `nasc --emit=candidates` prints:
`|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|`), it builds the CIFAR-10
network as NAS-Bench-201 defines it (xautodl's TinyNetwork, InferCell,
ResNetBasicblock and cell operations, C = 16, N = 5, 10 classes), runs one
forward pass of a 1x3x32x32 input with forward hooks on nn.Conv2d and
nn.Linear summing MACs, and sums p.numel() over its parameters - what
NAS-Bench-201's get_model_infos does:

  conv:   kh*kw*Cin/groups*Cout*Hout*Wout (+ Cout*Hout*Wout with a bias)
  linear: in*out (+ out with a bias)

It prints `encoding,macs,params` (a header, then one row per candidate) to
stdout, and the elapsed time of the loop (building, forward pass and
counting, every candidate; interpreter start-up and `import torch` excluded)
to stderr. One thread (torch.set_num_threads(1)).

Requires PyTorch for the system Python: `apt-get install -y python3-torch`
(Debian), run with /usr/bin/python3. It is a benchmark dependency only, not
one of scripts/install-deps.sh.

Usage: /usr/bin/python3 bench/torch_hook_counter.py FILE
"""

import sys
import time

import torch
import torch.nn as nn


# --- NAS-Bench-201's operations (xautodl/models/cell_operations.py) --------

class ReLUConvBN(nn.Module):
    def __init__(self, C_in, C_out, kernel_size, stride, padding, dilation,
                 affine=True, track_running_stats=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_out, kernel_size, stride=stride, padding=padding,
                      dilation=dilation, bias=False),
            nn.BatchNorm2d(C_out, affine=affine,
                           track_running_stats=track_running_stats),
        )

    def forward(self, x):
        return self.op(x)


class Pooling(nn.Module):
    def __init__(self, C_in, C_out, stride, mode, affine=True,
                 track_running_stats=True):
        super().__init__()
        if C_in == C_out:
            self.preprocess = None
        else:
            self.preprocess = ReLUConvBN(C_in, C_out, 1, 1, 0, 1, affine,
                                         track_running_stats)
        if mode == "avg":
            self.op = nn.AvgPool2d(3, stride=stride, padding=1,
                                   count_include_pad=False)
        else:
            self.op = nn.MaxPool2d(3, stride=stride, padding=1)

    def forward(self, x):
        if self.preprocess:
            x = self.preprocess(x)
        return self.op(x)


class Identity(nn.Module):
    def forward(self, x):
        return x


class Zero(nn.Module):
    def __init__(self, C_in, C_out, stride):
        super().__init__()
        self.C_in, self.C_out, self.stride = C_in, C_out, stride

    def forward(self, x):
        if self.C_in == self.C_out:
            if self.stride == 1:
                return x.mul(0.0)
            return x[:, :, ::self.stride, ::self.stride].mul(0.0)
        shape = list(x.shape)
        shape[1] = self.C_out
        return x.new_zeros(shape, dtype=x.dtype, device=x.device)


OPS = {
    "none": lambda C_in, C_out, stride: Zero(C_in, C_out, stride),
    "avg_pool_3x3": lambda C_in, C_out, stride: Pooling(C_in, C_out, stride, "avg"),
    "nor_conv_3x3": lambda C_in, C_out, stride: ReLUConvBN(C_in, C_out, (3, 3), (stride, stride), (1, 1), (1, 1)),
    "nor_conv_1x1": lambda C_in, C_out, stride: ReLUConvBN(C_in, C_out, (1, 1), (stride, stride), (0, 0), (1, 1)),
    # Identity when C_in == C_out and stride == 1, as in every NB201 cell.
    "skip_connect": lambda C_in, C_out, stride: Identity(),
}


class ResNetBasicblock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        assert stride in (1, 2)
        self.conv_a = ReLUConvBN(inplanes, planes, 3, stride, 1, 1)
        self.conv_b = ReLUConvBN(planes, planes, 3, 1, 1, 1)
        if stride == 2:
            self.downsample = nn.Sequential(
                nn.AvgPool2d(kernel_size=2, stride=2, padding=0),
                nn.Conv2d(inplanes, planes, kernel_size=1, stride=1, padding=0,
                          bias=False),
            )
        elif inplanes != planes:
            self.downsample = ReLUConvBN(inplanes, planes, 1, 1, 0, 1)
        else:
            self.downsample = None

    def forward(self, x):
        basicblock = self.conv_b(self.conv_a(x))
        residual = self.downsample(x) if self.downsample is not None else x
        return residual + basicblock


# --- The cell and the network (xautodl/models/cell_infers) -----------------

def parse_arch(arch):
    """`|op~0|+|op~0|op~1|+|...|` -> [[(op, 0)], [(op, 0), (op, 1)], ...]."""
    nodes = []
    for node in arch.strip().split("+"):
        edges = []
        for token in node.strip("|").split("|"):
            op, source = token.split("~")
            if op not in OPS:
                raise ValueError(f"unknown op '{op}' in {arch}")
            edges.append((op, int(source)))
        nodes.append(edges)
    return nodes


class InferCell(nn.Module):
    """Node j = sum over its edges i -> j of op_ij(node_i); every edge is
    built, `none` ones included; the output is the last node."""

    def __init__(self, genotype, C_in, C_out, stride):
        super().__init__()
        self.layers = nn.ModuleList()
        self.node_IN, self.node_IX = [], []
        for node_info in genotype:
            cur_index, cur_innod = [], []
            for op_name, op_in in node_info:
                if op_in == 0:
                    layer = OPS[op_name](C_in, C_out, stride)
                else:
                    layer = OPS[op_name](C_out, C_out, 1)
                cur_index.append(len(self.layers))
                cur_innod.append(op_in)
                self.layers.append(layer)
            self.node_IX.append(cur_index)
            self.node_IN.append(cur_innod)

    def forward(self, inputs):
        nodes = [inputs]
        for node_layers, node_innods in zip(self.node_IX, self.node_IN):
            nodes.append(sum(self.layers[il](nodes[ii])
                             for il, ii in zip(node_layers, node_innods)))
        return nodes[-1]


class TinyNetwork(nn.Module):
    def __init__(self, genotype, C=16, N=5, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, C, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(C))
        layer_channels = [C] * N + [C * 2] + [C * 2] * N + [C * 4] + [C * 4] * N
        layer_reductions = [False] * N + [True] + [False] * N + [True] + [False] * N
        C_prev = C
        self.cells = nn.ModuleList()
        for C_curr, reduction in zip(layer_channels, layer_reductions):
            if reduction:
                cell = ResNetBasicblock(C_prev, C_curr, 2)
            else:
                cell = InferCell(genotype, C_prev, C_curr, 1)
            self.cells.append(cell)
            C_prev = C_curr
        self.lastact = nn.Sequential(nn.BatchNorm2d(C_prev), nn.ReLU(inplace=True))
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(C_prev, num_classes)

    def forward(self, x):
        feature = self.stem(x)
        for cell in self.cells:
            feature = cell(feature)
        out = self.global_pooling(self.lastact(feature))
        return self.classifier(out.view(out.size(0), -1))


# --- The hook counter (NAS-Bench-201's utils/flop_benchmark.py) ------------

def count(model, resolution=32):
    """MACs and params of `model` on one 3 x resolution x resolution input
    (NAS-Bench-201's get_model_infos rule, module docstring)."""
    macs = 0

    def conv_hook(module, inputs, output):
        nonlocal macs
        batch, _, h_out, w_out = output.shape
        kh, kw = module.kernel_size
        per_position = kh * kw * module.in_channels * module.out_channels // module.groups
        active = batch * h_out * w_out
        macs += per_position * active
        if module.bias is not None:
            macs += module.out_channels * active

    def linear_hook(module, inputs, output):
        nonlocal macs
        batch = inputs[0].size(0)
        macs += batch * module.in_features * module.out_features
        if module.bias is not None:
            macs += batch * module.out_features

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(linear_hook))
    model.eval()
    with torch.no_grad():
        model(torch.rand(1, 3, resolution, resolution))
    for handle in handles:
        handle.remove()
    params = sum(p.numel() for p in model.parameters())
    return macs, params


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    torch.set_num_threads(1)
    with open(argv[1]) as f:
        archs = [line.strip() for line in f if line.strip()]
    out = ["encoding,macs,params"]
    start = time.perf_counter()
    for arch in archs:
        macs, params = count(TinyNetwork(parse_arch(arch)))
        out.append(f"{arch},{macs},{params}")
    elapsed = time.perf_counter() - start
    sys.stdout.write("\n".join(out) + "\n")
    sys.stderr.write(f"torch hook counter: {len(archs)} candidates in "
                     f"{elapsed:.3f} s ({len(archs) / elapsed:.1f} candidates/s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
