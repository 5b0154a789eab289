namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>How the near-silent release tail of rendered clips is treated by segment views.</summary>
public enum TailHandling
{
    /// <summary>Drop trailing segments more than 30 dB below the clip's loudest (<see cref="Features.SilentTail"/>).</summary>
    Trim,
    /// <summary>Keep every segment.</summary>
    Keep,
}
