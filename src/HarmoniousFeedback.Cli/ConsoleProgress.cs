using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HarmoniousFeedback.Cli;

/// <summary>
/// Progress of a counted job on stderr (stdout stays clean): a Spectre.Console bar with percentage, count, items/s and
/// ETA when stderr is an interactive terminal; otherwise plain lines ("label: 120/1078 (11%), 14.2 clips/s, ETA 1m07s")
/// at most every 2 s and at the end, so logs and CI output stay readable. Any command with a count can use it.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>
    /// A stopwatch reading for log lines: <c>mm:ss</c> below an hour, <c>h:mm:ss</c> from an hour on (so a run of several
    /// hours never shows a clock that wrapped back to 00:00), <c>d.hh:mm:ss</c> from a day on.
    /// </summary>
    public static string Elapsed(TimeSpan t) =>
        t.TotalDays >= 1 ? t.ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)
        : t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)
        : t.ToString(@"mm\:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True when stderr is a terminal that can redraw a progress bar.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && CliErrors.StdErr.Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports each finished item through the callback it receives (thread-safe; may
    /// be called from worker threads), and returns its result.
    /// </summary>
    public static T Run<T>(string label, int total, string unit, Func<Action, T> work)
    {
        if (Interactive)
        {
            return CliErrors.StdErr.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CountColumn(),
                         new RateColumn(unit), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(label, maxValue: Math.Max(1, total));
                    var result = work(() => task.Increment(1));
                    task.Value = task.MaxValue;
                    return result;
                });
        }
        var sw = Stopwatch.StartNew();
        long lastReport = 0;
        int done = 0;
        var gate = new object();
        void Tick()
        {
            int d = Interlocked.Increment(ref done);
            long now = sw.ElapsedMilliseconds;
            if (d != total && now - Interlocked.Read(ref lastReport) < 2000) return;
            lock (gate)
            {
                if (d != total && now - lastReport < 2000) return;
                lastReport = now;
                Console.Error.WriteLine(PlainLine(label, d, total, unit, sw.Elapsed));
            }
        }
        return work(Tick);
    }

    /// <summary>The plain-text progress line.</summary>
    public static string PlainLine(string label, int done, int total, string unit, TimeSpan elapsed)
    {
        double rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        string eta = rate > 0 && done < total ? ", ETA " + Format(TimeSpan.FromSeconds((total - done) / rate)) : "";
        int pct = total > 0 ? (int)(100L * done / total) : 100;
        return $"{label}: {done}/{total} ({pct}%), {rate:F1} {unit}/s, elapsed {Format(elapsed)}{eta}";
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";

    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
            => new Markup($"[grey]{(long)task.Value}/{(long)task.MaxValue}[/]");
    }

    private sealed class RateColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
            => new Text(task.Speed is { } s ? $"{s:F1} {unit}/s" : $"– {unit}/s");
    }
}
