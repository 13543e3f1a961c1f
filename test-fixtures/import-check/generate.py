#!/usr/bin/env python3
"""A PyTorch model that uses an operator Minima cannot train through, for the checker's tests.

Run once from the repository root with Debian's python3-torch 1.13 (use /usr/bin/python3 if another
python3 shadows it); the output, cumsum.onnx, is committed next to this script:
    /usr/bin/python3 test-fixtures/import-check/generate.py
torch.cumsum exports as CumSum (node /CumSum), which `minima check` reports with its node.
"""

import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Cumulative(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(8, 16)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(torch.cumsum(self.embed(x), dim=1))


def main():
    torch.manual_seed(0)
    path = os.path.join(HERE, "cumsum.onnx")
    torch.onnx.export(Cumulative(), torch.randn(2, 8), path, opset_version=17, input_names=["x"], output_names=["logits"], dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})
    print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
