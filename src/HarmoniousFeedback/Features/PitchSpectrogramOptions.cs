using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>Options of <see cref="PitchSpectrogram"/>.</summary>
public sealed record PitchSpectrogramOptions
{
    /// <summary>The STFT (power is forced to 2). Default n_fft 2048 (128 ms at 16 kHz: bins 7.8 Hz apart, a semitone resolved above ≈ C3), hop 160 (10 ms).</summary>
    public SpectrogramOptions Stft { get; init; } = new() { NFft = 2048, HopLength = 160 };

    /// <summary>Lowest MIDI pitch (inclusive). Default 21 (A0, the piano's lowest key).</summary>
    public int MinPitch { get; init; } = 21;

    /// <summary>Highest MIDI pitch (inclusive), ≤ 119. Default 108 (C8, the piano's highest key).</summary>
    public int MaxPitch { get; init; } = 108;

    /// <summary>Deviation from A440 tuning in fractions of a semitone, [−0.5, 0.5]. Default 0.</summary>
    public double Tuning { get; init; }

    /// <summary>Dynamic range kept below the clip's loudest band, dB (<c>librosa.power_to_db(ref=np.max, top_db)</c>). Default 80.</summary>
    public double TopDb { get; init; } = 80;

    /// <summary>Number of pitch bands, MaxPitch − MinPitch + 1.</summary>
    public int Pitches => MaxPitch - MinPitch + 1;

    public void Validate()
    {
        var v = Stft.AddProblems(new OptionsValidator(nameof(PitchSpectrogramOptions)));
        v.InRange(nameof(MinPitch), MinPitch, 0, 119);
        v.InRange(nameof(MaxPitch), MaxPitch, MinPitch, 119);
        v.Check(Math.Abs(Tuning) <= 0.5, $"Tuning = {Tuning.ToString(CultureInfo.InvariantCulture)} must be in [-0.5, 0.5]");
        v.InRange(nameof(TopDb), TopDb, 1, 200);
        v.ThrowFeatureIfAny();
    }
}
