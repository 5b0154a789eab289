#!/usr/bin/env python3
"""PyTorch CPU reference throughput for the cases the C# NN engine is measured on (issue 4).

Run with Debian's PyTorch (apt-get install python3-torch), not a pyenv interpreter:

    /usr/bin/python3 bench/nn/pytorch_bench.py [--json] [--threads 2] [--repeats 5] [--seconds 2] [--only lstm2_seq10,...]

Cases (training = forward + backward + optimizer step, float32, CPU, torch.set_num_threads(threads)):
  lstm2_seq10, lstm2_seq150  (seq/s) LSTM(50->128, 2 layers, batch_first) -> additive attention pooling (A=128)
                             -> Linear(128->4) -> cross-entropy; batch 128, seq_len 10 / 150; SGD(lr 0.01, momentum 0.9)
  lstm2_seq150_noattn        the same without attention: Linear on the last time step's output
  lstm3_seq10                3 layers, seq_len 10, with attention
  cnn3_64x300  (samples/s)  3 x [Conv2d(3x3, pad 1) -> BatchNorm2d -> ReLU -> MaxPool2d(2)], channels 1->16->32->64,
                             then AdaptiveAvgPool2d(1) -> Linear(64->4) -> cross-entropy; input 1x64x300,
                             batch 32; AdamW(lr 1e-3, weight_decay 1e-2)
  hfn_128x300  (samples/s)  the HFN encoder: 4 x [Conv2d(3x3, pad 1) -> BatchNorm2d -> ReLU -> MaxPool2d(2)], channels
                             1->16->32->64->64, global average pooling over (freq, time), then two heads on the
                             64-dim embedding: Linear(64->7) (cross-entropy) and Linear(64->6) (MSE), loss = sum;
                             input 1x128x300 (3 s of log-mel), batch 32; AdamW(lr 1e-3, weight_decay 1e-2)
  mm512, mm1024              torch.mm of two random n x n float32 matrices, GFLOP/s = 2 n^3 / time

--layers times each 3x3 convolution of cnn3_64x300 and hfn_128x300 alone (batch 32): forward (F.conv2d), input
gradient and weight+bias gradient (aten.convolution_backward with one output mask each), in ms and GFLOP/s
(2*N*O*C*9*H*W per pass) — oneDNN's per-layer rate, to set beside `hfb-bench nnkernels`.

Each case warms up, then times `repeats` windows of about `seconds` each and reports the best window
(the least disturbed by other load on the machine); text mode also prints the process CPU time per call
(all threads; run with OMP_WAIT_POLICY=PASSIVE so idle OpenMP threads do not spin) and, for --layers, GFLOP per
CPU-second — the cross-check to use when the machine is shared. --json prints [{"case", "value", "unit"}, ...].

BLAS: Debian's python3-torch is built with BLAS_INFO=generic and calls whatever libblas.so.3 the alternatives system
selects; with only libblas3 installed that is the netlib reference BLAS (torch.mm ~1.5 GFLOP/s), which also slows the
LSTM and Linear layers. The header line names the BLAS library actually loaded. To measure with OpenBLAS without
changing the system, extract Debian's libopenblas0-openmp and put it first on the library path:

    apt-get download libopenblas0-openmp && dpkg -x libopenblas0-openmp_*.deb /tmp/openblas
    LD_LIBRARY_PATH=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/nn/pytorch_bench.py
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class AdditiveAttentionPooling(nn.Module):
    """e[b,t] = v^T tanh(W h[b,t] + b); a = softmax_t(e); c[b] = sum_t a[b,t] h[b,t]  (Bahdanau-style pooling)."""

    def __init__(self, dim, attn_dim):
        super().__init__()
        self.proj = nn.Linear(dim, attn_dim)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, h):                       # h [B, T, D]
        e = self.v(torch.tanh(self.proj(h))).squeeze(-1)   # [B, T]
        a = torch.softmax(e, dim=1)
        return torch.bmm(a.unsqueeze(1), h).squeeze(1)      # [B, D]


class LstmClassifier(nn.Module):
    def __init__(self, layers, attention, input_size=50, hidden=128, classes=4):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden, num_layers=layers, batch_first=True)
        self.attn = AdditiveAttentionPooling(hidden, hidden) if attention else None
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):                       # x [B, T, 50]
        y, _ = self.lstm(x)                     # [B, T, 128]
        pooled = self.attn(y) if self.attn is not None else y[:, -1]
        return self.fc(pooled)


class Cnn3(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        blocks = []
        for cin, cout in ((1, 16), (16, 32), (32, 64)):
            blocks += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):                       # x [B, 1, 64, 300]
        return self.fc(self.pool(self.features(x)).flatten(1))


class HfnEncoder(nn.Module):
    """The HFN encoder as the engine's hfb-bench nn case hfn_128x300 builds it."""

    def __init__(self, classes=7, scores=6):
        super().__init__()
        blocks = []
        for cin, cout in ((1, 16), (16, 32), (32, 64), (64, 64)):
            blocks += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.cls = nn.Linear(64, classes)
        self.reg = nn.Linear(64, scores)

    def forward(self, x):                       # x [B, 1, 128, 300]
        e = self.pool(self.features(x)).flatten(1)
        return self.cls(e), self.reg(e)


# Process CPU seconds (all threads) per call of the last time_windows run, best window: a cross-check that is much
# less sensitive than wall time to other load on a shared machine (the engine's bench prints the same).
last_cpu_per_call = float("nan")


