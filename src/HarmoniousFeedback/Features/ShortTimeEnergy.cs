using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Short-time energy (anchors definition): <c>energy = (1/W)·Σ_m y[m]²</c> over the W analysed samples of the frame
/// (see <see cref="FrameOptions"/>; no window), and <c>log_energy_db = 10·log10(energy + 1e-10)</c>, so digital
/// silence gives 0 and −100 dB. Sums are accumulated in double. Output [frames × 2]: energy, log_energy_db.
/// </summary>
public sealed class ShortTimeEnergy
{
    public FrameOptions Options { get; }
    public const double Floor = 1e-10;

    public ShortTimeEnergy(FrameOptions? options = null) { Options = options ?? new FrameOptions(); Options.Validate(); }

    /// <summary>The W analysed samples → (energy, dB).</summary>
    public static (float Energy, float Db) ProcessFrame(ReadOnlySpan<float> y)
    {
        double s = 0;
        for (int m = 0; m < y.Length; m++) s += (double)y[m] * y[m];
        double e = y.Length == 0 ? 0 : s / y.Length;
        return ((float)e, (float)(10 * Math.Log10(e + Floor)));
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int w = Options.EffectiveWinLength, l = (Options.NFft - w) / 2;
        var data = new float[fs.Frames * 2];
        FeatureParallelism.For(fs.Frames, (a, b) =>
        {
            for (int i = a; i < b; i++)
            {
                var (e, d) = ProcessFrame(fs.Frame(i).Slice(l, w));
                data[2 * i] = e; data[2 * i + 1] = d;
            }
        });
        return new FeatureMatrix(data, fs.Frames, 2, ["energy", "log_energy_db"],
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(ShortTimeEnergy)));
}
