using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// The log-mel every teaching-feedback view computes (the same options make the same frames, so the views of one clip
/// align row by row): torchaudio conventions, 128 bins, 32 ms frames every 10 ms at 16 kHz, top_db 80.
/// </summary>
public sealed record LogMelViewOptions
{
    public int SampleRate { get; init; } = 16000;
    public int NMels { get; init; } = 128;
    public int NFft { get; init; } = 512;
    public int HopLength { get; init; } = 160;
    public double FMin { get; init; }
    /// <summary>Null = Nyquist.</summary>
    public double? FMax { get; init; }
    public double TopDb { get; init; } = 80;

    /// <summary>The <see cref="LogMelOptions"/> (HTK mel scale, no norm, power 2, centred reflect-padded frames).</summary>
    public LogMelOptions ToLogMelOptions() => new()
    {
        Mel = new MelSpectrogramOptions { SampleRate = SampleRate, NMels = NMels, NFft = NFft, HopLength = HopLength, FMin = FMin, FMax = FMax },
        TopDb = TopDb,
    };

    /// <summary>Reads the shared parameters (nMels, nFft, hopLength, fMin, fMax, topDb) at <paramref name="sampleRate"/>.</summary>
    public static LogMelViewOptions Read(Registry.ParameterReader p, int sampleRate)
    {
        var d = new LogMelViewOptions { SampleRate = sampleRate };
        var o = d with
        {
            NMels = p.Int("nMels", d.NMels, "mel bins (torchaudio n_mels)", 8, 512),
            NFft = p.Int("nFft", d.NFft, "FFT size (n_fft)", 16, 16384),
            HopLength = p.Int("hopLength", d.HopLength, "samples between frames (hop_length); the frame rate of every teaching-feedback view", 1, 16384),
            FMin = p.Double("fMin", d.FMin, "lowest mel frequency (Hz)", 0, 48000),
            FMax = p.NullableDouble("fMax", d.FMax, "highest mel frequency (Hz; null = Nyquist)", 1, 48000),
            TopDb = p.Double("topDb", d.TopDb, "dynamic range kept below the clip's loudest bin (dB); X = (dB − max)/topDb + 1", 1, 200),
        };
        try { o.ToLogMelOptions().Validate(); }
        catch (FeatureParameterException e) { foreach (var problem in e.Problems) p.Problem(problem); }
        return o;
    }
}
