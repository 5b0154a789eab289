namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// The generator of this stage's resampling procedures (CV splitters, bootstrap, holdout splits): the toolkit's
/// <see cref="SplitMix64"/> core seeded from a 32-bit seed (<see cref="SplitMix64.StateFromSeed"/>), so a seed gives the
/// same folds and bootstrap samples on every .NET version and platform. Its samplers are the core's unbiased
/// <see cref="SplitMix64.NextInt"/> and <see cref="SplitMix64.Shuffle{T}(Span{T})"/>.
/// </summary>
public sealed class DeterministicRandom : SplitMix64
{
    public DeterministicRandom(int seed) : base(StateFromSeed(seed)) { }
}
