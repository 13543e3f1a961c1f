"""The problem the optimizer and QAT reference generators share (imported by optim/generate.py
and qat/generate.py): a tiny MLP x -> fc1 -> tanh -> fc2 with torch.nn.Linear's [out, in]
weights, drawn with its batches from one seeded generator, in float64."""

import torch

INPUTS, HIDDEN, CLASSES, BATCH = 5, 6, 3, 8


def problem(seed, steps):
    """Initial [fc1.weight, fc1.bias, fc2.weight, fc2.bias] and `steps` batches (x, class indices)."""
    g = torch.Generator().manual_seed(seed)
    params = [
        torch.randn(HIDDEN, INPUTS, generator=g) * 0.5,
        torch.randn(HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, HIDDEN, generator=g) * 0.5,
        torch.randn(CLASSES, generator=g) * 0.5,
    ]
    batches = [(torch.randn(BATCH, INPUTS, generator=g), torch.randint(0, CLASSES, (BATCH,), generator=g)) for _ in range(steps)]
    return params, batches
