"""Reference trajectories for the dp_sat wrapper (run once; CI reads the committed JSON).

    /usr/bin/python3 test-fixtures/reference/dp/generate.py

Needs PyTorch (tested with 1.13, float64 on CPU). The tiny MLP of ../tiny_mlp.py trained for 20
steps by DP-SAT (Park et al., ICML 2023; official JinseongP/DPSAT src/optim/minimizer.py, class
DPSAT) over torch.optim.SGD, with DP-SGD's privatization as Opacus' DPOptimizer does it:

    ascent_step:   e = prev_grad * rho / (||prev_grad|| + 1e-16)  (norm 0: divided by 1);  w += e
    per-sample gradients at w + e (here one autograd.grad per example)
    pre_step:      per_sample_norm = ||g_i|| over all parameters;
                   clip_factor = (max_grad_norm / (per_sample_norm + 1e-6)).clamp(max=1)
                   summed = sum_i clip_factor_i * g_i;  grad = (summed + noise) / expected_batch_size
    descent_step:  w -= e;  prev_grad = grad;  SGD step with grad

The noise (std noise_multiplier * max_grad_norm) is drawn here and stored, per step and
parameter, so that a replay feeds the same values. rho = 0 is DP-SGD.
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
from tiny_mlp import BATCH, CLASSES, HIDDEN, INPUTS, problem  # noqa: E402


def loss_of(ps, x, y):
    w1, b1, w2, b2 = ps
    return F.cross_entropy(torch.tanh(x @ w1.t() + b1) @ w2.t() + b2, y)


def run(case, seed, rho, clip, sigma, hp):
    params, batches = problem(seed, STEPS)
    init = [p.clone() for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    opt = torch.optim.SGD(ps, lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"], nesterov=hp["nesterov"], weight_decay=hp["weight_decay"])
    noise_gen = torch.Generator().manual_seed(seed + 1000)
    prev = [torch.zeros_like(p) for p in ps]
    trajectory = []
    for x, y in batches:
        with torch.no_grad():
            norm = torch.norm(torch.stack([torch.norm(g, p=2) for g in prev]), p=2)
            norm = norm + 1e-16 if norm != 0 else torch.ones_like(norm)
            eps = [g * (rho / norm) for g in prev]
            for p, e in zip(ps, eps):
                p.add_(e)
        per_sample = [torch.autograd.grad(loss_of(ps, x[i:i + 1], y[i:i + 1]), ps) for i in range(x.shape[0])]
        norms = torch.stack([torch.norm(torch.stack([torch.norm(g) for g in gs])) for gs in per_sample])
        factors = (clip / (norms + 1e-6)).clamp(max=1.0)
        noise = [torch.normal(0, sigma * clip, p.shape, generator=noise_gen) for p in ps]
        grads = []
        for k, p in enumerate(ps):
            summed = sum(factors[i] * per_sample[i][k] for i in range(x.shape[0]))
            grads.append((summed + noise[k]) / BATCH)
        with torch.no_grad():
            for p, e in zip(ps, eps):
                p.sub_(e)
        loss = loss_of(ps, x, y)
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        opt.step()
        prev = [g.clone() for g in grads]
        trajectory.append({
            "loss": loss.item(),
            "noise": [n.flatten().tolist() for n in noise],
            "clipped": float((factors < 1).double().mean().item()),
            "params": [p.detach().flatten().tolist() for p in ps],
        })
    out = {
        "case": case,
        "optimizer": {"name": "sgd", "hp": hp},
        "rho": rho,
        "clip": clip,
        "noise": sigma,
        "batch": BATCH,
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "init": [p.flatten().tolist() for p in init],
        "data": [{"x": x.flatten().tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": trajectory,
    }
    with open(os.path.join(HERE, f"{case}.json"), "w") as f:
        json.dump(out, f)


SGD = {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0}

run("dp-sat-rho0.5", 11, 0.5, 0.5, 1.0, SGD)
run("dp-sgd", 12, 0.0, 1.5, 1.0, SGD)
