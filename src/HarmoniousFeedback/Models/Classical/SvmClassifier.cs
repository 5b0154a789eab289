using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// C-support-vector classifier trained by SMO exactly as libsvm does it (Chang &amp; Lin 2011; WSS3 working-set
/// selection of Fan, Chen &amp; Lin 2005, shrinking, LRU kernel cache); scikit-learn's <c>sklearn.svm.SVC</c>.
/// <para>Binary problem (labels yᵢ = ±1): the dual
/// <c>min_α ½ Σᵢⱼ αᵢαⱼ yᵢyⱼ K(xᵢ, xⱼ) − Σᵢ αᵢ</c> s.t. <c>Σᵢ yᵢαᵢ = 0</c>, <c>0 ≤ αᵢ ≤ C</c>; decision
/// <c>f(x) = Σᵢ yᵢαᵢ K(xᵢ, x) − ρ</c> over the support vectors (αᵢ &gt; 0).</para>
/// <para>Multiclass: one-vs-one. For every pair of classes a &lt; b (ascending label order) a binary SVM is
/// trained on the rows of a (+1) and b (−1). Prediction is libsvm's vote: f_ab(x) &gt; 0 votes for a, otherwise
/// for b; the class with the most votes wins, ties going to the lowest class index. Pairs are trained in parallel,
/// largest first, each worker thread reusing its kernel-row buffers and data matrix from pair to pair; tiny fits
/// (estimated kernel work below <see cref="SequentialWorkLimit"/>) stay on one thread. Results do not depend on the
/// degree of parallelism.</para>
/// <para>Support vectors are stored once (the union over pairs) with per-pair coefficient lists, so prediction
/// computes each K(svᵢ, x) once, as libsvm's <c>svm_predict_values</c> does.</para>
/// </summary>
public sealed class SvmClassifier : IProbabilisticClassifier
{
    private readonly int[] _classes;
    private readonly int _d;
    private readonly KernelParameters _kernel;
    private readonly double[] _sv;        // [nSV × d] row-major, grouped by class
    private readonly double[] _svSq;      // ‖svᵢ‖²
    private readonly int[] _svClass;      // class index of each SV
    private readonly Pair[] _pairs;

    private sealed record Pair(int A, int B, int[] Sv, double[] Coef, double Rho, int Iterations, bool Converged)
    {
        /// <summary>Platt sigmoid P(A | f) = 1 / (1 + exp(ProbA·f + ProbB)); NaN unless Probability was requested.</summary>
        public double ProbA { get; set; } = double.NaN;
        public double ProbB { get; set; } = double.NaN;
    }

    /// <summary>A worker thread's buffers for the pairs it trains: kernel-row pool and the pair's data matrix.</summary>
    private sealed record PairWorkspace(KernelRowPool Rows, double[] X);

    public IReadOnlyList<int> Classes => _classes;
    public int NumFeatures => _d;
    public SvmOptions Options { get; }
    /// <summary>γ actually used (after resolving "scale"/"auto").</summary>
    public double Gamma => _kernel.Gamma;
    /// <summary>Total number of distinct support vectors (scikit-learn's <c>support_vectors_.shape[0]</c>).</summary>
    public int SupportVectorCount => _svClass.Length;
    /// <summary>Support vectors per class, in class order (scikit-learn's <c>n_support_</c>).</summary>
    public IReadOnlyList<int> SupportVectorsPerClass { get; }
    /// <summary>Indices (into the training rows) of the support vectors, grouped by class (scikit-learn's <c>support_</c>).</summary>
    public IReadOnlyList<int> Support { get; }
    /// <summary>SMO iterations of each one-vs-one pair, in pair order (0,1), (0,2), …, (1,2), ….</summary>
    public IReadOnlyList<int> Iterations => _pairs.Select(p => p.Iterations).ToArray();
    /// <summary>False when some pair stopped at <see cref="SvmOptions.MaxIter"/> before reaching the tolerance.</summary>
    public bool Converged => _pairs.All(p => p.Converged);
    /// <summary>ρ of each pair (the decision is Σ coef·K − ρ); scikit-learn's <c>intercept_</c> is −ρ.</summary>
    public IReadOnlyList<double> Rho => _pairs.Select(p => p.Rho).ToArray();

    private SvmClassifier(SvmOptions options, int[] classes, int d, KernelParameters kernel, double[] sv, double[] svSq,
                          int[] svClass, int[] support, Pair[] pairs)
    {
        Options = options;
        _classes = classes;
        _d = d;
        _kernel = kernel;
        _sv = sv;
        _svSq = svSq;
        _svClass = svClass;
        _pairs = pairs;
        Support = support;
        var perClass = new int[classes.Length];
        foreach (var c in svClass) perClass[c]++;
        SupportVectorsPerClass = perClass;
    }