def time_windows(step, warmup, repeats, seconds):
    """Runs `step` until `seconds` have passed, `repeats` times; returns the best seconds per call."""
    global last_cpu_per_call
    for _ in range(warmup):
        step()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        calls, t0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            step()
            calls += 1
            dt = time.perf_counter() - t0
            if dt >= seconds:
                break
        best = min(best, dt / calls)
        best_cpu = min(best_cpu, (time.process_time() - c0) / calls)
    last_cpu_per_call = best_cpu
    return best


def training_case(model, x, y, opt, args):
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return time_windows(step, warmup=3, repeats=args.repeats, seconds=args.seconds)


def lstm_case(layers, seq_len, attention, args, batch=128):
    torch.manual_seed(0)
    model = LstmClassifier(layers, attention)
    x = torch.randn(batch, seq_len, 50)
    y = torch.randint(0, 4, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return batch / training_case(model, x, y, opt, args), "seq/s"


def cnn_case(args, batch=32):
    torch.manual_seed(0)
    model = Cnn3()
    x = torch.randn(batch, 1, 64, 300)
    y = torch.randint(0, 4, (batch,))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    return batch / training_case(model, x, y, opt, args), "samples/s"


def hfn_case(args, batch=32):
    torch.manual_seed(0)
    model = HfnEncoder()
    x = torch.randn(batch, 1, 128, 300)
    y = torch.randint(0, 7, (batch,))
    t = torch.randn(batch, 6)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        logits, scores = model(x)
        loss = F.cross_entropy(logits, y) + F.mse_loss(scores, t)
        loss.backward()
        opt.step()

    return batch / time_windows(step, warmup=3, repeats=args.repeats, seconds=args.seconds), "samples/s"


def mm_case(n, args):
    torch.manual_seed(0)
    a, b = torch.randn(n, n), torch.randn(n, n)
    out = torch.empty(n, n)
    t = time_windows(lambda: torch.mm(a, b, out=out), warmup=3, repeats=args.repeats, seconds=min(args.seconds, 1.0))
    return 2.0 * n ** 3 / t / 1e9, "GFLOP/s"


CONV_LAYERS = [  # name, (N, C, H, W), O — 3x3, stride 1, padding 1
    ("cnn3_conv1", (32, 1, 64, 300), 16), ("cnn3_conv2", (32, 16, 32, 150), 32), ("cnn3_conv3", (32, 32, 16, 75), 64),
    ("hfn_conv1", (32, 1, 128, 300), 16), ("hfn_conv2", (32, 16, 64, 150), 32), ("hfn_conv3", (32, 32, 32, 75), 64),
    ("hfn_conv4", (32, 64, 16, 37), 64),
]


def conv_layer_cases(args):
    """Per-layer convolution passes: yields (case, ms, GFLOP/s, GFLOP per process CPU-second)."""
    for name, (n, c, h, w), o in CONV_LAYERS:
        torch.manual_seed(0)
        x, wt, b = torch.randn(n, c, h, w), torch.randn(o, c, 3, 3), torch.randn(o)
        dy = torch.randn(n, o, h, w)
        flops = 2.0 * n * o * c * 9 * h * w
        bw = torch.ops.aten.convolution_backward
        passes = {
            "fwd": lambda: F.conv2d(x, wt, b, padding=1),
            "bwd_input": lambda: bw(dy, x, wt, [o], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, False, False]),
            "bwd_weight": lambda: bw(dy, x, wt, [o], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [False, True, True]),
        }
        for p, f in passes.items():
            with torch.no_grad():
                t = time_windows(f, warmup=2, repeats=args.repeats, seconds=min(args.seconds, 1.0))
            yield f"{name}_{p}", t * 1e3, flops / t / 1e9, flops / last_cpu_per_call / 1e9


CASES = {
    "lstm2_seq10": lambda a: lstm_case(2, 10, True, a),
    "lstm2_seq150": lambda a: lstm_case(2, 150, True, a),
    "lstm2_seq150_noattn": lambda a: lstm_case(2, 150, False, a),
    "lstm3_seq10": lambda a: lstm_case(3, 10, True, a),
    "cnn3_64x300": cnn_case,
    "hfn_128x300": hfn_case,
    "mm512": lambda a: mm_case(512, a),
    "mm1024": lambda a: mm_case(1024, a),
}


def loaded_blas():
    """Paths of the BLAS libraries mapped into this process (after torch has used one)."""
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true", help="print [{case, value, unit}] on stdout")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5, help="timed windows per case; the best is reported")
    p.add_argument("--seconds", type=float, default=2.0, help="length of one timed window")
    p.add_argument("--only", default="", help="comma-separated case names")
    p.add_argument("--layers", action="store_true", help="also time each convolution layer's passes alone")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    names = [n for n in CASES if not args.only or n in args.only.split(",")]
    results = []
    if not args.json:
        print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, best of {args.repeats} x {args.seconds}s windows; "
              f"BLAS: {loaded_blas()}", flush=True)
    for name in names:
        value, unit = CASES[name](args)
        results.append({"case": name, "value": round(value, 2), "unit": unit})
        if not args.json:
            print(f"{name:<22} {value:10.2f} {unit}  cpu {last_cpu_per_call * 1e3:.1f} ms/call", flush=True)
    if args.layers:
        for name, ms, gflops, gflops_cpu in conv_layer_cases(args):
            results.append({"case": name, "value": round(ms, 3), "unit": "ms"})
            if not args.json:
                print(f"{name:<22} {ms:10.3f} ms  {gflops:7.1f} GFLOP/s | {gflops_cpu:7.1f} GFLOP/CPU-s", flush=True)
    if args.json:
        json.dump(results, sys.stdout)
        print()


if __name__ == "__main__":
    main()
