using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class ClassicalPersistenceTests
{
    private static DataTable Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n][];
        var y = new string[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % 3;
            x[i] = [(float)(k + rng.NextDouble()), (float)(2 * k - rng.NextDouble()), (float)rng.NextDouble()];
            y[i] = "c" + k;
        }
        return DataTable.Create(("Features", x), ("Label", y));
    }

    public static TheoryData<string> Models => new() { "svm C=3", "svm with Platt probabilities", "lda lsqr auto shrinkage", "logreg C=0.5" };

    private static ClassicalTrainer Trainer(string name)
    {
        var t = new HfContext(1).MulticlassClassification.Trainers;
        return name switch
        {
            "svm C=3" => t.Svm(options: new SvmOptions { C = 3 }),
            "svm with Platt probabilities" => t.Svm(options: new SvmOptions { Probability = true, RandomState = 3 }),
            "lda lsqr auto shrinkage" => t.Lda(options: new LdaOptions { Solver = LdaSolver.Lsqr, Shrinkage = LdaShrinkage.Auto }),
            _ => t.LogisticRegression(options: new LogisticRegressionOptions { C = 0.5 }),
        };
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Save_and_load_reproduce_the_scores_exactly(string trainer)
    {
        var train = Blobs(60, 1);
        var test = Blobs(30, 2);
        var model = Trainer(trainer).Fit(train);
        var path = Path.Combine(TestPaths.TempDir(), "m.hfbmodel");
        ModelFile.Save(model, train.Schema, path);
        var loaded = ModelFile.Load(path, out _);
        Assert.Equal(model.Transform(test).Column<float[]>("Score").ToArray(), loaded.Transform(test).Column<float[]>("Score").ToArray());
        Assert.Equal(model.Transform(test).Column<string>("PredictedLabel").ToArray(), loaded.Transform(test).Column<string>("PredictedLabel").ToArray());
    }

    [Fact]
    public void A_truncated_classical_payload_is_a_checkpoint_error()
    {
        var svm = SvmClassifier.Fit([[0.0, 0], [1, 1], [0, 1], [1, 0]], [0, 1, 0, 1]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) svm.Save(w);
        var bytes = ms.ToArray();
        using var r = new BinaryReader(new MemoryStream(bytes[..(bytes.Length / 2)]));
        Assert.ThrowsAny<HarmoniousFeedbackException>(() => SvmClassifier.Load(r));
        using var lda = new BinaryReader(new MemoryStream(bytes));
        Assert.Contains("holds a svm model, not a lda model", Assert.Throws<CheckpointException>(() => LinearDiscriminantAnalysis.Load(lda)).Message);
    }
}
