using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Streaming;
using Xunit;

namespace HarmoniousFeedback.Tests.Features.Streaming;

public class StreamingFeatureExtractorTests
{
    // Blocks of 256 frames (the smallest allowed) and reads of an odd number of samples, so that block and read boundaries
    // fall mid-frame, mid-segment and anywhere relative to each other.
    private static readonly StreamingOptions Small = new() { BlockFrames = 256, ReadSamples = 997 };

    private static (FeatureMatrix Whole, FeatureMatrix Streamed, StreamingResult Result) Both(
        Func<StreamingOptions, StreamingFeatureExtractor> make, Func<float[], FeatureMatrix> whole, float[] x, int sampleRate = 16000, int maxBlock = 1013)
    {
        var ex = make(Small);
        var parts = new List<FeatureMatrix>();
        var result = ex.Run(() => AudioStreamReader.FromClip(new AudioClip(x, sampleRate), maxBlock), parts.Add);
        var streamed = ex.Compute(() => AudioStreamReader.FromClip(new AudioClip(x, sampleRate), maxBlock));
        Assert.Equal(result.Rows, streamed.Rows);
        return (whole(x), streamed, result);
    }

    private static void AssertIdentical(FeatureMatrix whole, FeatureMatrix streamed)
    {
        Assert.Equal(whole.Rows, streamed.Rows);
        Assert.Equal(whole.FeatureNames, streamed.FeatureNames);
        Assert.Equal(whole.FrameTimes, streamed.FrameTimes);
        for (int i = 0; i < whole.Data.Length; i++)
            if (BitConverter.SingleToInt32Bits(whole.Data[i]) != BitConverter.SingleToInt32Bits(streamed.Data[i]))
                Assert.Fail($"row {i / whole.Columns} column {whole.FeatureNames[i % whole.Columns]}: whole {whole.Data[i]:R}, streamed {streamed.Data[i]:R}");
    }

    public static TheoryData<string, int> KindsAndLengths()
    {
        var d = new TheoryData<string, int>();
        // 81920 = 2 blocks of 256 frames × hop 160 exactly: the last frame (F = 513) is a block of its own;
        // ± 1 sample around it, and an odd length with a partial last block.
        foreach (var kind in new[] { "spectrogram", "mel", "logmel", "mfcc", "energy", "zcr", "pitch", "formants", "lld-frames", "lld-segments" })
            foreach (var n in new[] { 81919, 81920, 81921, 100_003 })
                d.Add(kind, n);
        return d;
    }

    private static (Func<StreamingOptions, StreamingFeatureExtractor>, Func<float[], FeatureMatrix>) Kind(string kind, int sr = 16000)
    {
        var mel = new MelSpectrogramOptions { SampleRate = sr };
        var mfcc = new MfccOptions { Mel = mel };
        var frame = new FrameOptions { SampleRate = sr, WinLength = 400 };
        var pitch = new PitchOptions { SampleRate = sr };
        var formants = new FormantOptions { SampleRate = sr };
        var lld = new LldOptions { SampleRate = sr, Mfcc = mfcc, Frame = frame with { WinLength = null }, SegmentSeconds = 1.1, OverlapSeconds = 0.35 };
        return kind switch
        {
            "spectrogram" => (s => StreamingFeatureExtractor.Spectrogram(mel.ToSpectrogramOptions(), s), x => new Spectrogram(mel.ToSpectrogramOptions()).Compute(x)),
            "mel" => (s => StreamingFeatureExtractor.MelSpectrogram(mel, s), x => new MelSpectrogram(mel).Compute(x)),
            "logmel" => (s => StreamingFeatureExtractor.LogMel(mfcc.ToLogMelOptions(), s), x => new LogMelSpectrogram(mfcc.ToLogMelOptions()).Compute(x)),
            "mfcc" => (s => StreamingFeatureExtractor.Mfcc(mfcc, s), x => new Mfcc(mfcc).Compute(x)),
            "energy" => (s => StreamingFeatureExtractor.Energy(frame, s), x => new ShortTimeEnergy(frame).Compute(x)),
            "zcr" => (s => StreamingFeatureExtractor.ZeroCrossingRate(frame, s), x => new ZeroCrossingRate(frame).Compute(x)),
            "pitch" => (s => StreamingFeatureExtractor.Pitch(pitch, s), x => new PitchTracker(pitch).Compute(x)),
            "formants" => (s => StreamingFeatureExtractor.Formants(formants, s), x => new FormantTracker(formants).Compute(x)),
            "lld-frames" => (s => StreamingFeatureExtractor.LldFrames(lld, s), x => new LldExtractor(lld).ComputeFrames(x)),
            _ => (s => StreamingFeatureExtractor.LldSegments(lld, s), x => new LldExtractor(lld).ComputeSegments(x)),
        };
    }

