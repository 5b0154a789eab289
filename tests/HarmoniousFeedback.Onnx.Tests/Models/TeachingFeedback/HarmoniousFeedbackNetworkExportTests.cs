using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Onnx.Tests.Nn;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;
using Xunit.Abstractions;

namespace HarmoniousFeedback.Onnx.Tests.Models.TeachingFeedback;

/// <summary>
/// HFN / HFN–HFI exported with its own signature and run in ONNX Runtime against the engine's forward pass, for every
/// ablation switch (no attention, no factors, no reference stream, reference without alignment features, HFI with
/// K = 1, 2, 4, no HFI, and the bare HFN with everything off), on a seeded initial network, on random weights and
/// running statistics, and on a briefly trained model. One session per export runs batch 1 and batch 3 (zero-padded,
/// lengths down to below the pooling factor) at two widths T = 37 and 64, so batch and time are dynamic.
/// Tolerance: <see cref="Close"/> (|ort − engine| ≤ 1e-5 + 1e-4·|engine|): both compute in float32 and differ only
/// in summation order (MLAS convolution/GEMM vs the engine's kernels, ReduceMean vs sum × 1/n) and ORT's vectorised
/// sigmoid/tanh; the network is a few such layers deep, so rounding stays near 1e-6 (the largest difference each test
/// measured is written to its output). An export error (a mask, an axis, a missing term) moves outputs by 1e-2 … 1.
/// </summary>
public class HarmoniousFeedbackNetworkExportTests(ITestOutputHelper output)
{
    internal const int Mels = 16, AlignmentFeatures = 3;

    /// <summary>A small HFN–HFI (2 encoder blocks, P = 4) with every switch on.</summary>
    internal static HarmoniousFeedbackNetworkOptions Small => new()
    {
        NMels = Mels, Channels = [4, 8], EmotionEmbeddingDim = 3, FactorHidden = 8, FrameHidden = 8,
        Integration = new FeedbackIntegrationOptions { Iterations = 2, NodeDim = 4 },
    };

    public static TheoryData<string> Variants => new() { "full", "no-attention", "no-factors", "no-reference", "no-alignment", "hfi-k1", "hfi-k4", "no-hfi", "bare-hfn", "notes", "notes-modality-dropout" };

    /// <summary>Q, the note-comparison measures of a variant (the "notes" variants are the full network reading a clip-level vector of 5; modality dropout is training-only, the identity in the export).</summary>
    internal static int NoteFeatures(string variant) => variant.StartsWith("notes", StringComparison.Ordinal) ? 5 : 0;

    internal static (HarmoniousFeedbackNetworkOptions Options, int Alignment) Variant(string name) => name switch
    {
        "full" => (Small, AlignmentFeatures),
        "no-attention" => (Small with { EmotionAttention = false }, AlignmentFeatures),
        "no-factors" => (Small with { EmotionFactors = false }, AlignmentFeatures),
        "no-reference" => (Small with { ReferenceStream = false }, 0),
        "no-alignment" => (Small, 0),
        "hfi-k1" => (Small with { Integration = new FeedbackIntegrationOptions { Iterations = 1, NodeDim = 4 } }, AlignmentFeatures),
        "hfi-k4" => (Small with { Integration = new FeedbackIntegrationOptions { Iterations = 4, NodeDim = 4 } }, AlignmentFeatures),
        "no-hfi" => (Small with { Integration = null }, AlignmentFeatures),
        "bare-hfn" => (Small with { EmotionAttention = false, EmotionFactors = false, ReferenceStream = false, Integration = null }, 0),
        "notes" => (Small, AlignmentFeatures),
        "notes-modality-dropout" => (Small with { ModalityDropout = 0.5 }, AlignmentFeatures),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown variant"),
    };

