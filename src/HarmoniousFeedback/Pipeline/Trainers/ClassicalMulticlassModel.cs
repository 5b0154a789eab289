using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Pipeline.Trainers;

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

    /// <summary>
    /// Writes the class names, the scaler and the classifier: its type name, then its own versioned binary form
    /// (<see cref="IClassicalClassifier.Save"/>). Loading finds the type's <c>public static T Load(BinaryReader)</c>, so a
    /// user's own classifier saves and loads like the built-in ones.
    /// </summary>
    public void Save(ModelWriter writer)
    {
        writer.Write(Classes);
        writer.Write(Scaler is not null);
        if (Scaler is not null) writer.Write(ClassicalBytes(Scaler.Save));
        var type = Model.GetType();
        if (LoaderOf(type) is null)
            throw new CheckpointException($"{type.FullName} cannot be saved: it needs a public static Load(BinaryReader) method returning it");
        writer.Write(TypeTag + type.AssemblyQualifiedName);
        writer.Write(ClassicalBytes(Model.Save));
    }

    /// <summary>Prefix of a classifier's type name in the model file (older files hold <c>svm</c>, <c>lda</c> or <c>logreg</c>).</summary>
    private const string TypeTag = "type:";

    private static readonly IReadOnlyDictionary<string, Type> LegacyTags = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["svm"] = typeof(SvmClassifier),
        ["lda"] = typeof(LinearDiscriminantAnalysis),
        ["logreg"] = typeof(Models.Classical.LogisticRegression),
    };

    private static System.Reflection.MethodInfo? LoaderOf(Type type) =>
        type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(BinaryReader)]) is { } m
        && type.IsAssignableFrom(m.ReturnType) ? m : null;

    public static ClassicalMulticlassModel Load(ModelReader reader)
    {
        var classes = reader.ReadStringArray();
        StandardScaler? scaler = reader.ReadBoolean() ? FromBytes(reader, StandardScaler.Load) : null;
        var tag = reader.ReadString();
        var type = tag.StartsWith(TypeTag, StringComparison.Ordinal) ? Type.GetType(tag[TypeTag.Length..], throwOnError: false)
            : LegacyTags.GetValueOrDefault(tag);
        if (type is null || !typeof(IClassicalClassifier).IsAssignableFrom(type))
            throw new CheckpointException($"{reader.Source}: classical model type '{tag}' cannot be found or is not an IClassicalClassifier; load the assembly that defines it first");
        var load = LoaderOf(type) ?? throw new CheckpointException($"{reader.Source}: {type.FullName} has no public static Load(BinaryReader) method");
        var model = FromBytes(reader, r =>
        {
            try { return (IClassicalClassifier)load.Invoke(null, [r])!; }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        });
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
