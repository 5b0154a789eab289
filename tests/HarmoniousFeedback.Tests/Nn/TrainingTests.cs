using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class TrainingTests
{
    internal static (ToyLstmClassifier Model, Optimizer Opt, Trainer Trainer, ToySequenceData Data) Setup(int epochs, string? checkpoint = null, float dropout = 0f, int layers = 1, int samples = 256)
    {
        var data = new ToySequenceData(samples, 8, seed: 11);
        var model = new ToyLstmClassifier(4, 12, 4, seed: 5, dropout, layers);
        var opt = new Adam(model.Parameters(), lr: 0.02);
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = epochs, BatchSize = 32, Seed = 3, ClipGradNorm = 5, CheckpointPath = checkpoint });
        return (model, opt, trainer, data);
    }

    internal static Func<int[], Tensor> LossFn(ToyLstmClassifier m, ToySequenceData d) => idx =>
    {
        var (x, y) = d.Batch(idx);
        return F.CrossEntropy(m.Forward(x), y);
    };

    private static double Accuracy(ToyLstmClassifier m, ToySequenceData d)
    {
        m.Eval();
        using var _ = Tensor.NoGrad();
        var (x, y) = d.Batch(Enumerable.Range(0, d.N).ToArray());
        var pred = m.Forward(x).ArgMax(-1);
        m.Train();
        return pred.Zip(y).Count(p => p.First == p.Second) / (double)d.N;
    }

    [Fact]
    public void Lstm_attention_classifier_learns_a_toy_sequence_task()
    {
        // Speed is measured by `hfb-bench nn`, not asserted here (a timed unit test fails on a loaded machine).
        var (model, _, trainer, data) = Setup(epochs: 25);
        var reports = new List<EpochReport>();
        var test = new ToySequenceData(256, 8, seed: 99);
        var trainerWithObserver = trainer;
        var rep = trainerWithObserver.Fit(data.N, LossFn(model, data));
        double acc = Accuracy(model, test);
        Assert.True(acc > 0.95, $"held-out accuracy {acc:P1} after {rep.Count} epochs (losses {string.Join(", ", rep.Select(r => r.TrainLoss.ToString("F3")))})");
        Assert.True(rep[^1].TrainLoss < rep[0].TrainLoss / 4, "training loss did not fall");
    }

    [Fact]
    public void Same_seed_gives_bit_identical_weights()
    {
        float[] Run()
        {
            var (m, _, t, d) = Setup(epochs: 2, dropout: 0.3f, layers: 2, samples: 96);
            t.Fit(d.N, LossFn(m, d));
            return m.Parameters().SelectMany(p => p.ToArray()).ToArray();
        }
        var a = Run(); var b = Run();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i]), $"weight {i} differs: {a[i]:R} vs {b[i]:R}");
    }

    [Fact]
    public void Resume_from_a_checkpoint_equals_the_uninterrupted_run()
    {
        var dir = TestPaths.TempDir("hfb-nn-ckpt");
        var path = Path.Combine(dir, "run.ckpt");
        // uninterrupted: 3 epochs (2 layers with dropout between them, so the dropout RNG state must be restored)
        var (m1, _, t1, d1) = Setup(epochs: 3, dropout: 0.3f, layers: 2, samples: 96);
        t1.Fit(d1.N, LossFn(m1, d1));
        // interrupted after epoch index 1 (2 epochs) with a checkpoint, then a fresh model/optimizer resumes
        var (m2, _, t2, d2) = Setup(epochs: 2, checkpoint: path, dropout: 0.3f, layers: 2, samples: 96);
        t2.Fit(d2.N, LossFn(m2, d2));
        var (m3, _, t3, d3) = Setup(epochs: 3, dropout: 0.3f, layers: 2, samples: 96);
        var ck = Checkpoint.Load(path);
        Assert.Equal(1, ck.Epoch);
        t3.Fit(d3.N, LossFn(m3, d3), resumeFrom: ck);
        var a = m1.Parameters().SelectMany(p => p.ToArray()).ToArray();
        var b = m3.Parameters().SelectMany(p => p.ToArray()).ToArray();
        Assert.Equal(a, b);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(dir, ".*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Divergence_is_reported_with_epoch_step_and_quantity()
    {
        var lin = new Linear(2, 1, rng: new NnRng(1));
        var opt = new SGD(lin.Parameters(), lr: 0.1);
        var trainer = new Trainer(lin, opt, new TrainerOptions { Epochs = 3, BatchSize = 2, Shuffle = false });
        int calls = 0;
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(4, idx =>
        {
            calls++;
            var x = new Tensor([1f, calls == 4 ? float.NaN : 2f, 3f, 4f], 2, 2);
            return lin.Forward(x).Sum();
        }));
        Assert.Contains("epoch 1, step 1", ex.Message);
        Assert.Contains("loss is NaN", ex.Message);

        var lin2 = new Linear(2, 1, rng: new NnRng(1));
        var t2 = new Trainer(lin2, new SGD(lin2.Parameters(), 0.1), new TrainerOptions { Epochs = 1, BatchSize = 4, Shuffle = false });
        var ex2 = Assert.Throws<TrainingDivergedException>(() => t2.Fit(4, _ =>
            (lin2.Forward(new Tensor([1f, 2f], 1, 2)) * new Tensor([float.PositiveInfinity], 1, 1) * 0f).Sum() + lin2.Weight.Sum() * 0f));
        Assert.Contains("epoch 0, step 0", ex2.Message);
    }

    [Fact]
    public void Trainer_stops_early_steps_the_scheduler_and_reports_every_epoch_to_the_observer()
    {
        var lin = new Linear(1, 1, rng: new NnRng(2));
        var opt = new SGD(lin.Parameters(), lr: 0.1);
        var seen = new List<EpochReport>();
        var trainer = new Trainer(lin, opt, new TrainerOptions { Epochs = 50, BatchSize = 4, Shuffle = false, MonitorMetric = "val" })
        {
            Scheduler = new StepLR(opt, stepSize: 2, gamma: 0.5),
            EarlyStopping = new EarlyStopping(patience: 3),
            Evaluate = () => new Dictionary<string, double> { ["val"] = 1.0 },  // never improves after the first epoch
            Observer = new SyncProgress<EpochReport>(seen.Add),
        };
        var reports = trainer.Fit(4, _ => F.MseLoss(lin.Forward(new Tensor([1f, 2f, 3f, 4f], 4, 1)), Tensor.Zeros(4, 1)));
        Assert.Equal(4, reports.Count);  // best at epoch 0, 3 epochs without improvement
        Assert.True(reports[^1].StoppedEarly);
        Assert.Equal(reports, seen);
        Assert.Equal(0.1 * 0.25, opt.Lr, 12);  // 4 scheduler steps: γ^⌊4/2⌋
    }

    private sealed class SyncProgress<T>(Action<T> a) : IProgress<T> { public void Report(T value) => a(value); }
}
