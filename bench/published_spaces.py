#!/usr/bin/env python3
"""Published search spaces rebuilt from their reference code, in PyTorch: the
peer that checks examples/fbnet.nas, examples/proxylessnas.nas and
examples/ofa_mbv3.nas (issue 15).

For every candidate in the CSV that `nasc SPACE.nas --emit=candidates`
prints, it builds the network as the paper's reference implementation
builds it (bench/published-spaces.md: the code read, with paths and line
numbers; the modules below are written from that structure, nothing is
vendored), runs one forward pass of a 1 x 3 x R x R input (R the
candidate's resolution) and counts MACs and params with the rule of
bench/torch_hook_counter.py (NAS-Bench-201's get_model_infos):

  conv:   kh*kw*Cin/groups*Cout*Hout*Wout (+ Cout*Hout*Wout with a bias)
  linear: in*out (+ out with a bias)
  params: sum of p.numel() (BN's affine weight and bias included)

which is nasc's rule (docs/analysis.md, "MACs" and "Params").

SPACE is one of:
  fbnet        FBNet (CVPR 2019), maskrcnn-benchmark's fbnet_builder.py
  proxylessnas ProxylessNAS mobile (ICLR 2019), mit-han-lab/proxylessnas
  ofa_mbv3     Once-for-All MobileNetV3 (ICLR 2020), mit-han-lab/once-for-all

Reading the CSV. Columns named like nasc's metrics (encoding, macs, flops,
params, model_bytes, bops, activation_bytes, peak_memory_bytes, and any
other metric listed in METRICS) and `resolution` are not decisions; every
other column is one, in the order of the .nas file, and each space consumes
them in that order:
  fbnet        22 layer labels, stage by stage (Table 1): `k3_e1`,
               `k5_e6`, `k3_e1_g2`, ..., or `skip`;
  proxylessnas 21 layer labels: per stage, the first layer's `kK_eE`, then
               (stages of 4) 3 labels that may also be `zero`;
  ofa_mbv3     per unit: the first block's `kK_eE`, the repeat count
               (1..3, depth - 1), then 3 labels of which the first `count`
               are set and the others empty; `resolution` (by name) is the
               input side, 224 when the column is absent.
A label is `skip`/`zero` or `_`-joined name+value tokens (`k5_e3_g2`).
Rows whose columns do not fit are an error (file and line).

Output: `encoding,macs,params` for every row to stdout (or -o FILE, or
nothing with -q); to stderr a summary: rows, rows with equal MACs, rows
with equal params, the first differences with both figures, and the time
of the loop (building, forward pass, counting; one thread). Exit status 1
when any figure differs, 2 on bad input.

Requires python3-torch (Debian): run with /usr/bin/python3.

Usage: /usr/bin/python3 bench/published_spaces.py [-q | -o FILE] SPACE [CSV]
       (CSV default: standard input)
"""

import csv
import os
import re
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_hook_counter import count  # noqa: E402  (the one counting rule)


METRICS = {"encoding", "macs", "flops", "params", "model_bytes", "bops",
           "activation_bytes", "peak_memory_bytes", "latency", "energy",
           "accuracy"}


# --- Layers common to the three reference codes ----------------------------

