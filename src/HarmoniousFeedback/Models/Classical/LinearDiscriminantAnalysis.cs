using MathNet.Numerics.LinearAlgebra;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Linear discriminant analysis as a classifier (Fisher/Rao; Hastie, Tibshirani &amp; Friedman, ESL §4.3), matching
/// scikit-learn's <c>sklearn.discriminant_analysis.LinearDiscriminantAnalysis</c>. Gaussian classes with a shared
/// covariance Σ give linear discriminant scores
/// <code>δₖ(x) = xᵀΣ⁻¹μₖ − ½ μₖᵀΣ⁻¹μₖ + log πₖ</code>
/// with class means μₖ, priors πₖ (class frequencies unless given) and Σ = Σₖ πₖ Sₖ the prior-weighted within-class
/// covariance (Sₖ the biased covariance of class k). The class with the largest score is predicted and
/// <c>P(k | x) = softmax(δ(x))ₖ</c>. Not latent Dirichlet allocation (the topic model that shares the acronym).
/// <list type="bullet">
/// <item><see cref="LdaSolver.Svd"/>: whitens the class-centred data by its SVD (scaled per feature; singular values
/// ≤ Tol dropped), then takes the SVD of the prior-weighted class means in that space; rank-deficient data are fine.</item>
/// <item><see cref="LdaSolver.Lsqr"/>: solves Σ W = Mᵀ (pseudo-inverse for a singular Σ), optionally with shrinkage.</item>
/// <item><see cref="LdaSolver.Eigen"/>: solves S_b v = λ S_w v (S_w = Σ, S_b = S_total − S_w) with vᵀS_w v = 1; the
/// scores use W = M V Vᵀ, which equals the lsqr solution when S_w is invertible.</item>
/// </list>
/// </summary>
public sealed class LinearDiscriminantAnalysis : IProbabilisticClassifier
{
    private readonly int[] _classes;
    private readonly int _d;
    private readonly double[] _coef;      // [k × d] row-major
    private readonly double[] _intercept; // [k]

    public IReadOnlyList<int> Classes => _classes;
    public int NumFeatures => _d;
    public LdaOptions Options { get; }
    /// <summary>Class priors used, in class order (scikit-learn's <c>priors_</c>).</summary>
    public IReadOnlyList<double> Priors { get; }
    /// <summary>Class means [k][d] (scikit-learn's <c>means_</c>).</summary>
    public double[][] Means { get; }
    /// <summary>Ledoit–Wolf α of each class when <see cref="LdaShrinkage.Auto"/> was used (else empty).</summary>
    public IReadOnlyList<double> ShrinkageUsed { get; }

    private LinearDiscriminantAnalysis(LdaOptions options, int[] classes, int d, double[] coef, double[] intercept,
                                       double[] priors, double[][] means, double[] shrinkageUsed)
    {
        Options = options;
        _classes = classes;
        _d = d;
        _coef = coef;
        _intercept = intercept;
        Priors = priors;
        Means = means;
        ShrinkageUsed = shrinkageUsed;
    }

    /// <summary>Writes the fitted discriminant (options, coefficients, intercepts, priors, means); see <see cref="Load"/>.</summary>
    public void Save(BinaryWriter w)
    {
        ClassicalModelIO.WriteHeader(w, "lda");
        ClassicalModelIO.WriteOptions(w, Options);
        ClassicalModelIO.Write(w, _classes);
        w.Write(_d);
        ClassicalModelIO.Write(w, _coef);
        ClassicalModelIO.Write(w, _intercept);
        ClassicalModelIO.Write(w, Priors.ToArray());
        w.Write(Means.Length);
        foreach (var m in Means) ClassicalModelIO.Write(w, m);
        ClassicalModelIO.Write(w, ShrinkageUsed.ToArray());
    }

    /// <summary>Reads a model written by <see cref="Save"/>; a corrupt or truncated payload raises <see cref="CheckpointException"/>.</summary>
    public static LinearDiscriminantAnalysis Load(BinaryReader r) => ClassicalModelIO.Guard(r, () => LoadCore(r));

