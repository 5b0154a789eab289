using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench feedback</c>: the teaching-feedback method's speed.
/// <list type="bullet">
/// <item><c>hfn_train_128x600</c>: one AdamW step of the published HFN–HFI (128 mel bins, encoder 16-32-64-64, reference
/// stream with 8 alignment features, HFI K = 2) on a batch of 32 six-second clips (T = 600 frames at 10 ms) — clips/s;</item>
/// <item><c>hfn_train_64x300</c>: the same step with the CI experiment's size (64 bins at 20 ms, encoder 8-16-32-32);</item>
/// <item><c>feedback_3s_window</c>: feedback for one 3 s window of a performance, features included — the
/// performance's normalised log-mel and chroma, the reference (a score already rendered) aligned by DTW, the eight
/// alignment features, and the published network's forward pass (batch of one, evaluation mode) — windows/s; the
/// text output also gives milliseconds per window. Run it under <c>taskset -c 0</c> for the one-core figure.</item>
/// </list>
/// The batch-1 latency of the same window beside ONNX Runtime (median and p90, one thread) is
/// <c>hfb-bench onnx --threads 1 --filter hfn</c> (<see cref="OnnxBench"/>).
/// (<c>hfb-bench nn --filter hfn_128x300</c>, from the convolution work, times the bare encoder.)
/// </summary>
public sealed class FeedbackBench : IBenchSuite
{
    public string Name => "feedback";
    public string Description => "HFN–HFI training throughput (published and CI sizes) and feedback latency per 3 s window incl. features";

    private sealed record Case(string Name, string Unit, int Batch, Func<Action> Build);

    private static HarmoniousFeedbackNetworkOptions Published => new();

    private static HarmoniousFeedbackNetworkOptions Ci => new() { NMels = 64, Channels = [8, 16, 32, 32] };

    private static Case Train(string name, HarmoniousFeedbackNetworkOptions o, int frames) => new(name, "clips/s", 32, () =>
    {
        var net = new HarmoniousFeedbackNetwork(o, 8, seed: 1);
        var opt = new AdamW(net.Parameters(), 3e-4, weightDecay: 1e-2);
        var rng = new NnRng(5);
        int b = 32, m = o.NMels;
        var batch = new HfnBatch(Tensor.Uniform(rng, 0f, 1f, b, 1, m, frames), Tensor.Uniform(rng, 0f, 1f, b, 1, m, frames),
            Tensor.Uniform(rng, -1f, 1f, b, 8, frames), Enumerable.Range(0, b).Select(i => frames - (i % 8) * 8).ToArray());
        int tOut = frames / o.PoolFactor;
        var y = new HfnTargets(Enumerable.Range(0, b).Select(i => (long)(i % 7)).ToArray(), Tensor.Uniform(rng, 0f, 1f, b, 6),
            Tensor.Uniform(rng, -1f, 1f, b, 6), Tensor.Uniform(rng, 0f, 1f, b, 6, tOut));
        var options = new HfnTrainingOptions();
        return () =>
        {
            opt.ZeroGrad();
            HfnObjective.Compute(net, net.Forward(batch), y, options, null).Total.Backward();
            opt.Step();
        };
    });

    private static IEnumerable<Case> Cases()
    {
        yield return Train("hfn_train_128x600", Published, 600);
        yield return Train("hfn_train_64x300", Ci, 300);
        yield return new("feedback_3s_window", "windows/s", 1, () =>
        {
            var (performance, reference) = Window3s();
            var alignment = new ReferenceAlignment(new ReferenceAlignmentOptions());
            var model = new HarmoniousFeedbackModel(new HarmoniousFeedbackNetwork(Published, ReferenceAlignment.FeatureNames.Count, seed: 1), 1);
            return () => model.Predict([HfnExample.From(alignment.Compute(performance, reference))]);
        });
    }

