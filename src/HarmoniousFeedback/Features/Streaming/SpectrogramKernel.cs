namespace HarmoniousFeedback.Features.Streaming;

/// <summary><see cref="Spectrogram"/> frames by <see cref="Spectrogram.ProcessFrame"/>, as its <c>Compute</c> does.</summary>
internal sealed class SpectrogramKernel(Spectrogram spectrogram) : CentredFrameKernel(spectrogram.Options.SampleRate,
    spectrogram.Options.NFft, spectrogram.Options.HopLength, spectrogram.Options.Center, spectrogram.Options.PadMode)
{
    public override IReadOnlyList<string> Names { get; } = SignalGuard.Names("bin_", spectrogram.Bins);

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        var frames = Frames(window, a, count);
        int bins = spectrogram.Bins, hop = Hop, n = NFft;
        FeatureParallelism.For(count, (s, e) => { for (int i = s; i < e; i++) spectrogram.ProcessFrame(frames.AsSpan(i * hop, n), dest.AsSpan(i * bins, bins)); });
    }
}
