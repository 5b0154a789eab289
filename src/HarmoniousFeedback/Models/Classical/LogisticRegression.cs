using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// L2-regularised logistic regression fitted by L-BFGS, matching scikit-learn's <c>LogisticRegression(solver="lbfgs")</c>
/// (multi_class="auto"). With k ≥ 3 classes it is the multinomial (softmax) model
/// <code>P(c | x) = exp(w_cᵀx + b_c) / Σ_j exp(w_jᵀx + b_j),   min_{W,b}  Σᵢ −log P(yᵢ | xᵢ) + ‖W‖²_F / (2C)</code>
/// (the same minimiser as C·Σ log-loss + ½‖W‖²; intercepts unpenalised), one weight vector per class. With 2 classes
/// it is the binomial model with a single vector w (class 0's score fixed at 0), exactly as scikit-learn does, which is
/// not the same as 2-class softmax under the penalty. Starts from zero; stops as SciPy's L-BFGS-B does for
/// scikit-learn (max|∇| ≤ Tol, relative decrease ≤ 2.22·10⁻⁹, or MaxIter iterations).
/// </summary>
public sealed class LogisticRegression : IProbabilisticClassifier
{
    private readonly int[] _classes;
    private readonly int _d;
    private readonly double[] _coef;      // [k × d], row 0 zero in the binomial case
    private readonly double[] _intercept; // [k]

    public IReadOnlyList<int> Classes => _classes;
    public int NumFeatures => _d;
    public LogisticRegressionOptions Options { get; }
    /// <summary>L-BFGS iterations used (scikit-learn's <c>n_iter_</c>).</summary>
    public int Iterations { get; }
    /// <summary>False when MaxIter was reached or the line search failed before a stopping rule held.</summary>
    public bool Converged { get; }
    /// <summary>Why the optimiser stopped.</summary>
    public string StopReason { get; }
    /// <summary>Final value of Σ log-loss + ‖W‖²/(2C).</summary>
    public double Objective { get; }

    /// <summary>Weights [k][d]; for 2 classes row 1 holds scikit-learn's single <c>coef_</c> row and row 0 is zero.</summary>
    public double[][] Coef => Enumerable.Range(0, _classes.Length).Select(c => _coef.AsSpan(c * _d, _d).ToArray()).ToArray();
    public IReadOnlyList<double> Intercept => _intercept;

    private LogisticRegression(LogisticRegressionOptions options, int[] classes, int d, double[] coef, double[] intercept, LbfgsResult r)
    {
        Options = options;
        _classes = classes;
        _d = d;
        _coef = coef;
        _intercept = intercept;
        Iterations = r.Iterations;
        Converged = r.Converged;
        StopReason = r.Reason;
        Objective = r.F;
    }

    private LogisticRegression(LogisticRegressionOptions options, int[] classes, int d, double[] coef, double[] intercept,
                               int iterations, bool converged, string reason, double objective)
    {
        Options = options;
        _classes = classes;
        _d = d;
        _coef = coef;
        _intercept = intercept;
        Iterations = iterations;
        Converged = converged;
        StopReason = reason;
        Objective = objective;
    }

