using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>
/// Every bad argument that reaches the toolkit's public boundary is reported the same way by every command: exactly one
/// line <c>error: …</c> on stderr, exit code 2, nothing on stdout, no stack trace.
/// </summary>
public sealed class CliErrorsTests
{
    private static readonly string Dir = Hfb.TempDir();

    private static string Tone()
    {
        var path = Path.Combine(Dir, "tone.wav");
        if (!File.Exists(path))
            WavWriter.Write(path, new AudioClip(Enumerable.Range(0, 16000).Select(t => (float)(0.3 * Math.Sin(2 * Math.PI * 220 * t / 16000))).ToArray(), 16000));
        return path;
    }

    public static TheoryData<string, string[], string> BadCommandLines()
    {
        string missing = Path.Combine(Dir, "missing.wav"), outCsv = Path.Combine(Dir, "x.csv"), outDir = Path.Combine(Dir, "out");
        return new()
        {
            { "features: missing input file", ["features", "mfcc", "--input", missing, "--out", outCsv], missing },
            { "features: invalid FFT and hop", ["features", "mfcc", "--input", "<tone>", "--out", outCsv, "--n-fft", "7", "--hop", "0"], "--hop (HopLength)" },
            { "features: unknown mel scale", ["features", "logmel", "--input", "<tone>", "--out", outCsv, "--mel-scale", "bark"], "--mel-scale = 'bark' must be one of htk, slaney" },
            { "feedback: unknown --decide-from", ["feedback", "<tone>", "--decide-from", "audio"], "for option '--decide-from'; allowed: all, notes (see hfb feedback --help)" },
            { "feedback-train: unknown --pitch-profile", ["feedback-train", "--out", outCsv, "--pitch-profile", "cqt"], "for option '--pitch-profile'; allowed: chroma, crp" },
            { "features lld: negative segment", ["features", "lld", "--input", "<tone>", "--out", outCsv, "--segment-seconds", "-1"], "SegmentSeconds" },
            { "features batch: missing clip list", ["features", "batch", "--list", Path.Combine(Dir, "none.csv"), "--out-dir", outDir], "none.csv' does not exist; it must be a CSV file of clip_id,path lines" },
            { "features batch: unknown kind", ["features", "batch", "--list", "<list>", "--out-dir", outDir, "--kind", "chroma"], "--kind = 'chroma' must be one of mfcc, lld" },
            { "data prepare: unknown kind", ["data", "prepare", "nope", "--out", outDir], "unknown dataset kind 'nope'" },
            { "data prepare: folder without source", ["data", "prepare", "folder", "--out", outDir], "needs --source" },
            { "data prepare: unknown renderer", ["data", "prepare", "synthetic", "--out", outDir, "--renderer", "organ"], "--renderer = 'organ' must be builtin or fluidsynth" },
            { "data prepare: zero threads", ["data", "prepare", "synthetic", "--out", outDir, "--clips", "4", "--threads", "0"], "--threads (Threads) = 0 must be in [1, 256]" },
            { "data prepare: negative sample rate", ["data", "prepare", "synthetic", "--out", outDir, "--clips", "4", "--sample-rate", "-5"], "SampleRate = -5 must be in [8000, 192000]" },
            { "data prepare: missing source folder", ["data", "prepare", "emopia", "--out", outDir, "--source", Path.Combine(Dir, "no-emopia")], "no-emopia" },
            { "data fetch: unfetchable dataset", ["data", "fetch", "vgmidi"], "only emopia can be fetched" },
            { "kernel install: two locations", ["kernel", "install", "--user", "--prefix", Path.Combine(Dir, "jupyter")], "choose at most one of --user, --prefix and --sys-prefix" },
            { "reproduce: unknown experiment", ["reproduce", "no-such-experiment", "--results", Path.Combine(Dir, "results")], "no-such-experiment" },
            // command lines that do not parse at all: System.CommandLine's own errors take the same one-line form
            { "parse: unknown command", ["nosuchcmd"], "Unrecognized command or argument 'nosuchcmd'. (see hfb --help)" },
            { "parse: unknown option of a sub-command", ["model", "list", "--bogus"], "Unrecognized command or argument '--bogus'. (see hfb model list --help)" },
            { "parse: value of the wrong type", ["reproduce", "--threads", "abc"], "'abc' for option '--threads'" },
        };
    }

    [Fact]
    public void No_arguments_print_the_overview_and_exit_with_code_2()
    {
        var r = Hfb.Run();

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("reproduce", r.StdOut);   // the overview lists the commands
        Assert.Equal("", r.StdErr);
    }

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void Bad_argument_is_one_error_line_with_exit_code_2_and_no_stack_trace(string what, string[] args, string mentions)
    {
        var list = Path.Combine(Dir, "list.csv");
        File.WriteAllText(list, "tone," + Tone() + "\n");
        args = args.Select(a => a == "<tone>" ? Tone() : a == "<list>" ? list : a).ToArray();

        var r = Hfb.Run(args);

        Assert.True(r.ExitCode == 2, $"{what}: exit code {r.ExitCode}\nstderr: {r.StdErr}");
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{what}: {lines.Length} stderr lines:\n{r.StdErr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
        Assert.DoesNotMatch(@"\n\s+at |\w+Exception:", r.StdErr); // no stack frame, no exception type dump
        Assert.Equal("", r.StdOut);
    }
}
