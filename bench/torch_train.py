"""PyTorch peer of bench/train.ts (the training benchmark); run by it, not by hand.

    /usr/bin/python3 bench/torch_train.py '<json spec>'

The spec (written by bench/train.ts) lists the workloads: layers (dense / conv2d / maxpool /
flatten, with the shapes Minima's checker inferred), batch size, SGD hyper-parameters and how
many steps a repetition has. Each workload trains the same architecture with torch.optim.SGD and
softmax cross-entropy in float32 on one thread; the inputs are Gaussian with uniform labels (the
step's FLOP count does not depend on the values).

It answers commands, one JSON line per line read from stdin, so that bench/train.ts can alternate
its own repetitions with PyTorch's and a change in the machine's load hits both sides alike:
  {"cmd": "info"}                 -> {"torch": version, "numpy": version, "threads": n, "blas": BLAS_INFO}
  {"cmd": "warmup", "name": w}    -> {} after the workload's warm-up steps
  {"cmd": "rep", "name": w}       -> {"ms": ms per step over one repetition, after its untimed re-warm-up steps}
  {"cmd": "gemm"}                 -> {"torch": [s...], "numpy": [s...]} (1024^3 float32 matmul)
End of input ends the process.
"""

import json
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def build(layers, input_shape):
    modules = []
    for layer in layers:
        kind = layer["kind"]
        if kind == "dense":
            modules.append(nn.Linear(layer["in"], layer["out"]))
        elif kind == "conv2d":
            modules.append(nn.Conv2d(layer["in"], layer["out"], layer["kernel"], stride=layer["stride"], padding=layer["pad"]))
        elif kind == "maxpool":
            modules.append(nn.MaxPool2d(layer["size"], stride=layer["stride"]))
        elif kind == "flatten":
            modules.append(nn.Flatten())
        elif kind == "relu":
            modules.append(nn.ReLU())
        else:
            raise ValueError(f"torch_train.py: unknown layer kind {kind}")
    # A dense layer on an image input flattens it first, as Minima's dense does.
    if len(input_shape) > 1 and layers and layers[0]["kind"] == "dense":
        modules.insert(0, nn.Flatten())
    return nn.Sequential(*modules)


class Workload:
    """One model, optimizer and in-memory batches; `step` is one optimizer step."""

    def __init__(self, w):
        torch.manual_seed(0)
        self.spec = w
        self.model = build(w["layers"], w["inputShape"])
        sgd = w["sgd"]
        self.opt = torch.optim.SGD(self.model.parameters(), lr=sgd["lr"], momentum=sgd["momentum"], dampening=sgd["dampening"], nesterov=sgd["nesterov"], weight_decay=sgd["weight_decay"])
        count = 8
        self.xs = [torch.randn(w["batch"], *w["inputShape"]) for _ in range(count)]
        self.ys = [torch.randint(0, w["classes"], (w["batch"],)) for _ in range(count)]
        self.t = 0

    def step(self):
        k = self.t % len(self.xs)
        self.t += 1
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(self.xs[k]), self.ys[k])
        loss.backward()
        self.opt.step()
        return loss.item()

    def warmup(self):
        for _ in range(self.spec["warmup"]):
            self.step()
        return {}

    def rep(self):
        for _ in range(self.spec["rewarm"]):
            self.step()
        steps = self.spec["steps"]
        start = time.perf_counter()
        for _ in range(steps):
            self.step()
        return {"ms": (time.perf_counter() - start) * 1000 / steps}


def time_gemm(n, reps):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    torch.matmul(a, b)
    t_torch = []
    for _ in range(reps):
        start = time.perf_counter()
        torch.matmul(a, b)
        t_torch.append(time.perf_counter() - start)
    an = a.numpy()
    bn = b.numpy()
    an @ bn
    t_numpy = []
    for _ in range(reps):
        start = time.perf_counter()
        an @ bn
        t_numpy.append(time.perf_counter() - start)
    return {"torch": t_torch, "numpy": t_numpy}


def blas_info():
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec["threads"])
    workloads = {w["name"]: Workload(w) for w in spec["workloads"]}
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "info":
            # Debian's python3-torch is built with BLAS_INFO=generic (reference BLAS): its dense
            # layers are then far slower than a PyPI/conda wheel with MKL or OpenBLAS.
            out = {"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(), "blas": blas_info()}
        elif cmd == "warmup":
            out = workloads[msg["name"]].warmup()
        elif cmd == "rep":
            out = workloads[msg["name"]].rep()
        elif cmd == "gemm":
            out = time_gemm(spec["gemm"]["n"], spec["gemm"]["reps"])
        else:
            raise ValueError(f"torch_train.py: unknown command {cmd}")
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
