using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// Every case in <c>../shared/anchors/nn</c> (PyTorch 1.13, float64 reference) run through the engine in float32 and
/// compared within the case's own tolerance (|a − b| ≤ atol + rtol·|b|): outputs, loss, gradients, BatchNorm
/// buffers, per-step optimizer params/state and clipping results.
/// </summary>
public sealed class PyTorchParityTests
{
    private delegate void Runner(AnchorCase c);

    private static readonly Dictionary<string, Runner> Runners = new()
    {
        ["linear"] = RunLinear,
        ["linear_batched3d"] = RunLinear,
        ["batchnorm1d_train"] = c => RunBatchNorm(c, new BatchNorm1d(c.ConfigInt("num_features"))),
        ["batchnorm2d_train"] = c => RunBatchNorm(c, new BatchNorm2d(c.ConfigInt("num_features"))),
        ["batchnorm2d_eval"] = c => RunBatchNorm(c, new BatchNorm2d(c.ConfigInt("num_features"))),
        ["layernorm"] = c => RunUnaryModule(c, new LayerNorm(c.Config.GetProperty("normalized_shape")[0].GetInt32())),
        ["embedding"] = RunEmbedding,
        ["embedding_padding_idx"] = RunEmbedding,
        ["relu"] = c => RunUnaryModule(c, new ReLU()),
        ["gelu"] = c => RunUnaryModule(c, new GELU()),
        ["gelu_tanh"] = c => RunUnaryModule(c, new GELU(tanhApproximation: true)),
        ["tanh"] = c => RunUnaryModule(c, new Tanh()),
        ["sigmoid"] = c => RunUnaryModule(c, new Sigmoid()),
        ["softmax"] = c => RunUnaryModule(c, new Softmax(c.ConfigInt("dim"))),
        ["log_softmax"] = c => RunUnaryModule(c, new LogSoftmax(c.ConfigInt("dim"))),
        ["cross_entropy"] = RunCrossEntropy,
        ["cross_entropy_label_smoothing"] = RunCrossEntropy,
        ["cross_entropy_weighted"] = RunCrossEntropy,
        ["cross_entropy_weighted_label_smoothing"] = RunCrossEntropy,
        ["mse_loss"] = c => RunRegressionLoss(c, F.MseLoss),
        ["l1_loss"] = c => RunRegressionLoss(c, F.L1Loss),
        ["huber_loss"] = c => RunRegressionLoss(c, (p, t) => F.HuberLoss(p, t, (float)c.Config.GetProperty("delta").GetDouble())),
        ["sgd_momentum"] = RunOptimizer,
        ["sgd_nesterov"] = RunOptimizer,
        ["adam"] = RunOptimizer,
        ["adam_weight_decay"] = RunOptimizer,
        ["adamw"] = RunOptimizer,
        ["adamw_strong_decay"] = RunOptimizer,
        ["clip_grad_norm"] = RunClip,
        ["clip_grad_norm_noop"] = RunClip,
        ["conv1d"] = c => RunUnaryModule(c, new Conv1d(c.ConfigInt("in_channels"), c.ConfigInt("out_channels"), c.ConfigInt("kernel_size"), c.ConfigInt("stride"), c.ConfigInt("padding"))),
        ["conv2d_pad1_stride1"] = RunConv2d,
        ["conv2d_pad1_stride2"] = RunConv2d,
        ["maxpool2d_k2s2"] = c => RunUnaryModule(c, new MaxPool2d(Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"))),
        ["maxpool2d_k3s2p1"] = c => RunUnaryModule(c, new MaxPool2d(Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"))),
        ["avg_pool2d_k2s2"] = c => RunUnaryModule(c, new AvgPool2d(Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"))),
        ["adaptive_avg_pool2d_1x1"] = c => RunUnaryModule(c, new AdaptiveAvgPool2d(Pair(c, "output_size"))),
        ["adaptive_avg_pool2d_2x3"] = c => RunUnaryModule(c, new AdaptiveAvgPool2d(Pair(c, "output_size"))),
        ["conv_block_classifier"] = RunConvBlockClassifier,
        ["lstm_1layer"] = RunLstm,
        ["lstm_2layers_batch_first"] = RunLstm,
        ["lstm_3layers"] = RunLstm,
        ["lstm_2layers_long"] = RunLstm,
        ["lstm_bidirectional_1layer"] = RunLstm,
        ["lstm_packed_1layer"] = RunLstm,
        ["gru_1layer"] = RunGru,
        ["additive_attention_pooling"] = RunAdditiveAttention,
        ["additive_attention_pooling_masked"] = RunAdditiveAttention,
        ["scaled_dot_product_attention_mask"] = RunSdpa,
        ["multihead_attention_mask"] = RunMha,
        ["multihead_attention_causal"] = RunMha,
        ["gcn_layer"] = RunGcn,
        ["lstm_attention_classifier"] = RunLstmAttentionClassifier,
    };

    private static int[]? Lengths(AnchorCase c) => c.HasInput("lengths") ? c.LongInput("lengths").Select(v => (int)v).ToArray() : null;

    private static void RunAdditiveAttention(AnchorCase c)
    {
        var m = new AdditiveAttentionPooling(c.ConfigInt("dim"), c.ConfigInt("attn_dim"));
        c.LoadInto(m);
        var h = c.Input("h");
        var (ctx, a) = m.Forward(h, Lengths(c));
        c.RunForwardBackward(Named(("c", ctx), ("a", a)), Named(("h", h)), m.StateDict());
    }

    private static void RunSdpa(AnchorCase c)
    {
        var q = c.Input("q"); var k = c.Input("k"); var v = c.Input("v");
        var (o, a) = F.ScaledDotProductAttention(q, k, v, c.Input("key_padding_mask"));
        c.RunForwardBackward(Named(("out", o), ("attn", a)), Named(("q", q), ("k", k), ("v", v)), Named());
    }

    private static void RunMha(AnchorCase c)
    {
        var m = new MultiheadAttention(c.ConfigInt("embed_dim"), c.ConfigInt("num_heads"));
        c.LoadInto(m);
        var x = c.Input("x");
        var (o, w) = m.Forward(x, x, x, c.Input("key_padding_mask"), c.HasInput("attn_mask") ? c.Input("attn_mask") : null);
        c.RunForwardBackward(Named(("attn_output", o), ("attn_weights", w)), Named(("x", x)), m.StateDict());
    }

    private static void RunGcn(AnchorCase c)
    {
        var m = new GCNLayer(c.ConfigInt("in_features"), c.ConfigInt("out_features"));
        c.LoadInto(m);
        var x = c.Input("X"); var a = c.Input("A");
        c.RunForwardBackward(Named(("Y", m.Forward(x, a)), ("A_norm", GCNLayer.NormalizedAdjacency(a))), Named(("X", x)), m.StateDict());
    }

    /// <summary>The composite of the case: LSTM (batch_first) → additive attention pooling → Linear → cross-entropy.</summary>
    private sealed class LstmAttentionClassifier : Module
    {
        public readonly LSTM Lstm; public readonly AdditiveAttentionPooling Attn; public readonly Linear Fc;
        public LstmAttentionClassifier(System.Text.Json.JsonElement cfg)
        {
            var l = cfg.GetProperty("lstm"); var a = cfg.GetProperty("attn"); var f = cfg.GetProperty("fc");
            Lstm = RegisterModule("lstm", new LSTM(l.GetProperty("input_size").GetInt32(), l.GetProperty("hidden_size").GetInt32(), l.GetProperty("num_layers").GetInt32(), batchFirst: true));
            Attn = RegisterModule("attn", new AdditiveAttentionPooling(a.GetProperty("dim").GetInt32(), a.GetProperty("attn_dim").GetInt32()));
            Fc = RegisterModule("fc", new Linear(f.GetProperty("in_features").GetInt32(), f.GetProperty("out_features").GetInt32()));
        }
    }

    private static void RunLstmAttentionClassifier(AnchorCase c)
    {
        var m = new LstmAttentionClassifier(c.Config);
        c.LoadInto(m);
        var x = c.Input("x");
        var (y, _, _) = m.Lstm.Forward(x);
        var (pooled, a) = m.Attn.Forward(y);
        var logits = m.Fc.Forward(pooled);
        var loss = F.CrossEntropy(logits, c.LongInput("target"));
        c.RunForwardBackward(Named(("logits", logits), ("pooled", pooled), ("attn_weights", a), ("loss", loss)), Named(("x", x)), m.StateDict());
    }

    private static void RunLstm(AnchorCase c)
    {
        var m = new LSTM(c.ConfigInt("input_size"), c.ConfigInt("hidden_size"), c.ConfigInt("num_layers"), c.Config.GetProperty("batch_first").GetBoolean(),
            bidirectional: c.Config.GetProperty("bidirectional").GetBoolean());
        c.LoadInto(m);
        var x = c.Input("x");
        var h0 = c.HasInput("h0") ? c.Input("h0") : null;
        var c0 = c.HasInput("c0") ? c.Input("c0") : null;
        var lengths = c.HasInput("lengths") ? c.LongInput("lengths").Select(v => (int)v).ToArray() : null;
        var (y, hn, cn) = m.Forward(x, h0, c0, lengths);
        var inputs = Named(("x", x));
        if (h0 is not null) inputs["h0"] = h0;
        if (c0 is not null) inputs["c0"] = c0;
        c.RunForwardBackward(Named(("y", y), ("h_n", hn), ("c_n", cn)), inputs, m.StateDict());
    }

    private static void RunGru(AnchorCase c)
    {
        var m = new GRU(c.ConfigInt("input_size"), c.ConfigInt("hidden_size"), c.ConfigInt("num_layers"), c.Config.GetProperty("batch_first").GetBoolean(),
            bidirectional: c.Config.GetProperty("bidirectional").GetBoolean());
        c.LoadInto(m);
        var x = c.Input("x");
        var h0 = c.HasInput("h0") ? c.Input("h0") : null;
        var (y, hn) = m.Forward(x, h0);
        var inputs = Named(("x", x));
        if (h0 is not null) inputs["h0"] = h0;
        c.RunForwardBackward(Named(("y", y), ("h_n", hn)), inputs, m.StateDict());
    }

    private static (int, int) Pair(AnchorCase c, string key) => Pair(c.Config.GetProperty(key));
    private static (int, int) Pair(System.Text.Json.JsonElement e) => (e[0].GetInt32(), e[1].GetInt32());

    private static void RunConv2d(AnchorCase c)
    {
        var m = new Conv2d(c.ConfigInt("in_channels"), c.ConfigInt("out_channels"), Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"));
        RunUnaryModule(c, m);
    }

    /// <summary>The composite CNN of the case: conv → bn(train) → relu → maxpool 2 → adaptive avg 1 → fc → CE.</summary>
    private sealed class ConvBlockClassifier : Module
    {
        public readonly Conv2d Conv; public readonly BatchNorm2d Bn; public readonly Linear Fc;
        public ConvBlockClassifier(System.Text.Json.JsonElement cfg)
        {
            var cc = cfg.GetProperty("conv");
            Conv = RegisterModule("conv", new Conv2d(cc.GetProperty("in_channels").GetInt32(), cc.GetProperty("out_channels").GetInt32(), Pair(cc.GetProperty("kernel_size")), Pair(cc.GetProperty("stride")), Pair(cc.GetProperty("padding"))));
            Bn = RegisterModule("bn", new BatchNorm2d(cfg.GetProperty("bn").GetProperty("num_features").GetInt32()));
            Fc = RegisterModule("fc", new Linear(cfg.GetProperty("fc").GetProperty("in_features").GetInt32(), cfg.GetProperty("fc").GetProperty("out_features").GetInt32()));
        }
        public Tensor Forward(Tensor x)
        {
            var h = F.MaxPool2d(Bn.Forward(Conv.Forward(x)).Relu(), (2, 2), (2, 2), (0, 0));
            return Fc.Forward(F.AdaptiveAvgPool2d(h, (1, 1)).Flatten(1));
        }
    }

    private static void RunConvBlockClassifier(AnchorCase c)
    {
        var m = new ConvBlockClassifier(c.Config);
        c.LoadInto(m);
        var x = c.Input("x");
        var logits = m.Forward(x);
        var loss = F.CrossEntropy(logits, c.LongInput("target"));
        c.RunForwardBackward(Named(("logits", logits), ("loss", loss)), Named(("x", x)), m.StateDict());
        CheckBuffersAfter(c, m, "");
    }

    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var k in Runners.Keys.Order(StringComparer.Ordinal)) d.Add(k);
        return d;
    }

    [SharedDataTheory]
    [MemberData(nameof(Cases))]
    public void Anchor_case_matches_PyTorch(string caseName)
    {
        var c = new AnchorCase(caseName);
        Runners[caseName](c);
        c.AssertAllPassed();
    }

    /// <summary>No case of the contract may be silently left out.</summary>
    [SharedDataFact]
    public void Every_indexed_anchor_case_has_a_runner()
    {
        var missing = AnchorCase.IndexCases().Where(k => !Runners.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "cases without a runner: " + string.Join(", ", missing));
        Assert.Equal(53, AnchorCase.IndexCases().Count());
    }

    // ------------------------------------------------------------------ runners

    private static Dictionary<string, Tensor> Named(params (string, Tensor)[] items) => items.ToDictionary(i => i.Item1, i => i.Item2);

    private static void RunLinear(AnchorCase c)
    {
        var m = new Linear(c.ConfigInt("in_features"), c.ConfigInt("out_features"));
        c.LoadInto(m);
        var x = c.Input("x");
        c.RunForwardBackward(Named(("y", m.Forward(x))), Named(("x", x)), m.StateDict());
    }

    private static void RunUnaryModule(AnchorCase c, UnaryModule m)
    {
        c.LoadInto(m);
        var x = c.Input("x");
        c.RunForwardBackward(Named(("y", m.Forward(x))), Named(("x", x)), m.StateDict());
    }

    private static void RunBatchNorm(AnchorCase c, BatchNorm m)
    {
        c.LoadInto(m);
        if (c.Config.GetProperty("mode").GetString() == "eval") m.Eval();
        var x = c.Input("x");
        c.RunForwardBackward(Named(("y", m.Forward(x))), Named(("x", x)), m.StateDict());
        CheckBuffersAfter(c, m, "");
    }

    private static void CheckBuffersAfter(AnchorCase c, Module m, string prefix)
    {
        var sd = m.StateDict();
        foreach (var b in c.Root.GetProperty("buffers_after").EnumerateObject())
        {
            var t = sd[b.Name.Substring(prefix.Length)];
            if (b.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                long want = (long)AnchorCase.DataOf(b.Value)[0];
                if ((long)t.Item() != want) c.AddFailure($"buffers_after.{b.Name}: {t.Item()} vs {want} (must match exactly)");
            }
            else c.CheckShape("buffers_after." + b.Name, t, b.Value);
        }
    }

    private static void RunEmbedding(AnchorCase c)
    {
        int? pad = c.Config.GetProperty("padding_idx").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.ConfigInt("padding_idx");
        var m = new Embedding(c.ConfigInt("num_embeddings"), c.ConfigInt("embedding_dim"), pad);
        c.LoadInto(m);
        var idxShape = AnchorCase.ShapeOf(c.Root.GetProperty("inputs").GetProperty("indices"));
        var y = m.Forward(c.LongInput("indices"), idxShape);
        c.RunForwardBackward(Named(("y", y)), Named(), m.StateDict());
    }

    private static void RunCrossEntropy(AnchorCase c)
    {
        var logits = c.Input("logits");
        var w = c.HasInput("class_weight") ? c.Input("class_weight") : null;
        var loss = F.CrossEntropy(logits, c.LongInput("target"), w, (float)c.Config.GetProperty("label_smoothing").GetDouble());
        c.RunForwardBackward(Named(("loss", loss)), Named(("logits", logits)), Named());
    }

    private static void RunRegressionLoss(AnchorCase c, Func<Tensor, Tensor, Tensor> loss)
    {
        var p = c.Input("pred"); var t = c.Input("target");
        c.RunForwardBackward(Named(("loss", loss(p, t))), Named(("pred", p), ("target", t)), Named());
    }

    private static void RunOptimizer(AnchorCase c)
    {
        var names = c.Root.GetProperty("params").EnumerateObject().Select(p => p.Name).ToList();
        var ps = names.Select(n => c.Param(n)).ToList();
        foreach (var p in ps) p.RequiresGrad = true;
        var cfg = c.Config;
        double lr = cfg.GetProperty("lr").GetDouble(), wd = cfg.GetProperty("weight_decay").GetDouble();
        Optimizer opt = c.Root.GetProperty("module").GetString() switch
        {
            "torch.optim.SGD" => new SGD(ps, lr, cfg.GetProperty("momentum").GetDouble(), cfg.GetProperty("dampening").GetDouble(), wd, cfg.GetProperty("nesterov").GetBoolean()),
            "torch.optim.Adam" => new Adam(ps, lr, cfg.GetProperty("betas")[0].GetDouble(), cfg.GetProperty("betas")[1].GetDouble(), cfg.GetProperty("eps").GetDouble(), wd),
            "torch.optim.AdamW" => new AdamW(ps, lr, cfg.GetProperty("betas")[0].GetDouble(), cfg.GetProperty("betas")[1].GetDouble(), cfg.GetProperty("eps").GetDouble(), wd),
            var other => throw new InvalidOperationException("unknown optimizer " + other),
        };
        foreach (var step in c.Root.GetProperty("steps").EnumerateArray())
        {
            int k = step.GetProperty("step").GetInt32();
            for (int i = 0; i < ps.Count; i++) ps[i].Grad = AnchorCase.ToTensor(step.GetProperty("grads").GetProperty(names[i]));
            opt.Step();
            var state = opt.State();
            for (int i = 0; i < ps.Count; i++)
            {
                c.CheckShape($"step{k}.params.{names[i]}", ps[i], step.GetProperty("params").GetProperty(names[i]));
                foreach (var s in step.GetProperty("state").GetProperty(names[i]).EnumerateObject())
                {
                    if (s.Name == "step") continue;
                    c.Check($"step{k}.state.{names[i]}.{s.Name}", state[$"{i}.{s.Name}"], s.Value);
                }
            }
        }
    }

    private static void RunClip(AnchorCase c)
    {
        var before = c.Root.GetProperty("grads_before").EnumerateObject().ToList();
        var ps = before.Select(g => { var t = Tensor.Zeros(AnchorCase.ShapeOf(g.Value)); t.RequiresGrad = true; t.Grad = AnchorCase.ToTensor(g.Value); return t; }).ToList();
        double total = GradUtils.ClipGradNorm(ps, c.Config.GetProperty("max_norm").GetDouble());
        c.CheckScalar("total_norm", total, c.Root.GetProperty("outputs").GetProperty("total_norm"));
        var after = c.Root.GetProperty("grads_after");
        for (int i = 0; i < ps.Count; i++) c.CheckShape("grads_after." + before[i].Name, ps[i].Grad!, after.GetProperty(before[i].Name));
    }
}
