using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

/// <summary>
/// The one workout every estimator and transform of the toolkit goes through (STYLE.md "Tests by kind of guarantee"):
/// <list type="number">
/// <item>schema errors come before any work: a missing input column fails <c>GetOutputSchema</c>, and <c>Fit</c> on a table
/// whose input column has the wrong type fails with <see cref="SchemaMismatchException"/> without reading a row;</item>
/// <item>the estimator's propagated schema accepts what <c>Transform</c> actually returns (names, types, slot names), and
/// the fitted transformer's schema equals it exactly;</item>
/// <item>save → load → transform gives identical values;</item>
/// <item>the same seed gives the same result.</item>
/// </list>
/// </summary>
public static class EstimatorWorkout
{
    /// <param name="create">Builds the estimator for a seed (the seed of its <see cref="HfContext"/>).</param>
    /// <param name="data">A table it fits and transforms.</param>
    /// <param name="inputColumn">A column it reads: removing it must fail at schema time, and so must a wrong type in it.</param>
    public static void Run(Func<int, IEstimator<ITransformer>> create, DataTable data, string inputColumn)
    {
        // 1. Schema errors before any work.
        Assert.Throws<SchemaMismatchException>(() => create(1).GetOutputSchema(data.Schema.Without(inputColumn)));
        var wrong = data.Without(inputColumn).With(new DataColumn<bool>(new SchemaColumn(inputColumn, ColumnType.Bool), data.RowCount,
            _ => throw new InvalidOperationException("a row was read before the schema was checked")));
        Assert.Throws<SchemaMismatchException>(() => create(1).Fit(wrong));

        // 2. Propagated schema == actual schema.
        var estimator = create(1);
        var propagated = estimator.GetOutputSchema(data.Schema);
        var model = estimator.Fit(data);
        var output = model.Transform(data);
        Assert.Equal(propagated.Select(c => c.Name), output.Schema.Select(c => c.Name));
        foreach (var c in propagated)
        {
            var actual = output.Schema[c.Name]!;
            Assert.True(c.Type.Accepts(actual.Type), $"column {c.Name}: propagated {c.Type}, actual {actual.Type}");
            if (c.SlotNames is not null) Assert.Equal(c.SlotNames, actual.SlotNames);
        }
        // The fitted transformer knows more than the estimator (e.g. the number of classes): its schema is exact.
        var fittedSchema = model.GetOutputSchema(data.Schema);
        Assert.Equal(output.Schema.Select(c => c.ToString()), fittedSchema.Select(c => c.ToString()));
        foreach (var c in fittedSchema.Where(c => c.SlotNames is not null)) Assert.Equal(c.SlotNames, output.Schema[c.Name]!.SlotNames);

        // 3. Save → load → identical transform.
        var path = Path.Combine(TestPaths.TempDir("hfb-workout"), "model.hfbmodel");
        ModelFile.Save(model, data.Schema, path);
        var loaded = ModelFile.Load(path, out var savedSchema);
        Assert.Equal(data.Schema.Select(c => c.ToString()), savedSchema.Select(c => c.ToString()));
        AssertSameOutputs(output, loaded.Transform(data), data);

        // 4. Same seed → same result.
        AssertSameOutputs(output, create(1).Fit(data).Transform(data), data);
    }

    private static void AssertSameOutputs(DataTable a, DataTable b, DataTable input)
    {
        foreach (var col in a.Schema.Where(c => !input.Schema.Contains(c.Name) || c.Name != input.Schema[c.Name]!.Name || c.Type is not AudioType))
        {
            if (col.Type is AudioType) continue;
            for (int r = 0; r < a.RowCount; r++)
                Assert.True(SameValue(a[col.Name].GetBoxed(r), b[col.Name].GetBoxed(r)), $"column {col.Name}, row {r} differs");
        }
    }

    private static bool SameValue(object? x, object? y) => (x, y) switch
    {
        (float[] p, float[] q) => p.AsSpan().SequenceEqual(q),
        (FeatureMatrix p, FeatureMatrix q) => p.Rows == q.Rows && p.Columns == q.Columns && p.Data.AsSpan().SequenceEqual(q.Data),
        (TensorValue p, TensorValue q) => p.Shape.SequenceEqual(q.Shape) && p.Data.AsSpan().SequenceEqual(q.Data),
        _ => Equals(x, y),
    };
}
