using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Time-localised issues from the note comparison: the model says <i>what</i> (the dominant issue), the windows of the
/// local contrasts (<see cref="ScoreInformedComparison.Compare"/>) say <i>where</i>. Each measure that takes its value in a
/// window speaks for one feedback dimension (<see cref="MeasureDimensions"/>); its evidence is its excess over the score's
/// own rendering, e = contrast − contrast on the rendering (<see cref="LocalContrast.Excess"/>), read against the clean
/// renditions of the corpus the model was trained on (<see cref="Calibrate"/>):
/// <code>
///   z_m      = (e_m − median_m) / max(ε, q98_m − median_m)          median, 98th percentile of e_m over clean renditions
///   dominant = d ≠ none:  the window of argmax_{m of d} z_m, when that z ≥ 0 (the passage most unlike the rest in d)
///   evidence = every reliable measure m with e_m &gt; q98_m: its window, in its
///              dimension; m is reliable when, on the training corpus, at least MinPrecision of its windows above q98_m
///              overlap a planted deviation of its dimension (and at least MinFirings of them were seen)
/// </code>
/// A span shorter than <see cref="FeedbackIssues.DefaultMinSeconds"/> is widened about its centre to that length; spans
/// of one dimension that overlap are merged. Severity is the model's deficit in the dimension, 1 − score_d. Measured on
/// 80 held-out EMOPIA pieces (docs/feedback.md, "Localisation from the notes"): with the shipped model a span of the
/// planted dimension over 52 % of the single localised deviations, by FluidSynth and by builtin, where the per-frame
/// scores found 0–3 %.
/// </summary>
public sealed class NoteIssueLocator
{
    /// <summary>Checkpoint metadata key: the calibration as JSON (measure → median, q98, precision, firings).</summary>
    public const string MetadataKey = "notes.locate";

    /// <summary>The default of <see cref="MinPrecision"/>.</summary>
    public const double DefaultMinPrecision = 0.4;

