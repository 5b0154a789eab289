using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.Pipeline;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace HarmoniousFeedback.MLNet.Tests.Data;

public class DataTableConversionTests
{
    private static FeatureMatrix Seq(int frames, int width, float start)
    {
        var data = Enumerable.Range(0, frames * width).Select(i => start + i).ToArray();
        var names = Enumerable.Range(0, width).Select(j => $"f{j}").ToArray();
        return new FeatureMatrix(data, frames, width, names, Enumerable.Range(0, frames).Select(i => 0.01 * i).ToArray());
    }

    private static DataTable Mixed() => new([
        new DataColumn<float>("F", ColumnType.Float, [1.5f, float.NaN, float.NegativeInfinity]),
        new DataColumn<double>("D", ColumnType.Double, [Math.PI, double.NaN, -0.0]),
        new DataColumn<int>("I", ColumnType.Int, [int.MinValue, 0, int.MaxValue]),
        new DataColumn<bool>("B", ColumnType.Bool, [true, false, true]),
        new DataColumn<string>("S", ColumnType.String, ["Q1 — joy", "音楽 ♪", "emoji 🎹 e\u0301"]),
        new DataColumn<float[]>(new SchemaColumn("V", ColumnType.Vector(3)) { SlotNames = ["a", "b", "c"] }, [[1, 2, 3], [float.NaN, 0, -1], [4, 5, 6]]),
        new DataColumn<float[]>("W", ColumnType.Vector(), [[1], [], [1, 2, 3, 4]]),
        new DataColumn<FeatureMatrix>(new SchemaColumn("Q", ColumnType.Sequence(2)) { SlotNames = ["f0", "f1"] }, [Seq(3, 2, 0), Seq(0, 2, 0), Seq(5, 2, 100)]),
        new DataColumn<TensorValue>("T", ColumnType.Tensor(2, 3), [TensorValue.Create(new float[6], 2, 3), TensorValue.Create([1, 2, 3, 4, 5, 6], 2, 3), TensorValue.Create(new float[6], 2, 3)]),
    ]);

    private static void AssertSameTable(DataTable expected, DataTable actual)
    {
        Assert.Equal(expected.Schema.Select(c => (c.Name, c.Type)), actual.Schema.Select(c => (c.Name, c.Type)));
        Assert.Equal(expected.RowCount, actual.RowCount);
        foreach (var c in expected.Columns)
        {
            var a = actual[c.Name];
            if (c.Schema.SlotNames is { } names) Assert.Equal(names, a.Schema.SlotNames);
            for (int r = 0; r < expected.RowCount; r++)
            {
                switch (c.GetBoxed(r))
                {
                    case FeatureMatrix m:
                        var b = (FeatureMatrix)a.GetBoxed(r)!;
                        Assert.Equal((m.Rows, m.Columns), (b.Rows, b.Columns));
                        Assert.Equal(m.Data, b.Data);
                        Assert.Equal(m.FeatureNames, b.FeatureNames);
                        Assert.Equal(m.FrameTimes, b.FrameTimes);
                        break;
                    case TensorValue t:
                        var u = (TensorValue)a.GetBoxed(r)!;
                        Assert.Equal(t.Shape, u.Shape);
                        Assert.Equal(t.Data, u.Data);
                        break;
                    // Assert.Equal on float/double treats NaN as equal to NaN, and compares -0.0 and 0.0 as equal:
                    // bit patterns are checked separately where that matters.
                    case var v: Assert.Equal(v, a.GetBoxed(r)); break;
                }
            }
        }
    }

