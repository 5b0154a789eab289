using System.Text.Json;
using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Views;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline.Registry;

public class ModelRegistryTests
{
    [Fact]
    public void Built_in_registry_holds_the_model_kinds_and_views_in_order()
    {
        Assert.Equal(["lstm", "svm", "lda", "logreg", "majority", "hfn", "hfn-hfi", "fusion", "joint-audio-text"], ModelRegistry.CreateBuiltIn().Names);
        Assert.Equal(["lld", "mfcc", "logmel", "reference-logmel", "alignment", "score-aligned", "score-notes", "score", "performance", "score-clip", "performance-clip", "audio-rhythm", "text", "text-masked"], FeatureViewRegistry.CreateBuiltIn().Names);
    }

    [Fact]
    public void Every_registered_parameter_and_kind_is_documented()
    {
        foreach (var kind in ModelRegistry.Default.Kinds)
        {
            Assert.False(string.IsNullOrWhiteSpace(kind.Summary), kind.Name);
            if (kind.Name != "majority") Assert.NotEmpty(kind.Parameters); // the majority baseline has no hyperparameters (sklearn DummyClassifier, strategy "prior")
            foreach (var p in kind.Parameters) Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{kind.Name}.{p.Name}");
        }
        foreach (var view in FeatureViewRegistry.Default.Views)
            Assert.False(string.IsNullOrWhiteSpace(view.Summary), view.Name);
    }

    [Fact]
    public void Unknown_names_list_the_known_ones_and_mlnet_names_say_where_they_come_from()
    {
        var r = ModelRegistry.CreateBuiltIn();
        Assert.Contains("'forest' is not a known model (allowed: lstm, svm, lda, logreg, majority, hfn, hfn-hfi, fusion, joint-audio-text)", Assert.Throws<OptionsValidationException>(() => r.Get("forest")).Message);
        Assert.Contains("reference it and call MLNetModels.Register()", Assert.Throws<OptionsValidationException>(() => r.Get("mlnet-lightgbm")).Message);
    }

    [Fact]
    public void A_name_cannot_be_taken_twice_by_different_kinds_but_re_registering_the_same_kind_is_harmless()
    {
        var r = ModelRegistry.CreateBuiltIn();
        int count = r.Kinds.Count;
        r.Register(new SvmModelKind());
        Assert.Equal(count, r.Kinds.Count);
        Assert.Contains("already registered", Assert.Throws<OptionsValidationException>(() => r.Register(new Impostor())).Message);
        Assert.Contains("lower-case", Assert.Throws<OptionsValidationException>(() => r.Register(new BadName())).Message);
    }

    private sealed class Impostor : ClassicalModelKind<SvmOptions>
    {
        public override string Name => "svm";
        public override string Summary => "another svm";
        protected override SvmOptions ReadOptions(ParameterReader p) => new();
        protected override void Validate(SvmOptions options) { }
        protected override IClassicalClassifier Fit(double[][] x, int[] y, SvmOptions options) => SvmClassifier.Fit(x, y, options);
    }

    private sealed class BadName : ClassicalModelKind<SvmOptions>
    {
        public override string Name => "My SVM";
        public override string Summary => "bad";
        protected override SvmOptions ReadOptions(ParameterReader p) => new();
        protected override void Validate(SvmOptions options) { }
        protected override IClassicalClassifier Fit(double[][] x, int[] y, SvmOptions options) => SvmClassifier.Fit(x, y, options);
    }

    [Fact]
    public void Configure_turns_json_parameters_into_typed_validated_options()
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "preset": "tuned", "layers": 3, "optimizer": "adamw", "patience": null }""")!;
        var lstm = (ModelKind<LstmClassifierOptions>.Configured)ModelRegistry.Default.Get("lstm").Configure(json);
        Assert.Equal(LstmClassifierOptions.Tuned with { Layers = 3, Optimizer = OptimizerKind.AdamW, EarlyStoppingPatience = null }, lstm.Options);

        var svm = new SvmModelKind().Configure(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "kernel": "linear", "gamma": 0.5, "c": 10 }"""));
        Assert.Equal(SvmKernel.Linear, svm.Options.Kernel);
        Assert.Equal(SvmGamma.Of(0.5), svm.Options.Gamma);
        var lda = new LdaModelKind().Configure(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "solver": "lsqr", "shrinkage": "auto" }"""));
        Assert.Equal(LdaShrinkage.Auto, lda.Options.Shrinkage);
        Assert.Equal(1000, new LogisticRegressionModelKind().Configure((IReadOnlyDictionary<string, JsonElement>?)null).Options.MaxIter);

        // The options record's own rules apply too (all at once).
        var bad = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "layers": 9, "dropout": 1.5 }""")!;
        var e = Assert.Throws<OptionsValidationException>(() => ModelRegistry.Default.Get("lstm").Configure(bad));
        Assert.Contains(e.Problems, p => p.Contains("Layers = 9"));
        Assert.Contains(e.Problems, p => p.Contains("Dropout = 1.5"));
    }

    [Fact]
    public void Models_check_the_views_they_are_given()
    {
        var lstm = ModelRegistry.Default.Get("lstm").Configure(null);
        var problems = new List<string>();
        lstm.CheckInputs([new ModelInput("mfcc", "mfcc", ColumnType.Vector(40))], problems);
        Assert.Equal(["a lstm model reads Sequence<float>[*, *], but view 'mfcc' is Vector<float>[40]"], problems);
        problems.Clear();
        lstm.CheckInputs([new ModelInput("lld", "lld", ColumnType.Sequence(50)), new ModelInput("lld2", "lld2", ColumnType.Sequence(50))], problems);
        Assert.Equal(["a lstm model reads 1 feature view(s), not 2 (lld, lld2)"], problems);
        problems.Clear();
        ModelRegistry.Default.Get("svm").Configure(null).CheckInputs([new ModelInput("lld", "lld", ColumnType.Sequence(50))], problems);
        Assert.Empty(problems); // classical models pool sequences
    }
}
