"""Reference trajectories for the N:M training methods of the prune block (run once; CI reads
the committed JSON).

    /usr/bin/python3 test-fixtures/reference/prune/generate.py

Needs PyTorch (tested with Debian's 1.13 on CPU). A tiny MLP (x -> fc1 -> tanh -> fc2 ->
softmax cross-entropy, weights [out, in] as torch.nn.Linear, 8 inputs and 8 hidden units so
fc1.weight is two by two 4x4 blocks) trained with SGD + momentum for 20 steps; fc1.weight is
the pruned weight. Each JSON holds the initial parameters, the batches and after every step the
parameters and fc1's mask, in float64 (`trajectory`) and in float32 from the same initial values
and batches rounded to float32 (`trajectoryFloat32`).

transposable-2by4.json re-implements huyz2023/2by4-pretrain (README.md, sparse/sparse_ops.py,
sparse/transposable_semi_structured.py, sparse/decay.py): the forward pass uses W * m with the
transposable 2:4 mask chosen among the 90 patterns (the official `mask_pattern` table, scored by
one matrix product and argmax) and recomputed every `freq` optimizer steps; the weight gradient is
dense (MVUE off); after clip_grad_norm_ the masked decay grad += alpha * W * (1 - m) is added;
from `dense_from` on the layer runs dense (p.mode = 'dense').
"""

import itertools
import json
import os

os.environ.setdefault("OPENBLAS_CORETYPE", "Sandybridge")
os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 20
INPUTS, HIDDEN, CLASSES, BATCH = 8, 8, 3, 8


def problem(seed):
    g = torch.Generator().manual_seed(seed)
    params = [
        torch.randn(HIDDEN, INPUTS, generator=g) * 0.5,
        torch.randn(HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, generator=g) * 0.5,
    ]
    batches = [(torch.randn(BATCH, INPUTS, generator=g), torch.randint(0, CLASSES, (BATCH,), generator=g)) for _ in range(STEPS)]
    return params, batches


def mask_patterns():
    """The 90 4x4 patterns with two ones per row and column, in the official table's order."""
    rows = [(1, 1, 0, 0), (1, 0, 1, 0), (1, 0, 0, 1), (0, 1, 1, 0), (0, 1, 0, 1), (0, 0, 1, 1)]
    out = []
    for rs in itertools.product(rows, repeat=4):
        if all(sum(r[j] for r in rs) == 2 for j in range(4)):
            out.append([v for r in rs for v in r])
    return torch.tensor(out)


PATTERNS = mask_patterns()
# The first rows of the official TransposableSparse.mask_pattern, as a check of the order.
assert PATTERNS.shape == (90, 16)
assert PATTERNS[0].tolist() == [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]
assert PATTERNS[1].tolist() == [1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1]
assert PATTERNS[-1].tolist() == [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]


def transposable_mask(w):
    """Per 4x4 block, the pattern with the largest sum of |w| (argmax over PATTERNS @ |block|)."""
    rows, cols = w.shape
    mask = torch.zeros_like(w)
    pat = PATTERNS.to(w.dtype)
    for r in range(0, rows, 4):
        for c in range(0, cols, 4):
            block = w[r:r + 4, c:c + 4].abs().reshape(16)
            best = int(torch.argmax(pat @ block))
            mask[r:r + 4, c:c + 4] = pat[best].reshape(4, 4)
    return mask


def transposable_case(dtype):
    params, batches = problem(seed=46)
    params = [p.to(dtype).clone().requires_grad_(True) for p in params]
    batches = [(x.to(dtype), y) for x, y in batches]
    lr, momentum, max_norm, alpha, freq, dense_from = 0.5, 0.9, 1.0, 0.02, 5, 15
    opt = torch.optim.SGD(params, lr=lr, momentum=momentum)
    mask = torch.ones_like(params[0])
    trajectory = []
    for t, (x, y) in enumerate(batches):
        sparse = t < dense_from
        if sparse and t % freq == 0:
            mask = transposable_mask(params[0].detach())
        w1, b1, w2, b2 = params
        # Forward with W * m; the weight's gradient passes straight through (dense).
        w1_seen = w1 + (w1 * mask - w1).detach() if sparse else w1
        loss = F.cross_entropy(torch.tanh(x @ w1_seen.t() + b1) @ w2.t() + b2, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, max_norm)
        if sparse:
            # sparse/decay.py: grad.add_(p.data * (1 - p.mask), alpha=decay)
            params[0].grad.add_(params[0].data * (1 - mask), alpha=alpha)
        opt.step()
        trajectory.append({
            "loss": float(loss),
            "mask": mask.reshape(-1).tolist() if sparse else [1.0] * mask.numel(),
            "params": [p.detach().reshape(-1).tolist() for p in params],
        })
    return trajectory, {"lr": lr, "momentum": momentum, "gradClip": max_norm, "decay": alpha, "every": freq, "to": dense_from, "finish": "dense"}


def main():
    params, batches = problem(seed=46)
    t64, settings = transposable_case(torch.float64)
    t32, _ = transposable_case(torch.float32)
    out = {
        "case": "transposable-2by4",
        "settings": settings,
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "shapes": [list(p.shape) for p in params],
        "init": [p.reshape(-1).tolist() for p in params],
        "batches": [{"x": x.reshape(-1).tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": t64,
        "trajectoryFloat32": t32,
    }
    with open(os.path.join(HERE, "transposable-2by4.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
