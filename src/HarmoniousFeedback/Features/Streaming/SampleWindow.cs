using System.Globalization;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// The part of a signal held in memory while it streams: samples <c>[Start, End)</c> of the whole signal, filled from an
/// <see cref="AudioStreamReader"/> and discarded from the front once no frame needs them. <see cref="Total"/> is the signal's
/// length once the reader has ended (null before).
/// </summary>
internal sealed class SampleWindow
{
    private float[] _buf;
    private int _count;
    private readonly int _readSamples;

    public SampleWindow(int readSamples)
    {
        _readSamples = readSamples;
        _buf = new float[Math.Max(1, readSamples)];
    }

    public long Start { get; private set; }
    public long End => Start + _count;
    public long? Total { get; private set; }

    /// <summary>Largest number of samples held at once (for the memory bound's tests).</summary>
    public int PeakCount { get; private set; }

    /// <summary>Sample <paramref name="index"/> of the whole signal; it must be in [Start, End).</summary>
    public float this[long index] => _buf[index - Start];

    /// <summary>Samples [from, from + length) of the whole signal; they must be in [Start, End).</summary>
    public ReadOnlySpan<float> Slice(long from, int length) => _buf.AsSpan((int)(from - Start), length);

    /// <summary>
    /// Reads until <see cref="End"/> ≥ <paramref name="target"/> or the reader ends (then <see cref="Total"/> is set). Every
    /// sample read is checked: NaN/±Inf is an <see cref="InvalidSignalException"/> naming its index in the whole signal.
    /// </summary>
    public void FillTo(AudioStreamReader reader, long target, CancellationToken cancellationToken)
    {
        while (Total is null && End < target)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_buf.Length - _count < _readSamples)
            {
                var bigger = new float[Math.Max(_buf.Length * 2, _count + _readSamples)];
                _buf.AsSpan(0, _count).CopyTo(bigger);
                _buf = bigger;
            }
            int n = reader.ReadMono(_buf.AsSpan(_count, _readSamples));
            if (n == 0) { Total = End; break; }
            var fresh = _buf.AsSpan(_count, n);
            for (int i = 0; i < fresh.Length; i++)
                if (!float.IsFinite(fresh[i]))
                    throw new InvalidSignalException($"signal sample {End + i} is {fresh[i].ToString(CultureInfo.InvariantCulture)}; feature extraction needs finite samples (replace or drop NaN/Inf first)");
            _count += n;
            PeakCount = Math.Max(PeakCount, _count);
        }
    }

    /// <summary>Forgets the samples before <paramref name="index"/> (keeps the buffer for reuse).</summary>
    public void DiscardBefore(long index)
    {
        long drop = Math.Min(index - Start, _count);
        if (drop <= 0) return;
        _buf.AsSpan((int)drop, _count - (int)drop).CopyTo(_buf);
        _count -= (int)drop;
        Start += drop;
    }

    /// <summary>All samples held, as an array (the whole signal when the reader ended within the first block).</summary>
    public float[] ToArray() => _buf.AsSpan(0, _count).ToArray();
}
