namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="Mfcc"/> (<c>torchaudio.transforms.MFCC(n_mfcc, dct_type=2, norm='ortho', log_mels=False, melkwargs)</c>):
/// orthonormal DCT-II of the clip-level top_db-clamped dB log-mel, no liftering. NMfcc defaults to 18 (the project's
/// 50-dim descriptor and the DSP anchors; torchaudio's own default is 40).
/// </summary>
public sealed record MfccOptions
{
    public MelSpectrogramOptions Mel { get; init; } = new();
    public int NMfcc { get; init; } = 18;
    public double? TopDb { get; init; } = 80.0;
    public double Amin { get; init; } = 1e-10;
    /// <summary>Orthonormal DCT-II (torchaudio/librosa default); false = unnormalised scipy <c>norm=None</c>.</summary>
    public bool OrthonormalDct { get; init; } = true;

    /// <summary>torchaudio conventions (the defaults).</summary>
    public static MfccOptions Torchaudio { get; } = new();

    /// <summary>librosa.feature.mfcc conventions: 20 coefficients on a 128-band Slaney/Slaney mel with zero centre padding.</summary>
    public static MfccOptions Librosa { get; } = new() { Mel = MelSpectrogramOptions.Librosa, NMfcc = 20 };

    public LogMelOptions ToLogMelOptions() => new() { Mel = Mel, TopDb = TopDb, Amin = Amin };

    public void Validate()
    {
        var v = ToLogMelOptions().AddProblems(new OptionsValidator(nameof(MfccOptions)));
        v.Check(NMfcc >= 1 && NMfcc <= Mel.NMels, $"NMfcc = {NMfcc} must be in [1, NMels = {Mel.NMels}]");
        v.ThrowFeatureIfAny();
    }
}
