using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench features [--json] [--seconds 600] [--threads 1,2] [--repeat 3] [--cases stft,mel,mfcc,lld]</c>: throughput (× realtime = audio seconds
/// per wall-clock second) of STFT (power), mel, MFCC and the 50-dim LLD segment descriptor on a deterministic
/// synthetic 16 kHz signal (harmonic tones + noise), n_fft 512, hop 160, n_mels 64, n_mfcc 18. Each case runs once to
/// warm up and then <c>--repeat</c> times; the best run is reported. The reference for MFCC is
/// bench/features/torchaudio_mfcc.py (same case). <c>--cases</c> also accepts <c>pitch</c> and <c>formants</c>, the two
/// dominant LLD components, for profiling.
/// </summary>
public sealed class FeaturesBench : IBenchSuite
{
    public string Name => "features";
    public string Description => "feature-extraction throughput (× realtime): stft, mel, mfcc, lld";

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        double seconds = 600;
        int repeat = 3;
        int[] threads = [1, 2];
        string[]? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--json": break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--cases": only = Next().Split(','); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; usage: hfb-bench features [--json] [--seconds 600] [--threads 1,2] [--repeat 3] [--cases stft,mel,mfcc,lld,pitch,formants]"); return 2;
            }
        }
        if (seconds <= 0 || repeat < 1 || threads.Any(t => t < 1)) { Console.Error.WriteLine("--seconds, --repeat and --threads must be positive"); return 2; }

        const int sr = 16000;
        var x = Signal((int)(seconds * sr), sr);
        var mfccOpts = new MfccOptions { Mel = new MelSpectrogramOptions { SampleRate = sr, NFft = 512, HopLength = 160, NMels = 64 }, NMfcc = 18 };
        var stft = new Spectrogram(mfccOpts.Mel.ToSpectrogramOptions());
        var mel = new MelSpectrogram(mfccOpts.Mel);
        var mfcc = new Mfcc(mfccOpts);
        var lldOpts = new LldOptions { SampleRate = sr, Mfcc = mfccOpts };
        var lld = new LldExtractor(lldOpts);
        var pitch = new PitchTracker(lldOpts.EffectivePitch);
        var formants = new FormantTracker(lldOpts.EffectiveFormants);
        var all = new (string Name, Action Body)[]
        {
            ("stft", () => stft.Compute(x)),
            ("mel", () => mel.Compute(x)),
            ("mfcc", () => mfcc.Compute(x)),
            ("lld", () => lld.ComputeSegments(x)),
            // LLD components (not run by default): where the lld time goes
            ("pitch", () => pitch.Compute(x)),
            ("formants", () => formants.Compute(x)),
        };
        string[] defaults = ["stft", "mel", "mfcc", "lld"];
        var unknown = (only ?? []).Where(c => !all.Any(a => a.Name == c)).ToArray();
        if (unknown.Length > 0) { Console.Error.WriteLine($"unknown case(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(a => a.Name))}"); return 2; }
        var cases = all.Where(a => (only ?? defaults).Contains(a.Name)).ToArray();
        var results = new List<Dictionary<string, object>>();
        int saved = FeatureParallelism.MaxDegreeOfParallelism;
        Console.Error.WriteLine($"features: {seconds} s of 16 kHz audio, n_fft 512, hop 160, n_mels 64, n_mfcc 18; best of {repeat}; {Environment.ProcessorCount} cores");
        try
        {
            foreach (var t in threads)
            {
                FeatureParallelism.MaxDegreeOfParallelism = t;
                foreach (var (name, body) in cases)
                {
                    body(); // warm-up (JIT, tiering, thread-local scratch)
                    double best = double.MaxValue;
                    for (int r = 0; r < repeat; r++)
                    {
                        GC.Collect(); GC.WaitForPendingFinalizers();
                        var sw = Stopwatch.StartNew();
                        body();
                        best = Math.Min(best, sw.Elapsed.TotalSeconds);
                    }
                    double xrt = seconds / best;
                    Console.Error.WriteLine($"  {name,-8} threads={t}  {best * 1000,9:F1} ms  {xrt,9:F0} × realtime");
                    results.Add(new() { ["case"] = name, ["threads"] = t, ["value"] = Math.Round(xrt, 1), ["unit"] = "x_realtime" });
                }
            }
        }
        finally { FeatureParallelism.MaxDegreeOfParallelism = saved; }
        if (json) Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }

    /// <summary>Deterministic test signal: a harmonic tone whose F0 steps every 0.5 s (110–880 Hz), a −30 dB noise floor, 0.2 s pauses every 3 s.</summary>
    internal static float[] Signal(int n, int sr)
    {
        var x = new float[n];
        var rng = new Random(12345);
        double phase = 0;
        for (int t = 0; t < n; t++)
        {
            double time = t / (double)sr;
            double f0 = 110 * Math.Pow(2, (int)(time * 2) % 37 / 12.0);
            phase += f0 / sr;
            bool pause = time % 3.0 > 2.8;
            double s = 0;
            if (!pause) for (int h = 1; h <= 6; h++) s += Math.Sin(2 * Math.PI * h * phase) / h;
            x[t] = (float)(0.25 * s + 0.01 * (rng.NextDouble() * 2 - 1));
        }
        return x;
    }
}
