"""Reference trajectories for the optimizers and wrappers A14 AuON, A15 Bloop, A16 gradient
regularization (F-GR, B-GR), A21 DCT low-rank projection and A20 DeepZero (catalog entries),
in the format of generate.py, which this file builds on (the same tiny MLP, the same pinned
kernels, float64 and float32 trajectories of 20 steps).

    python3 test-fixtures/reference/optim/generate_more.py

Each rule is re-implemented here from its official code where there is one (cited per function),
else from the catalog's rule as written (marked so).
"""

import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import STEPS, Rule, TorchOptimizer, adam_torch, flat, grads_at, loss_fn  # noqa: E402  (sets the pinned kernels and float64)

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(HERE))
from tiny_mlp import CLASSES, HIDDEN, INPUTS, problem  # noqa: E402


def auon(lr, momentum, weight_decay, gamma):
    """ryyzn9/AuON auon/optimizer.py `AuON.step`."""

    def update(p, grad, state, t):
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = torch.zeros_like(grad)
        m = state["momentum_buffer"]
        if weight_decay != 0:
            p = p * (1 - lr * weight_decay)
        grad = grad.clone()
        m.lerp_(grad, 1 - momentum)
        G = grad.lerp_(m, momentum)
        g_norm = G.norm()
        if g_norm == 0:
            return p
        g_scaled = G / (g_norm + 1e-7) * gamma
        r_scaled = torch.sqrt(torch.mean(torch.cosh(g_scaled) ** 2))
        return p - lr * (G / (r_scaled + 1e-8))

    return update


class MatrixAndAux:
    """AuON README's split: `matrix` on parameters with two or more dimensions, torch Adam (or `aux`) on the rest."""

    def __init__(self, params, matrix, aux_hp, aux=torch.optim.Adam):
        self.matrix = Rule([p for p in params if p.ndim >= 2], matrix)
        self.aux = TorchOptimizer([p for p in params if p.ndim < 2], adam_torch(aux, **aux_hp))
        self.is_matrix = [p.ndim >= 2 for p in params]

    def step(self, grads):
        self.matrix.step([g for g, m in zip(grads, self.is_matrix) if m])
        self.aux.step([g for g, m in zip(grads, self.is_matrix) if not m])

    def values(self):
        mats, rest = iter(self.matrix.values()), iter(self.aux.values())
        return [next(mats) if m else next(rest) for m in self.is_matrix]


def bloop_aux_grad(params, kind):
    """The recipe's auxiliary loss over the parameters with two or more dimensions, and its gradient."""
    ps = [p.detach().clone().requires_grad_(True) for p in params]
    terms = [(p.abs().sum() if kind == "l1" else 0.5 * (p * p).sum()) for p in ps if p.ndim >= 2]
    loss = sum(terms)
    return torch.autograd.grad(loss, ps, allow_unused=True)


def bloop(lbda, ema, aux, init, direction, ratio_only):
    """apple/ml-bloop src/bloop/optim.py `init_bloop` + `_bloop_direction_general` (rescale off),
    utils.py `tree_proj` and `update_ema`, from JAX pytrees to lists of torch tensors."""

    def gradient(params, x, y, state, t):
        g_main = grads_at(params, x, y, False)
        g_aux = [torch.zeros_like(p) if g is None else g for p, g in zip(params, bloop_aux_grad(params, aux))]
        if direction == "mixed":
            return [a + lbda * b for a, b in zip(g_main, g_aux)]
        if "ema" not in state:
            state["ema"] = [g.clone() if init == "grad" else torch.zeros_like(g) for g in g_main]
        grad_main_ema = [a + ema * (b - a) for a, b in zip(state["ema"], g_main)]
        state["ema"] = grad_main_ema
        dot_product = sum((a * b).sum() for a, b in zip(grad_main_ema, g_aux))
        sq_norm = sum((a * a).sum() for a in grad_main_ema)
        ratio = dot_product / (sq_norm + 1e-7)
        if direction == "dynamic_barrier":
            ratio = torch.minimum(ratio, torch.tensor(1.0 / lbda, dtype=ratio.dtype))
        projected = [b - ratio * a for a, b in zip(grad_main_ema, g_aux)]
        if ratio_only:
            return [(1.0 + lbda * -ratio) * a + lbda * b for a, b in zip(g_main, g_aux)]
        return [a + lbda * b for a, b in zip(g_main, projected)]

    return gradient


