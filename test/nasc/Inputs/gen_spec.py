"""Writes a large .nas spec for the limit tests to stdout.

  gen_spec.py nested-residual N   N residuals, one inside the other
  gen_spec.py nested-repeat N     N `repeat 2`, one inside the other
  gen_spec.py chain N             one chain of N relus
  gen_spec.py block-chain N       block b_i uses b_(i-1), N deep
  gen_spec.py block-bomb N        block b_i uses b_(i-1) twice, N deep
  gen_spec.py choose-bomb N       the same, b0 a two-way choose
  gen_spec.py nested-mlir N       N nested brackets in an .mlir file
  gen_spec.py nested-list N       a dataset input N lists deep
  gen_spec.py repeat-choose N     `repeat N` of a two-way choose (2^N candidates)
  gen_spec.py layers N            N layers of one relu each
  gen_spec.py opsets N            N op set declarations
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
dataset = "dataset d { input = [3, 32, 32]; classes = 10; }\n"
head = "  global_avg_pool -> fc(out = 10);\n"


def network(body):
    return dataset + "network n on d {\n" + body + "\n" + head + "}\n"


if kind == "nested-residual":
    out = network("residual { " * n + "relu;" + " }" * n)
elif kind == "nested-repeat":
    out = network("repeat 2 { " * n + "conv(out = 16);" + " }" * n)
elif kind == "chain":
    out = network("  " + " -> ".join(["relu"] * n) + ";")
elif kind in ("block-chain", "block-bomb", "choose-bomb"):
    uses = 1 if kind == "block-chain" else 2
    first = ("choose { a: relu; b: tanh; }" if kind == "choose-bomb"
             else "relu;")
    blocks = "block b0 { %s }\n" % first + "".join(
        "block b%d { %s }\n" % (i, " ".join(["b%d;" % (i - 1)] * uses))
        for i in range(1, n + 1))
    out = dataset + blocks + "network n on d {\n  b%d;\n%s}\n" % (n, head)
elif kind == "nested-list":
    out = ("dataset d { input = " + "[" * n + "3" + "]" * n +
           "; classes = 10; }\nnetwork n on d { fc(out = 10); }\n")
elif kind == "repeat-choose":
    out = network("  repeat %d { choose { a: relu; b: tanh; } }" % n)
elif kind == "layers":
    out = network("  relu;\n" * n)
elif kind == "opsets":
    out = dataset + "".join("ops s%d { a: relu; }\n" % i for i in range(n))
    out += "network n on d {\n  choose s%d;\n%s}\n" % (n - 1, head)
elif kind == "nested-mlir":
    out = "module {\n" + "[" * n + "]" * n + "\n}\n"
else:
    sys.exit("unknown kind " + kind)
sys.stdout.write(out)
