using HarmoniousFeedback.Features.Symbolic;
using HarmoniousFeedback.Features.Text;

namespace HarmoniousFeedback.Features;

/// <summary>Options of <see cref="MultiViewExtractor"/> (per clip) and of the Data stage's dataset-level extraction.</summary>
public sealed record MultiViewOptions
{
    /// <summary>Score and performance features; keep their segmentation equal to the LLD's (<see cref="AlignedWith"/>).</summary>
    public SymbolicFeatureOptions Symbolic { get; init; } = new();

    /// <summary>Transcription-free onset/tempo features from audio.</summary>
    public AudioRhythmOptions AudioRhythm { get; init; } = new();

    /// <summary>For which clips the audio rhythm view is computed. Default: clips without MIDI.</summary>
    public AudioRhythmPolicy AudioRhythmFor { get; init; } = AudioRhythmPolicy.ClipsWithoutMidi;

    /// <summary>Emotion-word masking of the text before tokenisation (the leakage check). Default none.</summary>
    public EmotionMasking TextMasking { get; init; } = EmotionMasking.None;

    /// <summary>Feature cache folder (e.g. <c>data/cache/features</c>); null = no cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Clips extracted in parallel (≥ 1). Default: processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>These options with the symbolic and audio-rhythm segmentation (and the audio rhythm's frame grid) of <paramref name="lld"/>.</summary>
    public MultiViewOptions AlignedWith(LldOptions lld) => this with { Symbolic = Symbolic.AlignedWith(lld), AudioRhythm = AudioRhythm.AlignedWith(lld) };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(MultiViewOptions));
        v.Check(Enum.IsDefined(AudioRhythmFor), $"AudioRhythmFor = {AudioRhythmFor} must be one of {string.Join(", ", Enum.GetNames<AudioRhythmPolicy>())}");
        v.Check(Enum.IsDefined(TextMasking), $"TextMasking = {TextMasking} must be one of {string.Join(", ", Enum.GetNames<EmotionMasking>())}");
        v.Check(MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism = {MaxDegreeOfParallelism} must be >= 1");
        v.ThrowFeatureIfAny();
        Symbolic.Validate();
        AudioRhythm.Validate();
    }
}
