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

pgf-*.json re-implement abhibambhaniya/progressive_gradient_flow_nm_sparsity
(timm/sparse_pruning/sparse_functions.py: get_sparse_mask, LinearDecay, ExponentialDecay,
StepDecay and SparseLinear.get_sparse_weights) with one step per epoch, so the code's epoch-based
frames are steps: dense before `dense_epochs`; then every step the N:M mask m of |W| (argsort per
group of M along the input dimension) and the forward weight W * (m + (1 - m) * d_t), d_t =
max(1 - c t, 0) or exp(-c t) at the global step t, with the gradient passed straight through;
structure decay frames (M-1):M, M/2:M, ... from dense_epochs + int(i * frame). NOTE: the code
switches to the binary mask when `epoch > total - fine_tune`; Minima (and this reference) when
`epoch >= total - fine_tune`, so that the last fine_tune epochs are binary as the paper says.

bimask-*.json re-implement zyxxmu/Bi-Mask (CnnModels/utils/conv_type.py: get_n_m_sparse_matrix,
get_n_m_backward_matrix, get_best_permutation, MyConv2d_Lay; cifar.py's `m.iter += 1` after each
optimizer step) for Linear layers, with 4 classes so that fc2's output dimension holds an M-group:
forward x @ (W * m_f).t(); backward g_W = g.t() @ x + decay * (1 - m_f) * W, g_x = g @ (W * m_b);
m_f and m_b every step, the permutation searched among `greedy_num` np.random permutations when
iter % max_iter == 0. The candidates drawn are written to the JSON, so that the TypeScript replay
searches the same ones.

hypersparse.json re-implements GreenAutoML4FAS/HyperSparse (loss/HyperSparse.py `hyperSparse`,
train.py's `loss_basis += alpha * regularization_loss` with alpha = lambda_init * eta ** (epoch -
warmup_epochs)) on the MLP, both weight matrices regularized, 5 steps per epoch, SGD with momentum
and weight decay.