    /// <summary>Fits whose estimated kernel work Σ lₚ²(d + 16) over the pairs is below this run on one thread.</summary>
    internal const long SequentialWorkLimit = 2_000_000;

    /// <summary>Trains on <paramref name="x"/> [rows × features] with labels <paramref name="y"/>.</summary>
    /// <exception cref="OptionsValidationException">An option is out of range (all problems listed).</exception>
    /// <exception cref="ShapeMismatchException">x and y differ in length, or rows differ in width.</exception>
    /// <exception cref="TrainingDataException">A NaN/∞ feature, or fewer than 2 classes.</exception>
    public static SvmClassifier Fit(double[][] x, int[] y, SvmOptions? options = null)
    {
        options ??= new SvmOptions();
        options.Validate();
        var data = TrainingInput.Create(nameof(SvmClassifier), x, y);
        int n = data.Rows, d = data.Features, k = data.Classes.Length;

        // γ = "scale": 1 / (n_features · X.var()) with the population variance of all entries (numpy's X.var()).
        double mean = 0;
        foreach (var v in data.X) mean += v;
        mean /= data.X.Length;
        double variance = 0;
        foreach (var v in data.X) variance += (v - mean) * (v - mean);
        variance /= data.X.Length;
        var kernel = new KernelParameters(options.Kernel, options.Gamma.Resolve(d, variance), options.Degree, options.Coef0);

        // Rows of each class in their original order (libsvm's svm_group_classes).
        var byClass = new List<int>[k];
        for (int c = 0; c < k; c++) byClass[c] = new List<int>();
        for (int i = 0; i < n; i++) byClass[data.Y[i]].Add(i);

        var pairList = new List<(int A, int B)>();
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++) pairList.Add((a, b));
        int degree = Math.Min(options.MaxDegreeOfParallelism, pairList.Count);
        // A fit this small takes well under a millisecond on one thread; a second thread would cost more to wake and
        // join (and to idle-spin while the other finishes) than it saves. The estimate is the kernel-matrix work.
        int maxRows = 0;
        long work = 0;
        foreach (var (a, b) in pairList)
        {
            int rowsAb = byClass[a].Count + byClass[b].Count;
            maxRows = Math.Max(maxRows, rowsAb);
            work += (long)rowsAb * rowsAb * (d + 16);
        }
        if (work < SequentialWorkLimit) degree = 1;
        long cacheFloats = (long)(options.CacheSizeMb * 1024 * 1024 / sizeof(float) / degree);
        bool parallelRows = pairList.Count == 1 && options.MaxDegreeOfParallelism > 1;
        // Largest pairs first, so the last pair to start is a short one and the threads finish together.
        var schedule = Enumerable.Range(0, pairList.Count)
            .OrderByDescending(p => byClass[pairList[p].A].Count + byClass[pairList[p].B].Count).ThenBy(p => p).ToArray();

        var solved = new (int[] Rows, SmoResult Result)[pairList.Count];
        Parallel.For(0, pairList.Count, new ParallelOptions { MaxDegreeOfParallelism = degree },
            // Per worker thread: kernel-row buffers and the sub-problem's data matrix, reused from pair to pair.
            () => new PairWorkspace(new KernelRowPool(maxRows), GC.AllocateUninitializedArray<double>(maxRows * d)),
            (s, _, work) =>
            {
                int p = schedule[s];
                var (a, b) = pairList[p];
                var rows = byClass[a].Concat(byClass[b]).ToArray();
                var sy = new sbyte[rows.Length];
                for (int r = 0; r < rows.Length; r++)
                {
                    data.Row(rows[r]).CopyTo(work.X.AsSpan(r * d, d));
                    sy[r] = (sbyte)(r < byClass[a].Count ? 1 : -1);
                }
                var solver = new SmoSolver(work.X, d, sy, kernel, options.C, options.Tol, options.Shrinking, cacheFloats, parallelRows, work.Rows);
                solved[p] = (rows, solver.Solve(options.MaxIter));
                return work;
            },
            _ => { });

