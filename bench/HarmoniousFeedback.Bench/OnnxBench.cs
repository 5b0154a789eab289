using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Nn.Kernels;
using HarmoniousFeedback.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench onnx [--threads 1,2] [--runs N] [--jit full|tiered] [--quick] [--json]</c>: batch-1 inference latency of the engine
/// (eval mode, no grad) beside ONNX Runtime on the same network exported with <see cref="OnnxExporter"/>
/// (opset 17, all graph optimisations, CPU provider):
/// <list type="bullet">
/// <item><c>lstm1_am_10x50</c>, <c>lstm2_am_10x50</c>: the piano-emotion LSTM(50→128, 1 or 2 layers) + attention (A = 64) +
/// Linear(128→4) on one clip of 10 segments × 50 LLD features (lengths given).</item>
/// <item><c>cnn4_128x300</c>: the HFN encoder shape, 4 × [Conv2d 3×3 p1 → BatchNorm2d → ReLU → MaxPool2d 2] (1→16→32→64→64)
/// → global average pool → Linear(64→4), on one 1 × 128 × 300 log-mel.</item>
/// <item><c>hfn_hfi_fwd_3s</c>: the published HFN–HFI (<see cref="HarmoniousFeedbackNetworkOptions"/> defaults: 128 mels,
/// encoder 16-32-64-64, attention, factors, reference stream with the 8 alignment features, HFI K = 2) on the inputs of
/// one 3 s window (301 frames), precomputed: the network alone (output <c>issue_probabilities</c>), the engine as
/// <see cref="HarmoniousFeedbackModel.Predict"/> (its frozen inference plan, <see cref="HfnInferencePlan"/>: batch norm folded, no
/// allocation but the result).</item>
/// <item><c>hfn_hfi_fwd_3s_tensors</c>: the same with the engine's eval-mode <c>Network.Forward</c> on tensors (no grad), the path
/// before the inference plan.</item>
/// <item><c>hfn_hfi_3s_window</c>: what <c>hfb feedback</c> does per 3 s window — the toolkit's features (normalised
/// log-mel of the performance, the rendered score aligned by DTW, the alignment features; <see cref="ReferenceAlignment"/>)
/// then the network: the engine as <see cref="HarmoniousFeedbackModel.Predict"/>, ONNX Runtime on the same features
/// (<see cref="HfnBatching.Inputs"/> → tensors → <c>Run</c>). A third row, <c>features</c>, times the features alone; a fourth,
/// <c>features_cached</c>, the same features with the reference's frames prepared once per score (<see cref="ReferenceFeatures"/>,
/// as <c>hfb feedback --stream</c> does; same outputs).</item>
/// <item><c>hfn_hfi_3s_stream</c>: one window as <c>hfb feedback --stream</c> runs it (<see cref="StreamingFeedback"/>), the
/// window [12 s, 15 s) of a 30 s piece (<see cref="FeedbackBench.Piece"/>) expected at 12 s: the window's log-mel and chroma once, located in the score's frames prepared once (<see cref="ReferenceLocator"/>, subsequence
/// DTW over ±2 s), that part aligned (<see cref="ReferenceAlignment"/>), then the network — the engine's
/// <see cref="HarmoniousFeedbackModel.Predict"/> or ONNX Runtime on the same features.</item>
/// </list>
/// <c>--filter S</c> keeps the cases whose name contains S (e.g. <c>--filter hfn</c>); <c>--profile</c> prints, for the HFN
/// cases, the CPU time of each convolution kernel of the forward pass (<see cref="OpProfiler"/>) and of each feature step,
/// and the batched FFT alone over the window's frames (<see cref="RealFftBatch.Power"/>, n_fft 512 and 2048) with its rate
/// at 5·M·log₂M flops per complex FFT of M = n_fft/2 points.
/// Each (network, runtime, threads) is warmed up (≥ 50 calls and ≥ 2 s, for tiered JIT), collected, then timed call by
/// call for <c>--runs</c> calls (default 300 LSTM, 100 CNN); the median and 90th percentile latency, the process CPU time
/// per call (all threads, GC and JIT included: a cross-check much less sensitive to other load than wall time), the
/// managed bytes allocated per call and the gen-0 collections during the timed calls are reported. Every thread count runs in a child process started with <c>DOTNET_PROCESSOR_COUNT</c> = threads,
/// so all of the engine's parallel loops (GEMM via <see cref="Gemm.MaxThreads"/>, and the memory-bound ops that split
/// over <see cref="Environment.ProcessorCount"/>) use that many threads; ONNX Runtime gets the same
/// <c>intra_op_num_threads</c> (inter-op 1, sequential execution). Children run with full JIT optimisation from the
/// start (<c>DOTNET_TieredCompilation=0</c>; <c>--jit tiered</c> keeps .NET's default): with one processor on a loaded
/// machine, tiered compilation had not promoted the engine's hot methods after the warm-up (LSTM+AM median 5–10 ms with
/// tiering vs 0.14 ms without, same process, same load), so tiered numbers measured the JIT, not the steady state.
/// ONNX Runtime is native code and unaffected.
/// </summary>
public sealed class OnnxBench : IBenchSuite
{
    public string Name => "onnx";
    public string Description => "batch-1 inference latency: engine vs ONNX Runtime 1.32 on LSTM+AM (10x50), the 4-block CNN (1x128x300) and HFN–HFI per 3 s window incl. features [--threads 1,2] [--runs N] [--filter S] [--profile] [--jit full|tiered]";

