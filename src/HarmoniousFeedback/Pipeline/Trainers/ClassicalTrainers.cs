using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The classical baselines available as pipeline trainers.</summary>
public enum ClassicalModelKind
{
    /// <summary>C-SVC by SMO, one-vs-one (<see cref="SvmClassifier"/>, libsvm/sklearn SVC semantics).</summary>
    Svm,
    /// <summary>Linear discriminant analysis (<see cref="LinearDiscriminantAnalysis"/>) — the paper's "LDA" row.</summary>
    Lda,
    /// <summary>Multinomial L2 logistic regression by L-BFGS (<see cref="Models.Classical.LogisticRegression"/>).</summary>
    LogisticRegression,
}

/// <summary>
/// Trains a classical classifier on a fixed-size vector column. Features are standardised on the training data
/// (z-scores, <see cref="StandardScaler"/>) when <see cref="Standardize"/> is true — as scikit-learn pipelines and
/// <c>hfb baseline</c> do — and the scaler is part of the trained model.
/// </summary>
public sealed class ClassicalTrainer : MulticlassTrainerBase
{
    public ClassicalTrainer(MulticlassColumns columns, ClassicalModelKind kind, object? options = null, bool standardize = true) : base(columns)
    {
        Kind = kind;
        Options = (kind, options) switch
        {
            (ClassicalModelKind.Svm, null) => new SvmOptions(),
            (ClassicalModelKind.Svm, SvmOptions o) => o,
            (ClassicalModelKind.Lda, null) => new LdaOptions(),
            (ClassicalModelKind.Lda, LdaOptions o) => o,
            (ClassicalModelKind.LogisticRegression, null) => new LogisticRegressionOptions(),
            (ClassicalModelKind.LogisticRegression, LogisticRegressionOptions o) => o,
            _ => throw new OptionsValidationException(nameof(ClassicalTrainer), [$"options of type {options!.GetType().Name} do not fit model {kind}"]),
        };
        switch (Options)
        {
            case SvmOptions s: s.Validate(); break;
            case LdaOptions l: l.Validate(); break;
            case LogisticRegressionOptions r: r.Validate(); break;
        }
        Standardize = standardize;
    }

    public ClassicalModelKind Kind { get; }
    public object Options { get; }
    public bool Standardize { get; }

    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Vector()];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes)
    {
        var rows = ClassicalMulticlassModel.ToDouble(x);
        StandardScaler? scaler = null;
        if (Standardize) (scaler, rows) = StandardScaler.FitTransform(rows);
        IClassicalClassifier model = Options switch
        {
            SvmOptions s => SvmClassifier.Fit(rows, y, s),
            LdaOptions l => LinearDiscriminantAnalysis.Fit(rows, y, l),
            LogisticRegressionOptions r => Models.Classical.LogisticRegression.Fit(rows, y, r),
            _ => throw new InvalidOperationException("unreachable: options were validated in the constructor"),
        };
        return new ClassicalMulticlassModel(classes, scaler, model);
    }
}

/// <summary>
/// A fitted classical classifier behind the pipeline's <see cref="IMulticlassModel"/>. Scores are the model's class
/// probabilities (LDA, logistic regression, an SVM fitted with <c>Probability = true</c>) or, for a plain SVM, the share
/// of one-vs-one votes each class received (libsvm's prediction is the class with most votes, ties to the lowest index —
/// the same argmax).
/// </summary>
public sealed class ClassicalMulticlassModel : IMulticlassModel
{
    public ClassicalMulticlassModel(IReadOnlyList<string> classes, StandardScaler? scaler, IClassicalClassifier model)
    {
        Classes = classes;
        Scaler = scaler;
        Model = model;
    }

    public IReadOnlyList<string> Classes { get; }
    public StandardScaler? Scaler { get; }
    public IClassicalClassifier Model { get; }

    internal static double[][] ToDouble(IReadOnlyList<object> x)
    {
        var rows = new double[x.Count][];
        for (int i = 0; i < rows.Length; i++)
        {
            var f = (float[])x[i];
            var d = new double[f.Length];
            for (int j = 0; j < f.Length; j++) d[j] = f[j];
            rows[i] = d;
        }
        return rows;
    }

    public void PredictProbabilities(object input, Span<float> probabilities)
    {
        var p = new float[1][];
        p[0] = new float[Classes.Count];
        PredictProbabilitiesBatch([input], p);
        p[0].CopyTo(probabilities);
    }

