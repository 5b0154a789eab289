using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Computes the note comparison N [Q] an HFN with note features reads (<see cref="HfnExample.Notes"/>): the measures of
/// <see cref="ScoreInformedComparison"/> the model was trained on, in its order, on the frames of the alignment — what
/// the experiment's <c>score-notes</c> view gives, for a recording outside a dataset (<c>hfb feedback</c>,
/// <c>hfb feedback-train</c>). A model file records the measures and the comparison's version
/// (<see cref="MeasuresKey"/>, <see cref="VersionKey"/>); <see cref="FromMetadata"/> refuses a model whose measures this
/// toolkit computes differently.
/// </summary>
public sealed class NoteComparisonInput
{
    /// <summary>Checkpoint metadata: the measures (a JSON array of <see cref="ScoreInformedComparison.FeatureNames"/>) and <see cref="ScoreInformedComparison.Version"/>.</summary>
    public const string MeasuresKey = "notes.measures", VersionKey = "notes.version";

    private readonly ScoreInformedComparison _comparison;
    private readonly int[] _indices;

    /// <param name="measures">Names from <see cref="ScoreInformedComparison.FeatureNames"/>, distinct, in the order the model reads them.</param>
    /// <param name="alignment">The alignment the comparison reads (its rate and hop set the semitone spectrogram's).</param>
    /// <exception cref="SchemaMismatchException">An empty list, an unknown or repeated name.</exception>
    public NoteComparisonInput(IReadOnlyList<string> measures, ReferenceAlignmentOptions alignment)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(alignment);
        if (measures.Count == 0) throw new SchemaMismatchException("note comparison: no measures given");
        var all = ScoreInformedComparison.FeatureNames;
        var unknown = measures.Where(m => !all.Contains(m)).ToArray();
        if (unknown.Length > 0)
            throw new SchemaMismatchException($"note comparison: unknown measure(s) {string.Join(", ", unknown)}; the measures are those of ScoreInformedComparison v{ScoreInformedComparison.Version} ({all.Count}: {all[0]} … {all[^1]})");
        if (measures.Distinct(StringComparer.Ordinal).Count() != measures.Count)
            throw new SchemaMismatchException("note comparison: a measure is listed twice");
        Measures = measures;
        _indices = [.. measures.Select(m => all.Select((n, i) => (n, i)).First(p => p.n == m).i)];
        _comparison = new ScoreInformedComparison(ScoreInformedOptions.ForAlignment(alignment));
    }

    /// <summary>The measures, in the model's order (Q = their count).</summary>
    public IReadOnlyList<string> Measures { get; }

    /// <summary>
    /// Every measure of version 7 but the note-duration ones (<see cref="ScoreInformedComparison.IsDurationMeasure"/>;
    /// 45, no <see cref="ScoreInformedComparison.IsLocalMeasure"/> ones): the <c>score-notes</c> view with
    /// <c>"durations": false</c>, what the <c>hfn-hfi</c> experiments use.
    /// </summary>
    public static IReadOnlyList<string> WithoutDurations { get; } =
        [.. ScoreInformedComparison.FeatureNames.Where(n => !ScoreInformedComparison.IsDurationMeasure(n) && !ScoreInformedComparison.IsLocalMeasure(n))];

    /// <summary>
    /// Every measure but the note-duration and the unexplained-onset ones (<see cref="ScoreInformedComparison.IsOnsetMeasure"/>;
    /// 41): the <c>score-notes</c> view with <c>"durations": false, "onsets": false</c>, what <c>hfb feedback-train --notes</c>
    /// and the shipped model read — the measures that carry best to an instrument the model never heard.
    /// </summary>
    public static IReadOnlyList<string> ForUnseenInstruments { get; } = [.. WithoutDurations.Where(n => !ScoreInformedComparison.IsOnsetMeasure(n))];

    /// <summary>
    /// <see cref="ForUnseenInstruments"/> and the 17 local contrasts (<see cref="ScoreInformedComparison.IsLocalMeasure"/>;
    /// 58): the <c>score-notes</c> view with <c>"durations": false, "onsets": false, "local": true</c>, what
    /// <c>hfb feedback-train --notes-local</c> reads. Contrasts within the recording, they name local and pedal problems
    /// the whole-clip measures dilute (docs/feedback.md, "Local contrasts").
    /// </summary>
    public static IReadOnlyList<string> WithLocalContrasts { get; } =
        [.. ForUnseenInstruments, .. ScoreInformedComparison.FeatureNames.Where(ScoreInformedComparison.IsLocalMeasure)];

    /// <summary>N [Q] of a performance against its score (arguments as <see cref="ScoreInformedComparison.Compute(AudioClip, AudioClip, MidiScore, ReferenceAlignmentResult)"/>).</summary>
    public float[] Compute(AudioClip performance, AudioClip reference, MidiScore score, ReferenceAlignmentResult alignment)
    {
        var all = _comparison.Compute(performance, reference, score, alignment);
        return [.. _indices.Select(i => all[i])];
    }

    /// <summary>N [Q] from the two clips' pitch spectrograms (computed by <see cref="Pitch"/>; arguments as <see cref="ScoreInformedComparison.Compute(FeatureMatrix, FeatureMatrix, MidiScore, ReferenceAlignmentResult)"/>).</summary>
    public float[] Compute(FeatureMatrix performancePitch, FeatureMatrix referencePitch, MidiScore score, ReferenceAlignmentResult alignment)
    {
        var all = _comparison.Compute(performancePitch, referencePitch, score, alignment);
        return [.. _indices.Select(i => all[i])];
    }

    /// <summary>
    /// N [Q] and where the local measures found their contrasts (<see cref="ScoreInformedComparison.Compare"/>'s windows, all
    /// of them whichever measures the model reads: <see cref="NoteIssueLocator"/> places the issues with them).
    /// </summary>
    public (float[] Values, IReadOnlyList<LocalContrast> Windows) Compare(AudioClip performance, AudioClip reference, MidiScore score, ReferenceAlignmentResult alignment)
    {
        ArgumentNullException.ThrowIfNull(performance);
        ArgumentNullException.ThrowIfNull(reference);
        return Compare(_comparison.Pitch.Compute(performance), _comparison.Pitch.Compute(reference), score, alignment);
    }

    /// <summary>As <see cref="Compare(AudioClip, AudioClip, MidiScore, ReferenceAlignmentResult)"/> from the two clips' pitch spectrograms (computed by <see cref="Pitch"/>).</summary>
    public (float[] Values, IReadOnlyList<LocalContrast> Windows) Compare(FeatureMatrix performancePitch, FeatureMatrix referencePitch, MidiScore score, ReferenceAlignmentResult alignment)
    {
        var (all, windows) = _comparison.Compare(performancePitch, referencePitch, score, alignment);
        return ([.. _indices.Select(i => all[i])], windows);
    }

    /// <summary>The semitone-band spectrogram the comparison reads (to prepare a score's rendering once: <see cref="PitchSpectrogram.Power"/>, <see cref="PitchSpectrogram.Excerpt"/>).</summary>
    public PitchSpectrogram Pitch => _comparison.Pitch;

    /// <summary>The metadata entries that record <see cref="Measures"/> and the comparison's version.</summary>
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MeasuresKey] = JsonSerializer.Serialize(Measures.ToArray(), HarmoniousFeedback.IO.JsonDefaults.Options),
        [VersionKey] = ScoreInformedComparison.Version.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The input of <paramref name="model"/> from its metadata, or null for a model without note features.
    /// </summary>
    /// <exception cref="CheckpointException">A model with note features whose metadata does not say which measures, says
    /// measures this toolkit does not compute, disagrees with the network's Q, or was trained on another version of the comparison.</exception>
    public static NoteComparisonInput? FromMetadata(HarmoniousFeedbackModel model, IReadOnlyDictionary<string, string> metadata, ReferenceAlignmentOptions alignment, string source)
    {
        if (model.NoteFeatures == 0) return null;
        if (!metadata.TryGetValue(MeasuresKey, out var json))
            throw new CheckpointException($"{source}: the model reads a note comparison of {model.NoteFeatures} values but its metadata has no {MeasuresKey} (which measures, in order); retrain it with hfb feedback-train --notes");
        string[]? names;
        try { names = JsonSerializer.Deserialize<string[]>(json, HarmoniousFeedback.IO.JsonDefaults.Options); }
        catch (JsonException e) { throw new CheckpointException($"{source}: metadata {MeasuresKey} is not a JSON array of names: {e.Message}", e); }
        if (names is null || names.Length != model.NoteFeatures)
            throw new CheckpointException($"{source}: metadata {MeasuresKey} names {names?.Length ?? 0} measures but the network reads {model.NoteFeatures}");
        if (!metadata.TryGetValue(VersionKey, out var v) || !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int version)
            || !ScoreInformedComparison.CompatibleVersions.Contains(version))
            throw new CheckpointException($"{source}: the model was trained on note comparison version {v ?? "(not recorded)"}, this toolkit computes version {ScoreInformedComparison.Version} (and reads models of versions {string.Join(", ", ScoreInformedComparison.CompatibleVersions)}); retrain it (hfb feedback-train --notes)");
        try { return new NoteComparisonInput(names, alignment); }
        catch (SchemaMismatchException e) { throw new CheckpointException($"{source}: {e.Message}", e); }
    }
}
