using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>mfcc</c>: clip-level MFCC statistics — the mean and population standard deviation of each of 20
/// librosa-convention MFCCs over all frames of the whole clip, a vector [40] (<see cref="FeatureStatistics.MeanStd"/>).
/// The features of the scikit-learn reference (RBF SVM on MFCC mean/std). Not min–max normalised: classical models
/// standardise it on the training rows themselves.
/// </summary>
public sealed class MfccStatsView : FeatureView<MfccStatsViewOptions>
{
    public override string Name => "mfcc";
    public override string Summary => "20 librosa-convention MFCCs, mean and std over the whole clip, a vector [40]";

    protected override MfccStatsViewOptions ReadOptions(ParameterReader p, ViewDefaults d)
    {
        var mfcc = MfccStatsViewOptions.ReferenceMfcc(d.SampleRate);
        return new() { Mfcc = mfcc with { NMfcc = p.Int("nMfcc", mfcc.NMfcc, "number of MFCCs", 1, 128) } };
    }

    protected override ConfiguredView Create(MfccStatsViewOptions options) => new Configured(this, options);

    private sealed class Configured(MfccStatsView view, MfccStatsViewOptions options) : ConfiguredView(view)
    {
        private readonly int _n = options.Mfcc.NMfcc;

        public override ColumnType Type => ColumnType.Vector(2 * _n);

        public override IReadOnlyList<string> SlotNames =>
            Enumerable.Range(0, _n).Select(k => $"mfcc{k}_mean").Concat(Enumerable.Range(0, _n).Select(k => $"mfcc{k}_std")).ToArray();

        public override bool Normalizable => false;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var cache = x.CacheDirectory is null ? null : new FeatureCache(x.CacheDirectory);
            var extractor = BatchFeatureExtractor.ForMfcc(options.Mfcc, cache, x.Threads);
            x.Stage?.Invoke($"extracting MFCC mean/std statistics ({clips.Count} clips, {_n} MFCCs, whole clip)");
            var results = extractor.Run(clips.Select(c => new BatchItem(c.Id, c.AudioPath)), LldSegmentsView.ProgressOf(x, $"mfcc {x.Label}"), x.Cancellation);
            return results.Select(r => (object)FeatureStatistics.MeanStd(r.Features)).ToArray();
        }
    }
}
