"""Reference results for prune { method = obc } (run once; CI reads the committed JSON).

    /usr/bin/python3 test-fixtures/reference/obc/generate.py

Needs PyTorch (tested with 1.13, CPU). A tiny MLP x[12] -> fc1[16] -> tanh -> fc2[4] (weights
[out, in] as torch.nn.Linear; input feature 0 is always zero, so fc1 has a dead input) is
trained for 20 steps with SGD momentum in float64; then Optimal Brain Compression (Frantar et
al., NeurIPS 2022) runs on both layers with the inputs of the last 4 batches, re-implemented
from the official IST-DASLab/OBC trueobs.py and quant.py (TrueOBS.add_batch, prepare,
prepare_unstr + prune_blocked, nmprune, quantize; Quantizer.find_params per channel), on the
CPU in float64 (the official code runs in float32 on CUDA). Cases: unstructured 50%, 2:4
(nmprune(n=2, m=4): 2 pruned of every 4), and 4-bit quantization, symmetric and asymmetric.
Each JSON holds the problem, the 20-step trajectory, and per case the compressed weights and
the per-layer error sum(Losses).
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

STEPS, CALIBRATION = 20, 4
INPUTS, HIDDEN, CLASSES, BATCH = 12, 16, 4, 8
HERE = os.path.dirname(os.path.abspath(__file__))


def problem(seed):
    g = torch.Generator().manual_seed(seed)
    params = [
        torch.randn(HIDDEN, INPUTS, generator=g) * 0.5,
        torch.randn(HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, generator=g) * 0.5,
    ]
    batches = []
    for _ in range(STEPS):
        x = torch.randn(BATCH, INPUTS, generator=g)
        x[:, 0] = 0
        batches.append((x, torch.randint(0, CLASSES, (BATCH,), generator=g)))
    return params, batches


# --- quant.py -----------------------------------------------------------------------------

def quantize(x, scale, zero, maxq):
    q = torch.clamp(torch.round(x / scale) + zero, 0, maxq)
    return scale * (q - zero)


def find_params(x, bits, sym):
    """Quantizer.configure(bits, perchannel=True, sym=sym).find_params(x, weight=True)."""
    maxq = torch.tensor(2 ** bits - 1)
    x = x.flatten(1)
    tmp = torch.zeros(x.shape[0])
    xmin = torch.minimum(x.min(1)[0], tmp)
    xmax = torch.maximum(x.max(1)[0], tmp)
    if sym:
        xmax = torch.maximum(torch.abs(xmin), xmax)
        tmp = xmin < 0
        if torch.any(tmp):
            xmin[tmp] = -xmax[tmp]
    tmp = (xmin == 0) & (xmax == 0)
    xmin[tmp] = -1
    xmax[tmp] = +1
    scale = (xmax - xmin) / maxq
    if sym:
        zero = torch.full_like(scale, (maxq + 1) / 2)
    else:
        zero = torch.round(-xmin / scale)
    return scale.reshape(-1, 1), zero.reshape(-1, 1), maxq


# --- trueobs.py (TrueOBS for a Linear layer, CPU, float64) ---------------------------------

class TrueOBS:
    def __init__(self, weight):
        self.weight = weight.clone()
        self.rows, self.columns = weight.shape
        self.H = torch.zeros((self.columns, self.columns), dtype=torch.double)
        self.nsamples = 0

    def add_batch(self, inp):
        tmp = inp.shape[0]
        inp = inp.t()
        self.H *= self.nsamples / (self.nsamples + tmp)
        self.nsamples += tmp
        self.H += 2 / self.nsamples * (inp.matmul(inp.t())).double()

    def invert(self, H):
        try:
            Hinv = torch.cholesky_inverse(torch.linalg.cholesky(H))
        except RuntimeError:
            Hinv = torch.cholesky_inverse(torch.linalg.cholesky(H + torch.eye(self.columns)))
        return Hinv

    def prepare(self):
        W = self.weight.clone()
        H = self.H.clone()
        dead = torch.diag(H) == 0
        H[dead, dead] = 1
        W[:, dead] = 0
        Hinv = self.invert(H)
        Losses = torch.zeros([self.rows, self.columns + 1])
        return W, H, Hinv, Losses

    def prepare_iter(self, i1, parallel, W, Hinv1):
        i2 = min(i1 + parallel, self.rows)
        count = i2 - i1
        w = W[i1:i2, :]
        Hinv = Hinv1.unsqueeze(0).repeat((count, 1, 1))
        mask = torch.zeros_like(w).bool()
        rangecount = torch.arange(count)
        idxcount = rangecount + i1
        return i2, count, w, Hinv, mask, rangecount, idxcount

    def prepare_sparse(self, w, mask, Hinv, H):
        start = int(torch.min(torch.sum((w == 0).float(), 1)).item()) + 1
        for i in range(w.shape[0]):
            tmp = w[i] == 0
            H1 = H.clone()
            H1[tmp, :] = 0
            H1[:, tmp] = 0
            H1[tmp, tmp] = 1
            Hinv[i] = self.invert(H1)
            mask[i, torch.nonzero(tmp, as_tuple=True)[0][:(start - 1)]] = True
        return start

    def quantize(self, bits, sym, parallel=32):
        W, H, Hinv1, Losses = self.prepare()
        Q = torch.zeros_like(W)
        scale_all, zero_all, maxq = find_params(W, bits, sym)
        for i1 in range(0, self.rows, parallel):
            i2, count, w, Hinv, mask, rangecount, idxcount = self.prepare_iter(i1, parallel, W, Hinv1)
            start = self.prepare_sparse(w, mask, Hinv, H)
            outlier = .25 * (scale_all ** 2)[i1:i2, :]
            scale = scale_all[i1:i2, :]
            zero = zero_all[i1:i2, :]
            for quant in range(start, self.columns + 1):
                q = quantize(w, scale, zero, maxq)
                err = (w - q) ** 2
                diag = torch.diagonal(Hinv, dim1=1, dim2=2)
                scores = err / diag
                scores[mask] = float('inf')
                err[mask] = 0
                j = torch.argmin(scores, 1)
                sel = torch.any(err > outlier, 1)
                sel &= w[rangecount, j] != 0
                if torch.any(sel):
                    j[sel] = torch.argmax(err[sel, :], 1)
                Losses[i1:i2, quant] = scores[rangecount, j]
                q1 = q[rangecount, j]
                Q[idxcount, j] = q1
                row = Hinv[rangecount, j, :]
                d = diag[rangecount, j]
                w -= row * ((w[rangecount, j] - q1) / d).unsqueeze(1)
                mask[rangecount, j] = True
                if quant == self.columns:
                    break
                row /= torch.sqrt(d).unsqueeze(1)
                Hinv -= torch.bmm(row.unsqueeze(2), row.unsqueeze(1))
            Losses[i1:i2, :] /= 2
        return Q, torch.sum(Losses).item(), scale_all.flatten(), zero_all.flatten()

    def nmprune(self, n=2, m=4, parallel=32):
        W, H, Hinv1, Losses = self.prepare()
        for i1 in range(0, self.rows, parallel):
            i2, count, w, Hinv, mask, rangecount, idxcount = self.prepare_iter(i1, parallel, W, Hinv1)
            buckets = torch.zeros((count, self.columns // m, 1))
            for zeros in range(1, self.columns + 1):
                diag = torch.diagonal(Hinv, dim1=1, dim2=2)
                scores = w ** 2 / diag
                tmp = (buckets >= n).repeat((1, 1, m)).flatten(1)
                scores[mask | tmp] = float('inf')
                j = torch.argmin(scores, 1)
                Losses[i1:i2, zeros] = scores[rangecount, j]
                row = Hinv[rangecount, j, :]
                d = diag[rangecount, j]
                w -= row * (w[rangecount, j] / d).unsqueeze(1)
                mask[rangecount, j] = True
                buckets[rangecount, torch.div(j, m, rounding_mode='floor'), :] += 1
                if zeros == self.columns * n / m:
                    break
                row /= torch.sqrt(d).unsqueeze(1)
                Hinv -= torch.bmm(row.unsqueeze(2), row.unsqueeze(1))
            Losses[i1:i2, :] /= 2
            w[mask] = 0
            W[i1:i2, :] = w
        return W, torch.sum(Losses).item()

    def prepare_unstr(self, parallel=32):
        W, H, Hinv1, Losses = self.prepare()
        self.Losses = Losses
        self.Traces = []
        for i1 in range(0, self.rows, parallel):
            i2, count, w, Hinv, mask, rangecount, idxcount = self.prepare_iter(i1, parallel, W, Hinv1)
            start = self.prepare_sparse(w, mask, Hinv, H)
            Trace = torch.zeros((self.columns + 1, count, self.columns))
            Trace[0, :, :] = w
            Trace[:start, :, :] = w
            for zeros in range(start, self.columns + 1):
                diag = torch.diagonal(Hinv, dim1=1, dim2=2)
                scores = (w ** 2) / diag
                scores[mask] = float('inf')
                j = torch.argmin(scores, 1)
                self.Losses[i1:i2, zeros] = scores[rangecount, j]
                row = Hinv[rangecount, j, :]
                d = diag[rangecount, j]
                w -= row * (w[rangecount, j] / d).unsqueeze(1)
                mask[rangecount, j] = True
                w[mask] = 0
                Trace[zeros, :, :] = w
                if zeros == self.columns:
                    break
                row /= torch.sqrt(d).unsqueeze(1)
                Hinv -= torch.bmm(row.unsqueeze(2), row.unsqueeze(1))
            self.Losses[i1:i2, :] /= 2
            self.Traces.append(Trace)

    def prune_blocked(self, sparsities):
        parallel = self.Traces[0].shape[1]
        blockcount = self.Traces[0].shape[0] - 1
        losses = self.Losses[:, 1:].reshape(-1)
        order = torch.argsort(losses, stable=True)
        Ws = [torch.zeros((self.rows, self.columns)) for _ in sparsities]
        losses = [0] * len(sparsities)
        for i in range(self.rows):
            if i % parallel == 0:
                Trace = self.Traces[i // parallel]
            for j, sparsity in enumerate(sparsities):
                count = int(math.ceil(self.rows * blockcount * sparsity))
                perrow = torch.sum(torch.div(order[:count], blockcount, rounding_mode='trunc') == i).item()
                losses[j] += torch.sum(self.Losses[i, :(perrow + 1)]).item()
                Ws[j][i, :] = Trace[perrow, i % parallel, :]
        return Ws, losses


def main():
    params, batches = problem(7)
    init = [p.clone() for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    hp = {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0}
    opt = torch.optim.SGD(ps, lr=hp["lr"], momentum=hp["momentum"])
    trajectory = []
    for x, y in batches:
        w1, b1, w2, b2 = ps
        loss = F.cross_entropy(torch.tanh(x @ w1.t() + b1) @ w2.t() + b2, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({"loss": loss.item(), "params": [p.detach().flatten().tolist() for p in ps]})
    w1, b1, w2, b2 = [p.detach() for p in ps]
    layers = {0: TrueOBS(w1), 2: TrueOBS(w2)}
    for x, _ in batches[-CALIBRATION:]:
        layers[0].add_batch(x)
        layers[2].add_batch(torch.tanh(x @ w1.t() + b1))
    cases = {}
    for name, run in [
        ("unstructured-50", lambda l: (lambda r: (r[0][0], r[1][0]))((l.prepare_unstr(), l.prune_blocked([0.5]))[1])),
        ("nm-2-4", lambda l: l.nmprune(2, 4)),
        ("quant-4-sym", lambda l: l.quantize(4, True)[:2]),
        ("quant-4-asym", lambda l: l.quantize(4, False)[:2]),
    ]:
        cases[name] = {str(i): dict(zip(["weights", "error"], (lambda r: (r[0].flatten().tolist(), r[1]))(run(l)))) for i, l in layers.items()}
    out = {
        "optimizer": {"name": "sgd", "hp": hp},
        "net": {"inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES},
        "calibration": CALIBRATION,
        "init": [p.flatten().tolist() for p in init],
        "data": [{"x": x.flatten().tolist(), "labels": y.tolist()} for x, y in batches],
        "trajectory": trajectory,
        "hessians": {str(i): l.H.flatten().tolist() for i, l in layers.items()},
        "cases": cases,
    }
    with open(os.path.join(HERE, "obc-tiny-mlp.json"), "w") as f:
        json.dump(out, f)


main()
