"""Reference trajectories for runtime/compiler/optim (run once; CI reads the committed JSON).

    python3 test-fixtures/reference/optim/generate.py

Needs PyTorch (tested with Debian's 1.13 on CPU). Each JSON file holds a tiny MLP
(x -> fc1 -> tanh -> fc2 -> softmax cross-entropy, weights [out, in] as torch.nn.Linear),
its initial parameters, 20 batches and the parameters after each of 20 steps of one
optimizer (optionally wrapped in SAM), twice: `trajectory` in float64 and `trajectoryFloat32`
with the same initial parameters and batches rounded to float32 and every tensor in float32
(the step-dependent scalars, such as Adam's bias corrections, stay Python doubles, as torch
computes them). The TypeScript tests replay the same steps with the graph builders: in the
float64 interpreter against `trajectory`, and on onnxruntime in float32 against both.

torch.optim.SGD / Adam / AdamW are used as they are. The other rules are re-implemented here
from their official code, cited per function, with torch tensors.

The output is byte-identical from run to run, and from machine to machine because the CPU
kernels are pinned below (OpenBLAS's and ATen's vectorized kernels otherwise follow the CPU and
sum in different orders).
"""

import json
import math
import os
import sys

# Before torch loads: the kernels the committed files were written with.
os.environ.setdefault("OPENBLAS_CORETYPE", "Sandybridge")
os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_default_dtype(torch.float64)

STEPS = 20
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from tiny_mlp import BATCH, CLASSES, HIDDEN, INPUTS, problem  # noqa: E402  (the shared problem, next to this folder)


def loss_fn(params, x, y, row_normalized):
    w1, b1, w2, b2 = params
    if row_normalized:
        # Scale-invariant rows (AdamP's case): the projection fires on fc1.weight.
        w1 = w1 / w1.norm(dim=1, keepdim=True)
    h = torch.tanh(x @ w1.t() + b1)
    return F.cross_entropy(h @ w2.t() + b2, y)


def grads_at(params, x, y, row_normalized):
    ps = [p.detach().clone().requires_grad_(True) for p in params]
    loss = loss_fn(ps, x, y, row_normalized)
    return torch.autograd.grad(loss, ps)


class TorchOptimizer:
    """A torch.optim optimizer over copies of the parameters."""

    def __init__(self, params, make):
        self.params = [p.detach().clone().requires_grad_(True) for p in params]
        self.opt = make(self.params)

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p.grad = g.clone()
        self.opt.step()

    def values(self):
        return [p.detach() for p in self.params]


class Rule:
    """A hand-written update rule: update(p, g, state, t) returns the new p."""

    def __init__(self, params, update):
        self.params = [p.detach().clone() for p in params]
        self.state = [dict() for _ in params]
        self.update = update
        self.t = 0

    def step(self, grads):
        self.t += 1
        self.params = [self.update(p, g, s, self.t) for p, g, s in zip(self.params, grads, self.state)]

    def values(self):
        return self.params


def projection(p, grad, perturb, delta, wd_ratio, eps):
    """clovaai/AdamP adamp/adamp.py `_projection` (cosine_similarity as in torch 1.13)."""

    def cosine(x, y):
        w12 = (x * y).sum(dim=1)
        n12 = ((x * x).sum(dim=1) * (y * y).sum(dim=1)).clamp_min(eps * eps).sqrt()
        return (w12 / n12).abs()

    expand_size = (-1,) + (1,) * (len(p.shape) - 1)
    for view in (lambda x: x.reshape(x.size(0), -1), lambda x: x.reshape(1, -1)):
        param_view = view(p)
        if cosine(view(grad), param_view).max() < delta / math.sqrt(param_view.size(1)):
            p_n = p / param_view.norm(dim=1).view(expand_size).add(eps)
            perturb = perturb - p_n * view(p_n * perturb).sum(dim=1).view(expand_size)
            return perturb, wd_ratio
    return perturb, 1


def adamp(lr, beta1, beta2, eps, weight_decay, delta, wd_ratio, nesterov):
    """clovaai/AdamP adamp/adamp.py `AdamP.step`."""

    def update(p, grad, state, t):
        if not state:
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = (exp_avg_sq.sqrt() / math.sqrt(bias_correction2)).add_(eps)
        step_size = lr / bias_correction1
        perturb = (beta1 * exp_avg + (1 - beta1) * grad) / denom if nesterov else exp_avg / denom
        ratio = 1
        if len(p.shape) > 1:
            perturb, ratio = projection(p, grad, perturb, delta, wd_ratio, eps)
        if weight_decay > 0:
            p = p * (1 - lr * weight_decay * ratio)
        return p - step_size * perturb

    return update


