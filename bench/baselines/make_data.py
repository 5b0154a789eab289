#!/usr/bin/python3
"""Writes the train/test CSV pairs the classical-baseline parity bench uses (bench/baselines/data/).

Synthetic sets come from a SplitMix64 + Box-Muller generator written out here in plain Python so that C#
(tests/HarmoniousFeedback.Tests/Models/Classical/SyntheticData.cs) regenerates bit-identical numbers without
numpy. Values are written with repr() (shortest round-trip form), so both sides read the same doubles.

    /usr/bin/python3 bench/baselines/make_data.py [out_dir]

Sets (name: train rows / test rows x features, classes):
  blobs4      2000 / 1000 x 40, 4 overlapping Gaussian blobs
  nonlinear3  5000 / 2000 x 50, 3 classes from a radius/sine rule on 4 features + 46 noise features, 5 % label noise
  parity3      600 /  400 x  8, 3 classes (radius/sine rule), the set the C# parity test regenerates
  digits      1257 /  540 x 64, sklearn.datasets.load_digits, stratified 70/30 split, random_state=0
  wine         124 /   54 x 13, sklearn.datasets.load_wine, stratified 70/30 split, random_state=0
"""
import math
import os
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """[0, 1) with 53 random bits."""
        return (self.next_u64() >> 11) * (1.0 / 9007199254740992.0)

    def normal(self):
        """One standard normal per two uniforms (Box-Muller, cosine branch)."""
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def blobs(seed, n, d, k, spread, noise):
    """Class c = i mod k; x = centre_c + noise * N(0, I); centres ~ spread * N(0, I) drawn first."""
    g = SplitMix64(seed)
    centres = [[spread * g.normal() for _ in range(d)] for _ in range(k)]
    xs, ys = [], []
    for i in range(n):
        c = i % k
        xs.append([centres[c][j] + noise * g.normal() for j in range(d)])
        ys.append(c)
    return xs, ys


def radial_sine(seed, n, d, label_noise):
    """x ~ N(0, I_d); r = ||x[0:3]||; class 0 if r < 1.4, else 1 if sin(2 x3) > 0, else 2 (x3 is the 4th feature);
    with probability label_noise the class is replaced by a uniform draw (one uniform always consumed, another only
    when replaced)."""
    g = SplitMix64(seed)
    xs, ys = [], []
    for _ in range(n):
        x = [g.normal() for _ in range(d)]
        r = math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2])
        c = 0 if r < 1.4 else (1 if math.sin(2.0 * x[3]) > 0 else 2)
        if g.uniform() < label_noise:
            c = int(g.uniform() * 3) % 3
        xs.append(x)
        ys.append(c)
    return xs, ys


def write(path, xs, ys, names=None):
    d = len(xs[0])
    names = names or [f"f{j}" for j in range(d)]
    with open(path, "w") as f:
        f.write(",".join(names + ["label"]) + "\n")
        for x, y in zip(xs, ys):
            f.write(",".join(repr(float(v)) for v in x) + f",c{y}\n")


def split_write(out, name, xs, ys, n_train):
    write(os.path.join(out, f"{name}_train.csv"), xs[:n_train], ys[:n_train])
    write(os.path.join(out, f"{name}_test.csv"), xs[n_train:], ys[n_train:])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    xs, ys = blobs(seed=20261121, n=3000, d=40, k=4, spread=0.45, noise=1.0)
    split_write(out, "blobs4", xs, ys, 2000)
    xs, ys = radial_sine(seed=7, n=7000, d=50, label_noise=0.05)
    split_write(out, "nonlinear3", xs, ys, 5000)
    xs, ys = radial_sine(seed=42, n=1000, d=8, label_noise=0.05)
    split_write(out, "parity3", xs, ys, 600)

    from sklearn.datasets import load_digits, load_wine
    from sklearn.model_selection import train_test_split
    for name, loader in (("digits", load_digits), ("wine", load_wine)):
        X, y = loader(return_X_y=True)
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
        write(os.path.join(out, f"{name}_train.csv"), Xtr.tolist(), ytr.tolist())
        write(os.path.join(out, f"{name}_test.csv"), Xte.tolist(), yte.tolist())
    print(f"wrote CSV pairs to {out}")


if __name__ == "__main__":
    main()