        // Union of support vectors, grouped by class then training order (libsvm's model layout).
        var isSv = new bool[n];
        foreach (var (rows, result) in solved)
            for (int r = 0; r < rows.Length; r++)
                if (result.Alpha[r] > 0) isSv[rows[r]] = true;
        var support = new List<int>();
        for (int c = 0; c < k; c++) support.AddRange(byClass[c].Where(i => isSv[i]));
        var svPosition = new Dictionary<int, int>(support.Count);
        for (int s = 0; s < support.Count; s++) svPosition[support[s]] = s;
        var sv = new double[support.Count * d];
        var svSq = new double[support.Count];
        var svClass = new int[support.Count];
        for (int s = 0; s < support.Count; s++)
        {
            var row = data.Row(support[s]);
            row.CopyTo(sv.AsSpan(s * d, d));
            svSq[s] = SimdDot.Dot(row, row);
            svClass[s] = data.Y[support[s]];
        }
        var pairs = new Pair[pairList.Count];
        for (int p = 0; p < pairs.Length; p++)
        {
            var (rows, result) = solved[p];
            var idx = new List<int>();
            var coef = new List<double>();
            for (int r = 0; r < rows.Length; r++)
            {
                if (result.Alpha[r] <= 0) continue;
                idx.Add(svPosition[rows[r]]);
                coef.Add(data.Y[rows[r]] == pairList[p].A ? result.Alpha[r] : -result.Alpha[r]);
            }
            pairs[p] = new Pair(pairList[p].A, pairList[p].B, idx.ToArray(), coef.ToArray(), result.Rho, result.Iterations, result.Converged);
        }
        if (options.Probability)
        {
            Parallel.For(0, pairList.Count, new ParallelOptions { MaxDegreeOfParallelism = degree }, p =>
            {
                var (a, b) = pairList[p];
                var rows = solved[p].Rows;
                var sub = new double[rows.Length * d];
                var sy = new sbyte[rows.Length];
                for (int r = 0; r < rows.Length; r++)
                {
                    data.Row(rows[r]).CopyTo(sub.AsSpan(r * d, d));
                    sy[r] = (sbyte)(r < byClass[a].Count ? 1 : -1);
                }
                var (pa, pb) = SvmProbability.FitPair(sub, d, sy, kernel, options, cacheFloats, options.RandomState + (ulong)p);
                pairs[p].ProbA = pa;
                pairs[p].ProbB = pb;
            });
        }
        return new SvmClassifier(options, data.Classes, d, kernel, sv, svSq, svClass, support.ToArray(), pairs);
    }

    /// <summary>
    /// One-vs-one decision values [rows × k(k−1)/2], columns in pair order (0,1), (0,2), …, (1,2), … (scikit-learn's
    /// <c>decision_function_shape="ovo"</c>); positive favours the first class of the pair.
    /// </summary>
    public double[][] DecisionFunction(double[][] x)
    {
        var flat = TrainingInput.Flatten(nameof(SvmClassifier), x, _d);
        var result = new double[x.Length][];
        Parallel.For(0, x.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism },
            () => new double[SupportVectorCount],
            (i, _, kv) =>
            {
                var dec = new double[_pairs.Length];
                Decide(flat.AsSpan(i * _d, _d), kv, dec);
                result[i] = dec;
                return kv;
            }, _ => { });
        return result;
    }

    /// <summary>Predicted labels by one-vs-one voting (ties → lowest class index, as libsvm).</summary>
    public int[] Predict(double[][] x)
    {
        var dec = DecisionFunction(x);
        var result = new int[x.Length];
        var votes = new int[_classes.Length];
        for (int i = 0; i < x.Length; i++) result[i] = _classes[Vote(dec[i], _classes.Length, votes)];
        return result;
    }

    /// <summary>
    /// Class probabilities [rows × classes] from the Platt sigmoids of each pair coupled as libsvm does
    /// (<c>svm_predict_probability</c>; two classes: the single pair's sigmoid). Requires
    /// <see cref="SvmOptions.Probability"/> at fit time. As in libsvm/scikit-learn, the most probable class can differ
    /// from <see cref="Predict"/>'s vote on rows near a boundary.
    /// </summary>
    /// <exception cref="OptionsValidationException">The model was fitted without <c>Probability = true</c>.</exception>
    public double[][] PredictProba(double[][] x)
    {
        if (!Options.Probability)
            throw new OptionsValidationException(nameof(SvmOptions), [$"{nameof(SvmOptions.Probability)} = false, but {nameof(SvmClassifier)}.{nameof(PredictProba)} needs a model fitted with {nameof(SvmOptions.Probability)} = true"]);
        var dec = DecisionFunction(x);
        int k = _classes.Length;
        var result = new double[x.Length][];
        var r = new double[k, k];
        for (int i = 0; i < x.Length; i++)
        {
            for (int p = 0; p < _pairs.Length; p++)
            {
                var pair = _pairs[p];
                double pa = SvmProbability.Sigmoid(dec[i][p], pair.ProbA, pair.ProbB);
                r[pair.A, pair.B] = pa;
                r[pair.B, pair.A] = 1 - pa;
            }
            var prob = new double[k];
            if (k == 2) { prob[0] = r[0, 1]; prob[1] = r[1, 0]; }
            else SvmProbability.Couple(r, prob);
            result[i] = prob;
        }
        return result;
    }

    /// <summary>
    /// libsvm's one-vs-one vote over decision values in pair order (0,1), (0,2), …, (1,2), …: f &gt; 0 votes for the
    /// pair's first class, otherwise the second; the first class (lowest index) with the most votes wins.
    /// </summary>
    internal static int Vote(ReadOnlySpan<double> decision, int classes, int[] votes)
    {
        Array.Clear(votes);
        int p = 0;
        for (int a = 0; a < classes; a++)
            for (int b = a + 1; b < classes; b++) votes[decision[p++] > 0 ? a : b]++;
        int best = 0;
        for (int c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Decide(ReadOnlySpan<double> row, double[] kv, double[] dec)
    {
        double sq = SimdDot.Dot(row, row);
        for (int s = 0; s < kv.Length; s++)
            kv[s] = _kernel.FromDot(SimdDot.Dot(row, _sv.AsSpan(s * _d, _d)), _svSq[s], sq);
        for (int p = 0; p < _pairs.Length; p++)
        {
            var pair = _pairs[p];
            double sum = 0;
            for (int t = 0; t < pair.Sv.Length; t++) sum += pair.Coef[t] * kv[pair.Sv[t]];
            dec[p] = sum - pair.Rho;
        }
    }

    /// <summary>Writes the fitted model (options, support vectors, per-pair coefficients, ρ, Platt parameters); see <see cref="Load"/>.</summary>
    public void Save(BinaryWriter w)
    {
        ClassicalModelIO.WriteHeader(w, "svm");
        ClassicalModelIO.WriteOptions(w, Options);
        ClassicalModelIO.Write(w, _classes);
        w.Write(_d);
        w.Write((int)_kernel.Kernel); w.Write(_kernel.Gamma); w.Write(_kernel.Degree); w.Write(_kernel.Coef0);
        ClassicalModelIO.Write(w, _sv);
        ClassicalModelIO.Write(w, _svSq);
        ClassicalModelIO.Write(w, _svClass);
        ClassicalModelIO.Write(w, Support.ToArray());
        w.Write(_pairs.Length);
        foreach (var p in _pairs)
        {
            w.Write(p.A); w.Write(p.B);
            ClassicalModelIO.Write(w, p.Sv);
            ClassicalModelIO.Write(w, p.Coef);
            w.Write(p.Rho); w.Write(p.Iterations); w.Write(p.Converged); w.Write(p.ProbA); w.Write(p.ProbB);
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>; a corrupt or truncated payload raises <see cref="CheckpointException"/>.</summary>
    public static SvmClassifier Load(BinaryReader r) => ClassicalModelIO.Guard(r, () => LoadCore(r));

    private static SvmClassifier LoadCore(BinaryReader r)
    {
        ClassicalModelIO.ReadHeader(r, "svm");
        var options = ClassicalModelIO.ReadOptions<SvmOptions>(r);
        var classes = ClassicalModelIO.ReadInts(r);
        int d = r.ReadInt32();
        var kernel = new KernelParameters((SvmKernel)r.ReadInt32(), r.ReadDouble(), r.ReadInt32(), r.ReadDouble());
        var sv = ClassicalModelIO.ReadDoubles(r);
        var svSq = ClassicalModelIO.ReadDoubles(r);
        var svClass = ClassicalModelIO.ReadInts(r);
        var support = ClassicalModelIO.ReadInts(r);
        if (d <= 0 || sv.Length != svSq.Length * d || svClass.Length != svSq.Length || svClass.Any(c => c < 0 || c >= classes.Length))
            throw new CheckpointException($"SVM model is inconsistent: {sv.Length} support-vector values for {svSq.Length} vectors of {d} features");
        int k = classes.Length;
        var pairs = new Pair[ClassicalModelIO.ReadCount(r, k * (k - 1) / 2, "one-vs-one pair")];
        for (int i = 0; i < pairs.Length; i++)
        {
            int a = r.ReadInt32(), b = r.ReadInt32();
            var idx = ClassicalModelIO.ReadInts(r);
            var coef = ClassicalModelIO.ReadDoubles(r);
            if (idx.Length != coef.Length || idx.Any(j => j < 0 || j >= svSq.Length)) throw new CheckpointException($"SVM pair {i} refers to missing support vectors");
            pairs[i] = new Pair(a, b, idx, coef, r.ReadDouble(), r.ReadInt32(), r.ReadBoolean()) { ProbA = r.ReadDouble(), ProbB = r.ReadDouble() };
        }
        return new SvmClassifier(options, classes, d, kernel, sv, svSq, svClass, support, pairs);
    }
}