    private sealed record Row(string Case, string Runtime, int Threads, double MedianMs, double P90Ms, double CpuMsPerCall, double AllocKbPerCall, int Gen0Collections, int Runs);

    /// <summary>A case: the engine's call, the exported network, and a factory for ONNX Runtime's call on a session (values it creates go in the list, disposed after timing); <paramref name="Features"/> times the toolkit's feature step alone when the case includes one.</summary>
    private sealed record Network(string Name, int DefaultRuns, Func<float[]> Engine, OnnxExportResult Exported,
        Func<InferenceSession, List<IDisposable>, Func<float[]>> Ort, Func<float[]>? Features = null)
    {
        /// <summary>The feature step with the reference prepared once per score (<see cref="ReferenceFeatures"/>).</summary>
        public Func<float[]>? CachedFeatures { get; init; }

        /// <summary>With <c>--profile</c>: prints where the engine's time goes (to stderr) before timing.</summary>
        public Action<int>? Profile { get; init; }
    }

    /// <summary>ONNX Runtime on fixed inputs, reading the first output.</summary>
    private static Func<InferenceSession, List<IDisposable>, Func<float[]>> FixedInputs((string Name, object Value)[] inputs, string? output = null) => (session, owned) =>
    {
        var values = inputs.Select(i => OrtTensor(i.Value)).ToArray();
        owned.AddRange(values);
        var names = inputs.Select(i => i.Name).ToArray();
        var runOptions = new RunOptions();
        owned.Add(runOptions);
        string[] outputs = [output ?? session.OutputNames[0]];
        return () =>
        {
            using var o = session.Run(runOptions, names, values, outputs);
            return o[0].GetTensorDataAsSpan<float>().ToArray();
        };
    };

    private static OrtValue OrtTensor(object value) => value switch
    {
        Tensor t => OrtValue.CreateTensorValueFromMemory(t.ToArray(), t.Shape.Select(d => (long)d).ToArray()),
        int[] l => OrtValue.CreateTensorValueFromMemory(l, [l.Length]),
        _ => throw new InvalidOperationException("unexpected input"),
    };

    private static float[] NoGrad(Func<Tensor> f)
    {
        using var _ = Tensor.NoGrad();
        return f().ToArray();
    }

