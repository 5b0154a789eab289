namespace HarmoniousFeedback.Audio;

/// <summary>An <see cref="AudioStreamReader"/> over a decoded clip, at most a given number of samples per call.</summary>
internal sealed class ClipStreamReader : AudioStreamReader
{
    private readonly float[] _mono;
    private readonly int _maxBlock;
    private int _next;

    public ClipStreamReader(AudioClip clip, int maxBlock) : base(clip.SampleRate, clip.ChannelCount, clip.Length, clip.Source)
    {
        if (maxBlock < 1) throw new AudioFormatException(clip.Source, $"maxBlock = {maxBlock} must be >= 1");
        _mono = clip.ToMono();
        _maxBlock = maxBlock;
    }

    protected override int ReadMonoCore(Span<float> destination)
    {
        int n = Math.Min(Math.Min(destination.Length, _maxBlock), _mono.Length - _next);
        _mono.AsSpan(_next, n).CopyTo(destination);
        _next += n;
        return n;
    }
}