    private static LinearDiscriminantAnalysis LoadCore(BinaryReader r)
    {
        ClassicalModelIO.ReadHeader(r, "lda");
        var options = ClassicalModelIO.ReadOptions<LdaOptions>(r);
        var classes = ClassicalModelIO.ReadInts(r);
        int d = r.ReadInt32();
        var coef = ClassicalModelIO.ReadDoubles(r);
        var intercept = ClassicalModelIO.ReadDoubles(r);
        var priors = ClassicalModelIO.ReadDoubles(r);
        var means = new double[ClassicalModelIO.ReadCount(r, classes.Length, "class mean")][];
        for (int i = 0; i < means.Length; i++) means[i] = ClassicalModelIO.ReadDoubles(r);
        var shrinkage = ClassicalModelIO.ReadDoubles(r);
        if (d <= 0 || coef.Length != classes.Length * d || intercept.Length != classes.Length)
            throw new CheckpointException($"LDA model is inconsistent: {coef.Length} coefficients for {classes.Length} classes × {d} features");
        return new LinearDiscriminantAnalysis(options, classes, d, coef, intercept, priors, means, shrinkage);
    }

    /// <summary>Fits the discriminant on <paramref name="x"/> [rows × features] with labels <paramref name="y"/>.</summary>
    /// <exception cref="OptionsValidationException">Invalid options (all problems listed).</exception>
    /// <exception cref="ShapeMismatchException">x and y differ in length, rows differ in width, or Priors has the wrong length.</exception>
    /// <exception cref="TrainingDataException">NaN/∞ features, a single class, or a singular within-class covariance for Solver = eigen without shrinkage.</exception>
    public static LinearDiscriminantAnalysis Fit(double[][] x, int[] y, LdaOptions? options = null)
    {
        options ??= new LdaOptions();
        options.Validate();
        var data = TrainingInput.Create(nameof(LinearDiscriminantAnalysis), x, y);
        int n = data.Rows, d = data.Features, k = data.Classes.Length;
        var counts = data.ClassCounts();

        double[] priors;
        if (options.Priors is { } given)
        {
            if (given.Count != k)
                throw new ShapeMismatchException($"{nameof(LinearDiscriminantAnalysis)}: Priors has {given.Count} entries but y has {k} classes ({string.Join(", ", data.Classes)})");
            double sum = given.Sum();
            priors = given.Select(p => p / sum).ToArray();
        }
        else
        {
            priors = counts.Select(c => (double)c / n).ToArray();
        }

        var means = new double[k][];
        for (int c = 0; c < k; c++) means[c] = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            var m = means[data.Y[i]];
            for (int j = 0; j < d; j++) m[j] += row[j];
        }
        for (int c = 0; c < k; c++)
            for (int j = 0; j < d; j++) means[c][j] /= counts[c];