jackpot.json re-implements zyxxmu/lottery-jackpots (utils/conv_type.py PretrainConv: GetMask,
set_prune_rate, final_pop_up; cifar.py: generate_pr_cfg 'l1', adjust_rate, pop_up after every
optimizer step) for Linear layers: frozen weights, scores m (1 kept, 0.99 pruned by magnitude at
the layer's rate), forward W * b with the gradient sent straight through to m, SGD with momentum on
m, then the swap. fc1 is searched; fc2 (the classifier) is kept dense, as the official code keeps fc.

write_jackpot_model() also trains and exports the pretrained digits MLP the example recipe
test-fixtures/recipes/examples/digits-jackpot.minima searches: nn.Flatten, Linear(64, 64), ReLU,
Linear(64, 32), ReLU, Linear(32, 10), trained with SGD on the bundled digits (pixels / 16, the
whole file, 30 epochs), exported with torch.onnx.export (opset 17, dynamic batch).
"""

import itertools
import json
import math
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


def nm_mask(w, n, m):
    """get_sparse_mask, row-wise: zero the M - N smallest |w| of every group of M along the input dim."""
    temp = w.detach().abs().reshape(-1, m)
    index = torch.argsort(temp, dim=1)[:, :int(m - n)]
    return torch.ones_like(temp).scatter_(dim=1, index=index, value=0).reshape(w.shape)


def structure_frames(n, m, dense, fine_tune, total):
    """SparseLinear.__init__'s structure_decay_config: first epoch of each frame -> N."""
    import math
    count = int(math.log2(m / n))
    size = (total - dense - fine_tune) / count
    return {int(dense) + int(i * size): (m - 1) if i == 0 else int(m / math.pow(2, i)) for i in range(count + 1)}


def pgf_case(dtype, decay, coef, n, m, structure, dense, fine_tune, optimizer):
    params, batches = problem(seed=45)
    params = [p.to(dtype).clone().requires_grad_(True) for p in params]
    batches = [(x.to(dtype), y) for x, y in batches]
    total = STEPS
    frames = structure_frames(n, m, dense, fine_tune, total) if structure else None
    opt = optimizer(params)
    cur_n = n
    trajectory = []
    for t, (x, y) in enumerate(batches):
        epoch = t  # one step per epoch
        w1, b1, w2, b2 = params
        if epoch < dense:
            w1_seen = w1
            mask = torch.ones_like(w1)
        else:
            if frames is not None and epoch in frames:
                cur_n = frames[epoch]
            binary = nm_mask(w1, cur_n, m)
            kind = "step" if epoch >= total - fine_tune else decay
            if kind == "step":
                d = 0.0
            elif kind == "linear":
                d = max(1.0 - coef * t, 0.0)
            else:
                d = math.exp(-1 * coef * t)
            mask = binary + (1 - binary) * d
            # LinearDecay / ExponentialDecay / StepDecay: forward W * mask, backward grad_output.
            w1_seen = w1 + (w1 * mask - w1).detach()
        loss = F.cross_entropy(torch.tanh(x @ w1_seen.t() + b1) @ w2.t() + b2, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({"loss": float(loss), "mask": mask.reshape(-1).tolist(), "params": [p.detach().reshape(-1).tolist() for p in params]})
    return trajectory


PGF_CASES = {
    "pgf-linear-structure": dict(decay="linear", coef=0.08, n=1, m=4, structure=True, dense=2, fine_tune=4,
                                 optimizer=lambda ps: torch.optim.Adam(ps, lr=0.05), hp={"name": "adam", "lr": 0.05}),
    "pgf-exp": dict(decay="exp", coef=0.2, n=2, m=4, structure=False, dense=3, fine_tune=0,
                    optimizer=lambda ps: torch.optim.SGD(ps, lr=0.3, momentum=0.9), hp={"name": "sgd", "lr": 0.3, "momentum": 0.9}),
}


def write_pgf():
    params, batches = problem(seed=45)
    for name, c in PGF_CASES.items():
        args = {k: v for k, v in c.items() if k != "hp"}
        out = {
            "case": name,
            "settings": {"decay": c["decay"], "coef": c["coef"], "n": c["n"], "m": c["m"], "structure": int(c["structure"]), "from": c["dense"], "fineTune": c["fine_tune"], "end": STEPS, **{f"opt_{k}": v for k, v in c["hp"].items()}},
            "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
            "shapes": [list(p.shape) for p in params],
            "init": [p.reshape(-1).tolist() for p in params],
            "batches": [{"x": x.reshape(-1).tolist(), "labels": y.tolist()} for x, y in batches],
            "trajectory": pgf_case(torch.float64, **args),
            "trajectoryFloat32": pgf_case(torch.float32, **args),
        }
        with open(os.path.join(HERE, f"{name}.json"), "w") as f:
            json.dump(out, f, separators=(",", ":"))
            f.write("\n")


def bimask_forward(w, n, m):
    """get_n_m_sparse_matrix on the [in, out] view w.t(): N:M along the input dim of W [out, in]."""
    wt = w.t()
    length = wt.numel()
    tmp = wt.t().detach().abs().reshape(length // m, m)
    index = torch.argsort(tmp, dim=1)[:, :int(m - n)]
    mask = torch.ones(tmp.shape, dtype=w.dtype).scatter_(dim=1, index=index, value=0).reshape(wt.t().shape).t()
    return mask.t()  # back to [out, in]


def bimask_backward(w, mask_f, perm, n, m):
    """get_n_m_backward_matrix with forward_mask and w_s in the official [in, out] view; returns [out, in]."""
    forward_mask = mask_f.t().t()  # [out, in], as forward_mask.t() in the official code
    w_s = (w * mask_f).detach()     # [out, in], as w_s.t()
    length = w_s.numel()
    group = length // m
    mask = forward_mask[perm]
    w_backward = w_s[perm].t()
    tmp = w_backward.abs().reshape(group, m)
    index = torch.argsort(tmp, dim=1)[:, :int(m - n)]
    mask_b = torch.ones(tmp.shape, dtype=w.dtype).scatter_(dim=1, index=index, value=0).reshape(w_backward.shape).t()
    final = mask * mask_b
    out = torch.zeros_like(w_s)
    out[torch.tensor(perm)] = final
    return out


def best_permutation(w, mask_f, candidates, n, m):
    """get_best_permutation over the given candidates (the official code draws them with np.random)."""
    best, best_sum = list(range(w.shape[0])), 0
    for p in candidates:
        s = float(bimask_backward(w, mask_f, p, n, m).sum())
        if s > best_sum:
            best_sum, best = s, p
    return best


class BiMaskLinear(torch.autograd.Function):
    """MyConv2d_Lay for a Linear layer: forward with W * m_f, input gradient with W * m_b."""

    @staticmethod
    def forward(ctx, x, weight, mask_f, mask_b, decay):
        ctx.save_for_backward(x, weight, mask_f, mask_b)
        ctx.decay = decay
        return x @ (weight * mask_f).t()

    @staticmethod
    def backward(ctx, g):
        x, weight, mask_f, mask_b = ctx.saved_tensors
        g_w = g.t() @ x + ctx.decay * (1 - mask_f) * weight
        g_x = g @ (weight * mask_b)
        return g_x, g_w, None, None, None


def bimask_case(dtype, candidates):
    g = torch.Generator().manual_seed(44)
    params = [torch.randn(HIDDEN, INPUTS, generator=g) * 0.5, torch.randn(HIDDEN, generator=g) * 0.5,
              torch.randn(4, HIDDEN, generator=g) * 0.5, torch.randn(4, generator=g) * 0.5]
    batches = [(torch.randn(BATCH, INPUTS, generator=g), torch.randint(0, 4, (BATCH,), generator=g)) for _ in range(STEPS)]
    init = [p.clone() for p in params]
    params = [p.to(dtype).clone().requires_grad_(True) for p in params]
    batches_d = [(x.to(dtype), y) for x, y in batches]
    n, m, max_iter, decay = 2, 4, 5, 0.01
    opt = torch.optim.SGD(params, lr=0.2, momentum=0.9, weight_decay=1e-4)
    perms = [None, None]
    trajectory = []
    draws = iter(candidates)
    for t, (x, y) in enumerate(batches_d):
        w1, b1, w2, b2 = params
        masks = []
        for k, w in enumerate([w1, w2]):
            mask_f = bimask_forward(w.detach(), n, m)
            if t % max_iter == 0:
                perms[k] = best_permutation(w.detach(), mask_f, next(draws), n, m)
            masks.append((mask_f, bimask_backward(w.detach(), mask_f, perms[k], n, m)))
        h = torch.tanh(BiMaskLinear.apply(x, w1, masks[0][0], masks[0][1], decay) + b1)
        loss = F.cross_entropy(BiMaskLinear.apply(h, w2, masks[1][0], masks[1][1], decay) + b2, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({"loss": float(loss), "mask": masks[1][0].reshape(-1).tolist(), "backwardMask": masks[1][1].reshape(-1).tolist(),
                           "params": [p.detach().reshape(-1).tolist() for p in params]})
    return trajectory, init, batches


def write_bimask():
    import numpy as np
    np.random.seed(101)
    candidates = []
    for t in range(0, STEPS, 5):
        for rows in (HIDDEN, 4):
            candidates.append([np.random.permutation(rows).tolist() for _ in range(4)])
    t64, init, batches = bimask_case(torch.float64, candidates)
    t32, _, _ = bimask_case(torch.float32, candidates)
    out = {
        "case": "bimask",
        "settings": {"n": 2, "m": 4, "every": 5, "candidates": 4, "decay": 0.01, "lr": 0.2, "momentum": 0.9, "weight_decay": 1e-4},
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": 4},
        "shapes": [list(p.shape) for p in init],
        "init": [p.reshape(-1).tolist() for p in init],
        "batches": [{"x": x.reshape(-1).tolist(), "labels": y.tolist()} for x, y in batches],
        "permutationCandidates": candidates,
        "trajectory": t64,
        "trajectoryFloat32": t32,
    }
    with open(os.path.join(HERE, "bimask.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


def hyper_sparse(weights, prune_rate):
    """loss/HyperSparse.py `hyperSparse`, over the given weights instead of a model's modules."""
    w = torch.cat([torch.reshape(x, [-1, 1]) for x in weights], dim=0).squeeze()
    w_abs = w.abs()
    w_sort, _ = torch.sort(w_abs.detach())
    prune_idx = math.floor(prune_rate * w_sort.shape[0])
    s = 0.6585 / w_sort[prune_idx]
    w_tanh = torch.tanh(s * w_abs)
    w_sum = torch.sum(w_tanh)
    hs_loss = w_abs * w_sum
    hs_loss = hs_loss.reshape(-1)
    hs_loss /= w_tanh.sum().detach()
    hs_loss -= w.abs()
    return hs_loss.sum()


def hypersparse_case(dtype, kappa, lam, eta, steps_per_epoch):
    params, batches = problem(seed=50)
    params = [p.to(dtype).clone().requires_grad_(True) for p in params]
    batches = [(x.to(dtype), y) for x, y in batches]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-4)
    trajectory = []
    for t, (x, y) in enumerate(batches):
        w1, b1, w2, b2 = params
        loss = F.cross_entropy(torch.tanh(x @ w1.t() + b1) @ w2.t() + b2, y)
        alpha = lam * (eta ** float(t // steps_per_epoch))
        reg = hyper_sparse([w1, w2], kappa)
        total = loss + alpha * reg
        opt.zero_grad()
        total.backward()
        opt.step()
        trajectory.append({"loss": float(total), "hs": float(reg), "mask": [], "params": [p.detach().reshape(-1).tolist() for p in params]})
    return trajectory


def write_hypersparse():
    params, batches = problem(seed=50)
    settings = {"kappa": 0.6, "lambda": 0.02, "eta": 1.5, "stepsPerEpoch": 5, "lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4}
    args = dict(kappa=settings["kappa"], lam=settings["lambda"], eta=settings["eta"], steps_per_epoch=settings["stepsPerEpoch"])
    out = {
        "case": "hypersparse",
        "settings": settings,
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "shapes": [list(p.shape) for p in params],
        "init": [p.reshape(-1).tolist() for p in params],
        "batches": [{"x": x.reshape(-1).tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": hypersparse_case(torch.float64, **args),
        "trajectoryFloat32": hypersparse_case(torch.float32, **args),
    }
    with open(os.path.join(HERE, "hypersparse.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


def jackpot_case(dtype, prune_rate, epochs, steps_per_epoch):
    params, batches = problem(seed=48)
    params = [p.to(dtype) for p in params]
    batches = [(x.to(dtype), y) for x, y in batches]
    w1, b1, w2, b2 = params
    # generate_pr_cfg('l1') over the searched layers (fc1 only; fc kept dense): the layer's rate.
    flat = w1.reshape(-1)
    preserve_num = int(flat.numel() * (1 - prune_rate))
    preserve, _ = torch.topk(flat.abs(), preserve_num)
    threshold = preserve[preserve_num - 1]
    layer_rate = float(torch.sum(torch.lt(flat.abs(), threshold)).item()) / flat.numel()
    # set_prune_rate: the int(N * rate) smallest |w| pruned; scores 1 kept, 0.99 pruned.
    n = flat.numel()
    _, indice = torch.topk(flat.abs(), int(n * layer_rate), largest=False)
    b_mask = torch.ones(n, dtype=dtype)
    b_mask[indice] = 0
    scores = torch.ones(n, dtype=dtype)
    scores[indice] = 0.99
    scores.requires_grad_(True)
    opt = torch.optim.SGD([scores], lr=0.5, momentum=0.9, weight_decay=1e-4)
    trajectory = []
    for t, (x, y) in enumerate(batches):
        epoch = t // steps_per_epoch
        rate = math.ceil((1 - epoch / epochs) ** 4)  # adjust_rate
        # GetMask: forward b_mask, backward g to the scores.
        mask = b_mask.reshape(w1.shape) + (scores - scores.detach()).reshape(w1.shape)
        loss = F.cross_entropy(torch.tanh(x @ (mask * w1).t() + b1) @ w2.t() + b2, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        final_pop_up(scores.detach(), b_mask, layer_rate, rate)
        trajectory.append({"loss": float(loss), "mask": b_mask.tolist(),
                           "params": [scores.detach().tolist(), b1.reshape(-1).tolist(), w2.reshape(-1).tolist(), b2.reshape(-1).tolist()]})
    return trajectory, layer_rate


def final_pop_up(m, flat_bm, prune_rate, rate):
    """PretrainConv.final_pop_up on flat scores m and the flat binary mask (changed in place)."""
    prune_num = int(prune_rate * m.numel())
    if prune_num == 0:
        return 0  # NOTE: the official code would read sorted[-1] (the largest): nothing pops either.
    sorted_m, _ = m.sort()
    idx0 = torch.nonzero(flat_bm == 0).reshape(-1)
    idx1 = torch.nonzero(flat_bm).reshape(-1)
    pop_idx0 = torch.nonzero(m[idx0] > sorted_m[prune_num - 1]).reshape(-1)
    pop_idx1 = torch.nonzero(m[idx1] <= sorted_m[prune_num - 1]).reshape(-1)
    if pop_idx0.numel() != 0 and pop_idx1.numel() != 0 and pop_idx0.numel() == pop_idx1.numel():
        pop_num = pop_idx0.numel()
        _, sorted_pop_idx0 = torch.sort(m[idx0][pop_idx0], descending=True)
        _, sorted_pop_idx1 = torch.sort(m[idx1][pop_idx1], descending=False)
        if pop_num > 1:
            pop_num = math.ceil(len(sorted_pop_idx0) * rate)
            flat_bm[idx0[pop_idx0][sorted_pop_idx0[:pop_num]]] = 1
            flat_bm[idx1[pop_idx1][sorted_pop_idx1[:pop_num]]] = 0
        else:
            flat_bm[idx0[pop_idx0]] = 1
            flat_bm[idx1[pop_idx1]] = 0
        return pop_num
    return 0


def write_jackpot():
    params, batches = problem(seed=48)
    settings = {"sparsity": 0.6, "epochs": 4, "stepsPerEpoch": 5, "lr": 0.5, "momentum": 0.9, "weight_decay": 1e-4}
    args = dict(prune_rate=settings["sparsity"], epochs=settings["epochs"], steps_per_epoch=settings["stepsPerEpoch"])
    t64, rate = jackpot_case(torch.float64, **args)
    t32, _ = jackpot_case(torch.float32, **args)
    out = {
        "case": "jackpot",
        "settings": {**settings, "layerRate": rate},
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "shapes": [list(p.shape) for p in params],
        "init": [p.reshape(-1).tolist() for p in params],
        "batches": [{"x": x.reshape(-1).tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": t64,
        "trajectoryFloat32": t32,
    }
    with open(os.path.join(HERE, "jackpot.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


def write_jackpot_model():
    import gzip
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    with gzip.open(os.path.join(root, "runtime", "engine", "data", "assets", "digits.csv.gz"), "rt") as f:
        rows = [[int(v) for v in line.split(",")] for line in f if line.strip()]
    x = torch.tensor([r[:64] for r in rows], dtype=torch.float32).reshape(-1, 1, 8, 8) / 16
    y = torch.tensor([r[64] for r in rows])
    torch.manual_seed(48)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)).float()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(48)
    for _ in range(30):
        for idx in torch.randperm(len(y), generator=g).split(64):
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    with torch.no_grad():
        acc = float((model(x).argmax(1) == y).float().mean())
    out_dir = os.path.join(root, "test-fixtures", "recipes", "examples", "models")
    os.makedirs(out_dir, exist_ok=True)
    torch.onnx.export(model, x[:2], os.path.join(out_dir, "digits-mlp-pretrained.onnx"), opset_version=17,
                      input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print(f"digits-mlp-pretrained.onnx: training accuracy {acc:.4f}")


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
    write_pgf()
    write_bimask()
    write_hypersparse()
    write_jackpot()
    write_jackpot_model()
