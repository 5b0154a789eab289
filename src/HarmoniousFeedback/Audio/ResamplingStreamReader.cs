namespace HarmoniousFeedback.Audio;

/// <summary>
/// A stream reader that resamples another one as it is read: <see cref="Resampler"/>'s windowed-sinc interpolation
/// (torchaudio's <c>resample</c>), computed output by output as the inputs each one needs arrive, so a long recording is
/// converted in bounded memory (a buffer of about one read block plus the kernel's width). The samples are bit-identical
/// to <see cref="Resampler.Process(float[])"/> on the whole mono signal (the same dot products over the same taps, with
/// the same zero padding at both ends; tests), and there are ⌈length · N / O⌉ of them.
/// </summary>
public sealed class ResamplingStreamReader : AudioStreamReader
{
    private readonly AudioStreamReader _inner;
    private readonly Resampler _resampler;
    private float[] _buffer = new float[1 << 14];
    private long _bufferStart;   // absolute input index of _buffer[0]
    private int _buffered;
    private long _next;          // the next output sample
    private long? _inputLength;  // known once the inner reader has ended

    /// <param name="inner">The source (disposed with this reader).</param>
    /// <param name="newFreq">The output rate in Hz.</param>
    /// <param name="options">Kernel options (torchaudio's defaults); their rates are replaced.</param>
    /// <exception cref="OptionsValidationException">A rate that is not positive, or invalid kernel options.</exception>
    public ResamplingStreamReader(AudioStreamReader inner, int newFreq, ResampleOptions? options = null)
        : base(newFreq > 0 ? newFreq : throw new OptionsValidationException(nameof(ResamplingStreamReader), [$"newFreq = {newFreq} must be > 0 Hz"]),
            (inner ?? throw new ArgumentNullException(nameof(inner))).ChannelCount,
            inner.Length is long n ? (n * newFreq + inner.SampleRate - 1) / inner.SampleRate : null, inner.Source)
    {
        _inner = inner;
        _resampler = new Resampler((options ?? new ResampleOptions()) with { OrigFreq = inner.SampleRate, NewFreq = newFreq });
    }

    /// <summary>The source's rate.</summary>
    public int OriginalSampleRate => _inner.SampleRate;

    protected override int ReadMonoCore(Span<float> destination)
    {
        if (_resampler.IsIdentity) return _inner.ReadMono(destination);
        int produced = 0;
        int taps = _resampler.TapsPerPhase;
        while (produced < destination.Length)
        {
            if (_inputLength is long length && _next >= _resampler.OutputLength(length)) break;
            long start = _resampler.TapStart(_next);
            long end = start + taps;                                      // exclusive
            if (_inputLength is null && end > _bufferStart + _buffered)
            {
                Fill(Math.Max(0, start), end);
                continue;
            }
            long limit = _inputLength ?? long.MaxValue;
            destination[produced++] = _resampler.Output(_buffer.AsSpan(0, _buffered), _bufferStart, _next, limit);
            _next++;
        }
        return produced;
    }

    /// <summary>Drops the inputs before <paramref name="keepFrom"/> and reads until the buffer reaches <paramref name="needEnd"/> or the source ends.</summary>
    private void Fill(long keepFrom, long needEnd)
    {
        int drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _buffered);
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _buffered - drop);
            _buffered -= drop;
            _bufferStart += drop;
        }
        int need = (int)(needEnd - _bufferStart);
        if (need > _buffer.Length) Array.Resize(ref _buffer, Math.Max(need, 2 * _buffer.Length));
        while (_bufferStart + _buffered < needEnd)
        {
            if (_buffered == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
            int n = _inner.ReadMono(_buffer.AsSpan(_buffered));
            if (n == 0)
            {
                _inputLength = _bufferStart + _buffered;
                return;
            }
            _buffered += n;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
