"""PyTorch peer of bench/train.ts (the training benchmark); run by it, not by hand.

    /usr/bin/python3 bench/torch_train.py '<json spec>'

The spec (written by bench/train.ts) lists the workloads: layers (dense / conv2d / maxpool /
flatten, with the shapes Minima's checker inferred), batch size, SGD hyper-parameters and how
many steps to time. Each workload trains the same architecture with torch.optim.SGD and softmax
cross-entropy in float32 on one thread; the inputs are Gaussian with uniform labels (the step's
FLOP count does not depend on the values). Also times a 1024^3 float32 matmul in torch and in
numpy. Prints one JSON object: {"torch": version, "threads": n, "workloads": {name: [ms per step
of each repetition]}, "blas": BLAS_INFO, "gemm": {"torch": [s...], "numpy": [s...]}}.
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


def time_workload(w):
    torch.manual_seed(0)
    model = build(w["layers"], w["inputShape"])
    sgd = w["sgd"]
    opt = torch.optim.SGD(model.parameters(), lr=sgd["lr"], momentum=sgd["momentum"], dampening=sgd["dampening"], nesterov=sgd["nesterov"], weight_decay=sgd["weight_decay"])
    batch = w["batch"]
    count = 8
    xs = [torch.randn(batch, *w["inputShape"]) for _ in range(count)]
    ys = [torch.randint(0, w["classes"], (batch,)) for _ in range(count)]

    def step(t):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[t % count]), ys[t % count])
        loss.backward()
        opt.step()
        return loss.item()

    for t in range(w["warmup"]):
        step(t)
    reps = []
    for _ in range(w["reps"]):
        start = time.perf_counter()
        for t in range(w["steps"]):
            step(t)
        reps.append((time.perf_counter() - start) * 1000 / w["steps"])
    return reps


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
    out = {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        # Debian's python3-torch is built with BLAS_INFO=generic (reference BLAS): its dense
        # layers are then far slower than a PyPI/conda wheel with MKL or OpenBLAS.
        "blas": blas_info(),
        "workloads": {w["name"]: time_workload(w) for w in spec["workloads"]},
        "gemm": time_gemm(spec["gemm"]["n"], spec["gemm"]["reps"]),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
