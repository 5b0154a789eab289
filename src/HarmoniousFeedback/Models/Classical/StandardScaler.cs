namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Per-feature standardisation fitted on training data only: <c>z = (x − mean) / scale</c> with
/// <c>mean</c> the column mean and <c>scale</c> the population standard deviation (ddof = 0) of the training rows.
/// Matches scikit-learn's <c>StandardScaler(with_mean=True, with_std=True)</c>: a column whose standard deviation is
/// below 10·ε (constant on the training set) keeps <c>scale = 1</c>, i.e. it is centred but not scaled, so it never
/// turns into NaN/∞ on test data.
/// </summary>
public sealed class StandardScaler
{
    /// <summary>Column means of the training data (zeros when fitted with <c>withMean: false</c>).</summary>
    public IReadOnlyList<double> Mean => _mean;
    /// <summary>Column scales (population std, 1 for constant columns or when fitted with <c>withStd: false</c>).</summary>
    public IReadOnlyList<double> Scale => _scale;
    public int NumFeatures => _mean.Length;

    /// <summary>IEEE double machine epsilon (numpy.finfo(float).eps).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double[] _mean;
    private readonly double[] _scale;

    private StandardScaler(double[] mean, double[] scale) { _mean = mean; _scale = scale; }

    /// <summary>Writes the fitted means and scales; see <see cref="Load"/>.</summary>
    public void Save(BinaryWriter w)
    {
        ClassicalModelIO.WriteHeader(w, "scaler");
        ClassicalModelIO.Write(w, _mean);
        ClassicalModelIO.Write(w, _scale);
    }

    public static StandardScaler Load(BinaryReader r) => ClassicalModelIO.Guard(r, () => LoadCore(r));

    private static StandardScaler LoadCore(BinaryReader r)
    {
        ClassicalModelIO.ReadHeader(r, "scaler");
        var mean = ClassicalModelIO.ReadDoubles(r);
        var scale = ClassicalModelIO.ReadDoubles(r);
        if (mean.Length != scale.Length) throw new CheckpointException($"scaler has {mean.Length} means but {scale.Length} scales");
        return new StandardScaler(mean, scale);
    }

    /// <summary>Fits means and scales on <paramref name="x"/> [rows × features]; rows must be equally long and finite.</summary>
    public static StandardScaler Fit(double[][] x, bool withMean = true, bool withStd = true)
    {
        if (x is null || x.Length == 0) throw new TrainingDataException("StandardScaler: x is empty; need at least 1 row to fit");
        var flat = TrainingInput.Flatten(nameof(StandardScaler), x, null);
        int n = x.Length, d = x[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += flat[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { var t = flat[i * d + j] - mean[j]; scale[j] += t * t; }
        for (int j = 0; j < d; j++)
        {
            var s = Math.Sqrt(scale[j] / n);
            scale[j] = !withStd || s < 10 * MachineEpsilon ? 1.0 : s;
        }
        if (!withMean) Array.Clear(mean);
        return new StandardScaler(mean, scale);
    }

    /// <summary>Returns standardised copies of the rows of <paramref name="x"/>.</summary>
    public double[][] Transform(double[][] x)
    {
        TrainingInput.Flatten(nameof(StandardScaler), x, NumFeatures);
        var result = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            var r = new double[NumFeatures];
            for (int j = 0; j < r.Length; j++) r[j] = (x[i][j] - _mean[j]) / _scale[j];
            result[i] = r;
        }
        return result;
    }

    /// <summary>Fits on <paramref name="x"/> and returns its standardised copy.</summary>
    public static (StandardScaler Scaler, double[][] Transformed) FitTransform(double[][] x)
    {
        var s = Fit(x);
        return (s, s.Transform(x));
    }
}
