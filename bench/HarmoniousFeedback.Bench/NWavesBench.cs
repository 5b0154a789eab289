using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench nwaves [--json] [--anchors DIR] [--seconds 600] [--repeat 3]</c>: NWaves 0.9.6 side by side with the
/// toolkit. (1) Conformance: every mel, log-mel, MFCC and pitch case of the torchaudio anchors (../shared/anchors/dsp,
/// or $HFB_SHARED/anchors/dsp)
/// computed by NWaves configured as close to torchaudio as its API allows (see <see cref="NWavesConfig"/>), scored with
/// the anchors' checker metric (check_features.py, as FeaturesAnchorConformanceTests ports it) plus max absolute and
/// max relative error; the toolkit's own numbers beside it. (2) Speed: × realtime of NWaves and the toolkit on the
/// features suite's synthetic signal (mel 64, MFCC 18, pitch), one thread, best of <c>--repeat</c>.
/// </summary>
public sealed class NWavesBench : IBenchSuite
{
    public string Name => "nwaves";
    public string Description => "NWaves 0.9.6 vs the toolkit: deviation from the torchaudio anchors, and speed";

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        string shared = Environment.GetEnvironmentVariable("HFB_SHARED") is { Length: > 0 } env ? env : Path.Combine(FindRepoRoot(), "..", "shared");
        string anchors = Path.GetFullPath(Path.Combine(shared, "anchors", "dsp"));
        double seconds = 600;
        int repeat = 3;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--json": break;
                case "--anchors": anchors = Next(); break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; usage: hfb-bench nwaves [--json] [--anchors DIR] [--seconds 600] [--repeat 3]"); return 2;
            }
        }
        var results = new List<Dictionary<string, object>>();
        if (File.Exists(Path.Combine(anchors, "cases.json"))) results.AddRange(Conformance(anchors));
        else Console.Error.WriteLine($"nwaves: no anchors at {anchors}; conformance skipped (pass --anchors DIR)");
        results.AddRange(Speed(seconds, repeat));
        if (json) Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }

    private static IEnumerable<Dictionary<string, object>> Conformance(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "cases.json")));
        Console.Error.WriteLine("conformance vs torchaudio anchors (metric = the checker's; tolerance in brackets):");
        Console.Error.WriteLine($"  {"case",-32} {"metric",-16} {"tol",8} {"toolkit",11} {"NWaves",11} {"NWaves max|Δ|",14} {"NWaves max rel",14}");
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string kind = c.GetProperty("kind").GetString()!;
            if (kind is not ("mel" or "logmel" or "mfcc" or "pitch")) continue;
            string id = c.GetProperty("id").GetString()!;
            var opts = Parse(c.GetProperty("options").EnumerateArray().Select(e => e.GetString()!).ToArray());
            var clip = WavReader.Read(Path.Combine(dir, c.GetProperty("input").GetString()!), mono: true);
            var reference = ReadCsv(Path.Combine(dir, c.GetProperty("reference").GetString()!));
            var x = clip.Channels[0];
            if (kind == "pitch")
            {
                var p = c.GetProperty("metric_params");
                foreach (var (variant, f0) in new[] { ("acf", NWavesConfig.PitchAutocorrelation(x, clip.SampleRate, opts)), ("yin", NWavesConfig.PitchYin(x, clip.SampleRate, opts)) })
                {
                    var nw = f0.Select((v, i) => new[] { reference[i][0], (double)v }).ToArray();
                    var tk = Toolkit(kind, x, clip.SampleRate, opts);
                    var (gpeN, vdaN) = Pitch(reference, nw, p);
                    var (gpeT, vdaT) = Pitch(reference, tk, p);
                    Console.Error.WriteLine($"  {id + " (" + variant + ")",-32} {"gpe / vda",-16} {"0.05/0.9",8} {gpeT,5:F3}/{vdaT,5:F3} {gpeN,5:F3}/{vdaN,5:F3}");
                    yield return new() { ["case"] = id, ["nwaves"] = "pitch-" + variant, ["gpe_nwaves"] = gpeN, ["vda_nwaves"] = vdaN, ["gpe_toolkit"] = gpeT, ["vda_toolkit"] = vdaT };
                }
                continue;
            }
            var toolkit = Toolkit(kind, x, clip.SampleRate, opts);
            string metric = c.GetProperty("metric").GetString()!;
            double tol = c.GetProperty("tolerance").GetDouble();
            double Metric(double[][] o) => metric == "max_frame_rel_l2" ? MaxFrameRelL2(reference, o, 1e-8) : MaxAbs(reference, o);
            double mT = Metric(toolkit);
            var variants = kind == "mfcc"
                ? new[] { ("MfccExtractor", NWavesConfig.Run(kind, x, clip.SampleRate, opts)), ("composed", NWavesConfig.ComposedMfcc(x, clip.SampleRate, opts)) }
                : new[] { (kind == "mel" ? "FilterbankExtractor" : "Filterbank+dB+top_db", NWavesConfig.Run(kind, x, clip.SampleRate, opts)) };
            foreach (var (variant, got) in variants)
            {
                if (got.Length != reference.Length)
                    throw new InvalidOperationException($"{id}: NWaves gave {got.Length} frames, the reference has {reference.Length}");
                double mN = Metric(got), absN = MaxAbs(reference, got), relN = MaxRel(reference, got);
                string name = variants.Length > 1 ? $"{id} ({variant})" : id;
                Console.Error.WriteLine($"  {name,-32} {metric,-16} {tol,8:G3} {mT,11:G3} {mN,11:G3} {absN,14:G3} {relN,14:G3}");
                yield return new() { ["case"] = id, ["nwaves"] = variant, ["metric"] = metric, ["tolerance"] = tol, ["toolkit"] = mT, ["nwaves_metric"] = mN, ["nwaves_max_abs"] = absN, ["nwaves_max_rel"] = relN };
            }
        }
    }

    private static IEnumerable<Dictionary<string, object>> Speed(double seconds, int repeat)
    {
        const int sr = 16000;
        var x = FeaturesBench.Signal((int)(seconds * sr), sr);
        var opts = new Dictionary<string, string>();
        var mel = new MelSpectrogram(new MelSpectrogramOptions { SampleRate = sr, NFft = 512, HopLength = 160, NMels = 64 });
        var mfcc = new Mfcc(new Features.MfccOptions { Mel = new MelSpectrogramOptions { SampleRate = sr, NFft = 512, HopLength = 160, NMels = 64 }, NMfcc = 18 });
        var pitch = new PitchTracker(new Features.PitchOptions { SampleRate = sr, HopLength = 160 });
        var nwMel = NWavesConfig.Mel(sr, opts);
        var nwMfcc = NWavesConfig.Mfcc(sr, opts);
        var cases = new (string Name, string Library, Action Body)[]
        {
            ("mel", "toolkit", () => mel.Compute(x)),
            ("mel", "nwaves", () => nwMel.ComputeFrom(NWavesConfig.Pad(x, 512))),
            ("mfcc", "toolkit", () => mfcc.Compute(x)),
            ("mfcc", "nwaves", () => nwMfcc.ComputeFrom(NWavesConfig.Pad(x, 512))),
            ("pitch", "toolkit", () => pitch.Compute(x)),
            ("pitch", "nwaves-acf", () => NWavesConfig.PitchAutocorrelation(x, sr, opts)),
        };
        int saved = FeatureParallelism.MaxDegreeOfParallelism;
        FeatureParallelism.MaxDegreeOfParallelism = 1; // NWaves' ComputeFrom is single-threaded: compare one thread with one
        Console.Error.WriteLine($"speed: {seconds} s of 16 kHz audio, n_fft 512, hop 160, n_mels 64, n_mfcc 18; 1 thread; best of {repeat}; {Environment.ProcessorCount} cores");
        try
        {
            foreach (var (name, library, body) in cases)
            {
                body();
                double best = double.MaxValue;
                for (int r = 0; r < repeat; r++)
                {
                    GC.Collect();
                    var sw = Stopwatch.StartNew();
                    body();
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                }
                Console.Error.WriteLine($"  {name,-6} {library,-11} {best * 1000,9:F1} ms  {seconds / best,9:F0} × realtime");
                yield return new() { ["case"] = name, ["library"] = library, ["value"] = Math.Round(seconds / best, 1), ["unit"] = "x_realtime" };
            }
        }
        finally { FeatureParallelism.MaxDegreeOfParallelism = saved; }
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var f = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2) f[args[i]] = args[i + 1];
        return f;
    }

    /// <summary>The toolkit's numbers for the case (the same option rules as the CLI and FeaturesAnchorConformanceTests).</summary>
    private static double[][] Toolkit(string kind, float[] x, int sr, Dictionary<string, string> f)
    {
        var mel = NWavesConfig.MelOptions(sr, f);
        var mfcc = new Features.MfccOptions { Mel = mel, NMfcc = NWavesConfig.I(f, "--n-mfcc", 18), TopDb = NWavesConfig.D(f, "--top-db", 80) };
        FeatureMatrix m = kind switch
        {
            "mel" => new MelSpectrogram(mel).Compute(x),
            "logmel" => new LogMelSpectrogram(mfcc.ToLogMelOptions()).Compute(x),
            "mfcc" => new Mfcc(mfcc).Compute(x),
            _ => new PitchTracker(new Features.PitchOptions { SampleRate = sr, HopLength = mel.HopLength }).Compute(x),
        };
        if (kind == "pitch") return Enumerable.Range(0, m.Rows).Select(i => new[] { m.FrameTimes[i], (double)m[i, 0] }).ToArray();
        return Enumerable.Range(0, m.Rows).Select(i => Enumerable.Range(0, m.Columns).Select(j => (double)m[i, j]).ToArray()).ToArray();
    }

    // ---- the checker's metrics (check_features.py, as tests/…/FeaturesAnchorConformanceTests.cs ports them) ----

    private static double MaxFrameRelL2(double[][] r, double[][] o, double floorRel)
    {
        var norms = r.Select(row => Math.Sqrt(row.Sum(v => v * v))).ToArray();
        double floor = floorRel * (norms.Length > 0 ? norms.Max() : 0);
        if (floor == 0) floor = 1e-30;
        double worst = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double acc = 0;
            for (int j = 0; j < r[i].Length; j++) { double d = o[i][j] - r[i][j]; acc += d * d; }
            double e = Math.Sqrt(acc) / (norms[i] + floor);
            if (!double.IsFinite(e)) return double.PositiveInfinity;
            worst = Math.Max(worst, e);
        }
        return worst;
    }

    private static double MaxAbs(double[][] r, double[][] o)
    {
        double worst = 0;
        for (int i = 0; i < r.Length; i++)
            for (int j = 0; j < r[i].Length; j++)
            {
                if (!double.IsFinite(o[i][j])) return double.PositiveInfinity;
                worst = Math.Max(worst, Math.Abs(o[i][j] - r[i][j]));
            }
        return worst;
    }

    /// <summary>max |o − r| / max(|r|, 1e-6 · max|r|) over all values (the floor keeps near-zero references from dominating).</summary>
    private static double MaxRel(double[][] r, double[][] o)
    {
        double scale = r.SelectMany(v => v).Select(Math.Abs).DefaultIfEmpty(0).Max();
        double worst = 0;
        for (int i = 0; i < r.Length; i++)
            for (int j = 0; j < r[i].Length; j++)
                worst = Math.Max(worst, Math.Abs(o[i][j] - r[i][j]) / Math.Max(Math.Abs(r[i][j]), 1e-6 * scale + 1e-30));
        return worst;
    }

    private static (double Gpe, double Vda) Pitch(double[][] r, double[][] o, JsonElement p)
    {
        double cents = p.GetProperty("cents").GetDouble(), guard = p.GetProperty("guard_s").GetDouble();
        var times = r.Select(x => x[0]).ToArray();
        var refV = r.Select(x => x[1] > 0).ToArray();
        var mask = Enumerable.Repeat(true, r.Length).ToArray();
        for (int c = 1; c < r.Length; c++)
        {
            if (refV[c] == refV[c - 1]) continue;
            double tc = 0.5 * (times[c] + times[c - 1]);
            for (int i = 0; i < r.Length; i++) if (Math.Abs(times[i] - tc) <= guard) mask[i] = false;
        }
        int nEval = 0, nVoiced = 0, nGross = 0, nOk = 0;
        for (int i = 0; i < r.Length; i++)
        {
            if (!mask[i]) continue;
            nEval++;
            bool estV = double.IsFinite(o[i][1]) && o[i][1] > 0;
            if (refV[i] == estV) nOk++;
            if (!refV[i]) continue;
            nVoiced++;
            if (!estV || Math.Abs(1200 * Math.Log2(o[i][1] / r[i][1])) > cents) nGross++;
        }
        return (nVoiced == 0 ? 0 : (double)nGross / nVoiced, nEval == 0 ? 0 : (double)nOk / nEval);
    }

    private static double[][] ReadCsv(string path)
        => File.ReadAllLines(path).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',').Select(s => s.Trim() == "" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HarmoniousFeedback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
