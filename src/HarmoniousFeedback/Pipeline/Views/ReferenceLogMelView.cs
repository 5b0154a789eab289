using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>reference-logmel</c>: the reference — by default the clip's score rendered by the builtin synthesizer —
/// aligned to the performance by DTW on chroma and warped onto its frames: R̃(i, ω) = X_r(ĵ(i), ω), a sequence
/// [T × n_mels] with the <c>logmel</c> view's rows (<see cref="ReferenceAlignment"/>). The HFN's reference stream.
/// </summary>
public sealed class ReferenceLogMelView : FeatureView<ReferenceViewOptions>
{
    public override string Name => "reference-logmel";
    public override string Summary => "the reference (score rendered by the builtin synth) DTW-aligned to the performance, normalised log-mel [T × nMels] on the logmel view's frames";

    protected override ReferenceViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => ReferenceViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(ReferenceViewOptions options) => new Configured(this, options);

    private sealed class Configured(ReferenceLogMelView view, ReferenceViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Sequence(options.LogMel.NMels);
        public override bool Normalizable => false;
        public override string? Missing(ViewClip clip) => ReferenceAlignmentExtractor.Missing(clip, options);

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"aligning the reference to each performance ({clips.Count} clips, reference = {options.Reference.ToString().ToLowerInvariant()}, renderer {options.Renderer})");
            return ReferenceAlignmentExtractor.Extract(clips, options, x, ReferenceAlignmentExtractor.Part.Aligned, $"reference {x.Label}");
        }
    }
}