    [Fact]
    public void Round_trip_keeps_scalars_strings_vectors_sequences_and_tensors_bit_for_bit()
    {
        var table = Mixed();
        var back = table.ToDataView().ToDataTable();
        AssertSameTable(table, back);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back.Column<double>("D")[2]));
        Assert.True(float.IsNaN(back.Column<float>("F")[1]));
    }

    [Fact]
    public void Round_trip_keeps_an_empty_table_with_its_schema()
    {
        var table = Mixed().SelectRows([]);
        var view = table.ToDataView();
        Assert.Equal(0, view.GetRowCount());
        AssertSameTable(table, view.ToDataTable());
    }

    [Fact]
    public void Sequences_become_vectors_with_dimensions_zero_by_width_and_feature_names()
    {
        var view = Mixed().ToDataView();
        var q = view.Schema["Q"];
        var type = Assert.IsType<VectorDataViewType>(q.Type);
        Assert.Equal([0, 2], type.Dimensions.ToArray());
        Assert.False(type.IsKnownSize);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        q.Annotations.GetValue(MlNetAnnotations.FeatureNames, ref names);
        Assert.Equal(["f0", "f1"], names.DenseValues().Select(m => m.ToString()));
        // The third row: 5 frames × 2 features, row-major, as ML.NET reads it.
        var rows = view.GetColumn<float[]>("Q").ToArray();
        Assert.Equal(Enumerable.Range(100, 10).Select(i => (float)i), rows[2]);
        Assert.Empty(rows[1]);
        Assert.Equal(0.04, view.GetColumn<double[]>("Q.FrameTimes").ToArray()[2][4], 15);
    }

    [Fact]
    public void Sequences_without_frame_times_come_back_with_NaN_times()
    {
        var back = Mixed().ToDataView(new DataViewConversionOptions { IncludeFrameTimes = false }).ToDataTable();
        Assert.False(back.Schema.Contains("Q.FrameTimes"));
        var m = back.Column<FeatureMatrix>("Q")[2];
        Assert.Equal(5, m.Rows);
        Assert.All(m.FrameTimes, t => Assert.True(double.IsNaN(t)));
    }

    [Fact]
    public void Fixed_vectors_carry_their_slot_names_to_ml_net()
    {
        var v = Mixed().ToDataView().Schema["V"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), v.Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        v.GetSlotNames(ref names);
        Assert.Equal(["a", "b", "c"], names.DenseValues().Select(m => m.ToString()));
    }

    [Fact]
    public void Key_columns_number_labels_in_ordinal_order_and_come_back_as_strings()
    {
        var table = DataTable.Create(("Label", new[] { "Q3", "Q1", "Q3", "Q2" }));
        var view = table.ToDataView(new DataViewConversionOptions { KeyColumns = ["Label"] });
        var key = Assert.IsType<KeyDataViewType>(view.Schema["Label"].Type);
        Assert.Equal(3UL, key.Count);
        Assert.Equal([3u, 1u, 3u, 2u], view.GetColumn<uint>("Label").ToArray());
        Assert.Equal(["Q3", "Q1", "Q3", "Q2"], view.ToDataTable().Column<string>("Label").ToArray());
    }

    [Fact]
    public void An_ml_net_key_column_made_by_MapValueToKey_reads_back_as_its_values()
    {
        var ml = new MLContext(seed: 1);
        var view = DataTable.Create(("Label", new[] { "b", "a", "b" })).ToDataView();
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(view).Transform(view);
        Assert.Equal(["b", "a", "b"], keyed.ToDataTable(["Key"]).Column<string>("Key").ToArray());
    }

    [Fact]
    public void A_key_column_without_values_reads_back_as_zero_based_indices()
    {
        // LoadFromEnumerable stores the 0-based property value v as key v + 1 (key 0 is ML.NET's missing value).
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(new[] { new KeyRow { K = 2 }, new KeyRow { K = 0 }, new KeyRow { K = 1 } });
        Assert.Equal([2, 0, 1], view.ToDataTable().Column<int>("K").ToArray());
    }

    private sealed class KeyRow
    {
        [KeyType(3)] public uint K { get; set; }
    }

    [Fact]
    public void Variable_length_sequences_of_many_rows_round_trip()
    {
        var rng = new Random(7);
        var seqs = Enumerable.Range(0, 50).Select(i => Seq(rng.Next(0, 40), 50, i)).ToArray();
        var table = new DataTable([new DataColumn<FeatureMatrix>("Lld", ColumnType.Sequence(50), seqs)]);
        AssertSameTable(table, table.ToDataView().ToDataTable());
    }

    [Fact]
    public void Audio_columns_stay_lazy_until_ml_net_reads_them()
    {
        int decoded = 0;
        var audio = new DataColumn<AudioClip>(new SchemaColumn("Audio", ColumnType.Audio), 3, r =>
        {
            Interlocked.Increment(ref decoded);
            return new AudioClip(new float[] { r, r }, 16000);
        });
        var table = new DataTable([new DataColumn<int>("Id", ColumnType.Int, [0, 1, 2]), audio]);
        var view = table.ToDataView();
        Assert.Same(AudioClipDataViewType.Instance, view.Schema["Audio"].Type);
        Assert.Equal([0, 1, 2], view.GetColumn<int>("Id").ToArray());
        Assert.Equal(0, decoded);
        var back = view.ToDataTable();
        Assert.Equal(3, decoded);
        Assert.Equal(2f, back.Column<AudioClip>("Audio")[2].Channels[0][1]);
    }

    [Fact]
    public void A_shuffled_cursor_visits_every_row_once_in_a_seeded_order()
    {
        var table = DataTable.Create(("Id", Enumerable.Range(0, 20).ToArray()));
        var view = table.ToDataView();
        int[] Visit(int seed)
        {
            var ids = new List<int>();
            using var cursor = view.GetRowCursor(view.Schema, new Random(seed));
            var get = cursor.GetGetter<int>(view.Schema["Id"]);
            int v = 0;
            while (cursor.MoveNext()) { get(ref v); ids.Add(v); }
            return ids.ToArray();
        }
        var a = Visit(3);
        Assert.Equal(Enumerable.Range(0, 20), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 20), a);
        Assert.Equal(a, Visit(3));
    }

    [Fact]
    public void Ml_net_types_without_a_toolkit_column_type_fail_naming_the_column_and_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(new[] { new LongRow { Big = 1 } });
        var e = Assert.Throws<SchemaMismatchException>(() => view.ToDataTable());
        Assert.Contains("'Big'", e.Message);
        Assert.Contains("ConvertType", e.Message);
    }

    private sealed class LongRow
    {
        public long Big { get; set; }
    }

    [Fact]
    public void Tensors_with_an_unknown_dimension_are_rejected_with_the_shape()
    {
        var table = new DataTable([new DataColumn<TensorValue>("T", ColumnType.Tensor(null, 3), [TensorValue.Create(new float[3], 1, 3)])]);
        var e = Assert.Throws<SchemaMismatchException>(() => table.ToDataView());
        Assert.Contains("Tensor<float>[*, 3]", e.Message);
    }

    [Fact]
    public void Naming_a_non_string_column_as_key_is_an_error()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => Mixed().ToDataView(new DataViewConversionOptions { KeyColumns = ["F"] }));
        Assert.Contains("'F'", e.Message);
    }

    [Fact]
    public void Ml_net_transforms_read_the_view_and_their_output_converts_back()
    {
        var ml = new MLContext(seed: 1);
        var view = Mixed().ToDataView();
        var concatenated = ml.Transforms.Concatenate("X", "F", "V").Fit(view).Transform(view);
        var back = concatenated.ToDataTable(["X"]);
        Assert.Equal(ColumnType.Vector(4), back.Schema["X"]!.Type);
        Assert.Equal([1.5f, 1, 2, 3], back.Column<float[]>("X")[0]);
    }
}
