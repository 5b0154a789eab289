using System.CommandLine;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb features &lt;kind&gt; --input X.wav --out X.csv [options]</c>: one feature kind of one WAV file to a CSV in the
/// DSP-anchors format (header row, invariant culture, round-trip floats). Kinds: spectrogram, mel, logmel, mfcc,
/// energy, zcr, pitch, formants, lld. The extractor is built for the file's own sample rate (f_max defaults to sr/2).
/// Bad option values exit with code 2 and name the flag.
/// </summary>
public static class FeaturesCommand
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["NFft"] = "--n-fft", ["HopLength"] = "--hop", ["WinLength"] = "--win-length", ["NMels"] = "--n-mels",
        ["FMin"] = "--f-min", ["FMax"] = "--f-max", ["NMfcc"] = "--n-mfcc", ["TopDb"] = "--top-db",
        ["SegmentSeconds"] = "--segment-seconds", ["OverlapSeconds"] = "--overlap",
    };

    private sealed class Opts
    {
        public readonly Option<string> Input = new("--input") { Description = "input WAV file", Required = true };
        public readonly Option<string> Out = new("--out") { Description = "output CSV file", Required = true };
        public readonly Option<int> NFft = new("--n-fft") { Description = "FFT size (even)", DefaultValueFactory = _ => 512 };
        public readonly Option<int> Hop = new("--hop") { Description = "hop length (samples)", DefaultValueFactory = _ => 160 };
        public readonly Option<int?> WinLength = new("--win-length") { Description = "window length <= n_fft (default n_fft)" };
        public readonly Option<int> NMels = new("--n-mels") { Description = "mel bands", DefaultValueFactory = _ => 64 };
        public readonly Option<double> FMin = new("--f-min") { Description = "lowest mel edge (Hz)", DefaultValueFactory = _ => 0.0 };
        public readonly Option<double?> FMax = new("--f-max") { Description = "highest mel edge (Hz, default sr/2)" };
        public readonly Option<string> MelScale = new("--mel-scale") { Description = "htk|slaney", DefaultValueFactory = _ => "htk" };
        public readonly Option<string> MelNorm = new("--mel-norm") { Description = "none|slaney", DefaultValueFactory = _ => "none" };
        public readonly Option<int> NMfcc = new("--n-mfcc") { Description = "MFCC coefficients", DefaultValueFactory = _ => 18 };
        public readonly Option<double> TopDb = new("--top-db") { Description = "dB range kept below the clip maximum", DefaultValueFactory = _ => 80.0 };
        public readonly Option<double> Segment = new("--segment-seconds") { Description = "lld: segment length (s)", DefaultValueFactory = _ => 3.0 };
        public readonly Option<double> Overlap = new("--overlap") { Description = "lld: overlap between segments (s)", DefaultValueFactory = _ => 0.0 };
        public readonly Option<bool> FrameLevel = new("--frame-level") { Description = "lld: one descriptor per frame instead of per segment" };

        public IEnumerable<Option> All(bool lld)
        {
            Option[] common = [Input, Out, NFft, Hop, WinLength, NMels, FMin, FMax, MelScale, MelNorm, NMfcc, TopDb];
            return lld ? [.. common, Segment, Overlap, FrameLevel] : common;
        }
    }

    public static readonly string[] Kinds = ["spectrogram", "mel", "logmel", "mfcc", "energy", "zcr", "pitch", "formants", "lld"];

    public static Command Create()
    {
        var cmd = new Command("features", "Extract one feature kind from a WAV file into a CSV (anchors format)");
        foreach (var kind in Kinds)
        {
            var o = new Opts();
            var sub = new Command(kind, Describe(kind));
            foreach (var opt in o.All(kind == "lld")) sub.Add(opt);
            sub.SetAction(pr => CliErrors.Run(() => Execute(kind, o, pr)));
            cmd.Add(sub);
        }
        cmd.Add(FeaturesBatchCommand.Create());
        return cmd;
    }

    private static string Describe(string kind) => kind switch
    {
        "spectrogram" => "power spectrogram, n_fft/2+1 columns",
        "mel" => "mel power spectrogram, n_mels columns",
        "logmel" => "log-mel (dB, top_db per clip), n_mels columns",
        "mfcc" => "MFCC (ortho DCT-II of logmel), n_mfcc columns",
        "energy" => "short-time energy: energy, log_energy_db",
        "zcr" => "zero-crossing rate",
        "pitch" => "F0 (YIN): time_s, f0_hz (0 = unvoiced)",
        "formants" => "formants (LPC): time_s, F1_hz..F4_hz (0 = no estimate)",
        _ => "50-dim LLD segment descriptor (MFCC, formants, energy, pitch, ZCR)",
    };

    private static int Execute(string kind, Opts o, ParseResult pr)
    {
        string input = pr.GetValue(o.Input)!, output = pr.GetValue(o.Out)!;
        var (scale, norm) = ParseMel(pr.GetValue(o.MelScale)!, pr.GetValue(o.MelNorm)!);
        var clip = WavReader.Read(input, mono: true);
        int sr = clip.SampleRate;
        var mel = new MelSpectrogramOptions
        {
            SampleRate = sr, NFft = pr.GetValue(o.NFft), HopLength = pr.GetValue(o.Hop), WinLength = pr.GetValue(o.WinLength),
            NMels = pr.GetValue(o.NMels), FMin = pr.GetValue(o.FMin), FMax = pr.GetValue(o.FMax), MelScale = scale, MelNorm = norm,
        };
        var mfcc = new MfccOptions { Mel = mel, NMfcc = pr.GetValue(o.NMfcc), TopDb = pr.GetValue(o.TopDb) };
        var frame = new FrameOptions { SampleRate = sr, NFft = mel.NFft, HopLength = mel.HopLength, WinLength = mel.WinLength };
        FeatureMatrix m;
        bool time = false;
        try
        {
            // Validate everything the kind uses, so one run lists every bad flag.
            switch (kind)
            {
                case "spectrogram": mel.ToSpectrogramOptions().Validate(); break;
                case "mel": mel.Validate(); break;
                case "logmel": mfcc.ToLogMelOptions().Validate(); break;
                case "mfcc": case "lld": mfcc.Validate(); break;
                case "energy": case "zcr": frame.Validate(); break;
            }
            var x = clip.Channels[0];
            switch (kind)
            {
                case "spectrogram": m = new Spectrogram(mel.ToSpectrogramOptions()).Compute(x); break;
                case "mel": m = new MelSpectrogram(mel).Compute(x); break;
                case "logmel": m = new LogMelSpectrogram(mfcc.ToLogMelOptions()).Compute(x); break;
                case "mfcc": m = new Mfcc(mfcc).Compute(x); break;
                case "energy": m = new ShortTimeEnergy(frame).Compute(x); break;
                case "zcr": m = new ZeroCrossingRate(frame).Compute(x); break;
                case "pitch":
                    m = new PitchTracker(new PitchOptions { SampleRate = sr, HopLength = mel.HopLength }).Compute(x);
                    FeatureCsv.Write(m, output, includeTime: true, columns: [0]);
                    return 0;
                case "formants":
                    m = new FormantTracker(new FormantOptions { SampleRate = sr, HopLength = mel.HopLength }).Compute(x);
                    FeatureCsv.Write(m, output, includeTime: true, columns: [0, 1, 2, 3]);
                    return 0;
                default:
                    m = ComputeLld(clip, mfcc, frame, pr.GetValue(o.Segment), pr.GetValue(o.Overlap), pr.GetValue(o.FrameLevel));
                    time = true;
                    break;
            }
        }
        catch (FeatureParameterException e)
        {
            throw new FeatureParameterException("hfb features " + kind, e.Problems.Select(ToFlag).ToArray());
        }
        FeatureCsv.Write(m, output, includeTime: time);
        return 0;
    }

    private static FeatureMatrix ComputeLld(AudioClip clip, MfccOptions mfcc, FrameOptions frame, double seg, double overlap, bool frameLevel)
    {
        var opts = new LldOptions
        {
            SampleRate = clip.SampleRate, Mfcc = mfcc, Frame = frame, SegmentSeconds = seg, OverlapSeconds = overlap,
        };
        var ex = new LldExtractor(opts);
        return frameLevel ? ex.ComputeFrames(clip) : ex.ComputeSegments(clip);
    }

    private static string ToFlag(string problem)
    {
        int sp = problem.IndexOf(' ');
        if (sp > 0 && Flags.TryGetValue(problem[..sp], out var flag)) return $"{flag} ({problem[..sp]}){problem[sp..]}";
        return problem;
    }

    private static (MelScale, MelNorm) ParseMel(string scale, string norm)
    {
        var problems = new List<string>();
        MelScale s = MelScale.Htk; MelNorm n = MelNorm.None;
        switch (scale.ToLowerInvariant()) { case "htk": s = MelScale.Htk; break; case "slaney": s = MelScale.Slaney; break; default: problems.Add($"--mel-scale = '{scale}' must be one of htk, slaney"); break; }
        switch (norm.ToLowerInvariant()) { case "none": n = MelNorm.None; break; case "slaney": n = MelNorm.Slaney; break; default: problems.Add($"--mel-norm = '{norm}' must be one of none, slaney"); break; }
        if (problems.Count > 0) throw new FeatureParameterException("hfb features", problems);
        return (s, n);
    }
}
