namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// Turns streamed LLD frame rows into the 50-dim segment rows of <see cref="LldExtractor.ComputeSegments(ReadOnlySpan{float})"/>.
/// Segments follow <see cref="SegmentGrid"/>'s rule (length L, step S): a whole segment <c>[k·S, k·S + L)</c> is described
/// as soon as the signal is known to reach its end and its frames (centres <c>i·hop</c> in the segment) are computed; the tail
/// is decided when the signal ends. Each segment goes through <see cref="LldExtractor.Describe"/> on the same frame values, so
/// rows are identical to the whole-signal ones. Frames before the next segment's first frame are dropped: memory is one
/// segment plus one block of frames.
/// </summary>
internal sealed class SegmentAccumulator
{
    private readonly LldOptions _options;
    private readonly long _seg, _step;
    private readonly int _hop;
    private float[] _frames = [];  // rows [_first, _first + _rows) of the frame-level matrix, 31 columns
    private long _first;
    private int _rows;
    private long _k;               // next segment index
    private bool _done;

    public SegmentAccumulator(LldOptions options)
    {
        _options = options;
        int sr = options.SampleRate;
        _seg = Math.Max(1, (long)Math.Round(options.SegmentSeconds * sr));
        _step = Math.Max(1, _seg - (long)Math.Round(options.OverlapSeconds * sr));
        _hop = options.Mfcc.Mel.HopLength;
    }

    /// <summary>Largest number of frame rows held at once.</summary>
    public int PeakRows { get; private set; }

    /// <summary>
    /// Appends frame rows [a, a + count) and returns the segments now complete. <paramref name="reached"/> is a length the
    /// signal is known to have (samples read so far), <paramref name="total"/> its length once it ended.
    /// </summary>
    public FeatureMatrix? Add(long a, int count, float[] rows, long reached, long? total)
    {
        int c = LldExtractor.FrameColumns.Count;
        if (a != _first + _rows) throw new InvalidOperationException($"frames arrive out of order: {a} after {_first + _rows}");
        var merged = new float[(_rows + count) * c];
        _frames.AsSpan(0, _rows * c).CopyTo(merged);
        rows.AsSpan(0, count * c).CopyTo(merged.AsSpan(_rows * c));
        _frames = merged;
        _rows += count;
        PeakRows = Math.Max(PeakRows, _rows);
        var matrix = new FeatureMatrix(_frames, _rows, c, LldExtractor.FrameColumns, new double[_rows]);
        long computed = _first + _rows;

        var outRows = new List<float>();
        var times = new List<double>();
        while (!_done)
        {
            long start = _k * _step, end = start + _seg;
            if (total is long n)
            {
                if (start >= n) { _done = true; break; }
                if (end > n)
                {
                    bool keep = _k == 0 || _options.LastSegment switch
                    {
                        LastSegmentPolicy.Keep => true,
                        LastSegmentPolicy.Drop => false,
                        _ => n - start >= _options.MinLastSegmentFraction * _seg,
                    };
                    _done = true;
                    if (!keep) break;
                    end = n;
                }
                else if (end == n) _done = true;
            }
            else if (end > reached) break;
            long f = total is long t ? 1 + t / _hop : long.MaxValue;
            long i0 = (start + _hop - 1) / _hop, i1 = Math.Min(f, (end + _hop - 1) / _hop);
            if (i1 > computed && total is null) break;
            var o = new float[50];
            LldExtractor.Describe(matrix, (int)(i0 - _first), (int)(Math.Max(i0, i1) - _first), _hop / (double)_options.SampleRate, o);
            outRows.AddRange(o);
            times.Add(start / (double)_options.SampleRate);
            _k++;
        }
        // frames before the next segment's first frame are no longer needed
        long keepFrom = Math.Min(computed, (_k * _step + _hop - 1) / _hop);
        int drop = (int)Math.Max(0, keepFrom - _first);
        if (drop > 0)
        {
            _frames = _frames.AsSpan(drop * c, (_rows - drop) * c).ToArray();
            _rows -= drop;
            _first += drop;
        }
        return times.Count == 0 ? null
            : new FeatureMatrix([.. outRows], times.Count, 50, LldExtractor.SegmentColumns, [.. times], _options);
    }
}