    /// <summary>
    /// A measure is used as evidence on its own when at least this share of its firings on the training corpus were
    /// right (<see cref="LocalContrastCalibration.IsReliable"/>), in [0, 1]; 1 keeps only the dominant issue's window. Default
    /// 0.4: on held-out EMOPIA pieces 0.5 kept fewer false spans and found fewer planted ones (docs/feedback.md).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside [0, 1].</exception>
    public double MinPrecision
    {
        get => _minPrecision;
        init => _minPrecision = value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MinPrecision), value, "MinPrecision must be in [0, 1] (a share of the training corpus's firings)");
    }

    private readonly double _minPrecision = DefaultMinPrecision;

    /// <summary>…and it fired at least this many times there. Default 5.</summary>
    public const int MinFirings = 5;

    /// <summary><see cref="Calibrate"/> needs at least this many clean renditions.</summary>
    public const int MinCleanRenditions = 5;

    /// <summary>The measures with a window and the dimension (index in <see cref="HarmoniousFeedbackNetwork.Dimensions"/>) each speaks for.</summary>
    public static IReadOnlyDictionary<string, int> MeasureDimensions { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["local_replaced_max"] = 0, ["local_slips_max"] = 0,                               // pitch: a neighbour instead, a neighbouring key
        ["local_jitter_max"] = 1,                                                           // rhythm
        ["local_tempo_max"] = 2,                                                            // tempo: rushing, dragging
        ["level_sudden"] = 3, ["level_vs_reference_sudden"] = 3,                            // dynamics
        ["local_duration_short_max"] = 4, ["local_duration_long_max"] = 4,                  // articulation
        ["local_duration_vs_reference_short_max"] = 4, ["local_duration_vs_reference_long_max"] = 4,
        ["local_silent_max"] = 5, ["local_lost_max"] = 5,                                   // completeness
    };

    private readonly Dictionary<string, LocalContrastCalibration> _calibration;

    /// <summary>A locator with <paramref name="calibration"/> (per measure of <see cref="MeasureDimensions"/>; others are refused).</summary>
    /// <exception cref="SchemaMismatchException">A measure that has no window or dimension, or non-finite statistics.</exception>
    public NoteIssueLocator(IReadOnlyDictionary<string, LocalContrastCalibration> calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var unknown = calibration.Keys.Where(k => !MeasureDimensions.ContainsKey(k)).ToArray();
        if (unknown.Length > 0)
            throw new SchemaMismatchException($"note issue locator: {string.Join(", ", unknown)} take no window; the measures are {string.Join(", ", MeasureDimensions.Keys)}");
        var bad = calibration.Where(kv => !kv.Value.IsValid).Select(kv => kv.Key).ToArray();
        if (bad.Length > 0)
            throw new SchemaMismatchException($"note issue locator: the calibration of {string.Join(", ", bad)} is not finite, ordered (median ≤ q98) and with a precision in [0, 1]");
        _calibration = new Dictionary<string, LocalContrastCalibration>(calibration, StringComparer.Ordinal);
    }

    /// <summary>The calibration per measure.</summary>
    public IReadOnlyDictionary<string, LocalContrastCalibration> Calibration => _calibration;

    /// <summary>The measures used as evidence on their own (<see cref="LocalContrastCalibration.IsReliable"/> at <see cref="MinPrecision"/>), in <see cref="MeasureDimensions"/> order.</summary>
    public IReadOnlyList<string> Reliable => [.. MeasureDimensions.Keys.Where(m => _calibration.TryGetValue(m, out var c) && c.IsReliable(MinPrecision))];

    /// <summary>
    /// Calibrates on a corpus: <paramref name="clips"/> are each rendition's windows and its planted deviations (empty
    /// for a clean rendition; whole-clip deviations cover the clip). Needs at least <see cref="MinCleanRenditions"/> clean renditions.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinCleanRenditions"/> clean renditions.</exception>
    public static NoteIssueLocator Calibrate(IReadOnlyList<(IReadOnlyList<LocalContrast> Windows, IReadOnlyList<FeedbackSpan> Planted)> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var clean = clips.Where(c => c.Planted.Count == 0).ToArray();
        if (clean.Length < MinCleanRenditions)
            throw new ArgumentException($"calibrating the note issue locator needs at least {MinCleanRenditions} clean renditions, got {clean.Length} of {clips.Count}", nameof(clips));
        var calibration = new Dictionary<string, LocalContrastCalibration>(StringComparer.Ordinal);
        foreach (var (measure, dim) in MeasureDimensions)
        {
            var e = clean.Select(c => Excess(c.Windows, measure)).Order().ToArray();
            double median = Quantile(e, 0.5), q98 = Quantile(e, 0.98);
            int firings = 0, right = 0;
            foreach (var (windows, planted) in clips)
            {
                if (planted.Count == 0) continue;
                var w = windows.FirstOrDefault(x => x.Measure == measure);
                if (w is null || !(w.Excess > q98)) continue;
                firings++;
                if (planted.Any(p => p.Dimension == dim && p.Start <= w.End && p.End >= w.Start)) right++;
            }
            calibration[measure] = new LocalContrastCalibration(median, q98, firings == 0 ? 0 : (double)right / firings, firings);
        }
        return new NoteIssueLocator(calibration);
    }

    /// <summary>
    /// The issues of one performance: the dominant issue's window and the reliable measures' evidence (see the class
    /// summary), ordered by start, then dimension.
    /// </summary>
    /// <param name="windows">The performance's windows (<see cref="ScoreInformedComparison.Compare"/>).</param>
    /// <param name="dominantIssue">The model's dominant issue (<see cref="HarmoniousFeedbackNetwork.IssueClasses"/>).</param>
    /// <param name="scores">The model's dimension scores [6] (severity = 1 − score).</param>
    /// <param name="duration">The performance's length (s): spans are kept inside [0, duration].</param>
    public IReadOnlyList<FeedbackSpan> Locate(IReadOnlyList<LocalContrast> windows, string dominantIssue, IReadOnlyList<float> scores, double duration)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != HarmoniousFeedbackNetwork.Dimensions.Count)
            throw new ShapeMismatchException($"note issue locator: {scores.Count} dimension scores, expected {HarmoniousFeedbackNetwork.Dimensions.Count}");
        var found = new List<(int Dimension, double Start, double End)>();
        int dominant = HarmoniousFeedbackNetwork.Dimensions.ToList().IndexOf(dominantIssue);
        if (dominant >= 0)
        {
            LocalContrast? best = null;
            double bestZ = 0;
            foreach (var w in windows)
            {
                if (!MeasureDimensions.TryGetValue(w.Measure, out int d) || d != dominant || !_calibration.TryGetValue(w.Measure, out var c)) continue;
                double z = c.Z(w.Excess);
                if (z >= bestZ) { best = w; bestZ = z; }
            }
            if (best is not null) found.Add((dominant, best.Start, best.End));
        }
        foreach (var w in windows)
            if (MeasureDimensions.TryGetValue(w.Measure, out int d) && _calibration.TryGetValue(w.Measure, out var c) && c.IsReliable(MinPrecision) && w.Excess > c.Q98)
                found.Add((d, w.Start, w.End));
        var spans = new List<FeedbackSpan>();
        foreach (var group in found.GroupBy(f => f.Dimension))
        {
            double severity = Math.Clamp(1 - scores[group.Key], 0, 1);
            var runs = group.Select(f => Widen(f.Start, f.End, duration)).OrderBy(f => f.Start).ToList();
            var (s, e) = runs[0];
            foreach (var (a, b) in runs.Skip(1))
            {
                if (a <= e) { e = Math.Max(e, b); continue; }
                spans.Add(new FeedbackSpan(group.Key, s, e, severity));
                (s, e) = (a, b);
            }
            spans.Add(new FeedbackSpan(group.Key, s, e, severity));
        }
        return [.. spans.OrderBy(x => x.Start).ThenBy(x => x.Dimension)];
    }

    private static (double Start, double End) Widen(double start, double end, double duration)
    {
        double min = FeedbackIssues.DefaultMinSeconds;
        if (end - start < min)
        {
            double mid = 0.5 * (start + end);
            (start, end) = (mid - min / 2, mid + min / 2);
        }
        if (duration > 0)
        {
            if (start < 0) (start, end) = (0, Math.Min(duration, end - start));
            if (end > duration) (start, end) = (Math.Max(0, start - (end - duration)), duration);
        }
        return (Math.Max(0, start), end);
    }

    private static double Excess(IReadOnlyList<LocalContrast> windows, string measure) =>
        windows.FirstOrDefault(w => w.Measure == measure) is { } w && double.IsFinite(w.Excess) ? w.Excess : 0;   // no window: no contrast

    /// <summary>The q-quantile of sorted <paramref name="x"/> by linear interpolation (NumPy's default).</summary>
    private static double Quantile(double[] x, double q)
    {
        double pos = q * (x.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(x.Length - 1, lo + 1);
        return x[lo] + (pos - lo) * (x[hi] - x[lo]);
    }

    /// <summary>The metadata entry that records the calibration.</summary>
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MetadataKey] = JsonSerializer.Serialize(
            MeasureDimensions.Keys.Where(_calibration.ContainsKey).ToDictionary(m => m, m => _calibration[m].ToArray()), HarmoniousFeedback.IO.JsonDefaults.Options),
    };

    /// <summary>The locator recorded in a model's metadata, or null when it records none (a model trained before, or without note features).</summary>
    /// <exception cref="CheckpointException">A calibration that is not a JSON object of measure → [median, q98, precision, firings], or names a measure without a window.</exception>
    public static NoteIssueLocator? FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out var json)) return null;
        Dictionary<string, double[]>? raw;
        try { raw = JsonSerializer.Deserialize<Dictionary<string, double[]>>(json, HarmoniousFeedback.IO.JsonDefaults.Options); }
        catch (JsonException e) { throw new CheckpointException($"{source}: metadata {MetadataKey} is not a JSON object of measure → [median, q98, precision, firings]: {e.Message}", e); }
        if (raw is null || raw.Values.Any(v => v is null || v.Length != 4))
            throw new CheckpointException($"{source}: metadata {MetadataKey} must map each measure to 4 numbers [median, q98, precision, firings]");
        try { return new NoteIssueLocator(raw.ToDictionary(kv => kv.Key, kv => LocalContrastCalibration.FromArray(kv.Value), StringComparer.Ordinal)); }
        catch (SchemaMismatchException e) { throw new CheckpointException($"{source}: metadata {MetadataKey}: {e.Message}", e); }
    }

    /// <summary>One line per measure: dimension, median, q98, precision and firings, reliable ones marked.</summary>
    public override string ToString() => string.Join("\n", MeasureDimensions.Where(kv => _calibration.ContainsKey(kv.Key)).Select(kv =>
    {
        var c = _calibration[kv.Key];
        return string.Create(CultureInfo.InvariantCulture,
            $"{kv.Key} ({HarmoniousFeedbackNetwork.Dimensions[kv.Value]}): median {c.Median:0.####}, q98 {c.Q98:0.####}, precision {c.Precision:0.00} of {c.Firings}{(c.IsReliable(MinPrecision) ? ", reliable" : "")}");
    }));
}