    private static IEnumerable<Network> Networks()
    {
        foreach (int layers in new[] { 1, 2 })
        {
            var net = new LstmEmotionClassifier(50, 128, layers, 4, attention: true, attentionDim: 64, dropout: 0.5f, seed: layers);
            net.Eval();
            var x = Tensor.Randn(new NnRng(3), 1, 10, 50);
            int[] lengths = [10];
            yield return new Network($"lstm{layers}_am_10x50", 300, () => NoGrad(() => net.Forward(x, lengths).Logits), OnnxExporter.Export(net), FixedInputs([("x", x), ("lengths", lengths)]));
        }
        var rng = new NnRng(11);
        UnaryModule[] Block(int cin, int cout) => [new Conv2d(cin, cout, 3, 1, 1, rng: rng), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2)];
        var cnn = new Sequential([.. Block(1, 16), .. Block(16, 32), .. Block(32, 64), .. Block(64, 64), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, 4, rng: rng)]);
        cnn.Eval();
        var logmel = Tensor.Randn(new NnRng(4), 1, 1, 128, 300);
        var exported = OnnxExporter.Export(cnn, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("logmel", "batch", 1, 128, "frames")], OutputNames = ["logits"] });
        yield return new Network("cnn4_128x300", 100, () => NoGrad(() => cnn.Forward(logmel)), exported, FixedInputs([("logmel", logmel)]));

        // HFN–HFI on a 3 s window: the network alone, then features + network (what hfb feedback does per window)
        var (performance, reference) = FeedbackBench.Window3s();
        var alignment = new ReferenceAlignment(new ReferenceAlignmentOptions());
        var model = new HarmoniousFeedbackModel(new HarmoniousFeedbackNetwork(new HarmoniousFeedbackNetworkOptions(), ReferenceAlignment.FeatureNames.Count, seed: 1), 1);
        var hfn = OnnxExporter.Export(model);
        HfnBatch Inputs(HfnExample e) => HfnBatching.Inputs([e], [0], true, model.AlignmentFeatures, model.Network.PoolFactor);
        (string, object)[] OrtInputs(HfnBatch b) => b.Notes is { } n
            ? [("student", b.Student), ("reference", b.Reference!), ("alignment", b.Alignment!), ("notes", n), ("lengths", b.Lengths)]
            : [("student", b.Student), ("reference", b.Reference!), ("alignment", b.Alignment!), ("lengths", b.Lengths)];
        // ONNX Runtime's call for a features-then-network case: the batch the features give, as tensors, through the session
        Func<float[]> OrtFeedback(InferenceSession session, List<IDisposable> owned, Func<HfnBatch> batch)
        {
            var runOptions = new RunOptions();
            owned.Add(runOptions);
            return () =>
            {
                var inputs = OrtInputs(batch());
                var values = inputs.Select(i => OrtTensor(i.Item2)).ToArray();
                try
                {
                    using var o = session.Run(runOptions, inputs.Select(i => i.Item1).ToArray(), values, ["issue_probabilities"]);
                    return o[0].GetTensorDataAsSpan<float>().ToArray();
                }
                finally
                {
                    foreach (var v in values) v.Dispose();
                }
            };
        }
        var example = HfnExample.From(alignment.Compute(performance, reference));
        var window = Inputs(example);
        var prepared = new ReferenceFeatures(reference, alignment.Options);      // once per score, as hfb feedback --stream does
        var (fromSamples, fromFrames) = (alignment.Compute(performance, reference), alignment.Compute(performance, prepared, 0, prepared.Length));
        if (!fromSamples.Performance.Data.AsSpan().SequenceEqual(fromFrames.Performance.Data) || !fromSamples.AlignedReference.Data.AsSpan().SequenceEqual(fromFrames.AlignedReference.Data)
            || !fromSamples.Features.Data.AsSpan().SequenceEqual(fromFrames.Features.Data))
            throw new InvalidOperationException("the features with the reference prepared once differ from those computed from its samples");
        yield return new Network("hfn_hfi_fwd_3s", 100, () => model.Predict([example])[0].IssueProbabilities, hfn,
            FixedInputs(OrtInputs(window), "issue_probabilities"))
        {
            Profile = calls =>
            {
                // the folded encoder blocks (OpProfiler) against the whole prediction, per call
                double total = CpuMsPerCall(calls, () => model.Predict([example])[0].IssueProbabilities);
                using var prof = OpProfiler.Start();
                for (int i = 0; i < calls; i++) { prof.Mark(); model.Predict([example]); }
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile hfn_hfi_fwd_3s: HarmoniousFeedbackModel.Predict (inference plan) {total:F2} CPU ms/call; encoder blocks (student and reference, one image each):"));
                foreach (var k in prof.KernelRows())
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {k.Kernel,-30} {k.Pass,-52} {k.CpuMs / calls,7:F3} CPU ms/call  {k.GflopPerCpuSecond,6:F1} GFLOP/CPU-s"));
                // the same with every block on the direct implicit GEMM (FoldedConvBlock.ForceDirect: the path before Winograd);
                // GFLOP counts the direct convolution's 2·O·C·9·OH·OW for both paths
                FoldedConvBlock.ForceDirect = true;
                try
                {
                    double direct = CpuMsPerCall(calls, () => model.Predict([example])[0].IssueProbabilities);
                    using var dprof = OpProfiler.Start();
                    for (int i = 0; i < calls; i++) { dprof.Mark(); model.Predict([example]); }
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile hfn_hfi_fwd_3s, direct path only (FoldedConvBlock.ForceDirect): Predict {direct:F2} CPU ms/call; encoder blocks:"));
                    foreach (var k in dprof.KernelRows())
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {k.Kernel,-30} {k.Pass,-52} {k.CpuMs / calls,7:F3} CPU ms/call  {k.GflopPerCpuSecond,6:F1} GFLOP/CPU-s"));
                }
                finally { FoldedConvBlock.ForceDirect = false; }
            },
        };
        yield return new Network("hfn_hfi_fwd_3s_tensors", 100, () => NoGrad(() => model.Network.Forward(window).IssueLogits.Softmax(-1)), hfn,
            FixedInputs(OrtInputs(window), "issue_probabilities"))
        {
            Profile = calls =>
            {
                // convolution kernels (OpProfiler) against the whole forward pass, per call
                double total = CpuMsPerCall(calls, () => NoGrad(() => model.Network.Forward(window).IssueLogits));
                using var prof = OpProfiler.Start();
                for (int i = 0; i < calls; i++) { using var _ = Tensor.NoGrad(); prof.Mark(); model.Network.Forward(window); }
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile hfn_hfi_fwd_3s_tensors: forward {total:F2} CPU ms/call; convolution kernels (batch 2 = student + reference through the encoder):"));
                foreach (var k in prof.KernelRows())
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {k.Kernel,-30} {k.Pass,-26} {k.CpuMs / calls,7:F3} CPU ms/call  {k.GflopPerCpuSecond,6:F1} GFLOP/CPU-s"));
            },
        };
        yield return new Network("hfn_hfi_3s_window", 100,
            () => model.Predict([HfnExample.From(alignment.Compute(performance, reference))])[0].IssueProbabilities, hfn,
            (session, owned) => OrtFeedback(session, owned, () => Inputs(HfnExample.From(alignment.Compute(performance, reference)))),
            Features: () => Inputs(HfnExample.From(alignment.Compute(performance, reference))).Student.ToArray())
        {
            CachedFeatures = () => Inputs(HfnExample.From(alignment.Compute(performance, prepared, 0, prepared.Length))).Student.ToArray(),
            Profile = calls =>
            {
                var o = alignment.Options;
                var logMel = new NormalizedLogMel(o.LogMel);
                var chroma = new Chroma(o.Chroma);
                var perfFrames = alignment.Frames(performance);
                var refFrames = alignment.Frames(reference);
                int smooth = (int)Math.Round(o.ChromaSmoothingSeconds * o.SampleRate / o.HopLength);
                float gamma = o.PitchProfile == PitchProfile.Crp ? 0f : (float)o.ChromaCompression;
                void AlignOnly()
                {
                    var vs = ReferenceAlignment.DtwVectors(perfFrames.Chroma, perfFrames.Chroma.Rows, 1, gamma, smooth);
                    var vr = ReferenceAlignment.DtwVectors(refFrames.Chroma, refFrames.Chroma.Rows, 1, gamma, smooth);
                    ReferenceAlignment.AlignCosine(vs, vs.Length / 13, vr, 0, vr.Length / 13, o.StepPenalty, openEnds: false);
                }
                Console.Error.WriteLine("profile hfn_hfi_3s_window: the feature steps (CPU ms/call):");
                foreach (var (what, step) in new (string, Action)[]
                {
                    ("log-mel (dB) of the performance, frame by frame (LogMelSpectrogram)", () => logMel.ComputeDb(performance)),
                    ("new ReferenceFeatures(performance): filterbanks + batched log-mel/chroma frames", () => new ReferenceFeatures(performance, o)),
                    ($"chroma (n_fft {o.ChromaNFft}) of the performance", () => chroma.Compute(performance)),
                    ($"chroma (n_fft {o.ChromaNFft}) of the reference", () => chroma.Compute(reference)),
                    ("ReferenceAlignment.Compute (batched frames of both + DTW + features)", () => alignment.Compute(performance, reference)),
                    ("ReferenceAlignment.Compute, reference prepared once (ReferenceFeatures)", () => alignment.Compute(performance, prepared, 0, prepared.Length)),
                    ("  of which: batched log-mel + chroma frames of the performance", () => alignment.Frames(performance)),
                    ("  of which: levels L(i) of the performance (double exp)", () => ReferenceAlignment.Levels(perfFrames.Db)),
                    ("  of which: onset strengths O(i) of the performance", () => ReferenceAlignment.Onsets(perfFrames.Db)),
                    ("  of which: DTW vectors (both) + costs and DTW (AlignCosine)", () => { AlignOnly(); }),
                })
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-80} {CpuMsPerCall(calls, () => { step(); return []; }),7:F2}"));
                // the batched FFT alone over the window's frames (hop 160), with its rate at 5·M·log2 M flops per complex FFT of M = n_fft/2
                var x = performance.Channels[0];
                foreach (int nFft in new[] { o.LogMel.Mel.NFft, o.ChromaNFft })
                {
                    if (!RealFftBatch.Supports(nFft)) continue;
                    var fft = new RealFftBatch(nFft);
                    var padded = new float[x.Length + nFft];
                    x.CopyTo(padded, nFft / 2);
                    var window = Windows.Create(WindowType.Hann, nFft, periodic: true);
                    int frames = 1 + x.Length / o.HopLength, batches = (frames + RealFftBatch.Lanes - 1) / RealFftBatch.Lanes;
                    var power = new float[RealFftBatch.Lanes * fft.Bins];
                    var offsets = new int[RealFftBatch.Lanes];
                    double ms = CpuMsPerCall(calls, () =>
                    {
                        for (int b = 0; b < batches; b++)
                        {
                            for (int l = 0; l < offsets.Length; l++) offsets[l] = Math.Min(frames - 1, b * RealFftBatch.Lanes + l) * o.HopLength;
                            fft.Power(padded, offsets, window, power, fft.Bins);
                        }
                        return [];
                    });
                    double m = nFft / 2, gflop = 5 * m * Math.Log2(m) * RealFftBatch.Lanes * batches / 1e9;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {$"RealFftBatch.Power, n_fft {nFft}, {frames} frames ({gflop / (ms / 1e3):F1} GFLOP/CPU-s)",-80} {ms,7:F2}"));
                }
            },
        };
        // one window as hfb feedback --stream runs it (StreamingFeedback.Window, the code Run calls per window): the window's
        // frames once, located in the score prepared once (subsequence DTW over ±2 s), that part aligned, then the network;
        // in a 30 s piece: the window [12 s, 15 s) of the performance, searched from its expected start 12 s (band 10–20 s).
        // The second case is the same window through a model that also reads the note comparison (as the shipped model does).
        var (longPerformance, longReference, longScore) = FeedbackBench.PieceWithScore(30);
        var streamWindow = new AudioClip(longPerformance.Channels[0].AsSpan(12 * 16000, 3 * 16000).ToArray(), 16000);
        var noteInput = new NoteComparisonInput(NoteComparisonInput.WithoutDurations, alignment.Options);
        var notesModel = new HarmoniousFeedbackModel(new HarmoniousFeedbackNetwork(new HarmoniousFeedbackNetworkOptions(), ReferenceAlignment.FeatureNames.Count, seed: 1, noteFeatures: noteInput.Measures.Count), 1);
        foreach (var (name, m, notes) in new[] { ("hfn_hfi_3s_stream", model, (NoteComparisonInput?)null), ("hfn_hfi_3s_stream_notes", notesModel, noteInput) })
        {
            var streaming = new StreamingFeedback(m, alignment.Options) { Notes = notes };
            var preparedScore = streaming.Prepare(longReference, longScore);
            HfnExample StreamWindow() => streaming.Window(preparedScore, streamWindow, 12).Example;
            var exportedModel = notes is null ? hfn : OnnxExporter.Export(m);
            HfnBatch StreamInputs(HfnExample e) => HfnBatching.Inputs([e], [0], true, m.AlignmentFeatures, m.Network.PoolFactor, m.NoteFeatures);
            yield return new Network(name, 100, () => m.Predict([StreamWindow()])[0].IssueProbabilities, exportedModel,
                (session, owned) => OrtFeedback(session, owned, () => StreamInputs(StreamWindow())),
                Features: () => StreamInputs(StreamWindow()).Student.ToArray())
            {
                Profile = calls =>
                {
                    // the steps of StreamingFeedback.Window one by one, each on the previous step's output
                    var o = alignment.Options;
                    var frames = alignment.Frames(streamWindow);
                    var found = preparedScore.Locator.LocateFrames(frames, streamWindow.Source, 12, streaming.Options.SearchSeconds);
                    var (a, length) = found.Samples(16000, preparedScore.Features.Length);
                    var aligned = alignment.Compute(frames, preparedScore.Features, a, length);
                    var example = StreamWindow();
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile {name}: the window's steps (CPU ms/call); span found [{found.Start:F2}, {found.End:F2}) s:"));
                    var steps = new List<(string, Action)>
                    {
                        ("features of the window (StreamingFeedback.Window)", () => StreamWindow()),
                        ("  batched log-mel + chroma frames of the window (ReferenceAlignment.Frames)", () => alignment.Frames(streamWindow)),
                        ("  locate in the score (ReferenceLocator.LocateFrames, 10 s band)", () => preparedScore.Locator.LocateFrames(frames, streamWindow.Source, 12, streaming.Options.SearchSeconds)),
                        ("  align to the span found (ReferenceAlignment.Compute on the frames)", () => alignment.Compute(frames, preparedScore.Features, a, length)),
                        ("    of which: the span's frames cut from the prepared score (Slice)", () => ReferenceAlignmentFrames.For(o).Slice(preparedScore.Features, a, length)),
                        ("    of which: levels L(i) of the window", () => ReferenceAlignment.Levels(frames.Db)),
                    };
                    if (notes is not null)
                    {
                        var pitch = notes.Pitch;
                        var windowPitch = pitch.Compute(streamWindow);
                        var partPitch = pitch.Excerpt(preparedScore.Features.Samples, preparedScore.PitchPower!, a, length);
                        var part = HarmoniousFeedback.Midi.MidiExcerpt.Cut(longScore, a / 16000.0, length / 16000.0);
                        steps.AddRange(
                        [
                            ("  note comparison (45 measures)", () => notes.Compute(pitch.Compute(streamWindow), pitch.Excerpt(preparedScore.Features.Samples, preparedScore.PitchPower!, a, length),
                                HarmoniousFeedback.Midi.MidiExcerpt.Cut(longScore, a / 16000.0, length / 16000.0), aligned)),
                            ("    of which: the window's pitch spectrogram (PitchSpectrogram, n_fft 2048)", () => pitch.Compute(streamWindow)),
                            ("    of which: the part's, cut from the prepared score (PitchSpectrogram.Excerpt)", () => pitch.Excerpt(preparedScore.Features.Samples, preparedScore.PitchPower!, a, length)),
                            ("    of which: the score cut to the part (MidiExcerpt.Cut)", () => HarmoniousFeedback.Midi.MidiExcerpt.Cut(longScore, a / 16000.0, length / 16000.0)),
                            ("    of which: the measures on both spectrograms (ScoreInformedComparison)", () => notes.Compute(windowPitch, partPitch, part, aligned)),
                        ]);
                    }
                    steps.Add(("network (HarmoniousFeedbackModel.Predict on the window's example)", () => m.Predict([example])));
                    foreach (var (what, step) in steps)
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-80} {CpuMsPerCall(calls, () => { step(); return []; }),7:F2}"));
                },
            };
        }
    }

    private static double CpuMsPerCall(int calls, Func<float[]> call)
    {
        for (int i = 0; i < 5; i++) call();
        var cpu0 = Environment.CpuUsage.TotalTime;
        for (int i = 0; i < calls; i++) call();
        return (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds / calls;
    }

    public int Run(string[] args)
    {
        string? Arg(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        bool json = args.Contains("--json"), quick = args.Contains("--quick");
        int? runs = Arg("--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : null;
        var filter = Arg("--filter");
        bool profile = args.Contains("--profile");
        if (Arg("--child") is { } child) return RunChild(int.Parse(child, CultureInfo.InvariantCulture), runs, quick, filter, profile);

        var threads = (Arg("--threads") ?? "1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        bool tiered = (Arg("--jit") ?? "full") switch
        {
            "full" => false,
            "tiered" => true,
            var other => throw new ArgumentException($"--jit {other}: use full or tiered"),
        };
        var rows = new List<Row>();
        foreach (int t in threads)
        {
            var psi = ChildStart(t, runs, quick, tiered, filter, profile);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0) { Console.Error.WriteLine($"child for {t} thread(s) failed ({p.ExitCode}): {stderr.Result}"); return p.ExitCode; }
            Console.Error.Write(stderr.Result);   // --profile output
            rows.AddRange(JsonSerializer.Deserialize<List<Row>>(stdout.Result)!);
        }
        var table = Console.Error;
        table.WriteLine($"{"case",-18} {"runtime",-15} {"threads",7} {"median ms",10} {"p90 ms",9} {"cpu ms/call",12} {"KB/call",8} {"gen0 GCs",8} {"runs",5}   ({Environment.ProcessorCount} CPUs, load {Load()}, JIT {(tiered ? "tiered" : "full")})");
        foreach (var row in rows)
            table.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Case,-18} {row.Runtime,-15} {row.Threads,7} {row.MedianMs,10:F3} {row.P90Ms,9:F3} {row.CpuMsPerCall,12:F3} {row.AllocKbPerCall,8:F1} {row.Gen0Collections,8} {row.Runs,5}"));
        foreach (var g in rows.GroupBy(r => (r.Case, r.Threads)))
        {
            var e = g.First(r => r.Runtime == "engine");
            var o = g.First(r => r.Runtime == "onnxruntime");
            table.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Key.Case} @ {g.Key.Threads} thread(s): engine / onnxruntime median = {e.MedianMs / o.MedianMs:F2}"));
        }
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                @case = r.Case, runtime = r.Runtime, threads = r.Threads, median_ms = r.MedianMs, p90_ms = r.P90Ms, cpu_ms_per_call = r.CpuMsPerCall,
                alloc_kb_per_call = r.AllocKbPerCall, gen0_collections = r.Gen0Collections, runs = r.Runs,
            })));
        return 0;
    }

    /// <summary>This program again, as <c>onnx --child T</c>, with <c>DOTNET_PROCESSOR_COUNT = T</c>.</summary>
    private static ProcessStartInfo ChildStart(int threads, int? runs, bool quick, bool tiered, string? filter, bool profile)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(OnnxBench).Assembly.Location);
        foreach (var a in new[] { "onnx", "--child", threads.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        if (runs is int n) { psi.ArgumentList.Add("--runs"); psi.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture)); }
        if (quick) psi.ArgumentList.Add("--quick");
        if (filter is not null) { psi.ArgumentList.Add("--filter"); psi.ArgumentList.Add(filter); }
        if (profile) psi.ArgumentList.Add("--profile");
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = threads.ToString(CultureInfo.InvariantCulture);
        if (!tiered) psi.Environment["DOTNET_TieredCompilation"] = "0";
        return psi;
    }

    private static int RunChild(int threads, int? runs, bool quick, string? filter, bool profile)
    {
        if (Environment.ProcessorCount != threads)
            throw new InvalidOperationException($"child for {threads} thread(s) sees {Environment.ProcessorCount} processors; DOTNET_PROCESSOR_COUNT was not applied");
        Gemm.MaxThreads = threads;
        var rows = new List<Row>();
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        foreach (var net in Networks())
        {
            if (filter is not null && !net.Name.Contains(filter, StringComparison.Ordinal)) continue;
            int n = runs ?? (quick ? net.DefaultRuns / 5 : net.DefaultRuns);
            using var session = new InferenceSession(net.Exported.Bytes, options);
            var owned = new List<IDisposable>();
            var ortCall = net.Ort(session, owned);
            var engineCall = net.Engine;
            // the two runtimes compute the same network: check once before timing
            var (a, b) = (engineCall(), ortCall());
            if (profile) net.Profile?.Invoke(quick ? 10 : 30);
            for (int i = 0; i < a.Length; i++)
                if (MathF.Abs(a[i] - b[i]) > 1e-4f + 1e-3f * MathF.Abs(a[i]))
                    throw new InvalidOperationException($"{net.Name}: ONNX Runtime output {i} = {b[i]} differs from the engine's {a[i]}");
            rows.Add(Time(net.Name, "engine", threads, n, engineCall));
            rows.Add(Time(net.Name, "onnxruntime", threads, n, ortCall));
            if (net.Features is not null) rows.Add(Time(net.Name, "features", threads, n, net.Features));
            if (net.CachedFeatures is not null) rows.Add(Time(net.Name, "features_cached", threads, n, net.CachedFeatures));
            foreach (var v in owned) v.Dispose();
        }
        Console.WriteLine(JsonSerializer.Serialize(rows));
        return 0;
    }

    private static Row Time(string name, string runtime, int threads, int runs, Func<float[]> call)
    {
        // warm-up long enough for tiered JIT (call counting, then background tier-1 compilation, slow on a loaded machine)
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 50 || warm.Elapsed.TotalSeconds < 2.0; i++) call();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var ms = new double[runs];
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        int gc0 = GC.CollectionCount(0);
        for (int i = 0; i < runs; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalMilliseconds / runs;
        double kb = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / 1024.0 / runs;
        int gcs = GC.CollectionCount(0) - gc0;
        Array.Sort(ms);
        return new Row(name, runtime, threads, Percentile(ms, 0.5), Percentile(ms, 0.9), cpu, kb, gcs, runs);
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default percentile).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static string Load()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
