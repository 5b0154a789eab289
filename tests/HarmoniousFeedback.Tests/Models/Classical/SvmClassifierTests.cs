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

public class SmoSolverKernelTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void Simd_gradient_update_matches_the_scalar_reference(int n)
    {
        var g = new SyntheticData.SplitMix64((ulong)n);
        var a = Enumerable.Range(0, n).Select(_ => (float)g.Normal()).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)g.Normal()).ToArray();
        var start = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var fast = (double[])start.Clone();
        var fastOne = (double[])start.Clone();
        SmoSolver.AddScaled(fast, a, 0.3, b, -1.7);
        SmoSolver.AddScaled(fastOne, a, 2.5, null, 0);
        for (int k = 0; k < n; k++)
        {
            // Same operations in the same order (no fused multiply-add), so the results agree to the last bit.
            Assert.Equal(start[k] + (a[k] * 0.3 + b[k] * -1.7), fast[k], 1e-15);
            Assert.Equal(start[k] + a[k] * 2.5, fastOne[k], 1e-15);
        }
    }
}

public class SmoWorkingSetSelectionTests
{
    /// <summary>
    /// The SIMD working-set selection must pick the same pair as libsvm's scalar loops in every iteration, so the
    /// whole run (α, ρ, iteration count) is bit-identical. Integer-valued features make exact ties in the gradients
    /// and objectives common, which exercises the last-index tie rule; odd sizes exercise the scalar tails.
    /// </summary>
    [Theory]
    [InlineData(5, SvmKernel.Rbf, 1.0, true, false)]
    [InlineData(37, SvmKernel.Linear, 1.0, true, false)]
    [InlineData(203, SvmKernel.Rbf, 10.0, true, false)]
    [InlineData(203, SvmKernel.Linear, 0.5, false, false)]
    [InlineData(256, SvmKernel.Poly, 2.0, true, true)]
    [InlineData(301, SvmKernel.Linear, 100.0, true, true)]
    [InlineData(301, SvmKernel.Rbf, 1.0, true, true)]
    public void Simd_selection_reproduces_the_scalar_reference_run(int n, SvmKernel kernel, double c, bool shrinking, bool integerFeatures)
    {
        const int d = 7;
        var g = new SyntheticData.SplitMix64((ulong)(n * 31 + (int)kernel));
        var x = new double[n * d];
        var y = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (sbyte)(g.Normal() > 0.2 ? 1 : -1);
            for (int k = 0; k < d; k++)
            {
                double v = g.Normal() + (k == 0 ? 0.8 * y[i] : 0);
                x[i * d + k] = integerFeatures ? Math.Round(v) : v;
            }
        }
        var kp = new KernelParameters(kernel, 1.0 / d, 3, 1.0);
        // The solver permutes the rows of x in place: each run gets its own copy.
        var fast = new SmoSolver((double[])x.Clone(), d, y, kp, c, 1e-3, shrinking, 1L << 20, parallelRows: false).Solve(-1);
        var reference = new SmoSolver((double[])x.Clone(), d, y, kp, c, 1e-3, shrinking, 1L << 20, parallelRows: false) { ReferenceSelection = true }.Solve(-1);
        Assert.Equal(reference.Iterations, fast.Iterations);
        Assert.Equal(reference.Converged, fast.Converged);
        Assert.Equal(reference.Rho, fast.Rho);
        Assert.Equal(reference.Alpha, fast.Alpha);
    }
}

public class KernelRowCacheTests
{
    [Fact]
    public void Pooled_rows_extend_in_place_and_go_back_to_the_pool()
    {
        var pool = new KernelRowPool(10);
        var cache = new KernelRowCache(8, 64, pool);
        Assert.Equal(0, cache.GetRow(3, 4, out var row));
        Assert.Equal(10, row.Length);
        row[0] = 42;
        Assert.Equal(4, cache.GetRow(3, 8, out var longer));   // entries 4..7 still to fill
        Assert.Same(row, longer);
        Assert.Equal(42, longer[0]);
        cache.Release();
        Assert.Same(row, pool.Rent());
        // Reusable after Release: the row starts empty again.
        Assert.Equal(0, cache.GetRow(3, 2, out _));
    }

