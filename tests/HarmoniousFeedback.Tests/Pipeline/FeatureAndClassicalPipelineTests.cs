using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class FeatureAndClassicalPipelineTests
{
    /// <summary>Clips of two classes: "low" = 220 Hz tones, "high" = 1760 Hz tones, random amplitude/phase, 4 s at 16 kHz.</summary>
    private static DataTable ToneTable(int perClass, int seed, string dir)
    {
        var rng = new Random(seed);
        var paths = new List<string>();
        var labels = new List<string>();
        for (int i = 0; i < 2 * perClass; i++)
        {
            bool high = i % 2 == 1;
            double f = (high ? 1760 : 220) * (1 + 0.05 * (rng.NextDouble() - 0.5));
            double a = 0.1 + 0.5 * rng.NextDouble();
            var x = new float[16000 * 4];
            for (int n = 0; n < x.Length; n++) x[n] = (float)(a * Math.Sin(2 * Math.PI * f * n / 16000) + 0.01 * (rng.NextDouble() - 0.5));
            var p = Path.Combine(dir, $"c{seed}_{i}.wav");
            WavWriter.Write(p, new AudioClip(x, 16000), WavEncoding.Pcm16);
            paths.Add(p);
            labels.Add(high ? "high" : "low");
        }
        return DataTable.Create(("Path", paths.ToArray()), ("Label", labels.ToArray()));
    }

    /// <summary>
    /// The whole classical path. The SVM has default options (no Platt scaling, as experiment specs build it), so this
    /// also guards the regression where scoring such an SVM threw from <c>PredictProba</c> and crashed <c>hfb reproduce</c>.
    /// </summary>
    [Fact]
    public void Audio_to_lld_to_normalised_pooled_features_to_svm_separates_tones()
    {
        var dir = TestPaths.TempDir();
        var train = ToneTable(6, 1, dir);
        var test = ToneTable(4, 2, dir);
        var ctx = new HfContext(7);
        var pipeline = ctx.Transforms.LoadAudio("Audio", "Path")
            .Append(ctx.Transforms.LldSegments("Lld", "Audio"))
            .Append(ctx.Transforms.NormalizeMinMax("Lld"))
            .Append(ctx.Transforms.PoolSequence("Features", "Lld"))
            .Append(ctx.MulticlassClassification.Trainers.Svm("Features", "Label"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var truth = test.Column<string>("Label").ToArray();
        var pred = scored.Column<string>(MulticlassColumns.PredictedLabel).ToArray();
        Assert.Equal(truth, pred);
        Assert.Equal(ColumnType.Sequence(50), scored.Schema["Lld"]!.Type);
        Assert.Equal(ColumnType.Vector(100), scored.Schema["Features"]!.Type);
    }

    [Fact]
    public void Minmax_is_fitted_on_the_training_rows_only()
    {
        static FeatureMatrix M(params float[] v) => new(v, v.Length, 1, ["x"], Enumerable.Range(0, v.Length).Select(i => (double)i).ToArray());
        var all = new DataTable([new DataColumn<FeatureMatrix>("S", ColumnType.Sequence(1), [M(0, 2), M(4), M(100, -50)])]);
        var trainRows = all.SelectRows([0, 1]);
        var t = new HfContext().Transforms.NormalizeMinMax("N", "S").Fit(trainRows);
        Assert.Equal(0f, t.Normalizer.Min[0]);
        Assert.Equal(4f, t.Normalizer.Max[0]); // the test row's 100 and -50 never influence the fit
        var outp = t.Transform(all).Column<FeatureMatrix>("N");
        Assert.Equal([0f, 0.5f], outp[0].Data);
        Assert.Equal([1f, 0f], outp[2].Data); // clipped to [0, 1]
    }

    [Fact]
    public void Feature_transforms_save_and_load_with_their_options()
    {
        var ctx = new HfContext();
        var opts = new MfccOptions { NMfcc = 13 };
        var t = ctx.Transforms.Mfcc("M", "Audio", opts).Fit(DataTable.Create(("Audio", new[] { new AudioClip(new float[4000], 16000) })));
        var path = Path.Combine(TestPaths.TempDir(), "f.hfbmodel");
        var schema = new Schema([new SchemaColumn("Audio", ColumnType.Audio)]);
        ModelFile.Save(t, schema, path);
        var back = (AudioFeatureTransformer)ModelFile.Load(path, out _);
        Assert.Equal(13, ((MfccOptions)back.Options).NMfcc);
        Assert.Equal(ColumnType.Sequence(13), back.GetOutputSchema(schema)["M"]!.Type);
    }

    [Fact]
    public void Features_need_audio_at_the_options_rate_and_say_so()
    {
        var table = DataTable.Create(("Audio", new[] { new AudioClip(new float[44100], 44100) }));
        var e = Assert.ThrowsAny<HarmoniousFeedbackException>(() => new HfContext().Transforms.Mfcc("M").Fit(table).Transform(table));
        Assert.Contains("44100", e.Message);
    }
}
