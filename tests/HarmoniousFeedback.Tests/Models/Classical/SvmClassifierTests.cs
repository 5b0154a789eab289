using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class SvmClassifierTests
{
    private static (double[][] X, int[] Y) Blobs(int n = 300) => SyntheticData.Blobs(5, n, 6, 3, 1.2, 1.0);

    [Fact]
    public void Separable_two_class_data_is_classified_perfectly_with_labels_passed_through()
    {
        // Two well-separated clusters labelled 7 and −3: any correct SVM separates them.
        var g = new SyntheticData.SplitMix64(1);
        var x = new double[100][];
        var y = new int[100];
        for (int i = 0; i < 100; i++)
        {
            y[i] = i % 2 == 0 ? 7 : -3;
            x[i] = [g.Normal() * 0.3 + (y[i] == 7 ? 3 : -3), g.Normal() * 0.3];
        }
        foreach (var kernel in Enum.GetValues<SvmKernel>().Where(k => k != SvmKernel.Sigmoid))
        {
            var m = SvmClassifier.Fit(x, y, new SvmOptions { Kernel = kernel });
            Assert.Equal(new[] { -3, 7 }, m.Classes);
            Assert.Equal(y, m.Predict(x));
            Assert.True(m.Converged);
        }
    }

    [Fact]
    public void Linear_kernel_decision_is_the_hyperplane_of_the_support_vectors()
    {
        // KKT for a margin support vector of C-SVC: y·f(x) = 1 when 0 < α < C. On separable data with large C all
        // support vectors are margin vectors, so |f(sv)| = 1 within the stopping tolerance.
        var (x, y) = (new double[][] { [0, 0], [1, 0], [0, 1], [3, 3], [4, 3], [3, 4] }, new[] { 0, 0, 0, 1, 1, 1 });
        var m = SvmClassifier.Fit(x, y, new SvmOptions { Kernel = SvmKernel.Linear, C = 1000 });
        var dec = m.DecisionFunction(m.Support.Select(i => x[i]).ToArray());
        foreach (var d in dec) Assert.Equal(1.0, Math.Abs(d[0]), 2e-3);
        // The first class of the pair (label 0) lies on the positive side.
        Assert.True(m.DecisionFunction([[0.5, 0.5]])[0][0] > 0);
        Assert.True(m.DecisionFunction([[3.5, 3.5]])[0][0] < 0);
    }

    [Fact]
    public void Tiny_cache_shrinking_and_parallelism_do_not_change_the_solution()
    {
        var (x, y) = Blobs();
        var reference = SvmClassifier.Fit(x, y, new SvmOptions { MaxDegreeOfParallelism = 1 }).DecisionFunction(x);
        // A cache far below one row per sample forces LRU eviction and the swap/drop paths on every shrink.
        var tiny = SvmClassifier.Fit(x, y, new SvmOptions { CacheSizeMb = 1e-4, MaxDegreeOfParallelism = 2 }).DecisionFunction(x);
        Assert.Equal(reference, tiny);
        // Without shrinking SMO follows another path to the same optimum (within the ε = 1e-3 stopping rule).
        var noShrink = SvmClassifier.Fit(x, y, new SvmOptions { Shrinking = false }).DecisionFunction(x);
        for (int i = 0; i < x.Length; i++)
            for (int p = 0; p < 3; p++) Assert.Equal(reference[i][p], noShrink[i][p], 5e-3);
    }

    [Fact]
    public void Same_input_gives_bit_identical_models()
    {
        var (x, y) = Blobs();
        var a = SvmClassifier.Fit(x, y, new SvmOptions { C = 3 });
        var b = SvmClassifier.Fit(x, y, new SvmOptions { C = 3 });
        Assert.Equal(a.DecisionFunction(x), b.DecisionFunction(x));
        Assert.Equal(a.Support, b.Support);
    }

    [Fact]
    public void Gamma_scale_and_auto_follow_scikit_learn()
    {
        var (x, y) = Blobs(90);
        var all = x.SelectMany(r => r).ToArray();
        double mean = all.Average(), variance = all.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Equal(1.0 / (6 * variance), SvmClassifier.Fit(x, y).Gamma, 12);
        Assert.Equal(1.0 / 6, SvmClassifier.Fit(x, y, new SvmOptions { Gamma = SvmGamma.Auto }).Gamma, 15);
        Assert.Equal(0.7, SvmClassifier.Fit(x, y, new SvmOptions { Gamma = 0.7 }).Gamma);
        Assert.Equal(SvmGamma.Scale, SvmGamma.TryParse("scale"));
        Assert.Equal(SvmGamma.Of(0.25), SvmGamma.TryParse("0.25"));
        Assert.Null(SvmGamma.TryParse("big"));
    }

    [Theory]
    // Pair order (0,1), (0,2), (1,2); a positive value votes for the pair's first class.
    [InlineData(new[] { 1.0, -1.0, 1.0 }, 3, 0)]       // cyclic 1–1–1 tie → lowest index
    [InlineData(new[] { -1.0, 1.0, -1.0 }, 3, 0)]      // the other cycle, same rule
    [InlineData(new[] { -1.0, -1.0, -1.0 }, 3, 2)]     // 2 wins both its pairs
    [InlineData(new[] { 0.0, 0.0, 0.0 }, 3, 2)]        // 0 counts as negative (libsvm: dec > 0 votes for i)
    // 4 classes, pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3) vote 1, 2, 0, 1, 3, 2: tie 1 vs 2 (2 each) → 1.
    [InlineData(new[] { -1.0, -1.0, 1.0, 1.0, -1.0, 1.0 }, 4, 1)]
    public void Votes_follow_libsvm_with_ties_to_the_lowest_class_index(double[] decision, int classes, int expected)
        => Assert.Equal(expected, SvmClassifier.Vote(decision, classes, new int[classes]));

    [Fact]
    public void Invalid_options_list_every_problem_with_values()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new SvmOptions
        {
            C = -1, Gamma = SvmGamma.Of(0), Degree = 0, Tol = 0, CacheSizeMb = double.NaN, MaxIter = -5,
        }.Validate());
        Assert.Equal(6, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("C = -1") && p.Contains("> 0"));
        Assert.Contains(e.Problems, p => p.StartsWith("Gamma = 0") && p.Contains("\"scale\", \"auto\""));
        Assert.Contains(e.Problems, p => p.StartsWith("Degree = 0"));
        Assert.Contains(e.Problems, p => p.StartsWith("MaxIter = -5"));
    }

    [Fact]
    public void Bad_training_data_fails_before_training_naming_the_problem()
    {
        var single = Assert.Throws<TrainingDataException>(() => SvmClassifier.Fit([[1.0], [2.0]], [4, 4]));
        Assert.Contains("single class (4)", single.Message);
        var nan = Assert.Throws<TrainingDataException>(() => SvmClassifier.Fit([[1.0, 2], [2.0, double.NaN]], [0, 1]));
        Assert.Contains("x[1][1] = NaN", nan.Message);
        var shape = Assert.Throws<ShapeMismatchException>(() => SvmClassifier.Fit([[1.0], [2.0]], [0, 1, 1]));
        Assert.Contains("2 rows but y has 3 labels", shape.Message);
        var ragged = Assert.Throws<ShapeMismatchException>(() => SvmClassifier.Fit([[1.0, 2], [2.0]], [0, 1]));
        Assert.Contains("x[1] has 1 features", ragged.Message);
        var m = SvmClassifier.Fit([[1.0, 2], [2.0, 1]], [0, 1]);
        var predict = Assert.Throws<ShapeMismatchException>(() => m.Predict([[1.0, 2, 3]]));
        Assert.Contains("fitted with 2", predict.Message);
    }
}