def conv_bn_act(c_in, c_out, kernel, stride=1, groups=1, act=None, bn=True,
                bias=False):
    """Conv ("same" padding k // 2) -> BN -> activation, the
    weight_bn_act order of every reference (ConvBNRelu in
    fbnet_builder.py, ConvLayer in proxylessnas/once-for-all)."""
    layers = [nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2,
                        groups=groups, bias=bias)]
    if bn:
        layers.append(nn.BatchNorm2d(c_out))
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class ChannelShuffle(nn.Module):
    """[N, C, H, W] -> [N, g, C/g, H, W] -> transpose -> [N, C, H, W]."""

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, x):
        n, c, h, w = x.shape
        g = self.groups
        return x.view(n, g, c // g, h, w).transpose(1, 2).reshape(n, c, h, w)


class Residual(nn.Module):
    """body(x) + x where `add`, else body(x); `body = None` is a skipped
    layer (ProxylessNAS's Zero candidate): the output is x."""

    def __init__(self, body, add):
        super().__init__()
        self.body, self.add = body, add

    def forward(self, x):
        if self.body is None:
            return x
        y = self.body(x)
        return y + x if self.add else y


class Classifier(nn.Module):
    """Optional layers on the pooled features, flatten, fully connected
    layer with bias."""

    def __init__(self, before_pool, after_pool, features, classes):
        super().__init__()
        self.before_pool = before_pool
        self.after_pool = after_pool
        self.fc = nn.Linear(features, classes)

    def forward(self, x):
        x = self.before_pool(x)
        x = x.mean((2, 3), keepdim=True)
        x = self.after_pool(x)
        return self.fc(torch.flatten(x, 1))


def parse_label(label):
    """`skip`/`zero` as is; `k5_e3_g2` -> {'k': 5, 'e': 3, 'g': 2}."""
    if label in ("skip", "zero"):
        return label
    fields = {}
    for token in label.split("_"):
        m = re.fullmatch(r"([a-z]+)(\d+)", token)
        if not m:
            raise ValueError(f"cannot read the label '{label}'")
        fields[m.group(1)] = int(m.group(2))
    return fields


class Columns:
    """The decision columns of one row, consumed in order."""

    def __init__(self, values):
        self.values, self.next = values, 0

    def _take(self):
        if self.next >= len(self.values):
            raise ValueError("fewer decision columns than the space has")
        value = self.values[self.next]
        self.next += 1
        return value

    def label(self, keys):
        """A block label with exactly `keys` (or `skip`/`zero`)."""
        value = self._take()
        parsed = parse_label(value)
        if isinstance(parsed, dict) and set(parsed) - {"g"} != set(keys):
            raise ValueError(f"label '{value}' lacks {keys}")
        return parsed

    def count(self, lo, hi):
        value = self._take()
        if not value.isdigit() or not lo <= int(value) <= hi:
            raise ValueError(f"repeat count '{value}' not in "
                             f"{lo}..{hi}")
        return int(value)

    def empty(self):
        value = self._take()
        if value != "":
            raise ValueError("a repetition beyond the count has the "
                             f"value '{value}'")

    def done(self):
        if self.next != len(self.values):
            raise ValueError(f"{len(self.values) - self.next} "
                             f"decision columns more than the space has")


# --- FBNet: maskrcnn-benchmark, modeling/backbone/fbnet_builder.py ---------

FBNET_STAGES = [(16, 1, 1), (24, 4, 2), (32, 4, 2), (64, 4, 2), (112, 4, 1),
                (184, 4, 2), (352, 1, 1)]   # Table 1: f, n, s


def fbnet_block(c_in, c_out, stride, label):
    if label == "skip":   # Identity: ConvBNRelu 1x1 where the shape changes
        if c_in == c_out and stride == 1:
            return nn.Identity()
        return conv_bn_act(c_in, c_out, 1, stride, act=nn.ReLU)
    k, e, g = label["k"], label["e"], label.get("g", 1)
    mid = int(c_in * e)   # width_divisor 1: _get_divisible_by is int()
    body = [conv_bn_act(c_in, mid, 1, groups=g, act=nn.ReLU)]  # pw, also e=1
    if g > 1:             # shuffle_type "mid": after pw
        body.append(ChannelShuffle(g))
    body.append(conv_bn_act(mid, mid, k, stride, groups=mid, act=nn.ReLU))
    body.append(conv_bn_act(mid, c_out, 1, groups=g))          # pwl, no act
    return Residual(nn.Sequential(*body), stride == 1 and c_in == c_out)


def fbnet(cols, classes=1000):
    layers = [conv_bn_act(3, 16, 3, 2, act=nn.ReLU)]          # add_first
    c_in = 16
    for c, n, s in FBNET_STAGES:
        for i in range(n):
            layers.append(fbnet_block(c_in, c, s if i == 0 else 1,
                                      cols.label(["k", "e"])))
            c_in = c
    head = conv_bn_act(c_in, 1984, 1, act=nn.ReLU)           # add_last
    layers.append(Classifier(head, nn.Identity(), 1984, classes))
    return nn.Sequential(*layers), 224


# --- ProxylessNAS: mit-han-lab/proxylessnas, search/ ------------------------

PROXYLESS_STAGES = [(24, 4, 2), (40, 4, 2), (80, 4, 2), (96, 4, 1),
                    (192, 4, 2), (320, 1, 1)]   # imagenet_arch_search.py


def proxyless_mbconv(c_in, c_out, k, stride, e):
    """MBInvertedConvLayer: no inverted bottleneck at expand_ratio 1."""
    mid = round(c_in * e)
    body = []
    if e != 1:
        body.append(conv_bn_act(c_in, mid, 1, act=nn.ReLU6))
    body.append(conv_bn_act(mid, mid, k, stride, groups=mid, act=nn.ReLU6))
    body.append(conv_bn_act(mid, c_out, 1))
    return nn.Sequential(*body)


def proxylessnas(cols, classes=1000):
    layers = [conv_bn_act(3, 32, 3, 2, act=nn.ReLU6),        # first_conv
              proxyless_mbconv(32, 16, 3, 1, 1)]              # 3x3_MBConv1
    c_in = 16
    for c, n, s in PROXYLESS_STAGES:
        for i in range(n):
            stride = s if i == 0 else 1
            label = cols.label(["k", "e"])
            keeps = stride == 1 and c_in == c
            if label == "zero" and not keeps:
                raise ValueError("zero where the shape changes")
            if label == "skip":
                raise ValueError(f"no skip in ProxylessNAS")
            body = None if label == "zero" else proxyless_mbconv(
                c_in, c, label["k"], stride, label["e"])
            layers.append(Residual(body, keeps))   # IdentityLayer shortcut
            c_in = c
    mix = conv_bn_act(c_in, 1280, 1, act=nn.ReLU6)            # feature_mix
    layers.append(Classifier(mix, nn.Identity(), 1280, classes))
    return nn.Sequential(*layers), 224


# --- Once-for-All MobileNetV3: mit-han-lab/once-for-all ---------------------

OFA_UNITS = [(24, 2, nn.ReLU, False), (40, 2, nn.ReLU, True),
             (80, 2, nn.Hardswish, False), (112, 1, nn.Hardswish, True),
             (160, 2, nn.Hardswish, True)]   # ofa_mbv3.py: width, s, act, se


def make_divisible(v, divisor, min_val=None):
    """ofa/utils/pytorch_modules.py's make_divisible."""
    if min_val is None:
        min_val = divisor
    new_v = max(min_val, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class SqueezeExcite(nn.Module):
    """SEModule: mean -> 1x1 conv (bias) -> ReLU -> 1x1 conv (bias) ->
    hard sigmoid -> scale; make_divisible(C // 4, 8) middle channels."""

    def __init__(self, c):
        super().__init__()
        mid = make_divisible(c // 4, 8)
        self.fc = nn.Sequential(nn.Conv2d(c, mid, 1, bias=True), nn.ReLU(),
                                nn.Conv2d(mid, c, 1, bias=True),
                                nn.Hardsigmoid())

    def forward(self, x):
        return x * self.fc(x.mean((2, 3), keepdim=True))


def ofa_mbconv(c_in, c_out, k, stride, e, act, se, mid):
    """MBConvLayer with `mid` channels (get_active_subnet_config)."""
    body = []
    if e != 1:
        body.append(conv_bn_act(c_in, mid, 1, act=act))
    body.append(conv_bn_act(mid, mid, k, stride, groups=mid, act=act))
    if se:
        body.append(SqueezeExcite(mid))
    body.append(conv_bn_act(mid, c_out, 1))
    return Residual(nn.Sequential(*body), stride == 1 and c_in == c_out)


def ofa_mbv3(cols, classes=1000):
    layers = [conv_bn_act(3, 16, 3, 2, act=nn.Hardswish),     # first_conv
              ofa_mbconv(16, 16, 3, 1, 1, nn.ReLU, False, 16)]  # first_block
    c_in = 16
    for c, s, act, se in OFA_UNITS:
        blocks = [cols.label(["k", "e"])]
        extra = cols.count(1, 3)          # depth d = 1 + extra, d in {2,3,4}
        blocks += [cols.label(["k", "e"]) for _ in range(extra)]
        for _ in range(3 - extra):
            cols.empty()
        for i, label in enumerate(blocks):
            if not isinstance(label, dict):
                raise ValueError(f"no '{label}' in OFA")
            mid = make_divisible(round(c_in * label["e"]), 8)
            layers.append(ofa_mbconv(c_in, c, label["k"], s if i == 0 else 1,
                                     label["e"], act, se, mid))
            c_in = c
    final_expand = conv_bn_act(c_in, 960, 1, act=nn.Hardswish)
    feature_mix = conv_bn_act(960, 1280, 1, act=nn.Hardswish, bn=False)
    layers.append(Classifier(final_expand, feature_mix, 1280, classes))
    return nn.Sequential(*layers), None


SPACES = {"fbnet": fbnet, "proxylessnas": proxylessnas, "ofa_mbv3": ofa_mbv3}


def main(argv):
    args = argv[1:]
    quiet, out_path = False, None
    while args and args[0].startswith("-"):
        if args[0] == "-q":
            quiet = True
            args = args[1:]
        elif args[0] == "-o" and len(args) > 1:
            out_path = args[1]
            args = args[2:]
        else:
            sys.stderr.write(__doc__)
            return 2
    if len(args) not in (1, 2) or args[0] not in SPACES:
        sys.stderr.write(__doc__)
        return 2
    space = SPACES[args[0]]
    name = args[1] if len(args) == 2 else "<stdin>"
    torch.set_num_threads(1)
    torch.manual_seed(0)
    with (open(args[1], newline="") if len(args) == 2 else sys.stdin) as f:
        rows = list(csv.reader(f))
    if not rows or "macs" not in rows[0] or "params" not in rows[0]:
        sys.stderr.write(f"{name}:1: error: not a `nasc --emit=candidates` "
                         f"CSV (no macs and params columns)\n")
        return 2
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    decisions = [i for i, h in enumerate(header)
                 if h not in METRICS and h != "resolution"]
    out = ["encoding,macs,params"]
    equal_macs = equal_params = 0
    diffs = []
    start = time.perf_counter()
    for line, row in enumerate(rows[1:], start=2):
        where = f"{name}:{line}"
        try:
            if len(row) != len(header):
                raise ValueError(f"{len(row)} fields, the header "
                                 f"has {len(header)}")
            cols = Columns([row[i] for i in decisions])
            model, side = space(cols)
            cols.done()
            if "resolution" in col:
                side = int(row[col["resolution"]])
            side = side or 224
        except ValueError as e:
            sys.stderr.write(f"{where}: error: {e}\n")
            return 2
        macs, params = count(model, side)
        nasc_macs, nasc_params = int(row[col["macs"]]), int(row[col["params"]])
        equal_macs += macs == nasc_macs
        equal_params += params == nasc_params
        if (macs, params) != (nasc_macs, nasc_params):
            diffs.append(f"  line {line}: macs nasc {nasc_macs} torch {macs} "
                         f"(diff {nasc_macs - macs}), params nasc "
                         f"{nasc_params} torch {params} (diff "
                         f"{nasc_params - params}): {row[col['encoding']]}")
        out.append(f"{row[col['encoding']]},{macs},{params}")
    elapsed = time.perf_counter() - start
    if out_path:
        with open(out_path, "w") as f:
            f.write("\n".join(out) + "\n")
    elif not quiet:
        sys.stdout.write("\n".join(out) + "\n")
    n = len(rows) - 1
    sys.stderr.write(f"{args[0]}: {n} candidates, equal macs {equal_macs}, "
                     f"equal params {equal_params}, {elapsed:.1f} s\n")
    if diffs:
        sys.stderr.write(f"{len(diffs)} differ; the first:\n"
                         + "\n".join(diffs[:5]) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