    /// <summary>(batch, T, lengths): a full clip, and a padded batch with one clip shorter than the pooling factor (P = 4).</summary>
    private static readonly (int B, int T, int[] Lengths)[] Runs = [(1, 37, [37]), (3, 64, [64, 41, 2]), (2, 37, [23, 37])];

    /// <summary>Random inputs as the batching makes them: student/reference in [0, 1] and alignment features N(0, 1), zero past each length; a note comparison U(−8, 8) (beyond the scaler's ±5 clip) for a network with note features.</summary>
    internal static HfnBatch RandomBatch(HarmoniousFeedbackNetwork net, int b, int t, int[] lengths, NnRng rng)
    {
        int m = net.Options.NMels, k = net.AlignmentFeatures;
        var x = Tensor.Uniform(rng, 0f, 1f, b, 1, m, t);
        var r = net.Options.ReferenceStream ? Tensor.Uniform(rng, 0f, 1f, b, 1, m, t) : null;
        var g = k > 0 ? Tensor.Randn(rng, b, k, t) : null;
        for (int i = 0; i < b; i++)
        {
            for (int row = 0; row < m; row++)
            {
                x.Data.Slice((i * m + row) * t + lengths[i], t - lengths[i]).Clear();
                r?.Data.Slice((i * m + row) * t + lengths[i], t - lengths[i]).Clear();
            }
            for (int row = 0; row < k; row++) g!.Data.Slice((i * k + row) * t + lengths[i], t - lengths[i]).Clear();
        }
        var notes = net.NoteFeatures > 0 ? Tensor.Uniform(rng, -8f, 8f, b, net.NoteFeatures) : null;
        return new HfnBatch(x, r, g, lengths) { Notes = notes };
    }

    internal static (string Name, object Value)[] OrtInputs(HfnBatch batch)
    {
        var inputs = new List<(string, object)> { ("student", batch.Student) };
        if (batch.Reference is not null) inputs.Add(("reference", batch.Reference));
        if (batch.Alignment is not null) inputs.Add(("alignment", batch.Alignment));
        if (batch.Notes is not null) inputs.Add(("notes", batch.Notes));
        inputs.Add(("lengths", batch.Lengths));
        return [.. inputs];
    }