def gradient_regularization(gamma, epsilon, form):
    """Catalog A16 as written ([paper/mem]; no official code read): F-GR
    (1 - gamma/epsilon) g + (gamma/epsilon) grad L(w + epsilon g), B-GR
    (1 + gamma/epsilon) g - (gamma/epsilon) grad L(w - epsilon g)."""

    def gradient(params, x, y, state, t):
        g = grads_at(params, x, y, False)
        sign = 1.0 if form == "forward" else -1.0
        second = grads_at([p + sign * epsilon * gi for p, gi in zip(params, g)], x, y, False)
        alpha = gamma / epsilon
        if form == "forward":
            return [(1 - alpha) * a + alpha * b for a, b in zip(g, second)]
        return [(1 + alpha) * a - alpha * b for a, b in zip(g, second)]

    return gradient


def dct_matrix(m, dtype):
    """The orthonormal DCT-II matrix, column j the j-th basis vector."""
    k = torch.arange(m, dtype=torch.float64).reshape(m, 1)
    j = torch.arange(m, dtype=torch.float64).reshape(1, m)
    c = torch.where(j == 0, torch.tensor(1.0 / m, dtype=torch.float64), torch.tensor(2.0 / m, dtype=torch.float64)).sqrt()
    return (c * torch.cos(math.pi * (2 * k + 1) * j / (2 * m))).to(dtype)


