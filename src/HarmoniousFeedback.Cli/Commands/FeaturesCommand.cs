using System.CommandLine;
using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Streaming;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb features &lt;kind&gt; --input X.wav --out X.csv [options]</c>: one feature kind of one audio file to a CSV in the
/// DSP-anchors format (header row, invariant culture, round-trip floats). Kinds: spectrogram, mel, logmel, mfcc,
/// energy, zcr, pitch, formants, lld. The input is anything the library reads (WAV natively, other formats through
/// ffmpeg: <see cref="AudioStreamReader"/>); the extractor is built for the file's own sample rate (f_max defaults to sr/2).
/// Extraction streams (<see cref="StreamingFeatureExtractor"/>): memory does not grow with the recording, rows are written
/// as they are computed, and the CSV appears only when complete. Everything is checked before any audio is decoded: the
/// flags (every bad one named in one line), the output path (not a folder, not below a file) and the input (exists, is a
/// file, its header). Problems exit with code 2 and one line; no temporary file is left behind.
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
        public readonly Option<string> Input = new("--input") { Description = "input audio file (WAV; mp3, flac, ogg, m4a, … through ffmpeg)", Required = true };
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
        public readonly Option<bool> ClipStats = new("--clip-stats") { Description = "one row: mean and std of every column over the whole clip (frame-level kinds; lld with --frame-level)" };

        public IEnumerable<Option> All(bool lld)
        {
            Option[] common = [Input, Out, NFft, Hop, WinLength, NMels, FMin, FMax, MelScale, MelNorm, NMfcc, TopDb, ClipStats];
            return lld ? [.. common, Segment, Overlap, FrameLevel] : common;
        }
    }

    public static readonly string[] Kinds = ["spectrogram", "mel", "logmel", "mfcc", "energy", "zcr", "pitch", "formants", "lld"];

    public static Command Create()
    {
        var cmd = new Command("features", "Extract one feature kind from an audio file into a CSV (anchors format), streaming long recordings");
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
        bool frameLevel = pr.GetValue(o.FrameLevel), clipStats = pr.GetValue(o.ClipStats);
        // Everything that does not need the audio first: flags, output path, input path.
        var (scale, norm) = ParseMel(pr.GetValue(o.MelScale)!, pr.GetValue(o.MelNorm)!);
        if (clipStats && kind == "lld" && !frameLevel)
            throw new FeatureParameterException("hfb features lld", ["--clip-stats needs frame-level rows: add --frame-level (segment rows are already statistics)"]);
        OutputPathException.CheckFile(output, "--out file");
        if (File.Exists(input) && Path.GetFullPath(input) == Path.GetFullPath(output))
            throw new OutputPathException(output, "is the --input file; write the features to another file");

        var reader = AudioStreamReader.Open(input); // the header (ffmpeg: starts decoding); errors name the file
        try
        {
            var extractor = Build(kind, o, pr, reader.SampleRate, scale, norm);
            bool time = kind is "pitch" or "formants" or "lld";
            int[]? columns = kind switch { "pitch" => [0], "formants" => [0, 1, 2, 3], _ => null };
            var names = extractor.FeatureNames;
            var stats = clipStats ? new RunningMeanStd(names.Count) : null;
            using var csv = clipStats
                ? new FeatureCsvWriter(output, StatsNames(names, columns), includeTime: false)
                : new FeatureCsvWriter(output, names, time, columns);
            var first = reader;
            var result = extractor.Run(() => Interlocked.Exchange(ref first, null) ?? AudioStreamReader.Open(input),
                                       m => { if (stats is null) csv.Append(m); else stats.Add(m); });
            if (stats is not null) csv.Append(StatsRow(stats, columns, names.Count));
            csv.Commit();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"features {kind}: {(stats is null ? csv.Rows : result.Rows)} {(kind == "lld" && !frameLevel ? "segments" : "frames")} from {result.Samples / (double)reader.SampleRate:0.###} s of audio" +
                $"{(result.Passes == 2 ? " (read twice: clip-level top_db)" : "")}{(stats is null ? "" : ", clip mean/std")} → {output}"));
            return 0;
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>The extractor for <paramref name="kind"/> at the file's rate; every bad flag of the kind is named in one error.</summary>
    private static StreamingFeatureExtractor Build(string kind, Opts o, ParseResult pr, int sr, MelScale scale, MelNorm norm)
    {
        var mel = new MelSpectrogramOptions
        {
            SampleRate = sr, NFft = pr.GetValue(o.NFft), HopLength = pr.GetValue(o.Hop), WinLength = pr.GetValue(o.WinLength),
            NMels = pr.GetValue(o.NMels), FMin = pr.GetValue(o.FMin), FMax = pr.GetValue(o.FMax), MelScale = scale, MelNorm = norm,
        };
        var mfcc = new MfccOptions { Mel = mel, NMfcc = pr.GetValue(o.NMfcc), TopDb = pr.GetValue(o.TopDb) };
        var frame = new FrameOptions { SampleRate = sr, NFft = mel.NFft, HopLength = mel.HopLength, WinLength = mel.WinLength };
        try
        {
            return kind switch
            {
                "spectrogram" => StreamingFeatureExtractor.Spectrogram(mel.ToSpectrogramOptions()),
                "mel" => StreamingFeatureExtractor.MelSpectrogram(mel),
                "logmel" => StreamingFeatureExtractor.LogMel(mfcc.ToLogMelOptions()),
                "mfcc" => StreamingFeatureExtractor.Mfcc(mfcc),
                "energy" => StreamingFeatureExtractor.Energy(frame),
                "zcr" => StreamingFeatureExtractor.ZeroCrossingRate(frame),
                "pitch" => StreamingFeatureExtractor.Pitch(new PitchOptions { SampleRate = sr, HopLength = mel.HopLength }),
                "formants" => StreamingFeatureExtractor.Formants(new FormantOptions { SampleRate = sr, HopLength = mel.HopLength }),
                _ => Lld(sr, mfcc, frame, pr.GetValue(o.Segment), pr.GetValue(o.Overlap), pr.GetValue(o.FrameLevel)),
            };
        }
        catch (FeatureParameterException e)
        {
            throw new FeatureParameterException("hfb features " + kind, e.Problems.Select(ToFlag).ToArray());
        }
    }

    private static StreamingFeatureExtractor Lld(int sr, MfccOptions mfcc, FrameOptions frame, double seg, double overlap, bool frameLevel)
    {
        var opts = new LldOptions { SampleRate = sr, Mfcc = mfcc, Frame = frame, SegmentSeconds = seg, OverlapSeconds = overlap };
        // Validate the whole option set (MFCC, framing, segments) first so that one run names every bad flag.
        var problems = new List<string>();
        foreach (Action check in new Action[] { mfcc.Validate, frame.Validate, opts.Validate })
        {
            try { check(); }
            catch (FeatureParameterException e) { problems.AddRange(e.Problems.Where(p => !problems.Contains(p))); }
        }
        if (problems.Count > 0) throw new FeatureParameterException(nameof(LldOptions), problems);
        return frameLevel ? StreamingFeatureExtractor.LldFrames(opts) : StreamingFeatureExtractor.LldSegments(opts);
    }

    private static string[] StatsNames(IReadOnlyList<string> names, int[]? columns)
    {
        var cols = columns ?? Enumerable.Range(0, names.Count).ToArray();
        return [.. cols.Select(c => names[c] + "_mean"), .. cols.Select(c => names[c] + "_std")];
    }

    private static FeatureMatrix StatsRow(RunningMeanStd stats, int[]? columns, int width)
    {
        var ms = stats.MeanStd();
        var cols = columns ?? Enumerable.Range(0, width).ToArray();
        float[] row = [.. cols.Select(c => ms[c]), .. cols.Select(c => ms[width + c])];
        return new FeatureMatrix(row, 1, row.Length, StatsNames(Enumerable.Range(0, width).Select(c => "c" + c).ToArray(), columns), [0.0]);
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