    public void PredictProbabilitiesBatch(IReadOnlyList<object> inputs, float[][] probabilities)
    {
        var rows = ToDouble(inputs);
        if (Scaler is not null) rows = Scaler.Transform(rows);
        if (Model is SvmClassifier { Options.Probability: false } svm)
        {
            int k = Classes.Count;
            var dec = svm.DecisionFunction(rows);
            for (int i = 0; i < dec.Length; i++)
            {
                Array.Clear(probabilities[i]);
                int p = 0;
                for (int a = 0; a < k; a++)
                    for (int b = a + 1; b < k; b++, p++)
                        probabilities[i][dec[i][p] > 0 ? a : b] += 1f;
                float total = k * (k - 1) / 2f;
                for (int c = 0; c < k; c++) probabilities[i][c] /= total;
            }
            return;
        }
        if (Model is IProbabilisticClassifier prob)
        {
            var p = prob.PredictProba(rows);
            for (int i = 0; i < p.Length; i++)
                for (int k = 0; k < p[i].Length; k++) probabilities[i][k] = (float)p[i][k];
            return;
        }
        var labels = Model.Predict(rows);
        for (int i = 0; i < labels.Length; i++)
        {
            Array.Clear(probabilities[i]);
            probabilities[i][labels[i]] = 1f;
        }
    }

    /// <summary>Writes the class names, the scaler and the classifier (each in its own versioned binary form).</summary>
    public void Save(ModelWriter writer)
    {
        writer.Write(Classes);
        writer.Write(Scaler is not null);
        if (Scaler is not null) writer.Write(ClassicalBytes(Scaler.Save));
        var (kind, save) = Model switch
        {
            SvmClassifier m => ("svm", (Action<BinaryWriter>)m.Save),
            LinearDiscriminantAnalysis m => ("lda", m.Save),
            Models.Classical.LogisticRegression m => ("logreg", m.Save),
            _ => throw new CheckpointException($"{Model.GetType().Name} has no serialised form"),
        };
        writer.Write(kind);
        writer.Write(ClassicalBytes(save));
    }

    public static ClassicalMulticlassModel Load(ModelReader reader)
    {
        var classes = reader.ReadStringArray();
        StandardScaler? scaler = reader.ReadBoolean() ? FromBytes(reader, StandardScaler.Load) : null;
        var kind = reader.ReadString();
        IClassicalClassifier model = kind switch
        {
            "svm" => FromBytes(reader, SvmClassifier.Load),
            "lda" => FromBytes(reader, LinearDiscriminantAnalysis.Load),
            "logreg" => FromBytes(reader, Models.Classical.LogisticRegression.Load),
            _ => throw new CheckpointException($"{reader.Source}: unknown classical model kind '{kind}' (allowed: svm, lda, logreg)"),
        };
        if (model.Classes.Count != classes.Length)
            throw new CheckpointException($"{reader.Source}: the classifier has {model.Classes.Count} classes but the model lists {classes.Length} names");
        return new ClassicalMulticlassModel(classes, scaler, model);
    }

    private static byte[] ClassicalBytes(Action<BinaryWriter> save)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) save(w);
        return ms.ToArray();
    }

    private static T FromBytes<T>(ModelReader reader, Func<BinaryReader, T> load)
    {
        using var r = new BinaryReader(new MemoryStream(reader.ReadBytes(), writable: false), System.Text.Encoding.UTF8);
        try { return load(r); }
        catch (EndOfStreamException e) { throw new CheckpointException($"{reader.Source}: a classical model payload is truncated", e); }
        catch (CheckpointException e) { throw new CheckpointException($"{reader.Source}: {e.Message}", e); }
    }
}

public static class ClassicalTrainersCatalogExtensions
{
    /// <summary>C-SVC (libsvm SMO), features standardised on the training data.</summary>
    public static ClassicalTrainer Svm(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", SvmOptions? options = null, bool standardize = true)
        => new(new MulticlassColumns(featureColumn, labelColumn), ClassicalModelKind.Svm, options, standardize);

    /// <summary>Linear discriminant analysis, features standardised on the training data.</summary>
    public static ClassicalTrainer Lda(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", LdaOptions? options = null, bool standardize = true)
        => new(new MulticlassColumns(featureColumn, labelColumn), ClassicalModelKind.Lda, options, standardize);

    /// <summary>Multinomial logistic regression (L2, L-BFGS), features standardised on the training data.</summary>
    public static ClassicalTrainer LogisticRegression(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", LogisticRegressionOptions? options = null, bool standardize = true)
        => new(new MulticlassColumns(featureColumn, labelColumn), ClassicalModelKind.LogisticRegression, options, standardize);
}
