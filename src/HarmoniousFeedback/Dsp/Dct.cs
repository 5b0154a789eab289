namespace HarmoniousFeedback.Dsp;

/// <summary>
/// Truncated DCT-II as a precomputed matrix: <c>C[q] = Σ_{b=0}^{N−1} x[b]·a_q·cos(π·q·(b + 0.5)/N)</c>,
/// <c>q = 0..K−1</c>. Orthonormal scaling (<c>a_0 = √(1/N)</c>, <c>a_q = √(2/N)</c>) matches
/// <c>scipy.fft.dct(type=2, norm='ortho')</c> and <c>torchaudio.functional.create_dct(norm='ortho')</c>;
/// without it <c>a_q = 2</c> (scipy <c>norm=None</c>). Immutable, thread-safe.
/// </summary>
public sealed class Dct
{
    public int InputLength { get; }
    public int OutputLength { get; }
    public bool Orthonormal { get; }
    private readonly float[] _m; // [K × N] row-major

    public Dct(int inputLength, int outputLength, bool orthonormal = true)
    {
        var v = new OptionsValidator(nameof(Dct));
        v.InRange("n_input", inputLength, 1, 1_000_000);
        v.Check(outputLength >= 1 && outputLength <= inputLength, $"n_output = {outputLength} must be in [1, n_input = {inputLength}]");
        v.ThrowFeatureIfAny();
        InputLength = inputLength; OutputLength = outputLength; Orthonormal = orthonormal;
        _m = new float[outputLength * inputLength];
        for (int q = 0; q < outputLength; q++)
        {
            double a = orthonormal ? (q == 0 ? Math.Sqrt(1.0 / inputLength) : Math.Sqrt(2.0 / inputLength)) : 2.0;
            for (int b = 0; b < inputLength; b++)
                _m[q * inputLength + b] = (float)(a * Math.Cos(Math.PI * q * (b + 0.5) / inputLength));
        }
    }

    /// <summary>Applies the transform: <paramref name="input"/> length N → <paramref name="output"/> length K.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputLength) throw new ShapeMismatchException($"DCT expects {InputLength} inputs, got {input.Length}");
        if (output.Length < OutputLength) throw new ShapeMismatchException($"DCT output has {output.Length} values, needs {OutputLength}");
        for (int q = 0; q < OutputLength; q++)
            output[q] = System.Numerics.Tensors.TensorPrimitives.Dot(_m.AsSpan(q * InputLength, InputLength), input);
    }
}
