using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Tests.Evaluation;

/// <summary>Deterministic synthetic predictions of three models of different quality on 3×5-fold CV.</summary>
internal static class Synthetic
{
    public static KeyValuePair<string, IReadOnlyList<Prediction>>[] Models(int seed, int clips = 150, int repeats = 1)
    {
        string[] classes = ["happy", "sad", "angry", "calm"];
        var labels = Enumerable.Range(0, clips).Select(i => classes[i % 4]).ToArray();
        var splits = new RepeatedCrossValidator(s => new StratifiedKFold(5, true, s), repeats, seed).Split(clips, labels);
        KeyValuePair<string, IReadOnlyList<Prediction>> Model(string name, double acc, int s)
        {
            var rng = new DeterministicRandom(s);
            var list = new List<Prediction>();
            foreach (var split in splits)
                foreach (var i in split.Test)
                {
                    string p = rng.NextDouble() < acc ? labels[i] : classes[rng.NextInt(4)];
                    list.Add(new Prediction("clip" + i, split.Fold, split.Repeat, labels[i], p));
                }
            return new(name, list);
        }
        return [Model("strong", 0.9, seed + 10), Model("medium", 0.7, seed + 20), Model("weak", 0.45, seed + 30)];
    }
}
