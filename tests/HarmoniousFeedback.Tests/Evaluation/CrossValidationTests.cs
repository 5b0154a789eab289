using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

public class CrossValidationTests
{
    // 22 samples: class a ×5, b ×9, c ×8 (the same arrays were split with sklearn 1.2.1 for the expected folds)
    private static readonly string[] Y = "aabbbbccccccaabcbcacbb".Select(c => c.ToString()).ToArray();
    private static readonly string[] G = new[] { 0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 1, 6, 6, 7, 8, 8 }.Select(i => "g" + i).ToArray();

    /// <summary>Random labelled, grouped data for property tests: n in [20, 200], 2–5 classes, 8–30 groups.</summary>
    private static (string[] Labels, string[] Groups) RandomData(int seed)
    {
        var r = new DeterministicRandom(seed);
        int n = 20 + r.NextInt(181), classes = 2 + r.NextInt(4), groups = 8 + r.NextInt(23);
        var labels = new string[n]; var grp = new string[n];
        for (int i = 0; i < n; i++)
        {
            int song = r.NextInt(groups);
            grp[i] = "song" + song;
            // labels correlate with the group, as songs carry an emotion
            labels[i] = "c" + (r.NextDouble() < 0.7 ? song % classes : r.NextInt(classes));
        }
        for (int k = 0; k < classes; k++) labels[k] = "c" + k; // every class present
        return (labels, grp);
    }