    /// <summary>Every output of ONNX Runtime against the engine's <see cref="HarmoniousFeedbackNetwork.Forward(HfnBatch)"/> on <see cref="Runs"/>; returns the largest absolute difference.</summary>
    internal static float CompareWithEngine(HarmoniousFeedbackNetwork net, OnnxExportResult exported, string what, int seed = 17)
    {
        net.Eval();
        using var ort = new Ort(exported);
        var rng = new NnRng(seed);
        float worst = 0;
        foreach (var (b, t, lengths) in Runs)
        {
            var batch = RandomBatch(net, b, t, lengths, rng);
            HfnOutput o;
            using (Tensor.NoGrad()) o = net.Forward(batch);
            var r = ort.Run(OrtInputs(batch));
            Assert.Equal(net.OnnxOutputNames.Order(StringComparer.Ordinal), r.Keys.Order(StringComparer.Ordinal));
            void Check(string name, Tensor expected)
            {
                Close.Assert(expected, r[name], $"{what}: {name} at B={b} T={t}");
                worst = MathF.Max(worst, Close.MaxAbs(expected, r[name]));
            }
            Check("issue_logits", o.IssueLogits);
            Check("issue_probabilities", o.IssueLogits.Softmax(-1));
            Check("scores", o.Scores);
            Check("initial_scores", o.InitialScores);
            Check("emotion", o.Emotion);
            Check("frame_deficits", o.FrameDeficits);
            Check("frame_lengths", Tensor.FromArray(o.FrameLengths.Select(v => (float)v).ToArray(), b));
            if (o.Factors is not null) Check("factors", o.Factors);
            if (o.Attention is not null) Check("attention", o.Attention);
        }
        return worst;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Seeded_network_matches_the_engine_in_onnx_runtime_for_every_ablation(string variant)
    {
        var (options, k) = Variant(variant);
        var net = new HarmoniousFeedbackNetwork(options, k, seed: 7, NoteFeatures(variant));
        net.Eval();
        var worst = CompareWithEngine(net, OnnxExporter.Export(net), variant);
        output.WriteLine($"{variant}: max |ort − engine| = {worst:G3}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Network_with_random_weights_and_statistics_matches_the_engine_for_every_ablation(string variant)
    {
        // every parameter and running statistic random (the seeded network has zero HFI issue weights and unit variances, which would hide a wrong mapping)
        var (options, k) = Variant(variant);
        var net = ExportCheck.Randomize(new HarmoniousFeedbackNetwork(options, k, seed: 3, NoteFeatures(variant)), seed: 11);
        net.Eval();
        var worst = CompareWithEngine(net, OnnxExporter.Export(net), variant, seed: 23);
        output.WriteLine($"{variant}: max |ort − engine| = {worst:G3}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Briefly_trained_model_matches_the_engine_and_its_predictions_for_every_ablation(string variant)
    {
        var (options, k) = Variant(variant);
        var model = Train(options, k, seed: 5, NoteFeatures(variant));
        Assert.Equal(NoteFeatures(variant), model.NoteFeatures);
        var exported = OnnxExporter.Export(model);
        var worst = CompareWithEngine(model.Network, exported, variant, seed: 29);

        // what hfb feedback uses: HarmoniousFeedbackModel.Predict, one performance at a time ([frames × M] matrices)
        var (examples, _, _) = ToyCorpus(3, k, seed: 41, NoteFeatures(variant));
        var predictions = model.Predict(examples);
        using var ort = new Ort(exported);
        for (int i = 0; i < examples.Count; i++)
        {
            var batch = HfnBatching.Inputs(examples, [i], options.ReferenceStream, model.AlignmentFeatures, model.Network.PoolFactor, model.NoteFeatures);
            var r = ort.Run(OrtInputs(batch));
            Close.Assert(Tensor.FromArray(predictions[i].IssueProbabilities, 1, 7), r["issue_probabilities"], $"{variant}: Predict's issue probabilities, example {i}");
            Close.Assert(Tensor.FromArray(predictions[i].Scores, 1, 6), r["scores"], $"{variant}: Predict's scores, example {i}");
            Close.Assert(Tensor.FromArray(predictions[i].Emotion, 1, 6), r["emotion"], $"{variant}: Predict's emotion, example {i}");
        }
        output.WriteLine($"{variant}: max |ort − engine| = {worst:G3}");
    }

    [Theory]
    [InlineData(18)]
    [InlineData(20)]
    public void Full_network_matches_the_engine_at_later_opsets(int opset)
    {
        // from opset 18 the reduction axes are inputs, not attributes
        var (options, k) = Variant("full");
        var net = ExportCheck.Randomize(new HarmoniousFeedbackNetwork(options, k, seed: 3), seed: 12);
        var exported = OnnxExporter.Export(net, new OnnxExportOptions { Opset = opset });
        Assert.Equal(opset, exported.Graph.Opset);
        CompareWithEngine(net, exported, $"opset {opset}");
    }

    [Fact]
    public void Signature_mirrors_the_forward_inputs_with_dynamic_batch_and_time()
    {
        var full = OnnxGraphBuilder.Export(new HarmoniousFeedbackNetwork(Small, AlignmentFeatures, 1), new OnnxExportOptions());
        Assert.Equal(["student", "reference", "alignment", "lengths"], full.Inputs.Select(i => i.Name));
        Assert.Equal("[batch, 1, 16, time]", OnnxDim.Format(full.Inputs[0].Shape));
        Assert.Equal("[batch, 1, 16, time]", OnnxDim.Format(full.Inputs[1].Shape));
        Assert.Equal("[batch, 3, time]", OnnxDim.Format(full.Inputs[2].Shape));
        Assert.Equal(OnnxElementType.Int32, full.Inputs[3].ElementType);
        Assert.Equal(["issue_logits", "issue_probabilities", "scores", "initial_scores", "emotion", "frame_deficits", "frame_lengths", "factors", "attention"],
            full.Outputs.Select(o => o.Name));
        Assert.Equal("[batch, 7]", OnnxDim.Format(full.Outputs[1].Shape));
        Assert.Equal("[batch, 6]", OnnxDim.Format(full.Outputs[2].Shape));
        Assert.Equal("[batch, 1, 16, time]", OnnxDim.Format(full.Outputs[8].Shape));
        Assert.Equal(OnnxElementType.Int32, full.Outputs[6].ElementType);
        Assert.Contains(full.Metadata, kv => kv.Key == "issue_classes" && kv.Value == "[\"pitch\",\"rhythm\",\"tempo\",\"dynamics\",\"articulation\",\"completeness\",\"none\"]");

        var bare = OnnxGraphBuilder.Export(new HarmoniousFeedbackNetwork(Variant("bare-hfn").Options, 0, 1), new OnnxExportOptions());
        Assert.Equal(["student", "lengths"], bare.Inputs.Select(i => i.Name));
        var notes = OnnxGraphBuilder.Export(new HarmoniousFeedbackNetwork(Small, AlignmentFeatures, 1, noteFeatures: 5), new OnnxExportOptions());
        Assert.Equal(["student", "reference", "alignment", "notes", "lengths"], notes.Inputs.Select(i => i.Name));
        Assert.Equal("[batch, 5]", OnnxDim.Format(notes.Inputs[3].Shape));
        Assert.Contains(notes.Metadata, kv => kv.Key == "note_features" && kv.Value == "5");
        Assert.Equal(["issue_logits", "issue_probabilities", "scores", "initial_scores", "emotion", "frame_deficits", "frame_lengths"], bare.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Hfi_weights_are_stored_once_however_many_iterations()
    {
        var k1 = OnnxGraphBuilder.Export(new HarmoniousFeedbackNetwork(Variant("hfi-k1").Options, AlignmentFeatures, 1), new OnnxExportOptions());
        var k4 = OnnxGraphBuilder.Export(new HarmoniousFeedbackNetwork(Variant("hfi-k4").Options, AlignmentFeatures, 1), new OnnxExportOptions());
        Assert.Equal(k1.ParameterCount, k4.ParameterCount);
        Assert.Equal(4, k4.Nodes.Count(n => n.Name.StartsWith("/integration/propagation/gcn/MatMul", StringComparison.Ordinal)) / 2);
        Assert.True(k4.Nodes.Count > k1.Nodes.Count);
    }

    [Fact]
    public void Checkpoint_from_training_exports_with_its_feature_metadata()
    {
        var (options, k) = Variant("full");
        var model = Train(options, k, seed: 8);
        var path = Path.Combine(OnnxExporterTests.TempDir(), "hfn.ckpt");
        model.Save(path, new Dictionary<string, string> { ["features.sampleRate"] = "16000", ["features.hopLength"] = "160" });
        var exported = OnnxExporter.ExportFile(path);
        Assert.Equal(["student", "reference", "alignment", "lengths"], exported.Graph.Inputs.Select(i => i.Name));
        Assert.Contains(exported.Graph.Metadata, kv => kv.Key == "features.sampleRate" && kv.Value == "16000");
        Assert.Single(exported.Graph.Metadata, kv => kv.Key == "hfn.options");
        Assert.Contains(exported.Notes, n => n.Contains("'student' [batch, 1, 16, time]", StringComparison.Ordinal));
        CompareWithEngine(HarmoniousFeedbackModel.Load(path, out _).Network, exported, "checkpoint");
    }

    [Fact]
    public void Feedback_pipeline_step_exports_its_network_and_names_its_columns()
    {
        var (options, k) = Variant("full");
        var model = Train(options, k, seed: 9);
        var exported = OnnxExporter.Export(new FeedbackPredictionTransformer("LogMel", "RefLogMel", "Alignment", model));
        Assert.Equal(["student", "reference", "alignment", "lengths"], exported.Graph.Inputs.Select(i => i.Name));
        Assert.Contains(exported.Notes, n => n.Contains("'LogMel' as 'student', 'RefLogMel' as 'reference', 'Alignment' as 'alignment'", StringComparison.Ordinal));
        CompareWithEngine(model.Network, exported, "pipeline step");
    }

    /// <summary>A few epochs of the real trainer on a toy corpus (so batch-norm statistics and every head move from their initial values).</summary>
    internal static HarmoniousFeedbackModel Train(HarmoniousFeedbackNetworkOptions options, int alignment, int seed, int notes = 0)
    {
        var (examples, targets, groups) = ToyCorpus(21, alignment, seed, notes);
        var training = new HfnTrainingOptions { LearningRate = 1e-2, BatchSize = 7, MaxEpochs = 3, EarlyStoppingPatience = null, ValidationFraction = 0 };
        var model = new HarmoniousFeedbackTrainer(options, training, seed).Fit(examples, targets, groups);
        Assert.Equal(3, model.History.Count);
        return model;
    }

    /// <summary>Clips of 20–44 frames × 16 bins; class c &lt; 6 brightens bin c over a span of the student (not the reference); with <paramref name="notes"/> &gt; 0 a note comparison 10q + U(0, 1), 3 more at q = c mod Q.</summary>
    internal static (List<HfnExample>, List<FeedbackTargets>, List<string>) ToyCorpus(int n, int alignment, int seed, int notes = 0)
    {
        var rng = new NnRng(seed);
        var examples = new List<HfnExample>();
        var targets = new List<FeedbackTargets>();
        var groups = new List<string>();
        var names = Enumerable.Range(0, Mels).Select(i => $"mel{i}").ToArray();
        for (int i = 0; i < n; i++)
        {
            int c = i % 7, t = 20 + rng.Next(25);
            var reference = new float[t * Mels];
            for (int j = 0; j < reference.Length; j++) reference[j] = (float)(0.2 + 0.4 * rng.NextDouble());
            var student = (float[])reference.Clone();
            var scores = Enumerable.Repeat(1f, 6).ToArray();
            var spans = new List<FeedbackSpan>();
            if (c < 6)
            {
                int a = rng.Next(t / 2), e = Math.Min(t, a + t / 3);
                for (int f = a; f < e; f++) student[f * Mels + c] = 1f;
                spans.Add(new FeedbackSpan(c, a * 0.02, e * 0.02, 0.7));
                scores[c] = 0.4f;
            }
            var times = Enumerable.Range(0, t).Select(f => f * 0.02).ToArray();
            var g = new float[t * alignment];
            for (int j = 0; j < g.Length; j++) g[j] = (float)(rng.NextDouble() - 0.5);
            examples.Add(new HfnExample(new FeatureMatrix(student, t, Mels, names, times), new FeatureMatrix(reference, t, Mels, names, times),
                alignment > 0 ? new FeatureMatrix(g, t, alignment, Enumerable.Range(0, alignment).Select(a => $"g{a}").ToArray(), times) : null,
                notes > 0 ? Enumerable.Range(0, notes).Select(q => (float)(10 * q + rng.NextDouble() + (q == c % notes ? 3 : 0))).ToArray() : null));
            targets.Add(new FeedbackTargets(HarmoniousFeedbackNetwork.IssueClasses[c], scores, Enumerable.Range(0, 6).Select(j => (float)Math.Sin(i + j) * 0.5f).ToArray(), spans));
            groups.Add($"piece{i / 7}");
        }
        return (examples, targets, groups);
    }
}
