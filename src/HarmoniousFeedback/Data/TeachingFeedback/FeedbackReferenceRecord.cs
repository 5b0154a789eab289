namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A reference excerpt as stored in <c>feedback.json</c>: where it came from and its files (paths relative to the folder).</summary>
public sealed record FeedbackReferenceRecord
{
    /// <summary>Opaque id ("ref0000"), assigned after a seeded shuffle.</summary>
    public required string Id { get; init; }

    /// <summary>The group its renditions carry in <see cref="Clip.GroupId"/> (opaque, "g0000"; one per source group).</summary>
    public required string Group { get; init; }

    /// <summary>The source dataset's clip id (EMOPIA ids carry the quadrant: bookkeeping, never a feature).</summary>
    public required string SourceId { get; init; }

    /// <summary>The source dataset's group (song, game/piece).</summary>
    public required string SourceGroup { get; init; }

    /// <summary>The source's split ("train", "val", "test") or null.</summary>
    public string? Split { get; init; }

    /// <summary>Where the excerpt starts in the source piece (s).</summary>
    public required double Start { get; init; }

    /// <summary>Excerpt length (s, reference time).</summary>
    public required double Seconds { get; init; }

    public required int Notes { get; init; }

    public required double IntendedValence { get; init; }
    public required double IntendedArousal { get; init; }

    /// <summary>Quadrant of the source ("Q1" … "Q4") or null.</summary>
    public string? Quadrant { get; init; }

    /// <summary>The excerpt's MIDI ("reference/ref0000.mid").</summary>
    public required string Midi { get; init; }
    public required string MidiSha256 { get; init; }

    /// <summary>Renderer name → rendered audio ("reference/ref0000.builtin.wav").</summary>
    public required IReadOnlyDictionary<string, string> Audio { get; init; }

    /// <summary>Renderer name → SHA-256 of that audio file.</summary>
    public required IReadOnlyDictionary<string, string> AudioSha256 { get; init; }

    /// <summary>Renderer name → render-cache key of that audio.</summary>
    public required IReadOnlyDictionary<string, string> RenderKeys { get; init; }
}