    private static void AssertPartition(IReadOnlyList<DataSplit> splits, int n)
    {
        foreach (var s in splits.GroupBy(s => s.Repeat))
        {
            var tested = s.SelectMany(x => x.Test).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, n), tested); // every index tested exactly once per repeat
            foreach (var split in s)
            {
                Assert.NotEmpty(split.Test);
                Assert.NotEmpty(split.Train);
                Assert.Equal(Enumerable.Range(0, n), split.Train.Concat(split.Test).Order()); // train ∪ test = all, disjoint
                Assert.True(split.Train.SequenceEqual(split.Train.Order()) && split.Test.SequenceEqual(split.Test.Order()));
            }
        }
    }

    private static void AssertNoGroupLeak(IReadOnlyList<DataSplit> splits, string[] groups)
    {
        foreach (var s in splits)
        {
            var train = s.Train.Select(i => groups[i]).ToHashSet();
            Assert.DoesNotContain(s.Test.Select(i => groups[i]), train.Contains);
        }
    }

    [Fact]
    public void KFold_fold_sizes_match_sklearn()
    {
        var splits = new KFold(4, Shuffle: false).Split(10);
        Assert.Equal([[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]], splits.Select(s => s.Test));
    }

    [Fact]
    public void StratifiedKFold_unshuffled_equals_sklearn()
    {
        var splits = new StratifiedKFold(3, Shuffle: false).Split(Y.Length, Y);
        Assert.Equal([0, 1, 2, 3, 4, 6, 7, 8], splits[0].Test);
        Assert.Equal([5, 9, 10, 11, 12, 13, 14], splits[1].Test);
        Assert.Equal([15, 16, 17, 18, 19, 20, 21], splits[2].Test);
    }

    [Fact]
    public void StratifiedGroupKFold_unshuffled_equals_sklearn()
    {
        var splits = new StratifiedGroupKFold(3, Shuffle: false).Split(Y.Length, Y, G);
        Assert.Equal([0, 1, 2, 5, 6, 7, 8, 9], splits[0].Test);
        Assert.Equal([3, 4, 16, 17, 18, 19], splits[1].Test);
        Assert.Equal([10, 11, 12, 13, 14, 15, 20, 21], splits[2].Test);
    }

    [Fact]
    public void GroupKFold_equals_sklearn_with_distinct_group_sizes()
    {
        var g = new[] { 0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4 }.Select(i => "g" + i).ToArray();
        var splits = new GroupKFold(3).Split(g.Length, groups: g);
        Assert.Equal(Enumerable.Range(6, 10), splits[0].Test);
        Assert.Equal(Enumerable.Range(16, 6), splits[1].Test);
        Assert.Equal(Enumerable.Range(0, 6), splits[2].Test);
    }

    [Fact]
    public void Property_every_splitter_partitions_and_grouped_ones_never_leak()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var (y, g) = RandomData(seed);
            int n = y.Length;
            AssertPartition(new KFold(5, true, seed).Split(n), n);
            AssertPartition(new StratifiedKFold(2, true, seed, AllowSmallClasses: true).Split(n, y), n);
            var gk = new GroupKFold(4, true, seed).Split(n, y, g);
            AssertPartition(gk, n); AssertNoGroupLeak(gk, g);
            var sgk = new StratifiedGroupKFold(4, true, seed).Split(n, y, g);
            AssertPartition(sgk, n); AssertNoGroupLeak(sgk, g);
            var rep = RepeatedCrossValidator.StratifiedGroupKFold(3, 2, seed).Split(n, y, g);
            Assert.Equal(6, rep.Count);
            AssertPartition(rep, n); AssertNoGroupLeak(rep, g);
        }
    }

    [Fact]
    public void Stratified_folds_keep_class_counts_within_one()
    {
        for (int seed = 0; seed < 30; seed++)
        {
            var (y, _) = RandomData(seed);
            int k = 3;
            var counts = y.GroupBy(c => c).ToDictionary(c => c.Key, c => c.Count());
            if (counts.Values.Min() < k) continue;
            var splits = new StratifiedKFold(k, true, seed).Split(y.Length, y);
            foreach (var cls in counts.Keys)
            {
                var perFold = splits.Select(s => s.Test.Count(i => y[i] == cls)).ToArray();
                Assert.True(perFold.Max() - perFold.Min() <= 1, $"seed {seed} class {cls}: {string.Join(",", perFold)}");
            }
            var sizes = splits.Select(s => s.Test.Length).ToArray();
            Assert.True(sizes.Max() - sizes.Min() <= 1);
        }
    }

    [Fact]
    public void StratifiedGroupKFold_keeps_class_balance_approximately()
    {
        // 60 songs × 5 clips, one class per song (4 classes, 15 songs each): each fold should get ≈ 1/5 of every class
        var y = new string[300]; var g = new string[300];
        for (int i = 0; i < 300; i++) { g[i] = "s" + i / 5; y[i] = "c" + (i / 5) % 4; }
        var splits = new StratifiedGroupKFold(5, true, 7).Split(300, y, g);
        AssertNoGroupLeak(splits, g);
        foreach (var s in splits)
            foreach (var cls in new[] { "c0", "c1", "c2", "c3" })
            {
                int c = s.Test.Count(i => y[i] == cls);
                Assert.InRange(c, 10, 20); // 75 clips per class / 5 folds = 15 ± one song (5 clips)
            }
    }

    [Fact]
    public void Same_seed_same_splits_other_seed_other_splits()
    {
        var (y, g) = RandomData(3);
        ICrossValidator[] a = [new KFold(5, true, 11), new StratifiedKFold(2, true, 11, true), new StratifiedGroupKFold(3, true, 11), new GroupKFold(3, true, 11)];
        ICrossValidator[] b = [new KFold(5, true, 12), new StratifiedKFold(2, true, 12, true), new StratifiedGroupKFold(3, true, 12), new GroupKFold(3, true, 12)];
        for (int i = 0; i < a.Length; i++)
        {
            var s1 = a[i].Split(y.Length, y, g).Select(s => string.Join(",", s.Test)).ToArray();
            var s2 = a[i].Split(y.Length, y, g).Select(s => string.Join(",", s.Test)).ToArray();
            Assert.Equal(s1, s2);
            if (i < 2) Assert.NotEqual(s1, b[i].Split(y.Length, y, g).Select(s => string.Join(",", s.Test)).ToArray());
        }
    }

    [Fact]
    public void Repeated_uses_seed_plus_repeat()
    {
        var (y, _) = RandomData(5);
        var rep = new RepeatedCrossValidator(s => new KFold(3, true, s), 3, seed: 100).Split(y.Length);
        for (int r = 0; r < 3; r++)
        {
            var expected = new KFold(3, true, 100 + r).Split(y.Length);
            var actual = rep.Where(s => s.Repeat == r).ToArray();
            Assert.Equal(expected.Select(s => s.Test), actual.Select(s => s.Test));
        }
    }

    [Fact]
    public void HalfSplit_is_two_fold()
    {
        var splits = CrossValidation.HalfSplit(seed: 1).Split(Y.Length, Y);
        Assert.Equal(2, splits.Count);
        Assert.Equal(splits[0].Test, splits[1].Train);
    }

    [Fact]
    public void Predefined_and_holdout_splits()
    {
        string[] assign = ["train", "test", "train", "validation", "test"];
        var s = Assert.Single(new PredefinedSplit(assign).Split(5));
        Assert.Equal([0, 2], s.Train);
        Assert.Equal([1, 4], s.Test);
        var s2 = Assert.Single(new PredefinedSplit(assign, TrainNames: ["train", "validation"]).Split(5));
        Assert.Equal([0, 2, 3], s2.Train);
        var leak = Assert.Throws<CrossValidationException>(() => new PredefinedSplit(assign).Split(5, groups: ["a", "a", "b", "c", "d"]));
        Assert.Contains("'a'", leak.Message);

        var h = Assert.Single(new HoldoutSplit(0.25, true, 3).Split(Y.Length, Y));
        Assert.Equal(Y.Length, h.Train.Length + h.Test.Length);
        Assert.Equal(1, h.Test.Count(i => Y[i] == "a"));  // round(0.25·5) = 1
        Assert.Equal(2, h.Test.Count(i => Y[i] == "b"));  // round(0.25·9) = 2
        Assert.Equal(2, h.Test.Count(i => Y[i] == "c"));  // round(0.25·8) = 2

        for (int seed = 0; seed < 10; seed++)
        {
            var gh = Assert.Single(new HoldoutSplit(0.3, Seed: seed).Split(Y.Length, Y, G));
            AssertNoGroupLeak([gh], G);
            Assert.True(gh.Test.Length >= 7); // round(0.3·22) = 7, reached by whole groups
            Assert.Equal(Enumerable.Range(0, Y.Length), gh.Train.Concat(gh.Test).Order());
        }
    }

    [Fact]
    public void Invalid_inputs_name_the_field_and_allowed_values()
    {
        var e = Assert.Throws<CrossValidationException>(() => new GroupKFold(5).Split(G.Length, groups: ["a", "a", "b", "b", "c", "c", "a", "a", "b", "b", "c", "c", "a", "a", "b", "b", "c", "c", "a", "a", "b", "b"]));
        Assert.Contains("NSplits = 5", e.Message);
        Assert.Contains("distinct groups (3)", e.Message);
        Assert.Contains("2..3", e.Message);

        var single = Assert.Throws<CrossValidationException>(() => new StratifiedKFold(2).Split(4, ["x", "x", "x", "x"]));
        Assert.Contains("single class", single.Message);

        var small = Assert.Throws<CrossValidationException>(() => new StratifiedKFold(6).Split(Y.Length, Y));
        Assert.Contains("'a' (5)", small.Message);

        var missing = Assert.Throws<CrossValidationException>(() => new StratifiedGroupKFold(3).Split(Y.Length, Y));
        Assert.Contains("groups is required", missing.Message);

        var many = Assert.Throws<CrossValidationException>(() => new KFold(1).Split(0));
        Assert.Equal(2, many.Problems.Count); // NSplits and count, reported together

        var len = Assert.Throws<CrossValidationException>(() => new KFold(2).Split(5, labels: ["a"]));
        Assert.Contains("labels has 1 entries", len.Message);
    }

    [Fact]
    public void Empty_fold_is_an_error()
    {
        var e = Assert.Throws<CrossValidationException>(() => SplitHelpers.FromAssignment("X", [0, 0, 2, 2], 3));
        Assert.Contains("fold(s) 1 would have an empty test set", e.Message);
        // three groups into three folds: each group must get its own fold, none empty
        var y = new[] { "a", "b", "a", "b", "a", "b", "a", "b" };
        var g = new[] { "g1", "g1", "g1", "g1", "g1", "g1", "g2", "g3" };
        var splits = new StratifiedGroupKFold(3, false).Split(8, y, g);
        Assert.Equal(3, splits.Count);
        Assert.All(splits, s => Assert.Single(s.Test.Select(i => g[i]).Distinct()));
    }
}
