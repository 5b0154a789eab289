#!/usr/bin/python3
"""Merges JSON outputs of `hfb-bench baselines --json` and `sklearn_compare.py --json` into a markdown table.

    /usr/bin/python3 bench/baselines/table.py --cs cs1.json cs2.json --sk sk1.json sk2.json

Times are the minimum over all files given for a side (each file already holds a best-of-N); accuracy must be the same
in every file of a side (the fits are deterministic), which is checked.
"""
import argparse
import json


def load(paths):
    merged = {}
    for p in paths:
        with open(p) as f:
            results = json.load(f)["results"]
        for ds, models in results.items():
            for m, r in models.items():
                cur = merged.setdefault((ds, m), dict(r))
                assert abs(cur["accuracy"] - r["accuracy"]) < 1e-12, f"{p}: {ds}/{m} accuracy differs between runs"
                cur["fit_seconds"] = min(cur["fit_seconds"], r["fit_seconds"])
                cur["fit_cpu_seconds"] = min(cur["fit_cpu_seconds"], r["fit_cpu_seconds"])
    return merged


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cs", nargs="+", required=True)
    ap.add_argument("--sk", nargs="+", required=True)
    args = ap.parse_args()
    cs, sk = load(args.cs), load(args.sk)
    print("| dataset | model | accuracy C# | accuracy sklearn | macro-F1 C# | macro-F1 sklearn | fit s C# | fit s sklearn | CPU s C# | CPU s sklearn |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in sk:
        if key not in cs:
            continue
        c, s = cs[key], sk[key]
        print(f"| {key[0]} | {key[1]} | {c['accuracy']:.4f} | {s['accuracy']:.4f} | {c['macro_f1']:.4f} | {s['macro_f1']:.4f} | "
              f"{c['fit_seconds']:.3f} | {s['fit_seconds']:.3f} | {c['fit_cpu_seconds']:.3f} | {s['fit_cpu_seconds']:.3f} |")


if __name__ == "__main__":
    main()
