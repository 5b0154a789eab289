#!/usr/bin/python3
"""scikit-learn side of the classical-baseline parity bench (the C# side is `hfb-bench baselines`).

For every <name>_train.csv / <name>_test.csv pair written by make_data.py: standardise with StandardScaler fitted on
the training rows, fit each model, predict the test rows; report test accuracy, macro-F1 and the best fit wall time and
process CPU time over --repeat runs (the machine is shared, so the minimum is the least noisy estimate).

    /usr/bin/python3 bench/baselines/sklearn_compare.py [--data DIR] [--repeat 3] [--json] [--datasets a,b] [--models prefix,...]

Use Debian's python3-sklearn (/usr/bin/python3), not another interpreter on PATH.
"""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

DATASETS = ["blobs4", "nonlinear3", "digits", "wine", "parity3"]

MODELS = {
    "svm_rbf_c1": lambda: SVC(C=1.0, kernel="rbf", gamma="scale"),
    "svm_rbf_c10": lambda: SVC(C=10.0, kernel="rbf", gamma="scale"),
    "svm_linear_c1": lambda: SVC(C=1.0, kernel="linear"),
    "lda_svd": lambda: LinearDiscriminantAnalysis(solver="svd"),
    "lda_lsqr_auto": lambda: LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto"),
    "logreg_c1": lambda: LogisticRegression(C=1.0, max_iter=1000),
}


def load(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    li = header.index("label")
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=str)
    y = raw[:, li]
    X = np.delete(raw, li, axis=1).astype(np.float64)
    return X, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--datasets", help="comma-separated subset of " + ",".join(DATASETS))
    ap.add_argument("--models", help="comma-separated model-name prefixes, e.g. svm,lda")
    args = ap.parse_args()
    results = {}
    for name in (args.datasets.split(",") if args.datasets else DATASETS):
        Xtr, ytr = load(os.path.join(args.data, f"{name}_train.csv"))
        Xte, yte = load(os.path.join(args.data, f"{name}_test.csv"))
        scaler = StandardScaler().fit(Xtr)
        Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
        results[name] = {}
        for model_name, make in MODELS.items():
            if args.models and not any(model_name.startswith(p) for p in args.models.split(",")):
                continue
            best = best_cpu = float("inf")
            for _ in range(args.repeat):
                m = make()
                t0, c0 = time.perf_counter(), time.process_time()
                m.fit(Xtr, ytr)
                best = min(best, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
            pred = m.predict(Xte)
            results[name][model_name] = {
                "accuracy": float(accuracy_score(yte, pred)),
                "macro_f1": float(f1_score(yte, pred, average="macro", zero_division=0)),
                "fit_seconds": best,
                "fit_cpu_seconds": best_cpu,
            }
            if not args.json:
                r = results[name][model_name]
                print(f"{name:11s} {model_name:14s} acc {r['accuracy']:.4f}  macro-F1 {r['macro_f1']:.4f}  fit {r['fit_seconds']:.4f}s  cpu {r['fit_cpu_seconds']:.4f}s", flush=True)
    if args.json:
        print(json.dumps({"sklearn": sklearn.__version__, "results": results}, indent=1))


if __name__ == "__main__":
    main()
