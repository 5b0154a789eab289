using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>
/// Min–max normalisation to [0, 1] of a sequence or fixed-size vector column, fitted on the table given to
/// <see cref="Fit"/> (the training fold) only and applied unchanged to any later table — the piano-emotion method's
/// normalisation. Per feature j: <c>y = (x − min_j)/(max_j − min_j)</c>, constant features → 0; values outside the
/// fitted range are clipped to [0, 1] unless <c>clip</c> is false (<see cref="MinMaxNormalizer"/>).
/// </summary>
public sealed class MinMaxNormalizeEstimator(string outputColumn, string inputColumn, bool clip = true) : IEstimator<MinMaxNormalizeTransformer>
{
    private static readonly ColumnType[] Accepted = [ColumnType.Sequence(0), ColumnType.Vector()];

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.RequireAny($"MinMaxNormalize('{outputColumn}')", inputColumn, Accepted);
        if (c.Type is VectorType { Size: null })
            throw new SchemaMismatchException($"MinMaxNormalize('{outputColumn}'): column '{inputColumn}' is a variable-size vector; normalisation needs a fixed number of features");
        return input.With(c with { Name = outputColumn });
    }

    public MinMaxNormalizeTransformer Fit(DataTable input)
    {
        GetOutputSchema(input.Schema);
        var normalizer = MinMaxNormalizer.Fit(MinMaxNormalizeTransformer.AsMatrices(input, inputColumn), clip);
        return new MinMaxNormalizeTransformer(outputColumn, inputColumn, normalizer);
    }
}

public sealed class MinMaxNormalizeTransformer(string outputColumn, string inputColumn, MinMaxNormalizer normalizer) : ITransformer
{
    public string OutputColumn { get; } = outputColumn;
    public string InputColumn { get; } = inputColumn;
    public MinMaxNormalizer Normalizer { get; } = normalizer;

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.RequireAny($"MinMaxNormalize('{OutputColumn}')", InputColumn, [ColumnType.Sequence(Normalizer.Min.Length), ColumnType.Vector(Normalizer.Min.Length)],
            $"The normaliser was fitted on {Normalizer.Min.Length} features.");
        return input.With(c with { Name = OutputColumn });
    }

    internal static IEnumerable<FeatureMatrix> AsMatrices(DataTable t, string column)
    {
        var c = t[column];
        for (int r = 0; r < t.RowCount; r++)
        {
            yield return c.GetBoxed(r) switch
            {
                FeatureMatrix m => m,
                float[] v => new FeatureMatrix(v, 1, v.Length, t.Schema[column]!.SlotNames ?? Enumerable.Range(0, v.Length).Select(i => $"{column}[{i}]").ToArray(), [0.0]),
                var o => throw new SchemaMismatchException($"MinMaxNormalize: row {r} of '{column}' is {o?.GetType().Name ?? "null"}"),
            };
        }
    }

    public DataTable Transform(DataTable input)
    {
        var col = GetOutputSchema(input.Schema)[OutputColumn]!;
        var matrices = AsMatrices(input, InputColumn).ToArray();
        var scaled = new FeatureMatrix[matrices.Length];
        ParallelRows.For(scaled.Length, r => scaled[r] = Normalizer.Transform(matrices[r]));
        DataColumn outCol = col.Type is SequenceType
            ? new DataColumn<FeatureMatrix>(col, scaled)
            : new DataColumn<float[]>(col, scaled.Select(m => m.Data).ToArray());
        return input.With(outCol);
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write(Normalizer.Min);
        writer.Write(Normalizer.Max);
        writer.Write(Normalizer.FeatureNames);
        writer.Write(Normalizer.ClipToUnitRange);
    }

    public static MinMaxNormalizeTransformer Load(ModelReader reader)
    {
        var o = reader.ReadString();
        var i = reader.ReadString();
        var min = reader.ReadSingleArray();
        var max = reader.ReadSingleArray();
        var names = reader.ReadStringArray();
        return new MinMaxNormalizeTransformer(o, i, new MinMaxNormalizer(min, max, names, reader.ReadBoolean()));
    }
}

/// <summary>Catalog methods for audio loading, resampling, feature extraction and normalisation.</summary>
public static class FeatureTransformsCatalogExtensions
{
    public static TrivialEstimator<LoadAudioTransformer> LoadAudio(this TransformsCatalog c, string outputColumn = "Audio", string pathColumn = "Path", bool mono = true)
        => new(new LoadAudioTransformer(outputColumn, pathColumn, mono));

    public static TrivialEstimator<ResampleTransformer> Resample(this TransformsCatalog c, string outputColumn, string inputColumn, int newFreq)
        => new(new ResampleTransformer(outputColumn, inputColumn, newFreq));

    public static TrivialEstimator<AudioFeatureTransformer> Spectrogram(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", SpectrogramOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.Spectrogram, options));

    public static TrivialEstimator<AudioFeatureTransformer> MelSpectrogram(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", MelSpectrogramOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.MelSpectrogram, options));

    public static TrivialEstimator<AudioFeatureTransformer> LogMel(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", LogMelOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LogMel, options));

    public static TrivialEstimator<AudioFeatureTransformer> Mfcc(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", MfccOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.Mfcc, options));

    /// <summary>The 50-dim LLD segment descriptors (3 s segments by default) of the piano-emotion method.</summary>
    public static TrivialEstimator<AudioFeatureTransformer> LldSegments(this TransformsCatalog c, string outputColumn = "Lld", string inputColumn = "Audio", LldOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LldSegments, options));

    public static TrivialEstimator<AudioFeatureTransformer> LldFrames(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", LldOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LldFrames, options));

    /// <summary>Min–max normalisation fitted on the training data only.</summary>
    public static MinMaxNormalizeEstimator NormalizeMinMax(this TransformsCatalog c, string outputColumn, string? inputColumn = null, bool clip = true)
        => new(outputColumn, inputColumn ?? outputColumn, clip);
}
