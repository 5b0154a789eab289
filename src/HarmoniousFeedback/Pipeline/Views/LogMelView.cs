using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>logmel</c>: the performance's normalised log-mel X = (dB − max)/top_db + 1 ∈ [0, 1]
/// (<see cref="NormalizedLogMel"/>), a sequence [T × n_mels], one row per frame — the HFN's spectrogram input
/// (128 × T at 16 kHz by default). Already in [0, 1], so not min–max normalised.
/// </summary>
public sealed class LogMelView : FeatureView<LogMelViewOptions>
{
    public override string Name => "logmel";
    public override string Summary => "normalised log-mel (dB − max)/topDb + 1 in [0, 1], a sequence [T × nMels] (the HFN's input; docs/feedback.md)";

    protected override LogMelViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => LogMelViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(LogMelViewOptions options) => new Configured(this, options);

    private sealed class Configured(LogMelView view, LogMelViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Sequence(options.NMels);
        public override bool Normalizable => false;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var cache = x.CacheDirectory is null ? null : new FeatureCache(x.CacheDirectory);
            var logMel = new NormalizedLogMel(options.ToLogMelOptions());
            var extractor = new BatchFeatureExtractor(logMel.Compute, options, cache, x.Threads);
            x.Stage?.Invoke($"extracting normalised log-mel ({clips.Count} clips, {options.NMels} bins, hop {options.HopLength})");
            var results = extractor.Run(clips.Select(c => new BatchItem(c.Id, c.AudioPath)), LldSegmentsView.ProgressOf(x, $"logmel {x.Label}"), x.Cancellation);
            return results.Select(r => (object)r.Features).ToArray();
        }
    }
}
