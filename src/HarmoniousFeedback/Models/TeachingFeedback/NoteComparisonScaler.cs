using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The clip-level note comparison of the reference stream (<c>score-notes</c>, <see cref="HarmoniousFeedback.Features.ScoreInformedComparison"/>:
/// notes heard, replaced or silent, unexplained onsets, attack timing, levels against velocities, …) standardised for the
/// shared representation z of <see cref="HarmoniousFeedbackNetwork"/>:
/// <code>
///   n̂ = clip((N − μ) · s, −c, c)        N [B, Q] → n̂ [B, Q],   s = 1 / max(σ, 10⁻⁶),   c = <see cref="Limit"/> = 5
/// </code>
/// μ and σ (population std) are buffers set once from the training clips by <see cref="Fit"/> before training (as a
/// StandardScaler would), saved with the weights and never trained. The measures differ in scale by orders of
/// magnitude (fractions, seconds, dB, log ratios) and an instrument never seen in training can push one far outside the
/// training range: the clip keeps one measure from dominating z. No gradient flows into N (an input).
/// ONNX (<see cref="ExportOnnx"/>): <c>Sub</c>, <c>Mul</c>, <c>Clip</c>.
/// </summary>
public sealed class NoteComparisonScaler : Module, IOnnxExportable
{
    /// <summary>c, the bound of the standardised values.</summary>
    public const float Limit = 5f;

    /// <param name="features">Q, the measures per clip (1 – 1024).</param>
    public NoteComparisonScaler(int features)
    {
        if (features is < 1 or > 1024)
            throw new OptionsValidationException(nameof(NoteComparisonScaler), [$"features = {features} must be in [1, 1024]"]);
        Features = features;
        Mean = RegisterBuffer("mean", Tensor.Zeros(features));
        Scale = RegisterBuffer("scale", Tensor.Ones(features));
    }

    /// <summary>Q.</summary>
    public int Features { get; }

    /// <summary>μ [Q].</summary>
    public Tensor Mean { get; }

    /// <summary>s = 1/σ [Q].</summary>
    public Tensor Scale { get; }

    /// <summary>Sets μ and s from the training clips' vectors (each of length Q); σ below 10⁻⁶ (a constant measure) gives s = 10⁶, so the measure is 0 on the training data and clipped outside it.</summary>
    /// <exception cref="ShapeMismatchException">No vectors, or one of another length.</exception>
    public void Fit(IEnumerable<float[]> vectors)
    {
        var sum = new double[Features];
        var sq = new double[Features];
        int n = 0;
        foreach (var v in vectors)
        {
            if (v.Length != Features) throw new ShapeMismatchException($"NoteComparisonScaler: a vector of {v.Length} values, {Features} expected");
            for (int q = 0; q < Features; q++) { sum[q] += v[q]; sq[q] += (double)v[q] * v[q]; }
            n++;
        }
        if (n == 0) throw new ShapeMismatchException("NoteComparisonScaler: no vectors to fit");
        var mean = Mean.Data;
        var scale = Scale.Data;
        for (int q = 0; q < Features; q++)
        {
            double mu = sum[q] / n, variance = Math.Max(0, sq[q] / n - mu * mu);
            mean[q] = (float)mu;
            scale[q] = (float)(1 / Math.Max(Math.Sqrt(variance), 1e-6));
        }
    }

    /// <summary>n̂ = clip((N − μ)·s, −c, c) of <paramref name="values"/> [Q] into <paramref name="destination"/> [Q] (the inference plan's path).</summary>
    public void Apply(ReadOnlySpan<float> values, Span<float> destination)
    {
        ReadOnlySpan<float> mean = Mean.Data, scale = Scale.Data;
        for (int q = 0; q < Features; q++) destination[q] = Math.Clamp((values[q] - mean[q]) * scale[q], -Limit, Limit);
    }

    /// <summary>N [B, Q] → n̂ [B, Q] (a constant of the graph: N is an input).</summary>
    public Tensor Forward(Tensor notes)
    {
        if (notes.Rank != 2 || notes.Shape[1] != Features)
            throw new ShapeMismatchException($"NoteComparisonScaler: the note comparison must be [B, {Features}], got {Tensor.ShapeString(notes.Shape)}");
        int b = notes.Shape[0];
        var y = new float[b * Features];
        var x = notes.Data;
        for (int i = 0; i < b; i++) Apply(x.Slice(i * Features, Features), y.AsSpan(i * Features, Features));
        return new Tensor(y, b, Features);
    }

    /// <summary>ONNX: notes [B, Q] → clip((notes − μ)·s, −c, c).</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "NoteComparisonScaler(notes)");
        graph.CheckRank(inputs[0], 2, "NoteComparisonScaler");
        graph.CheckDim(inputs[0], 1, Features, $"NoteComparisonScaler(Q={Features})");
        var centred = graph.Binary("Sub", inputs[0], graph.Initializer("mean", Mean));
        var scaled = graph.Binary("Mul", centred, graph.Initializer("scale", Scale));
        return [graph.Op("Clip", [scaled, graph.FloatConstant(-Limit), graph.FloatConstant(Limit)])];
    }
}
