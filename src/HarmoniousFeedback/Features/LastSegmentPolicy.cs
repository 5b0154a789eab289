namespace HarmoniousFeedback.Features;

/// <summary>What happens to the tail of a clip that does not fill a whole segment.</summary>
public enum LastSegmentPolicy
{
    /// <summary>Keep the partial tail segment when it is at least <see cref="LldOptions.MinLastSegmentFraction"/> of a segment, else drop it (default).</summary>
    KeepIfLongEnough,
    /// <summary>Always drop a partial tail segment (a clip shorter than one segment still yields one segment).</summary>
    Drop,
    /// <summary>Always keep the partial tail segment.</summary>
    Keep,
}