    [Theory]
    [MemberData(nameof(KindsAndLengths))]
    public void Streamed_rows_are_bit_identical_to_the_whole_signal(string kind, int samples)
    {
        var (make, whole) = Kind(kind);
        var (w, s, result) = Both(make, whole, StreamingSignals.Recording(samples));
        Assert.True(result.Streamed, "the signal is longer than one block, so it must have been streamed");
        Assert.Equal(samples, result.Samples);
        AssertIdentical(w, s);
    }

    [Theory]
    [InlineData(22050, 441)]  // formant resampler 200/441, hop of 20 ms
    [InlineData(44100, 441)]  // resampler 100/441
    [InlineData(48000, 480)]  // resampler 5/24
    [InlineData(8000, 80)]    // below the analysis rate: no resampler
    public void Lld_frames_stream_identically_at_other_sample_rates(int sr, int hop)
    {
        var mel = new MelSpectrogramOptions { SampleRate = sr, NFft = 2048, HopLength = hop };
        var lld = new LldOptions
        {
            SampleRate = sr, Mfcc = new MfccOptions { Mel = mel }, Frame = new FrameOptions { SampleRate = sr, NFft = 2048, HopLength = hop },
            Pitch = new PitchOptions { SampleRate = sr, HopLength = hop, FrameLength = 2 * (int)Math.Ceiling(sr / 50.0) + 64 },
        };
        var x = StreamingSignals.Recording(3 * 256 * hop + 123, sr);
        var (w, s, result) = Both(o => StreamingFeatureExtractor.LldFrames(lld, o), v => new LldExtractor(lld).ComputeFrames(v), x, sr);
        Assert.True(result.Streamed);
        AssertIdentical(w, s);
    }

    [Theory]
    [InlineData(PadMode.Reflect, true)]
    [InlineData(PadMode.Edge, true)]
    [InlineData(PadMode.Constant, true)]
    [InlineData(PadMode.Reflect, false)]
    public void Spectrogram_padding_and_uncentred_frames_stream_identically(PadMode pad, bool center)
    {
        var o = new SpectrogramOptions { NFft = 400, HopLength = 100, WinLength = 300, PadMode = pad, Center = center, Power = 1 };
        var (w, s, result) = Both(v => StreamingFeatureExtractor.Spectrogram(o, v), x => new Spectrogram(o).Compute(x), StreamingSignals.Recording(80_001));
        Assert.True(result.Streamed);
        AssertIdentical(w, s);
    }

    [Theory]
    [InlineData(LastSegmentPolicy.KeepIfLongEnough, 2.0, 0.0)]
    [InlineData(LastSegmentPolicy.Keep, 0.7, 0.2)]
    [InlineData(LastSegmentPolicy.Drop, 3.0, 1.3)]
    public void Lld_segments_with_overlap_and_every_tail_rule_stream_identically(LastSegmentPolicy tail, double seconds, double overlap)
    {
        var lld = new LldOptions { SegmentSeconds = seconds, OverlapSeconds = overlap, LastSegment = tail };
        foreach (int n in new[] { 96_000, 96_001, 120_000 + 9_601 }) // a segment ending exactly at the end, one sample past it, a short tail
        {
            var (w, s, _) = Both(o => StreamingFeatureExtractor.LldSegments(lld, o), x => new LldExtractor(lld).ComputeSegments(x), StreamingSignals.Recording(n));
            AssertIdentical(w, s);
        }
    }

    [Fact]
    public void A_signal_shorter_than_one_block_runs_the_whole_signal_extractor()
    {
        var (w, s, result) = Both(o => StreamingFeatureExtractor.Mfcc(new MfccOptions(), o), x => new Mfcc().Compute(x), StreamingSignals.Recording(20_000));
        Assert.False(result.Streamed);
        Assert.Equal(1, result.Passes);
        AssertIdentical(w, s);
    }

