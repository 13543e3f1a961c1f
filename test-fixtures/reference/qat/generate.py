"""Reference trajectories for qat(lsq) (run once; CI reads the committed JSON).

    /usr/bin/python3 test-fixtures/reference/qat/generate.py

Needs PyTorch (tested with 1.13, float64 on CPU). A tiny MLP (x -> fc1 -> tanh -> fc2 ->
softmax cross-entropy, weights [out, in] as torch.nn.Linear) whose two weight matrices are
fake-quantized with learned step sizes, as in the LSQ paper's code (Esser et al., ICLR 2020):

    s_g = grad_scale(s, g),  g = 1 / sqrt(N * Q_p)      (N weights per channel, Q_p = q_max)
    w_hat = round_pass(clamp(w / s_g, q_min, q_max)) * s_g
    s initialized to 2 * mean|w| / sqrt(Q_p) per output channel at step `from`.

Before `from` the weights are used as they are. At `from` each s is created and added to the
optimizer as a new parameter group with the same hyper-parameters, so its state (momentum,
Adam's moments and step count) starts there. Each JSON holds the initial parameters, the batches
and, after every step, the parameters followed by the step sizes (empty before `from`).
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

STEPS = 10
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from tiny_mlp import BATCH, CLASSES, HIDDEN, INPUTS, problem  # noqa: E402  (the shared problem, next to this folder)


def grad_scale(x, scale):
    y_grad = x * scale
    return (x - y_grad).detach() + y_grad


def round_pass(x):
    return (x.round() - x).detach() + x


def lsq(w, s, g, qmin, qmax):
    sg = grad_scale(s, g).unsqueeze(1)
    return round_pass(torch.clamp(w / sg, qmin, qmax)) * sg


def run(case, seed, bits, from_step, make, hp):
    params, batches = problem(seed, STEPS)
    init = [p.clone() for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    opt = make(ps)
    qmax = 2 ** (bits - 1) - 1
    qmin = -qmax
    scales = None
    grad_scales = None
    trajectory = []
    for t, (x, y) in enumerate(batches):
        if t == from_step:
            scales = [(2 * ps[i].detach().abs().mean(dim=1) / math.sqrt(qmax)).requires_grad_(True) for i in (0, 2)]
            grad_scales = [1 / math.sqrt(ps[i].shape[1] * qmax) for i in (0, 2)]
            opt.add_param_group({"params": scales})
        w1, b1, w2, b2 = ps
        if scales is not None:
            w1 = lsq(w1, scales[0], grad_scales[0], qmin, qmax)
            w2 = lsq(w2, scales[1], grad_scales[1], qmin, qmax)
        loss = F.cross_entropy(torch.tanh(x @ w1.t() + b1) @ w2.t() + b2, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({
            "loss": loss.item(),
            "params": [p.detach().flatten().tolist() for p in ps],
            "scales": [s.detach().tolist() for s in scales] if scales is not None else [],
        })
    out = {
        "case": case,
        "optimizer": hp,
        "bits": bits,
        "from": from_step,
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "shapes": [list(p.shape) for p in params],
        "init": [p.flatten().tolist() for p in init],
        "batches": [{"x": x.flatten().tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": trajectory,
    }
    with open(os.path.join(HERE, f"{case}.json"), "w") as f:
        json.dump(out, f)


SGD = {"lr": 0.05, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 1e-3}
ADAM = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False}

run("lsq-sgd", 1, 3, 0, lambda ps: torch.optim.SGD(ps, lr=SGD["lr"], momentum=SGD["momentum"], dampening=SGD["dampening"], nesterov=SGD["nesterov"], weight_decay=SGD["weight_decay"]), {"name": "sgd", "hp": SGD})
run("lsq-adam-from-3", 2, 4, 3, lambda ps: torch.optim.Adam(ps, lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"], weight_decay=ADAM["weight_decay"], amsgrad=ADAM["amsgrad"]), {"name": "adam", "hp": ADAM})
