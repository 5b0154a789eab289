namespace HarmoniousFeedback.Nn;

/// <summary>
/// A <see cref="Random"/> whose every draw comes from <see cref="SplitMix64"/> — for the engine's layer constructors,
/// which take a <see cref="Random"/> for parameter initialisation, so new models can seed them without
/// <see cref="System.Random"/>'s algorithm (an implementation detail that may change between .NET versions).
/// <see cref="NextDouble"/> is <see cref="SplitMix64.NextDouble"/> (53 random bits); <see cref="Next(int)"/> and the
/// other integer draws scale it; <see cref="NextBytes(Span{byte})"/> takes 8 bytes per 64-bit draw.
/// </summary>
public sealed class SplitMixRandom : Random
{
    private readonly SplitMix64 _core;

    /// <summary>A generator in the state <see cref="SplitMix64.StateFromSeed"/> gives <paramref name="seed"/>.</summary>
    public SplitMixRandom(int seed) => _core = new SplitMix64(SplitMix64.StateFromSeed(seed));

    /// <summary>The complete state (for tests and checkpoints).</summary>
    public ulong State => _core.State;

    protected override double Sample() => _core.NextDouble();

    public override double NextDouble() => _core.NextDouble();

    public override int Next() => (int)(_core.NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(_core.NextDouble() * maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)(_core.NextDouble() * ((long)maxValue - minValue)));
    }

    public override long NextInt64() => (long)(_core.NextUInt64() >> 1);

    public override float NextSingle() => (float)(_core.NextUInt64() >> 40) * (1f / (1 << 24));

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong v = _core.NextUInt64();
            for (int k = 0; k < 8 && i + k < buffer.Length; k++) buffer[i + k] = (byte)(v >> (8 * k));
        }
    }
}
