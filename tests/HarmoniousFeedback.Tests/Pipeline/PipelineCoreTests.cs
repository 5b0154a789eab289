using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class PipelineCoreTests
{
    private static FeatureMatrix Seq(params float[][] rows)
    {
        int f = rows[0].Length;
        return new FeatureMatrix(rows.SelectMany(r => r).ToArray(), rows.Length, f,
            Enumerable.Range(0, f).Select(i => "f" + i).ToArray(), Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray());
    }

    private static DataTable Table() => new([
        new DataColumn<string>("Id", ColumnType.String, ["a", "b"]),
        new DataColumn<float>("Tempo", ColumnType.Float, [100f, 60f]),
        new DataColumn<FeatureMatrix>("Lld", ColumnType.Sequence(2), [Seq([1, 2], [3, 6]), Seq([0, 0], [0, 4], [0, 8])]),
    ]);

    [Fact]
    public void Pool_then_concatenate_computes_mean_std_and_orders_slots()
    {
        var ctx = new HfContext(1);
        var chain = ctx.Transforms.PoolSequence("Pooled", "Lld").Append(ctx.Transforms.Concatenate("Features", "Pooled", "Tempo"));
        var model = chain.Fit(Table());
        var outp = model.Transform(Table());
        var f = outp.Column<float[]>("Features");
        // mean(1,3)=2, mean(2,6)=4, std(1,3)=1, std(2,6)=2, tempo
        Assert.Equal(new[] { 2f, 4f, 1f, 2f, 100f }, f[0]);
        Assert.Equal(0f, f[1][0]);
        Assert.Equal(4f, f[1][1], 5);
        Assert.Equal(MathF.Sqrt(32f / 3f), f[1][3], 5);
        var slots = outp.Schema["Features"]!.SlotNames!;
        Assert.Equal(["mean(Lld[0])", "mean(Lld[1])", "std(Lld[0])", "std(Lld[1])", "Tempo"], slots);
        Assert.Equal(ColumnType.Vector(5), outp.Schema["Features"]!.Type);
    }

    [Fact]
    public void Chain_fails_at_schema_time_naming_the_column_and_types_before_any_work()
    {
        int reads = 0;
        var audio = new DataColumn<AudioClip>(new SchemaColumn("Audio", ColumnType.Audio), 3, _ => { reads++; return new AudioClip(new float[10], 16000); });
        var table = new DataTable([audio]);
        var ctx = new HfContext();
        var chain = ctx.Transforms.PoolSequence("P", "Audio").Append(ctx.Transforms.Concatenate("F", "P"));
        var e = Assert.Throws<SchemaMismatchException>(() => chain.Fit(table));
        Assert.Contains("'Audio'", e.Message);
        Assert.Contains("Audio", e.Message);
        Assert.Contains("Sequence<float>", e.Message);
        Assert.Equal(0, reads);

        var missing = Assert.Throws<SchemaMismatchException>(() => ctx.Transforms.Concatenate("F", "Nope").GetOutputSchema(Table().Schema));
        Assert.Contains("'Nope' not found", missing.Message);
        Assert.Contains("Tempo: float", missing.Message); // lists what exists
    }

    [Fact]
    public void Variable_size_vectors_cannot_be_concatenated()
    {
        var t = new DataTable([new DataColumn<float[]>("V", ColumnType.Vector(), [new float[2], new float[3]])]);
        var e = Assert.Throws<SchemaMismatchException>(() => new ConcatenateTransformer("F", "V").GetOutputSchema(t.Schema));
        Assert.Contains("variable-size", e.Message);
    }

    [Fact]
    public void Save_load_round_trip_gives_identical_transform_and_schema()
    {
        var ctx = new HfContext(3);
        var model = ctx.Transforms.PoolSequence("Pooled", "Lld", SequencePooling.Mean | SequencePooling.Max)
            .Append(ctx.Transforms.Concatenate("Features", "Pooled", "Tempo")).Fit(Table());
        var path = Path.Combine(TestPaths.TempDir(), "m.hfbmodel");
        ctx.Model.Save(model, Table().Schema, path);
        var loaded = ctx.Model.Load(path, out var schema);
        Assert.Equal(Table().Schema.Select(c => c.ToString()), schema.Select(c => c.ToString()));
        var a = model.Transform(Table()).Column<float[]>("Features");
        var b = loaded.Transform(Table()).Column<float[]>("Features");
        for (int i = 0; i < 2; i++) Assert.Equal(a[i], b[i]);
        Assert.Equal(model.GetOutputSchema(schema).Select(c => c.ToString()), loaded.GetOutputSchema(schema).Select(c => c.ToString()));
    }

    [Fact]
    public void Corrupt_or_truncated_model_files_are_rejected_with_a_reason()
    {
        var ctx = new HfContext();
        var model = ctx.Transforms.Concatenate("F", "Tempo").Fit(Table());
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "m.hfbmodel");
        ctx.Model.Save(model, Table().Schema, path);
        var bytes = File.ReadAllBytes(path);

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("checksum", Assert.Throws<CheckpointException>(() => ctx.Model.Load(path, out _)).Message);

        File.WriteAllBytes(path, bytes[..(bytes.Length - 5)]);
        Assert.Throws<CheckpointException>(() => ctx.Model.Load(path, out _));

        File.WriteAllBytes(path, "not a model"u8.ToArray());
        Assert.Contains("HFBMODEL", Assert.Throws<CheckpointException>(() => ctx.Model.Load(path, out _)).Message);
    }

    [Fact]
    public void Component_seeds_are_a_function_of_the_context_seed_and_order()
    {
        var a = new HfContext(42);
        var b = new HfContext(42);
        var c = new HfContext(43);
        var sa = Enumerable.Range(0, 5).Select(_ => a.NextComponentSeed()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 5).Select(_ => b.NextComponentSeed()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 5).Select(_ => c.NextComponentSeed()).ToArray());
        Assert.Equal(5, sa.Distinct().Count());
    }

    [Fact]
    public void Lazy_audio_is_not_decoded_by_row_selection_or_preview()
    {
        int reads = 0;
        var audio = new DataColumn<AudioClip>(new SchemaColumn("Audio", ColumnType.Audio), 4, i => { reads++; return new AudioClip(new float[] { i }, 16000); });
        var t = new DataTable([audio, new DataColumn<int>("I", ColumnType.Int, [0, 1, 2, 3])]);
        var sub = t.SelectRows([3, 1]);
        _ = sub.ToPreviewString();
        Assert.Equal(0, reads);
        Assert.Equal(3f, sub.Column<AudioClip>("Audio")[0].Channels[0][0]);
        Assert.Equal(1, reads);
        Assert.Equal([3, 1], sub.Column<int>("I").ToArray());
    }

    [Fact]
    public void Columns_of_different_lengths_are_rejected()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => DataTable.Create(("A", new[] { 1, 2 }), ("B", new[] { 1f })));
        Assert.Contains("'B'", e.Message);
    }
}
