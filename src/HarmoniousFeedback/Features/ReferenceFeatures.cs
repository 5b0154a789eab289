using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// A reference rendition (the score played back) with the frames <see cref="ReferenceAlignment"/> reads computed once:
/// the mel band powers (before dB) and the chroma of every frame of the whole reference, at the options' hop. Build it
/// once per score and pass it to <see cref="ReferenceAlignment.Compute(AudioClip, ReferenceFeatures, int, int)"/> with the
/// part of the reference each window is compared with (<c>hfb feedback --stream</c> does): that part's features are then
/// copied from these frames instead of recomputed, and only the frames that reach into the part's edge padding
/// (n_fft/2/hop ≈ 7 chroma frames and 2 log-mel frames at each end at the defaults) are computed from its samples.
/// The result is bit-identical to aligning with the part's samples (<see cref="ReferenceAlignment.Compute(AudioClip, AudioClip)"/>;
/// tests check it): a frame inside the part sees exactly the samples it sees in the whole reference, and the
/// clip-level dB clamp and normalisation are applied to the part's frames, as before.
/// <para>Memory: (n_mels + 12) floats per frame plus the samples, ≈ 52 KB per second at the defaults. Immutable and thread-safe.</para>
/// </summary>
public sealed class ReferenceFeatures
{
    /// <param name="reference">The score rendered; downmixed to mono, at <see cref="ReferenceAlignmentOptions.SampleRate"/>.</param>
    /// <param name="options">The alignment options of the model's reference view (the same as the <see cref="ReferenceAlignment"/> it is used with).</param>
    /// <exception cref="FeatureParameterException">The reference is not at the options' sample rate.</exception>
    /// <exception cref="InvalidSignalException">The reference holds a non-finite sample.</exception>
    public ReferenceFeatures(AudioClip reference, ReferenceAlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Options = options ?? new ReferenceAlignmentOptions();
        Options.Validate();
        Source = reference.Source;
        var frames = ReferenceAlignmentFrames.For(Options);
        Samples = SignalGuard.MonoAt(reference, Options.SampleRate, nameof(ReferenceFeatures)).ToArray();   // a copy: the clip's array may change
        MelPower = frames.MelPower(Samples);
        var chroma = frames.ChromaOf(Samples);
        ChromaRows = chroma.Data;
        ChromaNames = chroma.FeatureNames;
        Frames = chroma.Rows;
    }

    public ReferenceAlignmentOptions Options { get; }

    /// <summary>Where the reference came from (for error messages).</summary>
    public string Source { get; }

    /// <summary>Frames of the whole reference (1 + samples/hop).</summary>
    public int Frames { get; }

    /// <summary>The reference's length in samples (mono).</summary>
    public int Length => Samples.Length;

    internal float[] Samples { get; }

    /// <summary>Mel band powers [Frames × n_mels] of the whole reference (before dB).</summary>
    internal float[] MelPower { get; }

    /// <summary>Chroma [Frames × 12] of the whole reference.</summary>
    internal float[] ChromaRows { get; }

    internal IReadOnlyList<string> ChromaNames { get; }
}
