namespace HarmoniousFeedback.Nn;

/// <summary>A module with one tensor in and one tensor out (usable in <see cref="Sequential"/>).</summary>
public abstract class UnaryModule : Module
{
    /// <summary>The forward computation.</summary>
    public abstract Tensor Forward(Tensor x);
}
