"""Reference trajectories for online normalization (catalog A28).

Re-implements the official Cerebras/online-normalization `online-norm/numpy/online-norm-1d.py`
semantics in PyTorch (1.13, float64 on CPU): the forward processes the batch sample by sample
with the statistics from BEFORE each sample, and the backward is the control process (not the
autograd derivative of the forward), with its states u, v carried across steps. Affine and the
error check (activation clamp "ac" or layer scaling "ls") are ordinary autograd after it.

Model: x[5] -> dense(6) -> online norm -> relu -> dense(3); MSE loss (mean over all elements);
plain SGD; 20 steps of batches of 8 from a fixed generator, with an offset and scale so that the
normalization's statistics move and the clamp engages early. Each file stores the initial
parameters, the data, and after every step the loss, the parameters and the four norm buffers.

Run: python3 generate.py (writes online-ac.json and online-ls.json next to this file).
"""

import json
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


class OnlineNormState:
    def __init__(self, features):
        self.mu = torch.zeros(features)
        self.var = torch.ones(features)
        self.u = torch.zeros(features)
        self.v = torch.zeros(features)


class OnlineNorm1dFn(torch.autograd.Function):
    """online-norm-1d.py: forward and the backward control process, sample by sample."""

    @staticmethod
    def forward(ctx, x, state, alpha_fwd, alpha_bkw, eps):
        out = torch.empty_like(x)
        scales = torch.empty_like(x)
        mu, var = state.mu.clone(), state.var.clone()
        for t in range(x.shape[0]):
            scale = torch.sqrt(var + eps)
            out[t] = (x[t] - mu) / scale
            scales[t] = scale
            var = alpha_fwd * var + alpha_fwd * (1 - alpha_fwd) * (x[t] - mu) ** 2
            mu = mu + (1 - alpha_fwd) * (x[t] - mu)
        state.mu, state.var = mu, var
        ctx.save_for_backward(out, scales)
        ctx.state = state
        ctx.alpha_bkw = alpha_bkw
        return out

    @staticmethod
    def backward(ctx, grad_out):
        out, scales = ctx.saved_tensors
        state, a = ctx.state, ctx.alpha_bkw
        u, v = state.u.clone(), state.v.clone()
        grad_in = torch.empty_like(grad_out)
        for t in range(grad_out.shape[0]):
            y = out[t]
            g = grad_out[t] - (1 - a) * v * y
            v = v + g * y
            g = g / scales[t]
            grad_in[t] = g - (1 - a) * u
            u = u + grad_in[t]
        state.u, state.v = u, v
        return grad_in, None, None, None, None


# Drawn in float64 whatever the default dtype, so a float32 run sees the same (rounded) values.
def rand(gen, *shape):
    return torch.rand(*shape, generator=gen, dtype=torch.float64).to(torch.get_default_dtype())


def randn(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(torch.get_default_dtype())


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def generate(name, *args):
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(trajectory(name, *args), f, indent=None, separators=(",", ":"))


def trajectory(name, recipe_norm, alpha_fwd, alpha_bkw, eps, affine, ecm, clamp, ls_eps, seed):
    gen = torch.Generator().manual_seed(seed)
    w1 = (rand(gen, 6, 5) * 2 - 1) * 0.6
    b1 = (rand(gen, 6) * 2 - 1) * 0.3
    w2 = (rand(gen, 3, 6) * 2 - 1) * 0.5
    b2 = (rand(gen, 3) * 2 - 1) * 0.2
    params = [w1, b1, w2, b2]
    if affine:
        params += [torch.ones(6), torch.zeros(6)]
    params = [p.clone().requires_grad_(True) for p in params]
    init = [flat(p) for p in params]
    state = OnlineNormState(6)
    data, targets, steps = [], [], []
    lr = 0.1
    for step in range(20):
        x = randn(gen, 8, 5) * 1.5 + 2.0
        y = randn(gen, 8, 3)
        data.append(flat(x))
        targets.append(flat(y))
        h = x @ params[0].T + params[1]
        z = OnlineNorm1dFn.apply(h, state, alpha_fwd, alpha_bkw, eps)
        if affine:
            z = z * params[4] + params[5]
        if ecm == "ac":
            z = torch.clamp(z, -clamp, clamp)
        elif ecm == "ls":
            z = z / torch.sqrt(torch.mean(z * z, dim=1, keepdim=True) + ls_eps)
        o = torch.relu(z) @ params[2].T + params[3]
        loss = torch.mean((o - y) ** 2)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= lr * g
        steps.append({
            "loss": float(loss),
            "params": [flat(p) for p in params],
            "buffers": [flat(state.mu), flat(state.var), flat(state.u), flat(state.v)],
        })
    result = {
        "name": name,
        "norm": recipe_norm,
        "affine": affine,
        "lr": lr,
        "init": init,
        "data": data,
        "targets": targets,
        "trajectory": steps,
    }
    return result


CASES = [
    ("online-ac", "online(alpha_fwd: 0.9, alpha_bkw: 0.8, clamp: 2.5)", 0.9, 0.8, 1e-5, True, "ac", 2.5, 1e-5, 1),
    ("online-ls", "online(alpha_fwd: 0.95, alpha_bkw: 0.9, affine: false, ecm: ls)", 0.95, 0.9, 1e-5, False, "ls", 5.0, 1e-5, 2),
]

if __name__ == "__main__":
    for case in CASES:
        generate(*case)