    /// <summary>Writes the fitted model (options, weights, intercepts, optimiser summary); see <see cref="Load"/>.</summary>
    public void Save(BinaryWriter w)
    {
        ClassicalModelIO.WriteHeader(w, "logreg");
        ClassicalModelIO.WriteOptions(w, Options);
        ClassicalModelIO.Write(w, _classes);
        w.Write(_d);
        ClassicalModelIO.Write(w, _coef);
        ClassicalModelIO.Write(w, _intercept);
        w.Write(Iterations); w.Write(Converged); w.Write(StopReason); w.Write(Objective);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; a corrupt or truncated payload raises <see cref="CheckpointException"/>.</summary>
    public static LogisticRegression Load(BinaryReader r) => ClassicalModelIO.Guard(r, () => LoadCore(r));

    private static LogisticRegression LoadCore(BinaryReader r)
    {
        ClassicalModelIO.ReadHeader(r, "logreg");
        var options = ClassicalModelIO.ReadOptions<LogisticRegressionOptions>(r);
        var classes = ClassicalModelIO.ReadInts(r);
        int d = r.ReadInt32();
        var coef = ClassicalModelIO.ReadDoubles(r);
        var intercept = ClassicalModelIO.ReadDoubles(r);
        if (d <= 0 || coef.Length != classes.Length * d || intercept.Length != classes.Length)
            throw new CheckpointException($"logistic-regression model is inconsistent: {coef.Length} weights for {classes.Length} classes × {d} features");
        return new LogisticRegression(options, classes, d, coef, intercept, r.ReadInt32(), r.ReadBoolean(), r.ReadString(), r.ReadDouble());
    }

    /// <summary>Fits on <paramref name="x"/> [rows × features] with labels <paramref name="y"/>.</summary>
    /// <exception cref="OptionsValidationException">Invalid options (all problems listed).</exception>
    /// <exception cref="ShapeMismatchException">x and y differ in length or rows differ in width.</exception>
    /// <exception cref="TrainingDataException">NaN/∞ features or a single class.</exception>
    /// <exception cref="TrainingDivergedException">The objective became NaN/∞.</exception>
    public static LogisticRegression Fit(double[][] x, int[] y, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        options.Validate();
        var data = TrainingInput.Create(nameof(LogisticRegression), x, y);
        int n = data.Rows, d = data.Features, k = data.Classes.Length;
        bool binomial = k == 2;
        int first = binomial ? 1 : 0;            // first class with free parameters
        int free = k - first;
        int stride = d + (options.FitIntercept ? 1 : 0);
        double invC = 1.0 / options.C;

        // The log-loss and its gradient are summed over fixed blocks of rows (partial sums per block, added in block
        // order), so the result is bit-identical however many threads run the blocks. A block is ~2²⁰ multiply-adds:
        // smaller ones cost more in thread hand-offs (tens per L-BFGS iteration) than they save.
        int blocks = Math.Max(1, (int)Math.Min(64, (long)n * d * k / (1 << 20)));
        int blockRows = (n + blocks - 1) / blocks;
        blocks = (n + blockRows - 1) / blockRows;
        // The kernel works on the weights transposed to feature-major [d × kp] (kp = free classes padded to a SIMD
        // width): a row's class scores are d vector FMAs, its gradient contribution d more — no per-class dot products.
        int lanes = Vector<double>.Count;
        int kp = (free + lanes - 1) / lanes * lanes;
        var wt = new double[(d + 1) * kp];                // rows 0..d-1: weights, row d: intercepts
        var partialGrad = new double[blocks][];
        var partialLoss = new double[blocks];
        for (int bIdx = 0; bIdx < blocks; bIdx++) partialGrad[bIdx] = new double[(d + 1) * kp];
        int parallelism = Math.Min(options.MaxDegreeOfParallelism, blocks);
        bool fitIntercept = options.FitIntercept;

        double Objective(ReadOnlySpan<double> w, Span<double> grad)
        {
            for (int c = 0; c < free; c++)
            {
                for (int j = 0; j < d; j++) wt[j * kp + c] = w[c * stride + j];
                wt[d * kp + c] = fitIntercept ? w[c * stride + d] : 0;
            }
            if (parallelism > 1)
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Block);
            else
                for (int bIdx = 0; bIdx < blocks; bIdx++) Block(bIdx);
            double loss = 0;
            for (int bIdx = 0; bIdx < blocks; bIdx++) loss += partialLoss[bIdx];
            grad.Clear();
            for (int bIdx = 0; bIdx < blocks; bIdx++)
            {
                var pg = partialGrad[bIdx];
                for (int c = 0; c < free; c++)
                {
                    for (int j = 0; j < d; j++) grad[c * stride + j] += pg[j * kp + c];
                    if (fitIntercept) grad[c * stride + d] += pg[d * kp + c];
                }
            }
            double penalty = 0;
            for (int c = 0; c < free; c++)
            {
                var wc = w.Slice(c * stride, d);
                penalty += TensorPrimitives.Dot(wc, wc);
                TensorPrimitives.MultiplyAdd(wc, invC, grad.Slice(c * stride, d), grad.Slice(c * stride, d));
            }
            return loss + 0.5 * invC * penalty;
        }

        // One block of rows: scores s = W·x + b (feature-major vector FMAs), log-sum-exp loss, r = softmax − onehot,
        // gradient rows G[j] += x_j·r. Class 0 has no free parameters in the binomial case (its score is 0).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Block(int bIdx)
        {
            var g = partialGrad[bIdx];
            Array.Clear(g);
            Span<double> scores = stackalloc double[kp + 1];
            Span<double> r = stackalloc double[kp];
            var wts = wt.AsSpan();
            double loss = 0;
            int end = Math.Min(n, (bIdx + 1) * blockRows);
            for (int i = bIdx * blockRows; i < end; i++)
            {
                var row = data.Row(i);
                var s = scores[first..(first + kp)];
                wts.Slice(d * kp, kp).CopyTo(s);
                for (int v = 0; v < kp; v += lanes)
                {
                    var acc = new Vector<double>(s[v..]);
                    for (int j = 0; j < d; j++) acc = Vector.FusedMultiplyAdd(new Vector<double>(row[j]), new Vector<double>(wts.Slice(j * kp + v, lanes)), acc);
                    acc.CopyTo(s[v..]);
                }
                if (binomial) scores[0] = 0;
                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++) max = Math.Max(max, scores[c]);
                double sum = 0;
                int yi = data.Y[i];
                double scoreY = scores[yi];
                for (int c = 0; c < k; c++) { scores[c] = Math.Exp(scores[c] - max); sum += scores[c]; }
                loss += max + Math.Log(sum) - scoreY;
                r.Clear();
                for (int c = first; c < k; c++) r[c - first] = scores[c] / sum - (c == yi ? 1 : 0);
                for (int v = 0; v < kp; v += lanes)
                {
                    var rv = new Vector<double>(r[v..]);
                    for (int j = 0; j < d; j++)
                    {
                        var gj = g.AsSpan(j * kp + v, lanes);
                        Vector.FusedMultiplyAdd(new Vector<double>(row[j]), rv, new Vector<double>(gj)).CopyTo(gj);
                    }
                    var gb = g.AsSpan(d * kp + v, lanes);
                    (new Vector<double>(gb) + rv).CopyTo(gb);
                }
            }
            partialLoss[bIdx] = loss;
        }

