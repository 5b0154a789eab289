namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>Chord qualities recognised by <see cref="ChordTemplates"/>.</summary>
public enum ChordQuality
{
    /// <summary>Fewer than three pitch classes: not a chord.</summary>
    None,
    Major,
    Minor,
    /// <summary>Diminished triad, half-diminished seventh or diminished seventh.</summary>
    Diminished,
    Augmented,
    /// <summary>Suspended second or fourth (the same pitch-class sets up to the root).</summary>
    Suspended,
    Dominant7,
    Major7,
    Minor7,
    /// <summary>Three or more pitch classes that match no template well enough.</summary>
    Other,
}
