#!/usr/bin/env python3
"""Reference data for runtime/compiler/model and runtime/compiler/loss, from PyTorch (float64).

Run once from the repository root with python3 + torch 1.13 (Debian's python3-torch):
    python3 test-fixtures/reference/model/generate.py   (use /usr/bin/python3 if another python3 shadows it)
It writes one small JSON file per model next to this script. CI never runs it: the JSON is
committed, and runtime/compiler/model/test/reference.test.ts rebuilds each model from its recipe,
loads the weights, and compares logits, both losses, the gradients of both losses with respect to
every parameter, and the buffers after the training-mode forward pass.

Parameter names follow Minima (`dense_1.weight`, `dense_1.norm.scale`, `dense_1.weight_g`, ...) and
shapes follow PyTorch's layouts, flattened row-major. Targets are one-hot for cross-entropy (with
label smoothing 0.1) and Gaussian for MSE.
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 4
SMOOTHING = 0.1

TRAIN = """
train {
  epochs = 1
  optimizer = sgd(0.1)
}
"""


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def tensor_json(t):
    return {"shape": list(t.shape), "data": flat(t)}


def mlp_layernorm():
    recipe = """data blobs(features: 5, classes: 3) {
  batch = 4
}
model mlp {
  dense(6, act: relu, norm: layer)
  dense(3)
}""" + TRAIN
    lin1, ln, lin2 = nn.Linear(5, 6), nn.LayerNorm(6), nn.Linear(6, 3)
    with torch.no_grad():  # non-trivial affine parameters
        ln.weight.copy_(1 + 0.3 * torch.randn(6))
        ln.bias.copy_(0.2 * torch.randn(6))
    params = {
        "dense_1.weight": lin1.weight, "dense_1.bias": lin1.bias,
        "dense_1.norm.scale": ln.weight, "dense_1.norm.bias": ln.bias,
        "dense_2.weight": lin2.weight, "dense_2.bias": lin2.bias,
    }

    def forward(x, masks, state):
        return lin2(F.relu(ln(lin1(x)))), {}

    return "mlp-layernorm", recipe, (5,), 3, params, forward, [], None


def cnn_batchnorm():
    recipe = """data digits {
  batch = 4
}
model cnn {
  conv2d(4, kernel: 3, pad: 1, act: relu, norm: batch)
  maxpool(2)
  conv2d(4, kernel: 2, stride: 2, groups: 2, act: tanh, norm: layer)
  dense(10)
}""" + TRAIN
    conv1, conv2, lin = nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 4, 2, stride=2, groups=2), nn.Linear(16, 10)
    bn, gn = nn.BatchNorm2d(4, momentum=0.1), nn.GroupNorm(1, 4)
    with torch.no_grad():
        for m in (bn, gn):
            m.weight.copy_(1 + 0.3 * torch.randn(4))
            m.bias.copy_(0.2 * torch.randn(4))
        bn.running_mean.copy_(0.1 * torch.randn(4))
        bn.running_var.copy_(1 + 0.2 * torch.rand(4))
    buffers0 = {"conv2d_1.norm.running_mean": bn.running_mean.clone(), "conv2d_1.norm.running_var": bn.running_var.clone()}
    params = {
        "conv2d_1.weight": conv1.weight, "conv2d_1.bias": conv1.bias,
        "conv2d_1.norm.scale": bn.weight, "conv2d_1.norm.bias": bn.bias,
        "conv2d_2.weight": conv2.weight, "conv2d_2.bias": conv2.bias,
        "conv2d_2.norm.scale": gn.weight, "conv2d_2.norm.bias": gn.bias,
        "dense_1.weight": lin.weight, "dense_1.bias": lin.bias,
    }

    def forward(x, masks, state):
        # Every pass starts from the same running statistics (BatchNorm updates them in place).
        with torch.no_grad():
            bn.running_mean.copy_(buffers0["conv2d_1.norm.running_mean"])
            bn.running_var.copy_(buffers0["conv2d_1.norm.running_var"])
        bn.train()
        h = F.max_pool2d(F.relu(bn(conv1(x))), 2)
        h = torch.tanh(gn(conv2(h)))
        out = lin(h.flatten(1))
        return out, {"conv2d_1.norm.running_mean": bn.running_mean.clone(), "conv2d_1.norm.running_var": bn.running_var.clone()}

    return "cnn-batchnorm", recipe, (1, 8, 8), 10, params, forward, [], buffers0


def mlp_gelu_dropout():
    recipe = """data blobs(features: 5, classes: 3) {
  batch = 4
}
model mlp {
  dense(8, act: gelu)
  dropout(0.25)
  dense(3)
}""" + TRAIN
    lin1, lin2 = nn.Linear(5, 8), nn.Linear(8, 3)
    params = {"dense_1.weight": lin1.weight, "dense_1.bias": lin1.bias, "dense_2.weight": lin2.weight, "dense_2.bias": lin2.bias}
    mask = (torch.rand(BATCH, 8) >= 0.25).to(torch.float64)

    def forward(x, masks, state):
        h = F.gelu(lin1(x))  # exact erf form (approximate='none')
        return lin2(h * masks[0] / (1 - 0.25)), {}

    return "mlp-gelu-dropout", recipe, (5,), 3, params, forward, [mask], None


def mlp_weight_spectral():
    recipe = """data blobs(features: 5, classes: 3) {
  batch = 4
}
model mlp {
  dense(6, act: tanh, norm: weight)
  dense(5, act: sigmoid, norm: spectral(iters: 2))
  dense(3, norm: batch)
}""" + TRAIN
    lin1 = nn.utils.weight_norm(nn.Linear(5, 6))
    lin2 = nn.utils.spectral_norm(nn.Linear(6, 5), n_power_iterations=2)
    lin3, bn = nn.Linear(5, 3), nn.BatchNorm1d(3, momentum=0.1)
    with torch.no_grad():
        lin1.weight_g.mul_(1 + 0.3 * torch.rand(6, 1))  # g ≠ ‖v‖, so the gain matters
        u0 = F.normalize(torch.randn(5), dim=0)
        bn.weight.copy_(1 + 0.3 * torch.randn(3))
        bn.bias.copy_(0.2 * torch.randn(3))
    buffers0 = {"dense_2.norm.u": u0.clone(), "dense_3.norm.running_mean": bn.running_mean.clone(), "dense_3.norm.running_var": bn.running_var.clone()}
    params = {
        "dense_1.weight": lin1.weight_v, "dense_1.bias": lin1.bias, "dense_1.weight_g": lin1.weight_g,
        "dense_2.weight": lin2.weight_orig, "dense_2.bias": lin2.bias,
        "dense_3.weight": lin3.weight, "dense_3.bias": lin3.bias,
        "dense_3.norm.scale": bn.weight, "dense_3.norm.bias": bn.bias,
    }

    def forward(x, masks, state):
        with torch.no_grad():
            lin2.weight_u.copy_(buffers0["dense_2.norm.u"])
            bn.running_mean.copy_(buffers0["dense_3.norm.running_mean"])
            bn.running_var.copy_(buffers0["dense_3.norm.running_var"])
        lin2.train()
        bn.train()
        h = torch.sigmoid(lin2(torch.tanh(lin1(x))))
        out = bn(lin3(h))
        return out, {"dense_2.norm.u": lin2.weight_u.clone(), "dense_3.norm.running_mean": bn.running_mean.clone(), "dense_3.norm.running_var": bn.running_var.clone()}

    return "mlp-weight-spectral", recipe, (5,), 3, params, forward, [], buffers0


def generate(seed, make):
    torch.manual_seed(seed)
    name, recipe, input_shape, classes, params, forward, masks, buffers0 = make()
    x = torch.randn(BATCH, *input_shape)
    labels = torch.randint(0, classes, (BATCH,))
    onehot = F.one_hot(labels, classes).to(torch.float64)
    regression = torch.randn(BATCH, classes)
    ce_fn = nn.CrossEntropyLoss(label_smoothing=SMOOTHING)
    mse_fn = nn.MSELoss()
    result = {
        "name": name,
        "recipe": recipe,
        "smoothing": SMOOTHING,
        "input": tensor_json(x),
        "masks": [tensor_json(m) for m in masks],
        "labels": [int(v) for v in labels.tolist()],
        "target_onehot": tensor_json(onehot),
        "target_regression": tensor_json(regression),
        "params": {k: tensor_json(v) for k, v in params.items()},
        "buffers": {k: tensor_json(v) for k, v in (buffers0 or {}).items()},
    }
    for loss_name, loss_of in (("ce", lambda out: ce_fn(out, labels)), ("mse", lambda out: mse_fn(out, regression))):
        for p in params.values():
            p.grad = None
        out, buffers_after = forward(x, masks, None)
        loss = loss_of(out)
        loss.backward()
        result["logits"] = tensor_json(out)
        result[f"loss_{loss_name}"] = float(loss)
        result[f"grads_{loss_name}"] = {k: flat(v.grad) for k, v in params.items()}
        result["buffers_after"] = {k: tensor_json(v) for k, v in buffers_after.items()}
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    for i, make in enumerate((mlp_layernorm, cnn_batchnorm, mlp_gelu_dropout, mlp_weight_spectral)):
        generate(100 + i, make)
