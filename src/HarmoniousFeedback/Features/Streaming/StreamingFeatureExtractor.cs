using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// Feature extraction of recordings of any length in bounded memory: the audio is read block by block
/// (<see cref="AudioStreamReader"/>: WAV natively, other formats piped from ffmpeg), frame-level features are computed
/// <see cref="StreamingOptions.BlockFrames"/> frames at a time and handed to a sink as they are done (e.g.
/// <see cref="FeatureCsvWriter"/>), and LLD segments are described as soon as their frames exist.
/// <para><b>Same numbers as the whole-signal extractors.</b> Every frame is computed by the whole-signal extractor's own
/// per-frame code on the same samples (padding and reflection at the signal's ends included), in the same blocks of
/// <see cref="FeatureParallelism.Grain"/> frames (the pitch tracker's energy sums and the formant tracker's warm starts are
/// per block), with the same element-wise dB conversion; the formant tracker's resampler runs on stretches of the input that
/// start at a multiple of its decimation factor, whose interior outputs are the whole signal's. So rows are bit-identical to
/// <c>Compute</c> on the whole signal (tested at odd lengths with block, read and segment boundaries mid-frame, mid-segment
/// and at the end). Clip-level statistics over a stream (<see cref="RunningMeanStd"/>) agree with
/// <see cref="FeatureStatistics.MeanStd"/> to one float32 ulp.</para>
/// <para><b>Clip-level top_db.</b> Log-mel, MFCC and the LLD descriptors clamp every value at the clip's largest log-mel dB
/// minus <c>TopDb</c>. When TopDb is set the audio is therefore read twice: a first pass computes the mel spectrogram to find
/// that maximum (about the cost of the mel part of the extraction), the second computes the features. Without TopDb, and for
/// the other kinds, it is read once.</para>
/// <para><b>Memory.</b> O(BlockFrames·hop + ReadSamples) samples, O(BlockFrames) output rows and, for LLD segments, one segment
/// of frame rows — independent of the recording's length (<c>hfb-bench streaming</c> measures the peak RSS from 1 minute to 10
/// hours, bench/README.md). A signal that fits in the first block is computed by the whole-signal extractor directly.</para>
/// </summary>
public sealed class StreamingFeatureExtractor
{
    private readonly Func<FrameKernel> _kernel;
    private readonly Func<float[], FeatureMatrix> _whole;
    private readonly LldOptions? _segments;

    /// <summary>Sample rate the extractor was built for; the audio must have it.</summary>
    public int SampleRate { get; }

    /// <summary>Columns of the rows the sink receives.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The options that describe the features (as the whole-signal extractor's <see cref="FeatureMatrix.Options"/>).</summary>
    public object Options { get; }

    public StreamingOptions Streaming { get; }

    private StreamingFeatureExtractor(int sampleRate, object options, StreamingOptions? streaming, Func<FrameKernel> kernel,
                                      Func<float[], FeatureMatrix> whole, IReadOnlyList<string> names, LldOptions? segments = null)
    {
        Streaming = streaming ?? new StreamingOptions();
        Streaming.Validate();
        SampleRate = sampleRate; Options = options; _kernel = kernel; _whole = whole; FeatureNames = names; _segments = segments;
    }

    /// <summary>Power (or magnitude) spectrogram frames, as <see cref="Features.Spectrogram"/>.</summary>
    public static StreamingFeatureExtractor Spectrogram(SpectrogramOptions options, StreamingOptions? streaming = null)
    {
        var ex = new Spectrogram(options);
        return new(options.SampleRate, options, streaming, () => new SpectrogramKernel(ex), x => ex.Compute(x), SignalGuard.Names("bin_", ex.Bins));
    }

    /// <summary>Mel spectrogram frames, as <see cref="Features.MelSpectrogram"/>.</summary>
    public static StreamingFeatureExtractor MelSpectrogram(MelSpectrogramOptions options, StreamingOptions? streaming = null)
    {
        var ex = new MelSpectrogram(options);
        return new(options.SampleRate, options, streaming, () => MelKernel.Power(ex), x => ex.Compute(x), SignalGuard.Names("mel_", options.NMels));
    }

