"""PyTorch peer of bench/train.ts (the training benchmark); run by it, not by hand.

    /usr/bin/python3 bench/torch_train.py '<json spec>'
    /usr/bin/python3 bench/torch_train.py --export '<json workload>' out.onnx

The spec (written by bench/train-workloads.ts) names the thread count, the GEMM size and at most
one workload: layers (dense / conv2d / maxpool / flatten, with the shapes Minima's model has) or a
transformer encoder (which `--export` writes as the ONNX file Minima's side imports),
batch size, the optimizer (torch.optim.SGD, Adam or AdamW with Minima's settings), SAM's rho (0: no SAM)
and how many steps a repetition has. The workload trains in float32 with softmax cross-entropy;
the inputs are Gaussian with uniform labels (the step's FLOP count does not depend on the values).

One process per (workload, thread count), as for Minima's engines, so that its peak resident
memory and its time from process start to the first step are its own. After the first step it
prints {"ready": epoch ms}, then answers commands, one JSON line per line read from stdin, so that
bench/train.ts can alternate its own repetitions with PyTorch's:
  {"cmd": "info"}                -> {"torch": version, "numpy": version, "threads": n, "blas": BLAS_INFO}
  {"cmd": "warmup", "steps": n}  -> {} after n steps
  {"cmd": "rep"}                 -> {"ms": ms per step over one repetition, after its untimed steps}
  {"cmd": "gemm"}                -> {"torch": [s...], "numpy": [s...]} (n^3 float32 matmul)
  {"cmd": "memory"}              -> {"peakRssMiB": peak resident memory of this process}
End of input ends the process.
"""

import json
import re
import resource
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


class TransformerNet(nn.Module):
    """A linear embedding plus a learned positional embedding, nn.TransformerEncoder layers
    (batch first, no dropout) and a linear head on the mean over the sequence. The same module
    is exported to ONNX for Minima (`export` below), so both sides train the same network."""

    def __init__(self, t, classes):
        super().__init__()
        self.embed = nn.Linear(t["features"], t["d"])
        self.pos = nn.Parameter(0.02 * torch.randn(1, t["seq"], t["d"]))
        layer = nn.TransformerEncoderLayer(d_model=t["d"], nhead=t["heads"], dim_feedforward=t["ff"], dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=t["layers"], enable_nested_tensor=False)
        self.head = nn.Linear(t["d"], classes)

    def forward(self, x):
        return self.head(self.encoder(self.embed(x) + self.pos).mean(1))


def export(spec, path):
    """Writes the transformer workload's network as torch.onnx.export does for a user (opset 17,
    dynamic batch, eval mode: with dropout 0 the training graph is the same)."""
    torch.manual_seed(0)
    t = spec["transformer"]
    model = TransformerNet(t, spec["classes"]).eval()
    x = torch.zeros(2, t["seq"], t["features"])
    torch.onnx.export(model, x, path, opset_version=17, input_names=["x"], output_names=["logits"], dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})


def optimizer(params, o):
    if o["kind"] == "adamw":
        return torch.optim.AdamW(params, lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"], weight_decay=o["weight_decay"], amsgrad=o["amsgrad"])
    if o["kind"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"], nesterov=o["nesterov"], weight_decay=o["weight_decay"])
    if o["kind"] == "adam":
        return torch.optim.Adam(params, lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"], weight_decay=o["weight_decay"], amsgrad=o["amsgrad"])
    raise ValueError(f"torch_train.py: unknown optimizer {o['kind']}")


class Workload:
    """One model, optimizer and in-memory batches; `step` is one optimizer step."""

    def __init__(self, w):
        torch.manual_seed(0)
        self.spec = w
        self.model = TransformerNet(w["transformer"], w["classes"]) if w.get("transformer") else build(w["layers"], w["inputShape"])
        self.params = list(self.model.parameters())
        self.opt = optimizer(self.params, w["optimizer"])
        self.rho = w["sam"]
        count = 8
        self.xs = [torch.randn(w["batch"], *w["inputShape"]) for _ in range(count)]
        self.ys = [torch.randint(0, w["classes"], (w["batch"],)) for _ in range(count)]
        self.t = 0

    def step(self):
        k = self.t % len(self.xs)
        self.t += 1
        x, y = self.xs[k], self.ys[k]
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(x), y)
        loss.backward()
        if self.rho > 0:
            # SAM (davda54/sam, as Minima's sam): the gradient at w + e, e = rho g / (|g| + 1e-12).
            with torch.no_grad():
                norm = torch.norm(torch.stack([p.grad.norm() for p in self.params]))
                es = [p.grad * (self.rho / (norm + 1e-12)) for p in self.params]
                for p, e in zip(self.params, es):
                    p.add_(e)
            self.opt.zero_grad(set_to_none=True)
            F.cross_entropy(self.model(x), y).backward()
            with torch.no_grad():
                for p, e in zip(self.params, es):
                    p.sub_(e)
        self.opt.step()
        return loss.item()

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
    if sys.argv[1] == "--export":
        export(json.loads(sys.argv[2]), sys.argv[3])
        return
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec["threads"])
    workload = Workload(spec["workload"]) if spec.get("workload") else None
    if workload:
        workload.step()
    print(json.dumps({"ready": time.time() * 1000}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "info":
            # BLAS_INFO says 'generic' for Debian's build whichever libblas.so.3 it loads; only
            # the GEMM rate tells the reference BLAS from OpenBLAS.
            out = {"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(), "blas": blas_info()}
        elif cmd == "warmup":
            for _ in range(msg["steps"]):
                workload.step()
            out = {}
        elif cmd == "rep":
            out = workload.rep()
        elif cmd == "gemm":
            out = time_gemm(spec["gemm"]["n"], spec["gemm"]["reps"])
        elif cmd == "memory":
            # ru_maxrss is in KiB on Linux.
            out = {"peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        else:
            raise ValueError(f"torch_train.py: unknown command {cmd}")
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