def dct_adam(lr, beta1, beta2, eps, weight_decay, rank, every, scale):
    """Catalog A21 as written ([paper/mem]; no official code read): every `every` steps the `rank`
    DCT columns with the largest ||Q_j^T G|| (left, rows <= cols) or ||G Q_j|| (right); Adam's
    moments in the projected space, kept across re-selections; w <- w(1 - lr wd) - lr scale P U."""

    def update(p, grad, state, t):
        rows, cols = p.shape[0], p[0].numel()
        G = grad.reshape(rows, cols)
        left = rows <= cols
        m = min(rows, cols)
        r = min(rank, m)
        if not state:
            state["Q"] = dct_matrix(m, p.dtype)
            shape = (r, cols) if left else (rows, r)
            state["exp_avg"] = torch.zeros(shape, dtype=p.dtype)
            state["exp_avg_sq"] = torch.zeros(shape, dtype=p.dtype)
        Q = state["Q"]
        if (t - 1) % every == 0:
            scores = (Q.t() @ G).norm(dim=1) if left else (G @ Q).norm(dim=0)
            state["idx"] = torch.topk(scores, r).indices
        P = Q[:, state["idx"]]
        R = P.t() @ G if left else G @ P
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg.mul_(beta1).add_(R, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(R, R, value=1 - beta2)
        U = (exp_avg / (1 - beta1 ** t)) / ((exp_avg_sq / (1 - beta2 ** t)).sqrt() + eps)
        back = P @ U if left else U @ P.t()
        p = p * (1 - lr * weight_decay)
        return p - lr * scale * back.reshape(p.shape)

    return update


def zo_loss(params, x, y):
    """DeepZero's `f`: the loss as a Python float (`.item()`), no gradient."""
    with torch.no_grad():
        return loss_fn(params, x, y, False).item()


def deepzero(estimator, mu, queries, sparsity, seed):
    """OPTML-Group/DeepZero algorithm/zoo/gradient_estimate.py `cge` (with a mask per weight
    matrix: `sparsity` of its coordinates left out, redrawn every 5 steps here) and `rge`. The
    random draws (coordinates, directions) are recorded per step as the wrapper's inputs."""
    g = torch.Generator().manual_seed(seed)

    def gradient(params, x, y, state, t):
        base = zo_loss(params, x, y)
        inputs = []
        if estimator == "rge":
            # Directions drawn in float64 and shared by both trajectories (rounded for float32).
            if t not in state:
                state[t] = [[torch.randn(p.shape, generator=g, dtype=torch.float64) for p in params] for _ in range(queries)]
            grads = [torch.zeros_like(p) for p in params]
            for us in state[t]:
                perturbs = []
                for p, u in zip(params, us):
                    perturb = u.to(p.dtype)
                    perturb = perturb / (torch.norm(perturb) + 1e-8)
                    perturb = perturb * mu
                    perturbs.append(perturb)
                dd = (zo_loss([p + e for p, e in zip(params, perturbs)], x, y) - base) / mu
                grads = [gi + e * dd / queries for gi, e in zip(grads, perturbs)]
                inputs.extend(flat(u) for u in us)
            state.setdefault("inputs", {})[t] = inputs
            return grads
        if (t - 1) % 5 == 0 and ("mask", t) not in state:
            masks = []
            for p in params:
                n = p.numel()
                kept = max(1, n - round(sparsity * n)) if p.ndim >= 2 else n
                masks.append(torch.sort(torch.randperm(n, generator=g)[:kept]).values)
            state[("mask", t)] = masks
        masks = state[("mask", t - (t - 1) % 5)]
        grads = []
        for k, (p, idxs) in enumerate(zip(params, masks)):
            d = torch.zeros(p.numel(), dtype=p.dtype)
            for idx in idxs.tolist():
                flat_p = p.reshape(-1).clone()
                flat_p[idx] += mu
                moved = [flat_p.reshape(p.shape) if j == k else q for j, q in enumerate(params)]
                d[idx] = (zo_loss(moved, x, y) - base) / mu
            grads.append(d.reshape(p.shape))
            if p.ndim >= 2 and sparsity > 0:
                inputs.append([float(i) for i in idxs.tolist()])
        state.setdefault("inputs", {})[t] = inputs
        return grads

    return gradient


def sgd_torch(**hp):
    return lambda ps: torch.optim.SGD(ps, lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"], nesterov=hp["nesterov"], weight_decay=hp["weight_decay"])


def technique(name, args):
    return {"kind": "technique", "name": name, "entryKind": "optimizer", "args": args}


AUON = dict(lr=0.08, momentum=0.95, weight_decay=0.01, gamma=1.5)
AUON_AUX = dict(lr=0.008, beta1=0.8, beta2=0.95, eps=1e-8, weight_decay=0.0, amsgrad=False)

SGD = dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0)
ADAM = dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False)
BLOOP = dict(aux="l2", init="grad", direction="bloop", ratio_only=False, **{"lambda": 0.5, "ema": 0.1})
BLOOP_BARRIER = dict(aux="l1", init="zeros", direction="dynamic_barrier", ratio_only=False, **{"lambda": 2.0, "ema": 0.5})
GR_FORWARD = dict(gamma=0.05, epsilon=0.1, form="forward")
GR_BACKWARD = dict(gamma=0.02, epsilon=0.05, form="backward")
DCT = dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, rank=2, every=5, scale=0.25)
DCT_AUX = dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, amsgrad=False)
ZO_SGD = dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0)
ZO_CGE = dict(estimator="cge", mu=5e-3, queries=192, sparsity=0.5, reshuffle={"kind": "duration", "value": 5, "unit": "step"})
ZO_RGE = dict(estimator="rge", mu=5e-3, queries=4, sparsity=0.0, reshuffle={"kind": "duration", "value": 1, "unit": "ep"})