        var result = Lbfgs.Minimize(Objective, new double[free * stride], options.Tol, ftol: 2.220446049250313e-09, options.MaxIter);
        if (!double.IsFinite(result.F))
            throw new TrainingDivergedException($"{nameof(LogisticRegression)}: objective became {result.F} after {result.Iterations} L-BFGS iterations (check feature scaling)");
        var coef = new double[k * d];
        var intercept = new double[k];
        for (int c = first; c < k; c++)
        {
            result.X.AsSpan((c - first) * stride, d).CopyTo(coef.AsSpan(c * d, d));
            if (options.FitIntercept) intercept[c] = result.X[(c - first) * stride + d];
        }
        return new LogisticRegression(options, data.Classes, d, coef, intercept, result);
    }

    /// <summary>Class scores wᶜᵀx + b_c [rows × classes] (class 0's score is 0 in the binomial case).</summary>
    public double[][] DecisionFunction(double[][] x)
    {
        var flat = TrainingInput.Flatten(nameof(LogisticRegression), x, _d);
        int k = _classes.Length;
        var result = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            var row = flat.AsSpan(i * _d, _d);
            var s = new double[k];
            for (int c = 0; c < k; c++) s[c] = TensorPrimitives.Dot(row, _coef.AsSpan(c * _d, _d)) + _intercept[c];
            result[i] = s;
        }
        return result;
    }

    public int[] Predict(double[][] x) => DecisionFunction(x).Select(s => _classes[LinearDiscriminantAnalysis.ArgMax(s)]).ToArray();

    /// <summary>softmax of the class scores (the sigmoid for 2 classes).</summary>
    public double[][] PredictProba(double[][] x)
    {
        var scores = DecisionFunction(x);
        foreach (var s in scores) Softmax.InPlace(s);
        return scores;
    }
}
