using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using Xunit;
using Xunit.Abstractions;

namespace HarmoniousFeedback.Tests.Features;

/// <summary>
/// The LLD fast paths (block-correlation YIN, warm-started LPC roots, SIMD resampler) against their references: the
/// per-frame FFT YIN (<see cref="PitchTracker.ProcessFrame"/>), cold-started roots, and the LLD segments the previous
/// implementation produced for the anchors' piano WAVs (Features/Data/lld_segments_*.csv, written by the FFT/cold-start
/// code at commit 65cc742).
/// </summary>
public sealed class LldFastPathTests(ITestOutputHelper output)
{
    private static float[] Piano(string name) => WavReader.Read(TestPaths.Shared("anchors", "dsp", "wav", name + ".wav"), mono: true).ToMono();

    private static IEnumerable<float[]> Signals()
    {
        yield return Synth.Harmonic(t => 110 * Math.Pow(2, (int)(t * 4) % 25 / 12.0), 4, [1, 2, 3, 4, 5, 6]);
        var noisy = Synth.Harmonic(t => 220 + 30 * Math.Sin(2 * Math.PI * 5 * t), 3, [1, 2, 3]);
        var rng = new Random(7);
        for (int i = 0; i < noisy.Length; i++) noisy[i] += (float)(0.02 * (rng.NextDouble() * 2 - 1));
        yield return noisy;
        if (TestPaths.SharedAvailable) { yield return Piano("piano_ocean"); yield return Piano("piano_overworld"); }
    }

    [Fact]
    public void Block_correlation_YIN_matches_the_FFT_reference()
    {
        var tracker = new PitchTracker();
        foreach (var x in Signals())
        {
            var fast = tracker.Compute(x);
            var reference = tracker.ComputeReference(x);
            Assert.Equal(reference.Rows, fast.Rows);
            int disagree = 0; double maxCents = 0, maxProb = 0;
            for (int i = 0; i < fast.Rows; i++)
            {
                float a = fast[i, 0], b = reference[i, 0];
                if ((a > 0) != (b > 0)) { disagree++; continue; }
                if (a > 0) maxCents = Math.Max(maxCents, Math.Abs(1200 * Math.Log2(a / b)));
                maxProb = Math.Max(maxProb, Math.Abs(fast[i, 1] - reference[i, 1]));
            }
            output.WriteLine($"{fast.Rows} frames: voicing disagreements {disagree}, max |ΔF0| {maxCents:G3} cents, max |Δp| {maxProb:G3}");
            // Both paths compute the same d(τ); they differ by float round-off in the cross term (FFT ≈ 1e-7·energy), which
            // can only move decisions on frames sitting exactly at a threshold: allow 1 % of frames (none seen), and 0.01 cent elsewhere.
            Assert.True(disagree <= Math.Max(1, fast.Rows / 100), $"{disagree} of {fast.Rows} frames change voicing");
            Assert.True(maxCents < 0.01, $"F0 differs by {maxCents} cents"); // observed ≤ 0.001 cents on these signals
            Assert.True(maxProb < 1e-5, $"voicing probability differs by {maxProb}"); // observed ≤ 4e-7
        }
    }

    [Fact]
    public void Warm_started_formants_match_the_cold_start_reference()
    {
        var tracker = new FormantTracker();
        foreach (var x in Signals())
        {
            var fast = tracker.Compute(x);
            // reference: every frame through the public, cold-started ProcessFrame on the same prepared signal
            var y = tracker.Prepare(x);
            var o = tracker.Options;
            int len = (int)Math.Round(o.WindowSeconds * o.EffectiveAnalysisRate), half = len / 2;
            var padded = Framing.Pad(y, len, PadMode.Constant);
            double ratio = (double)o.EffectiveAnalysisRate / o.SampleRate, maxHz = 0;
            var row = new float[8];
            for (int i = 0; i < fast.Rows; i++)
            {
                int centre = (int)Math.Round(i * (double)o.HopLength * ratio);
                tracker.ProcessFrame(padded.AsSpan(centre - half + len, len), row);
                for (int k = 0; k < 8; k++)
                {
                    Assert.True((row[k] > 0) == (fast[i, k] > 0), $"frame {i} column {k}: {fast[i, k]} vs reference {row[k]}");
                    maxHz = Math.Max(maxHz, Math.Abs(row[k] - fast[i, k]));
                }
            }
            output.WriteLine($"{fast.Rows} frames: max |ΔF|,|ΔB| {maxHz:G3} Hz");
            // Both runs converge to the roots within 1e-10 (relative step); 0.01 Hz leaves room for float output rounding.
            Assert.True(maxHz < 0.01, $"formants differ by {maxHz} Hz");
        }
    }