def sgdp(lr, momentum, dampening, weight_decay, nesterov, eps, delta, wd_ratio):
    """clovaai/AdamP adamp/sgdp.py `SGDP.step`."""

    def update(p, grad, state, t):
        if not state:
            state["momentum"] = torch.zeros_like(p)
        buf = state["momentum"]
        buf.mul_(momentum).add_(grad, alpha=1 - dampening)
        d_p = grad + momentum * buf if nesterov else buf
        ratio = 1
        if len(p.shape) > 1:
            d_p, ratio = projection(p, grad, d_p, delta, wd_ratio, eps)
        if weight_decay != 0:
            p = p * (1 - lr * weight_decay * ratio / (1 - momentum))
        return p - lr * d_p

    return update


def lion(lr, beta1, beta2, weight_decay):
    """google/automl lion/lion_pytorch.py `Lion.step`."""

    def update(p, grad, state, t):
        if not state:
            state["exp_avg"] = torch.zeros_like(p)
        exp_avg = state["exp_avg"]
        p = p * (1 - lr * weight_decay)
        c = exp_avg * beta1 + grad * (1 - beta1)
        p = p - lr * torch.sign(c)
        exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)
        return p

    return update


def grams(lr, beta1, beta2, eps, weight_decay):
    """Catalog A12 (Cao, Li, Song 2025): Adam's magnitude with sign(g); m <- b1 m + (1 - b1) g."""

    def update(p, grad, state, t):
        if not state:
            state["m"] = torch.zeros_like(p)
            state["v"] = torch.zeros_like(p)
        m, v = state["m"], state["v"]
        m.mul_(beta1).add_(grad, alpha=1 - beta1)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        u = (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps)
        return p - lr * (torch.sign(grad) * u.abs() + weight_decay * p)

    return update


def newton_schulz5(G, steps):
    """KellerJordan/Muon muon.py `zeropower_via_newtonschulz5`, in float64 instead of bfloat16."""
    a, b, c = (3.4445, -4.7750, 2.0315)
    X = G
    if G.size(-2) > G.size(-1):
        X = X.mT
    X = X / (X.norm(dim=(-2, -1), keepdim=True) + 1e-7)
    for _ in range(steps):
        A = X @ X.mT
        B = b * A + c * A @ A
        X = a * X + B @ X
    if G.size(-2) > G.size(-1):
        X = X.mT
    return X


def muon(lr, momentum, nesterov, ns_steps, weight_decay):
    """KellerJordan/Muon muon.py `muon_update` + `Muon.step` (2-D parameters only)."""

    def update(p, grad, state, t):
        if not state:
            state["momentum_buffer"] = torch.zeros_like(p)
        buf = state["momentum_buffer"]
        grad = grad.clone()
        buf.lerp_(grad, 1 - momentum)
        u = grad.lerp_(buf, momentum) if nesterov else buf
        u = newton_schulz5(u.reshape(len(u), -1), ns_steps)
        u = u * max(1, p.size(0) / u.size(1)) ** 0.5
        p = p * (1 - lr * weight_decay)
        return p - lr * u.reshape(p.shape)

    return update


class MuonWithAux:
    """MuonWithAuxAdam's split: Muon on 2-D weights, torch AdamW on the rest."""

    def __init__(self, params, muon_hp, aux_hp):
        self.muon = Rule([p for p in params if p.ndim >= 2], muon(**muon_hp))
        self.aux = TorchOptimizer([p for p in params if p.ndim < 2], lambda ps: torch.optim.AdamW(ps, lr=aux_hp["lr"], betas=(aux_hp["beta1"], aux_hp["beta2"]), eps=aux_hp["eps"], weight_decay=aux_hp["weight_decay"], amsgrad=aux_hp["amsgrad"]))
        self.is_matrix = [p.ndim >= 2 for p in params]

    def step(self, grads):
        self.muon.step([g for g, m in zip(grads, self.is_matrix) if m])
        self.aux.step([g for g, m in zip(grads, self.is_matrix) if not m])

    def values(self):
        mats, rest = iter(self.muon.values()), iter(self.aux.values())
        return [next(mats) if m else next(rest) for m in self.is_matrix]


def sam_gradient(params, x, y, rho, row_normalized):
    """davda54/sam sam.py `first_step` / `second_step` (adaptive = False)."""
    g = grads_at(params, x, y, row_normalized)
    grad_norm = torch.norm(torch.stack([gi.norm(p=2) for gi in g]), p=2)
    scale = rho / (grad_norm + 1e-12)
    return grads_at([p + gi * scale for p, gi in zip(params, g)], x, y, row_normalized)


