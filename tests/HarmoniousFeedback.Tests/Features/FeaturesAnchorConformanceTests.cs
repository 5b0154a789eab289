using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using Xunit;
using Xunit.Abstractions;

namespace HarmoniousFeedback.Tests.Features;

/// <summary>
/// Runs every case of ../shared/anchors/dsp/cases.json in-process (the same extractors as <c>hfb features</c>) and
/// applies check_features.py's metrics and tolerances, ported below. Reports the share of the tolerance used.
/// </summary>
public class FeaturesAnchorConformanceTests(ITestOutputHelper output)
{
    private static string Dir => TestPaths.Shared("anchors", "dsp");

    public static IEnumerable<object[]> Cases()
    {
        if (!TestPaths.SharedAvailable) { yield return ["(no shared data)"]; yield break; }
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "cases.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray()) yield return [c.GetProperty("id").GetString()!];
    }

    [SharedDataTheory]
    [MemberData(nameof(Cases))]
    public void Anchor_case_passes_with_the_checkers_metric(string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "cases.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        string kind = c.GetProperty("kind").GetString()!;
        var opts = c.GetProperty("options").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var clip = WavReader.Read(Path.Combine(Dir, c.GetProperty("input").GetString()!), mono: true);
        var got = Run(kind, clip, opts);
        var reference = ReadCsv(Path.Combine(Dir, c.GetProperty("reference").GetString()!));
        Assert.Equal(c.GetProperty("frames").GetInt32(), got.Length);
        Assert.Equal(c.GetProperty("columns").GetInt32(), got[0].Length);
        Assert.Equal(reference.Length, got.Length);
        var values = c.GetProperty("metric").GetString() switch
        {
            "max_frame_rel_l2" => new Dictionary<string, double> { ["max_frame_rel_l2"] = MaxFrameRelL2(reference, got, 1e-8) },
            "max_abs" => new Dictionary<string, double> { ["max_abs"] = MaxAbs(reference, got) },
            "energy" => Energy(reference, got),
            "pitch_gpe_vda" => Pitch(reference, got, c.GetProperty("metric_params")),
            "formant_median_rel" => Formants(reference, got, c.GetProperty("metric_params")),
            var m => throw new InvalidOperationException("unknown metric " + m),
        };
        var tol = c.GetProperty("tolerance");
        double used = 0;
        var fails = new List<string>();
        if (tol.ValueKind == JsonValueKind.Number)
        {
            var (name, v) = values.Single();
            used = v / tol.GetDouble();
            if (!(v <= tol.GetDouble())) fails.Add($"{name}={v} > {tol.GetDouble()}");
        }
        else
            foreach (var t in tol.EnumerateObject())
            {
                double lim = t.Value.GetDouble();
                // check_features.py _TOL_KEYS: energy_max_rel, log_energy_db_max_abs, gpe_max, vda_min, F1_max..F4_max
                string key = t.Name is "energy_max_rel" or "log_energy_db_max_abs" ? t.Name : t.Name[..t.Name.LastIndexOf('_')];
                double v = values[key];
                bool min = t.Name == "vda_min";
                used = Math.Max(used, min ? (1 - v) / (1 - lim) : v / lim);
                if (!(min ? v >= lim : v <= lim)) fails.Add($"{key}={v} vs {t.Name}={lim}");
            }
        output.WriteLine($"{id}: {string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"))}; {used * 100:F2}% of tolerance used");
        Assert.True(fails.Count == 0, id + ": " + string.Join("; ", fails));
    }

    /// <summary>The CSV table <c>hfb features</c> writes for this case (same option parsing rules as the CLI).</summary>
    internal static double[][] Run(string kind, AudioClip clip, string[] args)
    {
        var f = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2) f[args[i]] = args[i + 1];
        int I(string k, int d) => f.TryGetValue(k, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : d;
        double D(string k, double d) => f.TryGetValue(k, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : d;
        int sr = clip.SampleRate;
        var mel = new MelSpectrogramOptions
        {
            SampleRate = sr, NFft = I("--n-fft", 512), HopLength = I("--hop", 160),
            WinLength = f.ContainsKey("--win-length") ? I("--win-length", 0) : null, NMels = I("--n-mels", 64),
            FMin = D("--f-min", 0), FMax = f.ContainsKey("--f-max") ? D("--f-max", 0) : null,
            MelScale = f.GetValueOrDefault("--mel-scale", "htk") == "slaney" ? MelScale.Slaney : MelScale.Htk,
            MelNorm = f.GetValueOrDefault("--mel-norm", "none") == "slaney" ? MelNorm.Slaney : MelNorm.None,
        };
        var mfcc = new MfccOptions { Mel = mel, NMfcc = I("--n-mfcc", 18), TopDb = D("--top-db", 80) };
        var frame = new FrameOptions { SampleRate = sr, NFft = mel.NFft, HopLength = mel.HopLength, WinLength = mel.WinLength };
        var x = clip.Channels[0];
        FeatureMatrix m = kind switch
        {
            "spectrogram" => new Spectrogram(mel.ToSpectrogramOptions()).Compute(x),
            "mel" => new MelSpectrogram(mel).Compute(x),
            "logmel" => new LogMelSpectrogram(mfcc.ToLogMelOptions()).Compute(x),
            "mfcc" => new Mfcc(mfcc).Compute(x),
            "energy" => new ShortTimeEnergy(frame).Compute(x),
            "zcr" => new ZeroCrossingRate(frame).Compute(x),
            "pitch" => new PitchTracker(new PitchOptions { SampleRate = sr, HopLength = mel.HopLength }).Compute(x),
            "formants" => new FormantTracker(new FormantOptions { SampleRate = sr, HopLength = mel.HopLength }).Compute(x),
            _ => throw new InvalidOperationException(kind),
        };
        int[] cols = kind switch { "pitch" => [0], "formants" => [0, 1, 2, 3], _ => Enumerable.Range(0, m.Columns).ToArray() };
        bool time = kind is "pitch" or "formants";
        var r = new double[m.Rows][];
        for (int i = 0; i < m.Rows; i++)
        {
            var row = new List<double>();
            if (time) row.Add(m.FrameTimes[i]);
            foreach (var j in cols) row.Add(m[i, j]);
            r[i] = [.. row];
        }
        return r;
    }

    internal static double[][] ReadCsv(string path)
        => File.ReadAllLines(path).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',').Select(s => s.Trim() == "" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    // ---- metrics ported from check_features.py ----

    internal static double MaxFrameRelL2(double[][] r, double[][] o, double floorRel)
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

    internal static double MaxAbs(double[][] r, double[][] o)
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

    private static Dictionary<string, double> Energy(double[][] r, double[][] o)
    {
        double e = 0, d = 0;
        for (int i = 0; i < r.Length; i++)
        {
            e = Math.Max(e, Math.Abs(o[i][0] - r[i][0]) / Math.Max(Math.Abs(r[i][0]), 1e-10));
            d = Math.Max(d, Math.Abs(o[i][1] - r[i][1]));
        }
        return new() { ["energy_max_rel"] = e, ["log_energy_db_max_abs"] = d };
    }

    private static bool[] EvalMask<T>(T[] flags, double[] times, double guard)
    {
        int n = flags.Length;
        var mask = Enumerable.Repeat(true, n).ToArray();
        for (int c = 1; c < n; c++)
        {
            if (EqualityComparer<T>.Default.Equals(flags[c], flags[c - 1])) continue;
            double tc = 0.5 * (times[c] + times[c - 1]);
            for (int i = 0; i < n; i++) if (Math.Abs(times[i] - tc) <= guard) mask[i] = false;
        }
        return mask;
    }

    private static void CheckTimes(double[][] r, double[][] o, JsonElement p)
    {
        double tol = p.GetProperty("time_tol_s").GetDouble();
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(o[i][0] - r[i][0]) <= tol, $"time at frame {i}: {o[i][0]} vs {r[i][0]}");
    }

    private static Dictionary<string, double> Pitch(double[][] r, double[][] o, JsonElement p)
    {
        CheckTimes(r, o, p);
        double cents = p.GetProperty("cents").GetDouble(), guard = p.GetProperty("guard_s").GetDouble();
        var times = r.Select(x => x[0]).ToArray();
        var refV = r.Select(x => x[1] > 0).ToArray();
        var mask = EvalMask(refV, times, guard);
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
        return new() { ["gpe"] = nVoiced == 0 ? 0 : (double)nGross / nVoiced, ["vda"] = nEval == 0 ? 0 : (double)nOk / nEval };
    }

    private static Dictionary<string, double> Formants(double[][] r, double[][] o, JsonElement p)
    {
        CheckTimes(r, o, p);
        double guard = p.GetProperty("guard_s").GetDouble();
        var times = r.Select(x => x[0]).ToArray();
        var flags = r.Select(x => x.Skip(1).All(v => v > 0) ? string.Join("|", x.Skip(1).Select(v => v.ToString("R", CultureInfo.InvariantCulture))) : "").ToArray();
        var mask = EvalMask(flags, times, guard);
        var idx = Enumerable.Range(0, r.Length).Where(i => mask[i] && flags[i] != "").ToArray();
        var res = new Dictionary<string, double>();
        for (int k = 0; k < r[0].Length - 1; k++)
        {
            var errs = idx.Select(i => !double.IsFinite(o[i][k + 1]) || o[i][k + 1] <= 0 ? 1.0 : Math.Abs(o[i][k + 1] - r[i][k + 1]) / r[i][k + 1]).OrderBy(v => v).ToArray();
            res["F" + (k + 1)] = errs.Length == 0 ? 0 : errs.Length % 2 == 1 ? errs[errs.Length / 2] : 0.5 * (errs[errs.Length / 2 - 1] + errs[errs.Length / 2]);
        }
        return res;
    }
}