    /// <summary>
    /// A 3 s window of a performance (16 kHz, built-in synthesizer, 12 notes) and the score it is compared with, rendered
    /// once (as <c>hfb feedback</c> caches it); also used by <c>hfb-bench onnx</c> for the engine-vs-ONNX Runtime latency.
    /// </summary>
    internal static (AudioClip Performance, AudioClip Reference) Window3s()
    {
        var notes = Enumerable.Range(0, 12).Select(k => new MidiNote(0.05 + k * 0.25, 0.05 + k * 0.25 + 0.22, 60 + k % 7 * 2, 70, 0, 0.05 + k * 0.25 + 0.22)).ToArray();
        var score = new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] };
        var synth = new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 });
        var reference = synth.Render(score);
        var performance = new AudioClip(synth.Render(score).Channels[0].AsSpan(0, 48000).ToArray(), 16000);
        return (performance, reference);
    }

    /// <summary>
    /// A piece of <paramref name="seconds"/> s (16 kHz, built-in synthesizer, four notes a second in a seeded walk over two
    /// octaves) and the same rendition as its reference: the whole score a streaming window is located in.
    /// </summary>
    internal static (AudioClip Performance, AudioClip Reference) Piece(int seconds)
    {
        var (performance, reference, _) = PieceWithScore(seconds);
        return (performance, reference);
    }

    /// <summary><see cref="Piece"/> with the score both were rendered from.</summary>
    internal static (AudioClip Performance, AudioClip Reference, MidiScore Score) PieceWithScore(int seconds)
    {
        var rng = new Random(7);
        int pitch = 60;
        var notes = new List<MidiNote>();
        for (int k = 0; k < seconds * 4; k++)
        {
            pitch = Math.Clamp(pitch + rng.Next(-4, 5), 48, 72);
            double on = 0.05 + k * 0.25;
            notes.Add(new MidiNote(on, on + 0.22, pitch, 60 + rng.Next(30), 0, on + 0.22));
        }
        var score = new MidiScore { Notes = [.. notes], Tempos = [], TimeSignatures = [], Controls = [] };
        var synth = new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 });
        var reference = synth.Render(score);
        return (synth.Render(score), reference, score);
    }

    public int Run(string[] args)
    {
        bool json = args.Contains("--json"), quick = args.Contains("--quick");
        string? filter = null;
        for (int i = 0; i < args.Length - 1; i++) if (args[i] == "--filter") filter = args[i + 1];
        int batches = quick ? 2 : 5;
        double batchSeconds = quick ? 0.5 : 2.0;
        var results = new List<Dictionary<string, object>>();
        if (!json) Console.WriteLine($"{"case",-22} {"value",10} unit   (best of {batches} batches of ≈{batchSeconds} s; {Environment.ProcessorCount} CPUs)");
        foreach (var c in Cases())
        {
            if (filter is not null && !c.Name.Contains(filter, StringComparison.Ordinal)) continue;
            var step = c.Build();
            var warm = Stopwatch.StartNew();
            for (int w = 0; w < 2 || warm.Elapsed.TotalSeconds < (quick ? 0.5 : 1.0); w++) step();
            double best = 0, bestCpu = double.MaxValue, bestMs = double.MaxValue;
            var proc = Process.GetCurrentProcess();
            for (int b = 0; b < batches; b++)
            {
                int iters = 0;
                proc.Refresh();
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                do { step(); iters++; } while (sw.Elapsed.TotalSeconds < batchSeconds);
                proc.Refresh();
                best = Math.Max(best, iters * c.Batch / sw.Elapsed.TotalSeconds);
                bestMs = Math.Min(bestMs, sw.Elapsed.TotalMilliseconds / iters);
                bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalMilliseconds / iters);
            }
            results.Add(new() { ["case"] = c.Name, ["value"] = Math.Round(best, 2), ["unit"] = c.Unit, ["msPerStep"] = Math.Round(bestMs, 2) });
            if (!json)
                Console.WriteLine($"{c.Name,-22} {best.ToString("F1", CultureInfo.InvariantCulture),10} {c.Unit,-10} {bestMs.ToString("F1", CultureInfo.InvariantCulture)} ms/step, cpu {bestCpu.ToString("F1", CultureInfo.InvariantCulture)} ms/step (batch {c.Batch})");
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }
}
