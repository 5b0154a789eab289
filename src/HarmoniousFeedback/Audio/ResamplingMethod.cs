namespace HarmoniousFeedback.Audio;

/// <summary>Window applied to the sinc interpolation kernel (torchaudio's <c>resampling_method</c>).</summary>
public enum ResamplingMethod
{
    /// <summary><c>"sinc_interp_hann"</c>: w(t) = cos²(π t / (2·width)) for |t| ≤ width.</summary>
    SincInterpHann,
    /// <summary><c>"sinc_interp_kaiser"</c>: w(t) = I₀(β·√(1 − (t/width)²)) / I₀(β).</summary>
    SincInterpKaiser,
}