def sgd_torch(**hp):
    return lambda ps: torch.optim.SGD(ps, lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"], nesterov=hp["nesterov"], weight_decay=hp["weight_decay"])


def adam_torch(cls, **hp):
    return lambda ps: cls(ps, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"], weight_decay=hp["weight_decay"], amsgrad=hp["amsgrad"])


ADAM = dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8)
SGD = dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=1e-3)
MUON_AUX = dict(lr=3e-4, beta1=0.9, beta2=0.95, eps=1e-10, weight_decay=0.0, amsgrad=False)
MUON = dict(lr=0.02, momentum=0.95, nesterov=True, ns_steps=5, weight_decay=0.01)

# name -> (optimizer catalog name, hyper-parameters as the catalog names them, factory, wrapper, row_normalized)
CASES = {
    "sgd-nesterov": ("sgd", SGD, lambda ps: TorchOptimizer(ps, sgd_torch(**SGD)), None, False),
    "sgd-dampening": ("sgd", dict(SGD, dampening=0.2, nesterov=False), lambda ps: TorchOptimizer(ps, sgd_torch(**dict(SGD, dampening=0.2, nesterov=False))), None, False),
    "adam-amsgrad": ("adam", dict(ADAM, weight_decay=1e-2, amsgrad=True), lambda ps: TorchOptimizer(ps, adam_torch(torch.optim.Adam, **ADAM, weight_decay=1e-2, amsgrad=True)), None, False),
    "adamw": ("adamw", dict(ADAM, weight_decay=0.1, amsgrad=False), lambda ps: TorchOptimizer(ps, adam_torch(torch.optim.AdamW, **ADAM, weight_decay=0.1, amsgrad=False)), None, False),
    "adamp": ("adamp", dict(ADAM, weight_decay=1e-2, delta=0.1, wd_ratio=0.1, nesterov=False), lambda ps: Rule(ps, adamp(**ADAM, weight_decay=1e-2, delta=0.1, wd_ratio=0.1, nesterov=False)), None, True),
    "adamp-nesterov": ("adamp", dict(ADAM, weight_decay=1e-2, delta=0.1, wd_ratio=0.1, nesterov=True), lambda ps: Rule(ps, adamp(**ADAM, weight_decay=1e-2, delta=0.1, wd_ratio=0.1, nesterov=True)), None, True),
    "sgdp": ("sgdp", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=1e-3, nesterov=True, eps=1e-8, delta=0.1, wd_ratio=0.1), lambda ps: Rule(ps, sgdp(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=1e-3, nesterov=True, eps=1e-8, delta=0.1, wd_ratio=0.1)), None, True),
    "lion": ("lion", dict(lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.1), lambda ps: Rule(ps, lion(lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.1)), None, False),
    "grams": ("grams", dict(ADAM, weight_decay=1e-2), lambda ps: Rule(ps, grams(**ADAM, weight_decay=1e-2)), None, False),
    "muon": ("muon", dict(MUON, aux={"kind": "technique", "name": "adamw", "entryKind": "optimizer", "args": MUON_AUX}), lambda ps: MuonWithAux(ps, MUON, MUON_AUX), None, False),
    "sam-sgd": ("sgd", dict(SGD, nesterov=False, weight_decay=5e-4), lambda ps: TorchOptimizer(ps, sgd_torch(**dict(SGD, nesterov=False, weight_decay=5e-4))), {"name": "sam", "hp": {"rho": 0.05, "adaptive": False}}, False),
}


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def trajectory(make, params, batches, wrapper, row_normalized):
    """The parameters after each step, in the dtype of `params` and `batches`."""
    opt = make(params)
    out = []
    for x, y in batches:
        current = opt.values()
        if wrapper is None:
            grads = grads_at(current, x, y, row_normalized)
        else:
            grads = sam_gradient(current, x, y, wrapper["hp"]["rho"], row_normalized)
        opt.step(grads)
        out.append([flat(p) for p in opt.values()])
    return out


def main():
    for seed, (case, (name, hp, make, wrapper, row_normalized)) in enumerate(CASES.items()):
        params, batches = problem(seed, STEPS)
        params32 = [p.float() for p in params]
        batches32 = [(x.float(), y) for x, y in batches]
        doc = {
            "case": case,
            "torch": torch.__version__,
            "optimizer": {"name": name, "hp": hp},
            "wrapper": wrapper,
            "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES, "rowNormalized": row_normalized},
            "lr": hp["lr"],
            "shapes": [list(p.shape) for p in params],
            "init": [flat(p) for p in params],
            "batches": [{"x": flat(x), "labels": [int(v) for v in y.tolist()]} for x, y in batches],
            "trajectory": trajectory(make, params, batches, wrapper, row_normalized),
            "trajectoryFloat32": trajectory(make, params32, batches32, wrapper, row_normalized),
        }
        with open(os.path.join(HERE, f"{case}.json"), "w") as f:
            json.dump(doc, f)
        print(case, "ok")


if __name__ == "__main__":
    main()
