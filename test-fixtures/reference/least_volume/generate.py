"""Reference trajectory for the least_volume regularizer (run once; CI reads the committed JSON).

    /usr/bin/python3 test-fixtures/reference/least_volume/generate.py

Needs PyTorch (tested with 1.13, float64 on CPU). A tiny autoencoder x[6] -> fc1[4] -> tanh ->
fc2[2] (the latent code z) -> fc3[4] -> tanh -> fc4[6] (weights [out, in] as torch.nn.Linear)
trained for 20 steps with torch.optim.Adam on the loss of the official VolumeAE
(IDEALLab/Least_Volume_ICLR2024, src/model/sparsity.py) with loss weights [1, lambda]:

    L = mse(x_hat, x) + lambda * exp(log(z.std(0) + eta).mean())

(z.std(0) is torch's unbiased std over the batch). The JSON holds the initial parameters, the
batches and, after every step, the loss, the volume term and the parameters.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

STEPS, BATCH, D, H, Z = 20, 8, 6, 4, 2
HERE = os.path.dirname(os.path.abspath(__file__))


def main(case, seed, weight, eta, hp):
    g = torch.Generator().manual_seed(seed)
    shapes = [(H, D), (H,), (Z, H), (Z,), (H, Z), (H,), (D, H), (D,)]
    params = [torch.randn(*s, generator=g) * 0.5 for s in shapes]
    batches = [torch.randn(BATCH, D, generator=g) for _ in range(STEPS)]
    init = [p.clone() for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    opt = torch.optim.Adam(ps, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"])
    trajectory = []
    for x in batches:
        w1, b1, w2, b2, w3, b3, w4, b4 = ps
        z = torch.tanh(x @ w1.t() + b1) @ w2.t() + b2
        x_hat = torch.tanh(z @ w3.t() + b3) @ w4.t() + b4
        volume = torch.exp(torch.log(z.std(0) + eta).mean())
        loss = F.mse_loss(x_hat, x) + weight * volume
        opt.zero_grad()
        loss.backward()
        opt.step()
        trajectory.append({"loss": loss.item(), "volume": volume.item(), "params": [p.detach().flatten().tolist() for p in ps]})
    out = {
        "case": case,
        "optimizer": {"name": "adam", "hp": hp},
        "weight": weight,
        "eta": eta,
        "net": {"inputs": D, "hidden": H, "latent": Z},
        "shapes": [list(s) for s in shapes],
        "init": [p.flatten().tolist() for p in init],
        "data": [x.flatten().tolist() for x in batches],
        "trajectory": trajectory,
    }
    with open(os.path.join(HERE, f"{case}.json"), "w") as f:
        json.dump(out, f)


ADAM = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False}
main("volume-ae", 5, 0.1, 1e-2, ADAM)
