using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Options of the <c>mfcc</c> view.</summary>
public sealed record MfccStatsViewOptions
{
    /// <summary>librosa.feature.mfcc conventions (20 coefficients, 128 Slaney mel bands, n_fft 2048, hop 512) at the dataset's rate.</summary>
    public MfccOptions Mfcc { get; init; } = MfccOptions.Librosa;

    /// <summary><see cref="MfccOptions.Librosa"/> at <paramref name="sampleRate"/>: the scikit-learn reference's MFCCs.</summary>
    public static MfccOptions ReferenceMfcc(int sampleRate) => MfccOptions.Librosa with { Mel = MfccOptions.Librosa.Mel with { SampleRate = sampleRate } };
}