    [Fact]
    public void Warm_started_roots_equal_cold_start_roots()
    {
        double[] a = [1, -1.2, 0.9, -0.3, 0.25, -0.1, 0.05];
        Span<double> cr = stackalloc double[6], ci = stackalloc double[6];
        Assert.True(Lpc.Roots(a, cr, ci, warmStart: false));
        // warm start from perturbed roots (as from the previous frame)
        Span<double> wr = stackalloc double[6], wi = stackalloc double[6];
        for (int i = 0; i < 6; i++) { wr[i] = cr[i] * 0.97 + 0.01; wi[i] = ci[i] * 1.02; }
        Assert.True(Lpc.Roots(a, wr, wi, warmStart: true));
        for (int i = 0; i < 6; i++)
        {
            double best = double.MaxValue;
            for (int j = 0; j < 6; j++) best = Math.Min(best, Math.Abs(new System.Numerics.Complex(wr[i] - cr[j], wi[i] - ci[j]).Magnitude));
            Assert.True(best < 1e-9, $"warm root {i} is {best} from every cold root");
        }
    }

    [Fact]
    public void SIMD_resampler_matches_the_direct_sum()
    {
        var rs = new RationalResampler(16000, 10000);
        var x = Synth.Harmonic(_ => 300, 0.5, [1, 2, 3, 5]);
        var y = rs.Process(x);
        // direct evaluation of the zero-phase windowed-sinc sum at a few outputs, in double
        var h = typeof(RationalResampler).GetField("_h", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(rs) as double[];
        int hh = (h!.Length - 1) / 2;
        foreach (int o in new[] { 0, 3, 1000, 2500, y.Length - 1 })
        {
            long t0 = (long)o * rs.Down; double s = 0;
            for (int j = 0; j < x.Length; j++) { long t = t0 - (long)j * rs.Up; if (t >= -hh && t <= hh) s += x[j] * (double)(float)h[t + hh]; }
            Assert.True(Math.Abs(s - y[o]) < 1e-5, $"output {o}: {y[o]} vs direct {s}");
        }
    }

    [SharedDataFact]
    public void Lld_segments_of_piano_clips_stay_close_to_the_previous_implementation()
    {
        var lld = new LldExtractor();
        foreach (var name in new[] { "piano_ocean", "piano_overworld" })
        {
            var now = lld.ComputeSegments(Piano(name));
            var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "HarmoniousFeedback.Tests", "Features", "Data", $"lld_segments_{name}.csv"));
            Assert.Equal(now.Rows, lines.Length - 1);
            for (int s = 0; s < now.Rows; s++)
            {
                var was = lines[s + 1].Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                for (int c = 0; c < 50; c++)
                {
                    string col = LldExtractor.SegmentColumns[c];
                    double tol = Tolerance(col, was[c]);
                    output.WriteLine($"{name} seg {s} {col}: {now[s, c]} vs {was[c]} (Δ {now[s, c] - was[c]:G3}, tol {tol:G3})");
                    Assert.True(Math.Abs(now[s, c] - was[c]) <= tol, $"{name} segment {s} {col}: {now[s, c]} vs previous {was[c]} (tolerance {tol})");
                }
            }
        }
    }

    /// <summary>
    /// MFCC, energy and ZCR code is unchanged: float round-trip only. Formant means: warm vs cold roots, 0.01 Hz. Pitch
    /// columns: a segment has ~300 frames and at most 1 % may flip voicing at a threshold (see the YIN test), which moves
    /// voiced_fraction and voicing_prob_mean by ≤ 0.01 and the log-F0 statistics by ≤ 0.02 (a flipped frame carries a
    /// plausible F0 of the same note).
    /// </summary>
    private static double Tolerance(string column, double was) => column switch
    {
        _ when column.StartsWith('F') || column.StartsWith('B') => 0.01 + 1e-6 * Math.Abs(was),
        "voiced_fraction" or "voicing_prob_mean" => 0.01,
        _ when column.Contains("log_f0") => 0.02,
        _ => 1e-6 * Math.Max(1, Math.Abs(was)),
    };
}
