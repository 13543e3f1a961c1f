"""Reference trajectories for lowrank fwsvd (run once; CI reads the committed JSON).

    /usr/bin/python3 test-fixtures/reference/fwsvd/generate.py

Needs PyTorch (tested with 1.13, float64 on CPU). The tiny MLP of ../tiny_mlp.py trained with
torch.optim.SGD; before step `from` (0-based) both weight matrices are replaced by their
Fisher-weighted truncated SVD (Hsu et al., ICLR 2022, catalog A58):

    F = sum over the last `batches` batches b before `from` of (dL_b/dW)^2   (at the weights of step `from`)
    I_i = sum_j F_ij (per output row);  Ihat = diag(sqrt(I))
    Ihat W = U S V^T;  W <- Ihat^-1 U_k S_k V_k^T

The optimizer state is left as it is. Each JSON holds the initial parameters, the batches, the
row weights sqrt(I) and projected weights at `from`, and the loss and parameters after every step.
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

STEPS = 20
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from tiny_mlp import CLASSES, HIDDEN, INPUTS, problem  # noqa: E402


def loss_of(ps, x, y):
    w1, b1, w2, b2 = ps
    return F.cross_entropy(torch.tanh(x @ w1.t() + b1) @ w2.t() + b2, y)


def fisher(ps, batches, targets):
    acc = {i: torch.zeros_like(ps[i]) for i in targets}
    for x, y in batches:
        grads = torch.autograd.grad(loss_of(ps, x, y), [ps[i] for i in targets])
        for i, g in zip(targets, grads):
            acc[i] += g.detach() ** 2
    return acc


def weighted_truncation(w, scales, rank):
    u, s, vh = torch.linalg.svd(scales[:, None] * w, full_matrices=False)
    return (u[:, :rank] * s[:rank]) @ vh[:rank] / scales[:, None]


def run(case, seed, from_step, batches_used, rank, hp):
    params, batches = problem(seed, STEPS)
    init = [p.clone() for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    opt = torch.optim.SGD(ps, lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"], nesterov=hp["nesterov"], weight_decay=hp["weight_decay"])
    targets = [0, 2]
    trajectory = []
    projection = None
    for t, (x, y) in enumerate(batches):
        if t == from_step:
            used = batches[max(0, t - batches_used):t]
            f = fisher(ps, used, targets)
            scales = {i: f[i].sum(dim=1).sqrt() for i in targets}
            with torch.no_grad():
                for i in targets:
                    ps[i].copy_(weighted_truncation(ps[i], scales[i], rank))
            projection = {
                "scales": [scales[i].tolist() for i in targets],
                "weights": [ps[i].detach().flatten().tolist() for i in targets],
            }
        loss = loss_of(ps, x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({"loss": loss.item(), "params": [p.detach().flatten().tolist() for p in ps]})
    out = {
        "case": case,
        "optimizer": {"name": "sgd", "hp": hp},
        "from": from_step,
        "batches": batches_used,
        "rank": rank,
        "targets": targets,
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "shapes": [list(p.shape) for p in params],
        "init": [p.flatten().tolist() for p in init],
        "data": [{"x": x.flatten().tolist(), "labels": y.tolist()} for x, y in batches],
        "projection": projection,
        "trajectory": trajectory,
    }
    with open(os.path.join(HERE, f"{case}.json"), "w") as f:
        json.dump(out, f)


SGD = {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0}

run("fwsvd-rank2-from10", 4, 10, 4, 2, SGD)
