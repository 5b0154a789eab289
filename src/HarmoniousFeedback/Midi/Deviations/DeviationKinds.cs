namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Names of <see cref="DeviationKind"/>s as written in label files (snake_case).</summary>
public static class DeviationKinds
{
    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<DeviationKind> All { get; } = Enum.GetValues<DeviationKind>();

    /// <summary>snake_case name, e.g. "wrong_notes", "local_tempo", "dynamics_flattened".</summary>
    public static string Name(DeviationKind k) => k switch
    {
        DeviationKind.WrongNotes => "wrong_notes",
        DeviationKind.ExtraNotes => "extra_notes",
        DeviationKind.MissedNotes => "missed_notes",
        DeviationKind.OnsetJitter => "onset_jitter",
        DeviationKind.LocalTempo => "local_tempo",
        DeviationKind.GlobalTempo => "global_tempo",
        DeviationKind.DynamicsFlattened => "dynamics_flattened",
        DeviationKind.DynamicsExaggerated => "dynamics_exaggerated",
        DeviationKind.DynamicsSudden => "dynamics_sudden",
        DeviationKind.Staccato => "staccato",
        DeviationKind.Legato => "legato",
        DeviationKind.PedalHeld => "pedal_held",
        DeviationKind.PedalMissing => "pedal_missing",
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "unknown deviation kind"),
    };

    /// <summary>The dimension a kind lowers.</summary>
    public static FeedbackDimension Dimension(DeviationKind k) => k switch
    {
        DeviationKind.WrongNotes or DeviationKind.ExtraNotes => FeedbackDimension.Pitch,
        DeviationKind.MissedNotes => FeedbackDimension.Completeness,
        DeviationKind.OnsetJitter => FeedbackDimension.Rhythm,
        DeviationKind.LocalTempo or DeviationKind.GlobalTempo => FeedbackDimension.Tempo,
        DeviationKind.DynamicsFlattened or DeviationKind.DynamicsExaggerated or DeviationKind.DynamicsSudden => FeedbackDimension.Dynamics,
        DeviationKind.Staccato or DeviationKind.Legato or DeviationKind.PedalHeld or DeviationKind.PedalMissing => FeedbackDimension.Articulation,
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "unknown deviation kind"),
    };

    /// <summary>Parses a snake_case kind name; unknown names raise <see cref="DatasetException"/>.</summary>
    public static DeviationKind Parse(string name)
    {
        foreach (var k in All)
            if (Name(k) == name) return k;
        throw new DatasetException($"unknown deviation kind '{name}' (expected one of: {string.Join(", ", All.Select(Name))})");
    }
}
