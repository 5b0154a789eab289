using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Zero-crossing rate (anchors definition): <c>s[m] = (y[m] ≥ 0)</c> (zero counts as positive, librosa
/// <c>zero_pos=True</c>), <c>zcr = #{m ∈ 1..W−1 : s[m] ≠ s[m−1]} / (W − 1)</c> — a fraction of the W−1 adjacent pairs
/// (librosa divides by W). Exact fractions. Output [frames × 1].
/// </summary>
public sealed class ZeroCrossingRate
{
    public FrameOptions Options { get; }

    public ZeroCrossingRate(FrameOptions? options = null) { Options = options ?? new FrameOptions(); Options.Validate(); }

    /// <summary>The W analysed samples → crossing rate in [0, 1].</summary>
    public static float ProcessFrame(ReadOnlySpan<float> y)
    {
        if (y.Length < 2) return 0f;
        int c = 0;
        bool prev = y[0] >= 0;
        for (int m = 1; m < y.Length; m++)
        {
            bool cur = y[m] >= 0;
            if (cur != prev) c++;
            prev = cur;
        }
        return (float)((double)c / (y.Length - 1));
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int w = Options.EffectiveWinLength, l = (Options.NFft - w) / 2;
        var data = new float[fs.Frames];
        FeatureParallelism.For(fs.Frames, (a, b) => { for (int i = a; i < b; i++) data[i] = ProcessFrame(fs.Frame(i).Slice(l, w)); });
        return new FeatureMatrix(data, fs.Frames, 1, ["zcr"],
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(ZeroCrossingRate)));
}
