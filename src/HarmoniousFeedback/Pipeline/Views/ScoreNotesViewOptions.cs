using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Options of the <c>score-notes</c> view: the reference comparison it shares with the other reference views, and which measures it keeps.</summary>
public sealed record ScoreNotesViewOptions
{
    /// <summary>The alignment with the score (the same options as <c>score-aligned</c>'s give one alignment for both).</summary>
    public ReferenceViewOptions Reference { get; init; } = new();

    /// <summary>
    /// Keep the note-duration measures (fall times against written lengths). Default true. They depend on the instrument's
    /// release and decay: an SVM trained on the builtin voicings transfers better to an unseen instrument without them
    /// (docs/feedback.md, "Score-informed note comparison").
    /// </summary>
    public bool Durations { get; init; } = true;

    /// <summary>
    /// Keep the unexplained-onset measures (<see cref="Features.ScoreInformedComparison.IsOnsetMeasure"/>: played onsets no
    /// written note explains). Default true. They shift more with the instrument than with planted wrong notes: a
    /// logistic regression on the other measures trained on the builtin voicings transfers better to FluidSynth
    /// (docs/feedback.md, "Which measures carry to an unseen instrument").
    /// </summary>
    public bool Onsets { get; init; } = true;

    /// <summary>
    /// Keep the local contrasts (<see cref="Features.ScoreInformedComparison.IsLocalMeasure"/>, version 8: a window's notes
    /// against the rest, the pedal's notes against the others). Default false, so that a spec written before them
    /// computes what it computed (docs/feedback.md, "Local contrasts").
    /// </summary>
    public bool Local { get; init; }

    /// <summary>Whether the view keeps measure <paramref name="name"/> of <see cref="Features.ScoreInformedComparison.FeatureNames"/>.</summary>
    public bool Keeps(string name) => (Durations || !Features.ScoreInformedComparison.IsDurationMeasure(name)) && (Onsets || !Features.ScoreInformedComparison.IsOnsetMeasure(name))
        && (Local || !Features.ScoreInformedComparison.IsLocalMeasure(name));

    public static ScoreNotesViewOptions Read(ParameterReader p, int sampleRate) => new()
    {
        Reference = ReferenceViewOptions.Read(p, sampleRate),
        Durations = p.Bool("durations", true, "keep the note-duration measures (fall times against written lengths; they depend on the instrument's release and decay)"),
        Onsets = p.Bool("onsets", true, "keep the unexplained-onset measures (played onsets no written note explains; they depend on the instrument's attacks and partials)"),
        Local = p.Bool("local", false, "keep the local contrasts (a window's notes against the rest, the pedal's notes against the others; version 8)"),
    };
}
