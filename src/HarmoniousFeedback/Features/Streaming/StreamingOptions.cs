namespace HarmoniousFeedback.Features.Streaming;

/// <summary>How <see cref="StreamingFeatureExtractor"/> cuts a long signal into blocks (results do not depend on these).</summary>
public sealed record StreamingOptions
{
    /// <summary>
    /// Frames computed per block, a multiple of <see cref="FeatureParallelism.Grain"/> (256) so that blocks start where the
    /// whole-signal extractors' parallel blocks start. Memory grows with it: about <c>BlockFrames·hop</c> samples plus
    /// <c>BlockFrames</c> rows are held at once (8192 frames at hop 160 = 82 s of 16 kHz audio, ≈ 5 MB of samples).
    /// </summary>
    public int BlockFrames { get; init; } = 8192;

    /// <summary>Samples asked of the reader per call.</summary>
    public int ReadSamples { get; init; } = 65536;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(StreamingOptions));
        v.Check(BlockFrames >= FeatureParallelism.Grain && BlockFrames % FeatureParallelism.Grain == 0 && BlockFrames <= 1 << 22,
            $"BlockFrames = {BlockFrames} must be a multiple of {FeatureParallelism.Grain} in [{FeatureParallelism.Grain}, 4194304]");
        v.InRange(nameof(ReadSamples), ReadSamples, 1, 1 << 24);
        v.ThrowFeatureIfAny();
    }
}