    /// <summary>Log-mel frames in dB with the clip-level top_db, as <see cref="Features.LogMelSpectrogram"/> (two passes when TopDb is set).</summary>
    public static StreamingFeatureExtractor LogMel(LogMelOptions options, StreamingOptions? streaming = null)
    {
        var ex = new LogMelSpectrogram(options);
        return new(options.Mel.SampleRate, options, streaming, () => MelKernel.LogMel(ex), x => ex.Compute(x), SignalGuard.Names("logmel_", options.Mel.NMels));
    }

    /// <summary>MFCC frames, as <see cref="Features.Mfcc"/> (two passes when TopDb is set).</summary>
    public static StreamingFeatureExtractor Mfcc(MfccOptions options, StreamingOptions? streaming = null)
    {
        var ex = new Mfcc(options);
        return new(options.Mel.SampleRate, options, streaming, () => MelKernel.Mfcc(ex), x => ex.Compute(x), SignalGuard.Names("mfcc_", options.NMfcc));
    }

    /// <summary>Short-time energy frames (energy, log_energy_db), as <see cref="ShortTimeEnergy"/>.</summary>
    public static StreamingFeatureExtractor Energy(FrameOptions options, StreamingOptions? streaming = null)
    {
        var ex = new ShortTimeEnergy(options);
        return new(options.SampleRate, options, streaming, () => new EnergyZcrKernel(options, zcr: false), x => ex.Compute(x), ["energy", "log_energy_db"]);
    }

    /// <summary>Zero-crossing-rate frames, as <see cref="Features.ZeroCrossingRate"/>.</summary>
    public static StreamingFeatureExtractor ZeroCrossingRate(FrameOptions options, StreamingOptions? streaming = null)
    {
        var ex = new ZeroCrossingRate(options);
        return new(options.SampleRate, options, streaming, () => new EnergyZcrKernel(options, zcr: true), x => ex.Compute(x), ["zcr"]);
    }

    /// <summary>F0 frames (f0_hz, voicing_prob), as <see cref="PitchTracker"/>.</summary>
    public static StreamingFeatureExtractor Pitch(PitchOptions options, StreamingOptions? streaming = null)
    {
        var ex = new PitchTracker(options);
        return new(options.SampleRate, options, streaming, () => new PitchKernel(ex), x => ex.Compute(x), ["f0_hz", "voicing_prob"]);
    }

    /// <summary>Formant frames (F1..F4 Hz, B1..B4 Hz), as <see cref="FormantTracker"/>.</summary>
    public static StreamingFeatureExtractor Formants(FormantOptions options, StreamingOptions? streaming = null)
    {
        var ex = new FormantTracker(options);
        return new(options.SampleRate, options, streaming, () => new FormantKernel(ex), x => ex.Compute(x), FormantTracker.ColumnNames);
    }

    /// <summary>The 31-column frame-level LLD descriptor, as <see cref="LldExtractor.ComputeFrames(ReadOnlySpan{float})"/>.</summary>
    public static StreamingFeatureExtractor LldFrames(LldOptions options, StreamingOptions? streaming = null)
    {
        var ex = new LldExtractor(options);
        return new(options.SampleRate, options, streaming, () => new LldFrameKernel(options), x => ex.ComputeFrames(x), LldExtractor.FrameColumns);
    }

    /// <summary>The 50-dim LLD segment descriptor, as <see cref="LldExtractor.ComputeSegments(ReadOnlySpan{float})"/>; rows are segments.</summary>
    public static StreamingFeatureExtractor LldSegments(LldOptions options, StreamingOptions? streaming = null)
    {
        var ex = new LldExtractor(options);
        return new(options.SampleRate, options, streaming, () => new LldFrameKernel(options), x => ex.ComputeSegments(x), LldExtractor.SegmentColumns, options);
    }

    /// <summary>Streams the file at <paramref name="path"/> (<see cref="AudioStreamReader.Open"/>) into <paramref name="sink"/>.</summary>
    public StreamingResult Run(string path, Action<FeatureMatrix> sink, CancellationToken cancellationToken = default)
        => Run(() => AudioStreamReader.Open(path), sink, cancellationToken);