    [Fact]
    public void Empty_audio_gives_no_rows()
    {
        var ex = StreamingFeatureExtractor.LldSegments(new LldOptions(), Small);
        var r = ex.Run(() => AudioStreamReader.FromClip(new AudioClip(Array.Empty<float>(), 16000)), _ => Assert.Fail("no rows expected"));
        Assert.Equal(0, r.Rows);
    }

    [Fact]
    public void The_audio_is_read_twice_only_when_a_clip_level_top_db_is_needed()
    {
        var x = StreamingSignals.Recording(90_000);
        int opened = 0;
        AudioStreamReader Open() { opened++; return AudioStreamReader.FromClip(new AudioClip(x, 16000)); }
        var withTopDb = StreamingFeatureExtractor.Mfcc(new MfccOptions(), Small).Run(Open, _ => { });
        Assert.Equal((2, 2), (withTopDb.Passes, opened));
        opened = 0;
        var without = StreamingFeatureExtractor.Mfcc(new MfccOptions { TopDb = null }, Small).Run(Open, _ => { });
        Assert.Equal((1, 1), (without.Passes, opened));
        opened = 0;
        Assert.Equal(1, StreamingFeatureExtractor.Pitch(new PitchOptions(), Small).Run(Open, _ => { }).Passes);
    }

    [Fact]
    public void Samples_held_in_memory_do_not_grow_with_the_signal()
    {
        // What a block of 256 frames reads (256·160 samples plus the frames' reach: the pitch frame and its lags, the
        // formant window and resampler taps, < 4096 samples) plus at most two reads; where the reads fall differs by less
        // than one read between lengths, and nothing grows with the signal.
        var ex = StreamingFeatureExtractor.LldSegments(new LldOptions(), Small);
        long Peak(int seconds) => ex.Run(() => AudioStreamReader.FromClip(new AudioClip(StreamingSignals.Recording(seconds * 16000), 16000)), _ => { }).PeakSamples;
        long ten = Peak(10), sixty = Peak(60);
        Assert.True(Math.Abs(sixty - ten) <= Small.ReadSamples, $"peak {ten} samples for 10 s, {sixty} for 60 s");
        Assert.True(sixty < 256 * 160 + 4096 + Small.ReadSamples * 2, $"peak {sixty} samples");
    }

    [Fact]
    public void A_non_finite_sample_is_named_by_its_index_in_the_whole_signal()
    {
        var x = StreamingSignals.Recording(100_000);
        x[77_777] = float.NaN;
        var ex = StreamingFeatureExtractor.Energy(new FrameOptions(), Small);
        var e = Assert.Throws<InvalidSignalException>(() => ex.Run(() => AudioStreamReader.FromClip(new AudioClip(x, 16000), 1013), _ => { }));
        Assert.Contains("sample 77777 is NaN", e.Message);
    }

    [Fact]
    public void Audio_at_another_rate_is_refused_before_any_work()
    {
        var ex = StreamingFeatureExtractor.Mfcc(new MfccOptions(), Small);
        var e = Assert.Throws<FeatureParameterException>(() =>
            ex.Run(() => AudioStreamReader.FromClip(new AudioClip(new float[100_000], 44100)), _ => Assert.Fail("no rows expected")));
        Assert.Contains("44100 Hz", e.Message);
        Assert.Contains("SampleRate = 16000 Hz", e.Message);
    }

    [Fact]
    public void Block_sizes_that_are_not_multiples_of_256_frames_are_refused()
    {
        var e = Assert.Throws<FeatureParameterException>(() => StreamingFeatureExtractor.Mfcc(new MfccOptions(), new StreamingOptions { BlockFrames = 1000, ReadSamples = 0 }));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("BlockFrames = 1000", e.Message);
    }

    [Fact]
    public void Stereo_wav_files_stream_to_the_same_rows_as_the_decoded_file()
    {
        var clip = StreamingSignals.Stereo(90_001);
        var path = Path.Combine(TestPaths.TempDir(), "stereo.wav");
        WavWriter.Write(path, clip, WavEncoding.Pcm24);
        var ex = StreamingFeatureExtractor.LldFrames(new LldOptions(), Small);
        var streamed = ex.Compute(() => AudioStreamReader.Open(path));
        var whole = new LldExtractor().ComputeFrames(AudioFile.Read(path, mono: true));
        AssertIdentical(whole, streamed);
    }
}
