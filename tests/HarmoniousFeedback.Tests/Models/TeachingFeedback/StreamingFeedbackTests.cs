using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class StreamingFeedbackTests
{
    // An untrained (seeded) HFN–HFI: these tests check the windowing and the alignment to the score, which do not depend on the weights.
    private static HarmoniousFeedbackModel Model() => new(new HarmoniousFeedbackNetwork(
        new HarmoniousFeedbackNetworkOptions { Channels = [4, 8], Integration = new FeedbackIntegrationOptions { Iterations = 1 } }, ReferenceAlignment.FeatureNames.Count, 3), 3);

    private static StreamingFeedback Streaming(StreamingFeedbackOptions? o = null) => new(Model(), new ReferenceAlignmentOptions(), o);

    [Fact]
    public void Run_reads_one_window_of_samples_before_it_returns_the_first_report()
    {
        var clip = StreamingFixture.Render(StreamingFixture.Melody());
        using var reader = AudioStreamReader.FromClip(clip, maxBlock: 1600);
        using var windows = Streaming().Run(reader, clip).GetEnumerator();
        Assert.True(windows.MoveNext());
        Assert.Equal(3 * 16000, reader.Position); // exactly the first window: the rest of the recording is still unread
        Assert.Equal((0, 3.0), (windows.Current.Start, windows.Current.End));
    }

    [Fact]
    public void Run_tiles_the_recording_with_windows_found_where_they_are_in_the_score()
    {
        var clip = StreamingFixture.Render(StreamingFixture.Melody());       // the student plays the score exactly
        using var reader = AudioStreamReader.FromClip(clip, maxBlock: 4096);
        var windows = Streaming().Run(reader, clip).ToList();
        // the rendition lasts 12 s plus the last note's release (< 1 s, MinWindowSeconds): windows at 0, 3, 6, 9 s, the tail dropped
        Assert.InRange(clip.DurationSeconds, 12, 13);
        Assert.Equal([0.0, 3, 6, 9], windows.Select(w => w.Start));
        Assert.Equal([3.0, 6, 9, 12], windows.Select(w => w.End));
        foreach (var w in windows)
        {
            // same audio, so each window's span in the reference is the window itself (0.1 s: chroma smoothing and open path ends)
            Assert.InRange(w.Reference!.Value.Start, w.Start - 0.1, w.Start + 0.1);
            Assert.InRange(w.Reference!.Value.End, w.End - 0.15, w.End + 0.1);
            // frame times (and so issues) are in the recording: window k's are window 0's moved by its start
            Assert.Equal(windows[0].Example.Student.FrameTimes[0] + w.Start, w.Example.Student.FrameTimes[0], 1e-9);
            Assert.InRange(w.Prediction.FrameStarts[0], w.Start - 0.005, w.Start);   // the first output frame starts half a hop before the first frame's centre (clamped at 0)
        }
    }

    [Fact]
    public void A_window_with_wrong_notes_shows_a_larger_chroma_distance_to_the_score_than_every_clean_window()
    {
        var score = StreamingFixture.Render(StreamingFixture.Melody());
        var student = StreamingFixture.Render(StreamingFixture.Melody(wrongFrom: 6, wrongTo: 9));   // window 2 is a tritone off
        using var reader = AudioStreamReader.FromClip(student, maxBlock: 4096);
        var windows = Streaming().Run(reader, score).ToList();
        Assert.Equal(4, windows.Count);
        double Distance(WindowFeedback w) => Enumerable.Range(0, w.Example.Frames).Average(i => w.Example.Alignment![i, 2]); // chroma_distance
        var d = windows.Select(Distance).ToArray();
        // each clean window is aligned with its own part of the score (≈ 0), the wrong one is not: a tritone shares no pitch
        // class with the written note, and only window 2 differs, so it must stand out by a wide margin, not by noise
        Assert.True(d[2] > 0.3 && d.Where((_, i) => i != 2).All(x => x < d[2] / 3), $"chroma distance per window: {string.Join(", ", d.Select(x => x.ToString("F3")))}");
        // the wrong window matches nothing in the score (cost > MaxMatchCost) and is assumed in time; the clean ones are found
        Assert.True(windows[2].Reference!.Value.Cost > 0.25 && windows.Where((_, i) => i != 2).All(w => w.Reference!.Value.Cost < 0.1),
            $"match costs: {string.Join(", ", windows.Select(w => w.Reference!.Value.Cost.ToString("F3")))}");
        Assert.Equal([true, true, false, true], windows.Select(w => w.ReferenceMatched));
        Assert.All(windows, w => Assert.InRange(w.Reference!.Value.Start, w.Start - 0.1, w.Start + 0.1));
    }

    [Fact]
    public void A_window_in_which_nothing_is_played_is_marked_silent_and_does_not_move_the_place_in_the_score()
    {
        var played = StreamingFixture.Render(StreamingFixture.Melody()).Channels[0];
        // 0–3 s of the melody, 3 s of digital silence, then the rest: window 1 (3–6 s) holds no sound
        var gap = new float[played.Length + 3 * 16000];
        played.AsSpan(0, 3 * 16000).CopyTo(gap);
        played.AsSpan(3 * 16000).CopyTo(gap.AsSpan(6 * 16000));
        var clip = new AudioClip(gap, 16000);
        using var reader = AudioStreamReader.FromClip(clip, maxBlock: 4096);
        var windows = Streaming().Run(reader, StreamingFixture.Render(StreamingFixture.Melody())).ToList();
        Assert.Equal([false, true, false, false, false], windows.Select(w => w.Silent));
        Assert.Equal(double.NegativeInfinity, windows[1].PeakDbfs);
        Assert.All(windows.Where(w => !w.Silent), w => Assert.InRange(w.PeakDbfs, -40, 0));
        // the pause does not move the place in the score: after it the student goes on from 3 s of the score (0.1 s: chroma smoothing)
        Assert.All(windows.Skip(2), w => Assert.InRange(w.Reference!.Value.Start, w.Start - 3 - 0.1, w.Start - 3 + 0.1));
    }

    [Fact]
    public void Overlapping_windows_start_every_hop_seconds()
    {
        var clip = StreamingFixture.Render(StreamingFixture.Melody());
        using var reader = AudioStreamReader.FromClip(clip);
        var starts = Streaming(new StreamingFeedbackOptions { WindowSeconds = 3, HopSeconds = 1.5 }).Run(reader, clip).Select(w => w.Start).ToList();
        Assert.Equal(Enumerable.Range(0, starts.Count).Select(i => 1.5 * i), starts);
        Assert.True(starts.Count >= 7, $"{starts.Count} windows"); // 12 s + tail: starts 0 … 9 at least
    }

    [Fact]
    public void Streaming_rejects_bad_settings_another_sample_rate_and_a_missing_reference()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Streaming(new StreamingFeedbackOptions { WindowSeconds = 3, HopSeconds = 4, SearchSeconds = -1 }));
        Assert.Contains("HopSeconds = 4", e.Message);
        Assert.Contains("SearchSeconds = -1", e.Message);
        var clip = StreamingFixture.Render(StreamingFixture.Melody());
        using var slow = AudioStreamReader.FromClip(new AudioClip(new float[44100], 22050));
        Assert.Throws<AudioFormatException>(() => Streaming().Run(slow, clip));
        using var reader = AudioStreamReader.FromClip(clip);
        Assert.Throws<DatasetException>(() => Streaming().Run(reader, null));
    }

    [Fact]
    public void Each_window_is_aligned_exactly_as_the_window_s_samples_with_its_part_of_the_reference_s_samples()
    {
        // a student who drifts from the score (a slower rendition with two wrong notes), so the spans are not the windows
        var reference = StreamingFixture.Render(StreamingFixture.Melody());
        var student = new AudioClip(StreamingFixture.Render(StreamingFixture.Melody(wrongFrom: 4, wrongTo: 5)).Channels[0], 16000);
        using var reader = AudioStreamReader.FromClip(student, maxBlock: 4096);
        var windows = Streaming(new StreamingFeedbackOptions { HopSeconds = 2 }).Run(reader, reference).ToList();
        Assert.True(windows.Count >= 4);
        var alignment = new ReferenceAlignment();
        foreach (var w in windows)
        {
            // the path StreamingFeedback took before the reference's frames were prepared once: cut both clips, align them
            int s0 = (int)Math.Round(w.Start * 16000), s1 = (int)Math.Round(w.End * 16000);
            var window = new AudioClip(student.Channels[0].AsSpan(s0, s1 - s0).ToArray(), 16000);
            var span = w.Reference!.Value;
            var (a, length) = span.Samples(16000, reference.Length);
            var part = new AudioClip(reference.Channels[0].AsSpan(a, length).ToArray(), 16000);
            var expected = alignment.Compute(window, part);
            Assert.Equal(expected.Features.Data, w.Example.Alignment!.Data);          // bit-identical: the same frames, the same code after them
            Assert.Equal(expected.AlignedReference.Data, w.Example.Reference!.Data);
            Assert.Equal(expected.Performance.Data, w.Example.Student.Data);
        }
    }

    [Fact]
    public void Each_window_of_a_notes_model_reads_the_note_comparison_of_its_part_as_computed_from_the_part_s_samples()
    {
        // the rendering's semitone-band energies are computed once per run and each window's part is cut from them
        // (PitchSpectrogram.Excerpt); the comparison must be the one on the part's own samples, as before that
        var alignmentOptions = new ReferenceAlignmentOptions();
        var notes = new NoteComparisonInput(NoteComparisonInput.WithoutDurations, alignmentOptions);
        var model = new HarmoniousFeedbackModel(new HarmoniousFeedbackNetwork(
            new HarmoniousFeedbackNetworkOptions { Channels = [4, 8], Integration = new FeedbackIntegrationOptions { Iterations = 1 } },
            ReferenceAlignment.FeatureNames.Count, 3, noteFeatures: notes.Measures.Count), 3);
        var score = StreamingFixture.Melody();
        var reference = StreamingFixture.Render(score);
        var student = new AudioClip(StreamingFixture.Render(StreamingFixture.Melody(wrongFrom: 4, wrongTo: 5)).Channels[0], 16000);
        var streaming = new StreamingFeedback(model, alignmentOptions, new StreamingFeedbackOptions { HopSeconds = 2 }) { Notes = notes };
        using var reader = AudioStreamReader.FromClip(student, maxBlock: 4096);
        var windows = streaming.Run(reader, reference, score: score).ToList();
        Assert.True(windows.Count >= 4);
        var alignment = new ReferenceAlignment(alignmentOptions);
        foreach (var w in windows)
        {
            int s0 = (int)Math.Round(w.Start * 16000), s1 = (int)Math.Round(w.End * 16000);
            var window = new AudioClip(student.Channels[0].AsSpan(s0, s1 - s0).ToArray(), 16000);
            var (a, length) = w.Reference!.Value.Samples(16000, reference.Length);
            Assert.Equal(0, a % 160);                                              // located spans start on frame boundaries
            var part = new AudioClip(reference.Channels[0].AsSpan(a, length).ToArray(), 16000);
            var expected = notes.Compute(window, part, HarmoniousFeedback.Midi.MidiExcerpt.Cut(score, a / 16000.0, length / 16000.0), alignment.Compute(window, part));
            Assert.Equal(expected, w.Example.Notes);
        }
        // and a notes model refuses to run without the score
        using var again = AudioStreamReader.FromClip(student);
        Assert.Contains("note comparison", Assert.Throws<DatasetException>(() => streaming.Run(again, reference)).Message);
    }

    [Fact]
    public void A_window_of_noise_finds_a_cheap_part_of_the_score_but_no_transposition_contrast_and_is_not_matched()
    {
        // 6 s of the score played, then 3 s of white noise, then the score from 9 s on
        var reference = StreamingFixture.Render(StreamingFixture.Melody());
        var x = reference.Channels[0].ToArray();
        var rng = new Random(8);
        for (int i = 6 * 16000; i < 9 * 16000; i++) x[i] = (float)(0.3 * (rng.NextDouble() - 0.5));
        using var reader = AudioStreamReader.FromClip(new AudioClip(x, 16000));
        var windows = Streaming().Run(reader, reference).ToList();
        Assert.Equal(4, windows.Count);
        Assert.All(windows.Where(w => w.Index != 2), w => { Assert.True(w.ReferenceMatched); Assert.InRange(w.Contrast!.Value, 0.2, 1); });
        var noise = windows[2];
        Assert.False(noise.ReferenceMatched, $"cost {noise.Reference!.Value.Cost}, contrast {noise.Contrast}");
        Assert.InRange(noise.Reference!.Value.Cost, 0, new StreamingFeedbackOptions().MaxMatchCost);   // the cost alone would have passed it
        Assert.InRange(noise.Contrast!.Value, -0.2, 0.2);
        Assert.InRange(noise.Reference!.Value.Start, 5.9, 6.1);        // assumed in time, where the last window ended
        Assert.InRange(windows[3].Reference!.Value.Start, 8.9, 9.1);
        // the check can be turned off
        using var again = AudioStreamReader.FromClip(new AudioClip(x, 16000));
        var unchecked_ = Streaming(new StreamingFeedbackOptions { MinContrast = double.NegativeInfinity }).Run(again, reference).ToList();
        Assert.All(unchecked_, w => Assert.Null(w.Contrast));
        Assert.Throws<OptionsValidationException>(() => Streaming(new StreamingFeedbackOptions { MinContrast = 1.5 }));
    }
}