# name -> (optimizer catalog name, hyper-parameters, factory, wrapper (name, hp, gradient function) or None, seed)
CASES = {
    "bloop-sgd": ("sgd", SGD, lambda ps: TorchOptimizer(ps, sgd_torch(**SGD)), ("bloop", BLOOP, bloop(BLOOP["lambda"], BLOOP["ema"], BLOOP["aux"], BLOOP["init"], BLOOP["direction"], BLOOP["ratio_only"])), 102),
    "bloop-barrier-adam": ("adam", ADAM, lambda ps: TorchOptimizer(ps, adam_torch(torch.optim.Adam, **ADAM)), ("bloop", BLOOP_BARRIER, bloop(BLOOP_BARRIER["lambda"], BLOOP_BARRIER["ema"], BLOOP_BARRIER["aux"], BLOOP_BARRIER["init"], BLOOP_BARRIER["direction"], BLOOP_BARRIER["ratio_only"])), 103),
    "gr-forward-sgd": ("sgd", SGD, lambda ps: TorchOptimizer(ps, sgd_torch(**SGD)), ("gr", GR_FORWARD, gradient_regularization(**GR_FORWARD)), 104),
    "gr-backward-adam": ("adam", ADAM, lambda ps: TorchOptimizer(ps, adam_torch(torch.optim.Adam, **ADAM)), ("gr", GR_BACKWARD, gradient_regularization(**GR_BACKWARD)), 105),
    "dct-adam": ("dct_adam", DCT, lambda ps: MatrixAndAux(ps, dct_adam(**DCT), DCT_AUX, torch.optim.AdamW), None, 106),
    "deepzero-cge-sgd": ("sgd", ZO_SGD, lambda ps: TorchOptimizer(ps, sgd_torch(**ZO_SGD)), ("deepzero", ZO_CGE, None), 107),
    "deepzero-rge-sgd": ("sgd", ZO_SGD, lambda ps: TorchOptimizer(ps, sgd_torch(**ZO_SGD)), ("deepzero", ZO_RGE, None), 108),
    "auon": ("auon", dict(AUON, aux=technique("adam", AUON_AUX)), lambda ps: MatrixAndAux(ps, auon(**AUON), AUON_AUX), None, 101),
}


def trajectory(make, params, batches, wrapper, seed, inputs=None):
    """The parameters after each step, in the dtype of `params` and `batches` (and, for DeepZero,
    the wrapper's inputs of each step, appended to `inputs`)."""
    opt = make(params)
    state = {}
    # DeepZero draws from its own generator, the same in both trajectories.
    gradient = None if wrapper is None else wrapper[2] or deepzero(**{k: wrapper[1][k] for k in ("estimator", "mu", "queries", "sparsity")}, seed=seed)
    out = []
    for t, (x, y) in enumerate(batches, start=1):
        current = opt.values()
        grads = grads_at(current, x, y, False) if wrapper is None else gradient(current, x, y, state, t)
        opt.step(grads)
        out.append([flat(p) for p in opt.values()])
        if inputs is not None and "inputs" in state:
            inputs.append(state["inputs"][t])
    return out


def main():
    for case, (name, hp, make, wrapper, seed) in CASES.items():
        params, batches = problem(seed, STEPS)
        params32 = [p.float() for p in params]
        batches32 = [(x.float(), y) for x, y in batches]
        inputs = []
        doc = {
            "case": case,
            "torch": torch.__version__,
            "optimizer": {"name": name, "hp": hp},
            "wrapper": None if wrapper is None else {"name": wrapper[0], "hp": wrapper[1]},
            "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES, "rowNormalized": False},
            "lr": hp["lr"],
            "shapes": [list(p.shape) for p in params],
            "init": [flat(p) for p in params],
            "batches": [{"x": flat(x), "labels": [int(v) for v in y.tolist()]} for x, y in batches],
            "trajectory": trajectory(make, params, batches, wrapper, seed, inputs),
            "trajectoryFloat32": trajectory(make, params32, batches32, wrapper, seed),
        }
        if inputs:
            doc["wrapperInputs"] = inputs
        with open(os.path.join(HERE, f"{case}.json"), "w") as f:
            json.dump(doc, f)
        print(case, "ok")


if __name__ == "__main__":
    main()
