#!/usr/bin/python3
"""Reference throughput of torchaudio for the `hfb-bench features` cases.

Same case as hfb-bench: SECONDS of deterministic 16 kHz audio (harmonic tone whose F0 steps every 0.5 s, -30 dB
noise, pauses), n_fft 512, hop 160, n_mels 64, n_mfcc 18, top_db 80 (torchaudio's MFCC default), float32, CPU.
Reports the best of REPEAT runs (after one warm-up) as "x realtime" = audio seconds / wall seconds, for 1 and 2
torch threads.

Usage (Debian's torch, not the pyenv python):
    /usr/bin/python3 bench/features/torchaudio_mfcc.py [--seconds 600] [--threads 1,2] [--repeat 3] [--json]
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torchaudio


def signal(n, sr):
    t = np.arange(n) / sr
    f0 = 110.0 * 2.0 ** ((np.floor(t * 2).astype(np.int64) % 37) / 12.0)
    phase = np.cumsum(f0 / sr) - f0[0] / sr  # phase before the sample, as in the C# generator
    s = np.zeros(n)
    for h in range(1, 7):
        s += np.sin(2 * math.pi * h * phase) / h
    s[(t % 3.0) > 2.8] = 0.0
    rng = np.random.default_rng(12345)
    return (0.25 * s + 0.01 * (rng.random(n) * 2 - 1)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    sr = 16000
    x = torch.from_numpy(signal(int(a.seconds * sr), sr))
    mel_kw = dict(n_fft=512, hop_length=160, n_mels=64)
    cases = {
        "stft": torchaudio.transforms.Spectrogram(n_fft=512, hop_length=160, power=2.0),
        "mel": torchaudio.transforms.MelSpectrogram(sample_rate=sr, **mel_kw),
        "mfcc": torchaudio.transforms.MFCC(sample_rate=sr, n_mfcc=18, melkwargs=mel_kw),
    }
    out = []
    print("torch %s, torchaudio %s, %s s of audio, best of %d" % (torch.__version__, torchaudio.__version__, a.seconds, a.repeat), file=sys.stderr)
    for th in [int(v) for v in a.threads.split(",")]:
        torch.set_num_threads(th)
        for name, tr in cases.items():
            with torch.inference_mode():
                tr(x)  # warm-up
                best = float("inf")
                for _ in range(a.repeat):
                    t0 = time.perf_counter()
                    tr(x)
                    best = min(best, time.perf_counter() - t0)
            xrt = a.seconds / best
            print("  %-5s threads=%d %9.1f ms %9.0f x realtime" % (name, th, best * 1000, xrt), file=sys.stderr)
            out.append({"case": name, "threads": th, "value": round(xrt, 1), "unit": "x_realtime", "impl": "torchaudio"})
    if a.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
