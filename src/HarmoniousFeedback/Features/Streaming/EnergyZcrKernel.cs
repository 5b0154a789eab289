namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// <see cref="ShortTimeEnergy"/> (energy, log_energy_db) or <see cref="ZeroCrossingRate"/> (zcr) frames: the static
/// <c>ProcessFrame</c> on the W samples under the centred window, as their <c>Compute</c> does.
/// </summary>
internal sealed class EnergyZcrKernel(FrameOptions options, bool zcr)
    : CentredFrameKernel(options.SampleRate, options.NFft, options.HopLength, options.Center, options.PadMode)
{
    public override IReadOnlyList<string> Names { get; } = zcr ? ["zcr"] : ["energy", "log_energy_db"];

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        var frames = Frames(window, a, count);
        int w = options.EffectiveWinLength, l = (options.NFft - w) / 2, hop = Hop;
        FeatureParallelism.For(count, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                var y = frames.AsSpan(i * hop + l, w);
                if (zcr) { dest[i] = ZeroCrossingRate.ProcessFrame(y); continue; }
                var (en, db) = ShortTimeEnergy.ProcessFrame(y);
                dest[2 * i] = en; dest[2 * i + 1] = db;
            }
        });
    }
}