    [Theory]
    [InlineData(40, 10_000L, true)]    // whole matrix fits: pooled full-length rows
    [InlineData(40, 200L, false)]      // tight budget: LRU evictions, partial rows dropped on swaps
    [InlineData(40, 10_000L, false)]
    public void Rows_read_after_any_sequence_of_swaps_hold_the_swapped_entries(int n, long budget, bool pooled)
    {
        // Q(a, b) for original indices a, b; perm[p] = original index now at position p.
        static float Q(int a, int b) => a * 1000 + b;
        var perm = Enumerable.Range(0, n).ToArray();
        var cache = new KernelRowCache(n, budget, pooled ? new KernelRowPool(n) : null);
        var g = new SyntheticData.SplitMix64((ulong)budget + (pooled ? 1UL : 0));
        for (int step = 0; step < 5000; step++)
        {
            if (g.Uniform() < 0.4)
            {
                int i = (int)(g.Uniform() * n), j = (int)(g.Uniform() * n);
                cache.SwapIndex(i, j);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            else
            {
                int h = (int)(g.Uniform() * n), len = 1 + (int)(g.Uniform() * n);
                int have = cache.GetRow(h, len, out var row);
                for (int t = 0; t < Math.Min(have, len); t++) Assert.Equal(Q(perm[h], perm[t]), row[t]);
                for (int t = have; t < len; t++) row[t] = Q(perm[h], perm[t]);
            }
        }
    }

    [Fact]
    public void Without_room_for_the_whole_matrix_rows_are_exact_and_least_recently_used_ones_are_evicted()
    {
        var pool = new KernelRowPool(8);
        var cache = new KernelRowCache(8, 20, pool);   // 20 < 8 × 8: libsvm's LRU mode, pool unused
        cache.GetRow(0, 8, out var r0);
        Assert.Equal(8, r0.Length);
        cache.GetRow(1, 8, out _);
        cache.GetRow(2, 8, out _);                      // evicts row 0
        Assert.Equal(0, cache.GetRow(0, 8, out _));
        Assert.Equal(8, cache.GetRow(2, 8, out _));
    }
}

public class SimdDotTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(40)]
    [InlineData(67)]
    public void Simd_dot_matches_the_scalar_reference(int n)
    {
        var g = new SyntheticData.SplitMix64((ulong)(100 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        // Different summation order (4 lanes × 4 accumulators): agreement to rounding, relative to Σ|xᵢyᵢ|.
        double scale = x.Zip(y, (a, b) => Math.Abs(a * b)).Sum();
        Assert.Equal(SimdDot.Reference(x, y), SimdDot.Dot(x, y), 1e-14 * scale);
    }

    [Theory]
    [InlineData(16, 9)]
    [InlineData(40, 13)]
    [InlineData(67, 4)]
    [InlineData(64, 3)]
    public void Blocked_row_dots_are_bit_identical_to_dot(int n, int rows)
    {
        var g = new SyntheticData.SplitMix64((ulong)(200 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var m = Enumerable.Range(0, n * rows).Select(_ => g.Normal() * 1e3).ToArray();
        var dst = new double[rows];
        SimdDot.DotRows(x, m, dst);
        for (int r = 0; r < rows; r++) Assert.Equal(SimdDot.Dot(x, m.AsSpan(r * n, n)), dst[r]);
    }

    [Theory]
    [InlineData(1, 40, 0, 40)]
    [InlineData(8, 53, 3, 37)]
    [InlineData(15, 21, 20, 1)]
    public void Column_dots_are_bit_identical_to_the_short_dot(int n, int stride, int from, int count)
    {
        var g = new SyntheticData.SplitMix64((ulong)(300 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var rowMajor = Enumerable.Range(0, n * stride).Select(_ => g.Normal() * 1e3).ToArray();
        var xt = new double[n * stride];
        for (int r = 0; r < stride; r++)
            for (int k = 0; k < n; k++) xt[k * stride + r] = rowMajor[r * n + k];
        var dst = new double[count];
        SimdDot.DotColumns(x, xt, stride, from, dst);
        for (int j = 0; j < count; j++) Assert.Equal(SimdDot.Dot(x, rowMajor.AsSpan((from + j) * n, n)), dst[j]);
    }
}