        var coef = new double[k * d];
        var intercept = new double[k];
        var shrinkageUsed = new List<double>();
        switch (options.Solver)
        {
            case LdaSolver.Svd:
                SolveSvd(data, means, priors, options.Tol, coef, intercept);
                break;
            default:
                SolveCovariance(data, means, priors, options, coef, intercept, shrinkageUsed);
                break;
        }
        return new LinearDiscriminantAnalysis(options, data.Classes, d, coef, intercept, priors, means, shrinkageUsed.ToArray());
    }

    private static void SolveSvd(TrainingInput data, double[][] means, double[] priors, double tol, double[] coef, double[] intercept)
    {
        int n = data.Rows, d = data.Features, k = data.Classes.Length;
        // Class-centred data Xc, scaled per feature by its std (1 where constant), times √(1/(n − k)).
        var xc = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            var m = means[data.Y[i]];
            var row = data.Row(i);
            for (int j = 0; j < d; j++) xc[i * d + j] = row[j] - m[j];
        }
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mu = 0, s = 0;
            for (int i = 0; i < n; i++) mu += xc[i * d + j];
            mu /= n;
            for (int i = 0; i < n; i++) { var t = xc[i * d + j] - mu; s += t * t; }
            std[j] = Math.Sqrt(s / n);
            if (std[j] == 0) std[j] = 1;
        }
        double fac = 1.0 / Math.Max(n - k, 1);
        double sf = Math.Sqrt(fac);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) xc[i * d + j] = sf * xc[i * d + j] / std[j];

        // SVD of the scaled Xc through the eigen-decomposition of its Gram matrix: S² = eig(XcᵀXc), V = eigenvectors.
        var (lambda, v) = DenseMath.SymmetricEigen(DenseMath.ToMatrix(DenseMath.Gram(xc, n, d), d, d));
        int rank = lambda.Count(l => Math.Sqrt(Math.Max(l, 0)) > tol);
        if (rank == 0) throw new TrainingDataException($"{nameof(LinearDiscriminantAnalysis)}: the within-class scatter has rank 0 (all rows equal their class mean); nothing to discriminate");
        // scalings [d × rank] = (V[:, :rank] / std) / S
        var scalings = Matrix<double>.Build.Dense(d, rank, (j, r) => v[j, r] / std[j] / Math.Sqrt(lambda[r]));

        var xbar = new double[d];
        for (int c = 0; c < k; c++)
            for (int j = 0; j < d; j++) xbar[j] += priors[c] * means[c][j];
        double fac2 = k == 1 ? 1 : 1.0 / (k - 1);
        var centred = Matrix<double>.Build.Dense(k, d, (c, j) => means[c][j] - xbar[j]);
        var weighted = Matrix<double>.Build.Dense(k, d, (c, j) => Math.Sqrt(n * priors[c] * fac2) * centred[c, j]);
        var between = weighted * scalings;                                 // [k × rank]
        var (lambda2, v2) = DenseMath.SymmetricEigen(between.TransposeThisAndMultiply(between));
        double s0 = Math.Sqrt(Math.Max(lambda2[0], 0));
        int rank2 = lambda2.Count(l => Math.Sqrt(Math.Max(l, 0)) > tol * s0);
        var scalings2 = scalings * v2.SubMatrix(0, rank, 0, rank2);         // [d × rank2]

        var projected = centred * scalings2;                                // [k × rank2]
        var w = projected * scalings2.Transpose();                          // [k × d]
        for (int c = 0; c < k; c++)
        {
            double sq = 0;
            for (int r = 0; r < rank2; r++) sq += projected[c, r] * projected[c, r];
            double b = -0.5 * sq + Math.Log(priors[c]);
            for (int j = 0; j < d; j++)
            {
                coef[c * d + j] = w[c, j];
                b -= xbar[j] * w[c, j];
            }
            intercept[c] = b;
        }
    }

    private static void SolveCovariance(TrainingInput data, double[][] means, double[] priors, LdaOptions options,
                                        double[] coef, double[] intercept, List<double> shrinkageUsed)
    {
        int n = data.Rows, d = data.Features, k = data.Classes.Length;
        // Σ = Σₖ πₖ Cov(X | k), each class covariance estimated (with shrinkage) on its own rows.
        var sigma = Matrix<double>.Build.Dense(d, d);
        for (int c = 0; c < k; c++)
        {
            var rows = Enumerable.Range(0, n).Where(i => data.Y[i] == c).ToArray();
            var cov = Covariance(data, rows, options.Shrinkage, shrinkageUsed);
            sigma += priors[c] * cov;
        }
        var meanMatrix = Matrix<double>.Build.Dense(k, d, (c, j) => means[c][j]);
        Matrix<double> w;
        if (options.Solver == LdaSolver.Lsqr)
        {
            w = (DenseMath.SymmetricPseudoInverse(sigma) * meanMatrix.Transpose()).Transpose();
        }
        else
        {
            var total = Covariance(data, Enumerable.Range(0, n).ToArray(), options.Shrinkage, null);
            var sb = total - sigma;
            Matrix<double>? l = null;
            try { l = sigma.Cholesky().Factor; }
            catch (ArgumentException) { /* not positive definite: reported below */ }
            if (l is null || Enumerable.Range(0, d).Any(i => !(l[i, i] > 1e-12 * Math.Sqrt(sigma[i, i])) || !double.IsFinite(l[i, i])))
                throw new TrainingDataException($"{nameof(LinearDiscriminantAnalysis)}: the within-class covariance ({d} × {d}, from {n} rows) is singular, which Solver = eigen cannot handle; use Shrinkage = auto (or a value in (0, 1]), or Solver = svd or lsqr");
            var lInv = l.Inverse();
            var cMat = lInv * sb * lInv.Transpose();
            cMat = (cMat + cMat.Transpose()) / 2;
            var (_, wv) = DenseMath.SymmetricEigen(cMat);
            var evecs = lInv.Transpose() * wv;                               // Sb v = λ Sw v, vᵀ Sw v = 1
            w = meanMatrix * evecs * evecs.Transpose();
        }
        for (int c = 0; c < k; c++)
        {
            double dot = 0;
            for (int j = 0; j < d; j++)
            {
                coef[c * d + j] = w[c, j];
                dot += means[c][j] * w[c, j];
            }
            intercept[c] = -0.5 * dot + Math.Log(priors[c]);
        }
    }

    /// <summary>
    /// Biased covariance of the given rows; with shrinkage α: (1 − α)S + α·(tr S/d)·I. "auto": Ledoit–Wolf α on the
    /// standardised rows, the shrunk correlation-scale matrix rescaled by the feature stds (scikit-learn's <c>_cov</c>).
    /// </summary>
    private static Matrix<double> Covariance(TrainingInput data, int[] rows, LdaShrinkage? shrinkage, List<double>? used)
    {
        int m = rows.Length, d = data.Features;
        var mean = new double[d];
        foreach (var i in rows)
        {
            var r = data.Row(i);
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= m;
        var xc = new double[m * d];
        for (int t = 0; t < m; t++)
        {
            var r = data.Row(rows[t]);
            for (int j = 0; j < d; j++) xc[t * d + j] = r[j] - mean[j];
        }
        var scale = new double[d];
        if (shrinkage is { IsAuto: true })
        {
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int t = 0; t < m; t++) s += xc[t * d + j] * xc[t * d + j];
                s = Math.Sqrt(s / m);
                scale[j] = s < 10 * 2.220446049250313e-16 ? 1 : s;
            }
            for (int t = 0; t < m; t++)
                for (int j = 0; j < d; j++) xc[t * d + j] /= scale[j];
        }
        var gram = DenseMath.Gram(xc, m, d);
        var emp = Matrix<double>.Build.Dense(d, d, (a, b) => gram[a * d + b] / m);
        if (shrinkage is null) return emp;

        double alpha = shrinkage.Value.IsAuto ? LedoitWolfShrinkage(xc, gram, m, d) : shrinkage.Value.Value;
        used?.Add(alpha);
        double mu = emp.Trace() / d;
        var shrunk = (1 - alpha) * emp + Matrix<double>.Build.DenseIdentity(d) * (alpha * mu);
        if (shrinkage.Value.IsAuto)
            shrunk = Matrix<double>.Build.Dense(d, d, (a, b) => shrunk[a, b] * scale[a] * scale[b]);
        return shrunk;
    }

    /// <summary>
    /// Ledoit &amp; Wolf (2004) optimal α for centred X [m × d] (scikit-learn's <c>ledoit_wolf_shrinkage</c>):
    /// μ = tr(S)/d, δ = ‖S − μI‖²_F/d, β = min(δ, (1/(d·m²)) Σₜ ‖xₜxₜᵀ − S‖²_F), α = β/δ.
    /// </summary>
    private static double LedoitWolfShrinkage(double[] xc, double[] gram, int m, int d)
    {
        if (d == 1) return 0;
        double traceSum = 0;                      // Σⱼ emp_cov_trace[j] = tr(S)
        for (int j = 0; j < d; j++) traceSum += gram[j * d + j] / m;
        double mu = traceSum / d;
        double betaRaw = 0;                       // Σₜ ‖xₜ‖⁴ = sum(X²ᵀ X²)
        for (int t = 0; t < m; t++)
        {
            double s = 0;
            for (int j = 0; j < d; j++) s += xc[t * d + j] * xc[t * d + j];
            betaRaw += s * s;
        }
        double deltaRaw = 0;                      // ‖XᵀX‖²_F / m²
        foreach (var g in gram) deltaRaw += g * g;
        deltaRaw /= (double)m * m;
        double beta = 1.0 / (d * m) * (betaRaw / m - deltaRaw);
        double delta = (deltaRaw - 2 * mu * traceSum + d * mu * mu) / d;
        beta = Math.Min(beta, delta);
        return beta == 0 ? 0 : beta / delta;
    }

    /// <summary>Discriminant scores δₖ(x) [rows × classes] (scikit-learn's <c>decision_function</c> for k ≥ 3).</summary>
    public double[][] DecisionFunction(double[][] x)
    {
        var flat = TrainingInput.Flatten(nameof(LinearDiscriminantAnalysis), x, _d);
        int k = _classes.Length;
        var result = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            var row = flat.AsSpan(i * _d, _d);
            var s = new double[k];
            for (int c = 0; c < k; c++)
                s[c] = System.Numerics.Tensors.TensorPrimitives.Dot(row, _coef.AsSpan(c * _d, _d)) + _intercept[c];
            result[i] = s;
        }
        return result;
    }

    public int[] Predict(double[][] x) => DecisionFunction(x).Select(s => _classes[ArgMax(s)]).ToArray();

    /// <summary>softmax(δ(x)) per row.</summary>
    public double[][] PredictProba(double[][] x)
    {
        var scores = DecisionFunction(x);
        foreach (var s in scores) Softmax.InPlace(s);
        return scores;
    }

    internal static int ArgMax(double[] s)
    {
        int best = 0;
        for (int c = 1; c < s.Length; c++) if (s[c] > s[best]) best = c;
        return best;
    }
}
