"""PyTorch peer of bench/import.ts's transformer workload; run by it, not by hand.

    /usr/bin/python3 bench/torch_import.py '<json spec>'

The spec names the sequence length, the batch size, AdamW's learning rate, the thread count and
how many steps to time. The module is generate.py's Transformer (a linear embedding, a learned
positional embedding, two nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=256,
batch_first=True) and a linear head on the mean over the sequence), trained in float32 with
nn.CrossEntropyLoss and torch.optim.AdamW on Gaussian inputs with uniform labels, as Minima
trains the file that module exported. Prints one JSON line:
  {"firstStepMs": process start to the end of the first step, "msPerStep": the median over the
   timed steps (after 3 untimed ones), "peakRssMiB": peak resident memory, "torch": version,
   "gemmGflops": its 512^3 float32 matmul rate}
"""

import importlib.util
import json
import os
import resource
import sys
import time

STARTED = time.time()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def transformer_class():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "test-fixtures", "reference", "import", "generate.py")
    spec = importlib.util.spec_from_file_location("generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Transformer


def peak_rss_mib():
    # VmHWM starts afresh at exec; getrusage's maxrss keeps the forking parent's (the bench's).
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    model = transformer_class()(seq=spec["seq"])
    # The export Minima trains is the eval graph (no dropout); so is this module's forward.
    model.eval()
    opt = torch.optim.AdamW(model.parameters(), lr=spec["lr"])
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(spec["batch"], spec["seq"], 8)
    y = torch.randint(0, 10, (spec["batch"],))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    step()
    first = (time.time() - STARTED) * 1000
    for _ in range(3):
        step()
    times = []
    for _ in range(spec["steps"]):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    rss = peak_rss_mib()
    # How fast this torch's BLAS is (a reference BLAS makes the peer slow, see bench/README.md).
    a = torch.randn(512, 512)
    t = time.perf_counter()
    for _ in range(5):
        a @ a
    gflops = 5 * 2 * 512 ** 3 / (time.perf_counter() - t) / 1e9
    print(json.dumps({"firstStepMs": first, "msPerStep": times[len(times) // 2], "peakRssMiB": rss, "torch": torch.__version__, "gemmGflops": gflops}))


if __name__ == "__main__":
    main()