    /// <summary>
    /// Reads the audio from <paramref name="open"/> (called once, or a second time for the second pass) and passes the rows, in
    /// order and in blocks, to <paramref name="sink"/>. The audio's sample rate must be <see cref="SampleRate"/>
    /// (<see cref="FeatureParameterException"/> otherwise, before any work); NaN/±Inf samples are an
    /// <see cref="InvalidSignalException"/> naming the sample.
    /// </summary>
    public StreamingResult Run(Func<AudioStreamReader> open, Action<FeatureMatrix> sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(sink);
        var kernel = _kernel();
        int k = Streaming.BlockFrames;
        var reader = Check(open());
        try
        {
            var window = new SampleWindow(Streaming.ReadSamples);
            window.FillTo(reader, kernel.Support(0, k).Hi + 1, cancellationToken);
            if (window.Total is long shortLength)
            {
                // The whole signal fits in the first block: the whole-signal extractor, nothing to stream.
                var m = _whole(window.ToArray());
                if (m.Rows > 0) sink(m);
                return new StreamingResult(shortLength, m.Rows, 1, false, window.PeakCount);
            }
            int passes = 1;
            long peak = 0;
            long? length = null;
            if (kernel.NeedsFirstPass)
            {
                length = Pass(reader, window, kernel, null, cancellationToken);
                peak = window.PeakCount;
                reader.Dispose();
                reader = Check(open());
                window = new SampleWindow(Streaming.ReadSamples);
                passes = 2;
            }
            long rows = 0;
            var segments = _segments is null ? null : new SegmentAccumulator(_segments);
            long n = Pass(reader, window, kernel, (a, count, values) =>
            {
                if (segments is null)
                {
                    var times = new double[count];
                    for (int i = 0; i < count; i++) times[i] = kernel.Time(a + i);
                    sink(new FeatureMatrix(values, count, kernel.Columns, kernel.Names, times, Options));
                    rows += count;
                }
                else if (segments.Add(a, count, values, window.End, null) is { } segs) { sink(segs); rows += segs.Rows; }
            }, cancellationToken);
            if (length is long first && first != n)
                throw new AudioFormatException(reader.Source, $"the audio was {first} samples long in the first pass and {n} in the second; the file changed while it was read");
            if (segments?.Add(kernel.FrameCount(n), 0, [], n, n) is { } tail) { sink(tail); rows += tail.Rows; }
            return new StreamingResult(n, rows, passes, true, Math.Max(peak, window.PeakCount));
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>Collects every row in memory (convenient for short clips and tests; the sink form keeps memory bounded).</summary>
    public FeatureMatrix Compute(Func<AudioStreamReader> open, CancellationToken cancellationToken = default)
    {
        var parts = new List<FeatureMatrix>();
        Run(open, parts.Add, cancellationToken);
        int rows = parts.Sum(p => p.Rows), c = FeatureNames.Count;
        var data = new float[rows * c];
        var times = new double[rows];
        int at = 0;
        foreach (var p in parts)
        {
            p.Data.CopyTo(data, at * c);
            p.FrameTimes.CopyTo(times, at);
            at += p.Rows;
        }
        return new FeatureMatrix(data, rows, c, FeatureNames, times, Options);
    }

    private AudioStreamReader Check(AudioStreamReader reader)
    {
        if (reader.SampleRate != SampleRate)
        {
            reader.Dispose();
            throw new FeatureParameterException(nameof(StreamingFeatureExtractor),
                [$"clip '{reader.Source}' has sample rate {reader.SampleRate} Hz but the extractor was built for SampleRate = {SampleRate} Hz " +
                 "(its filterbank/frequency axis depend on it); resample the clip explicitly or build the extractor with the clip's rate"]);
        }
        return reader;
    }

    /// <summary>
    /// One pass over the signal in blocks of frames: <paramref name="emit"/> null = the first pass (<see cref="FrameKernel.Observe"/>).
    /// Returns the signal's length.
    /// </summary>
    private long Pass(AudioStreamReader reader, SampleWindow window, FrameKernel kernel, Action<long, int, float[]>? emit, CancellationToken ct)
    {
        int k = Streaming.BlockFrames;
        for (long a = 0; ; a += k)
        {
            long b = a + k;
            window.FillTo(reader, kernel.Support(a, b).Hi + 1, ct);
            if (window.Total is long n) b = Math.Min(b, kernel.FrameCount(n));
            if (b <= a) return window.Total!.Value;
            int count = (int)(b - a);
            if (emit is null) kernel.Observe(window, a, count);
            else
            {
                var values = new float[count * kernel.Columns];
                kernel.Compute(window, a, count, values);
                emit(a, count, values);
            }
            window.DiscardBefore(kernel.Support(b, b + k).Lo);
        }
    }
}
