using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Data;

/// <summary>
/// <c>DataTable</c> ⇄ <c>IDataView</c>. <see cref="LoadFromDataTable"/> / <see cref="ToDataView"/> wrap a table
/// lazily (<see cref="DataTableDataView"/>); <see cref="ToDataTable"/> reads an <c>IDataView</c> into a materialised
/// table in one cursor pass over the columns asked for. The type mapping (docs/mlnet.md, "Schema mapping") is the
/// inverse of <see cref="DataTableDataView"/>'s, so a table survives the round trip; ML.NET types the toolkit has no
/// column type for are rejected with a <see cref="SchemaMismatchException"/> naming the column and the fix
/// (e.g. <c>ConvertType</c>) — never converted with a silent loss.
/// </summary>
public static class DataTableConversion
{
    /// <summary>The table as an ML.NET <see cref="IDataView"/> (no copy; see <see cref="DataTableDataView"/>).</summary>
    public static IDataView LoadFromDataTable(this DataOperationsCatalog catalog, DataTable table, DataViewConversionOptions? options = null)
        => new DataTableDataView(table, options);

    /// <summary>The table as an ML.NET <see cref="IDataView"/> (no copy; see <see cref="DataTableDataView"/>).</summary>
    public static IDataView ToDataView(this DataTable table, DataViewConversionOptions? options = null) => new DataTableDataView(table, options);

    /// <summary>
    /// Reads <paramref name="view"/> into a toolkit table: every visible column, or only <paramref name="columns"/>.
    /// ML.NET → toolkit types:
    /// <list type="bullet">
    /// <item><c>Single</c>, <c>Double</c>, <c>Int32</c>, <c>Boolean</c>, <c>Text</c> → float, double, int, bool, string;
    /// <c>SByte</c>, <c>Byte</c>, <c>Int16</c>, <c>UInt16</c> → int (exact).</item>
    /// <item>Key with <c>KeyValues</c> text → string (missing key → null); key without values → int, the 0-based index
    /// (key − 1), −1 for the missing key.</item>
    /// <item><c>Vector&lt;Single&gt;</c>: size n → Vector[n] with its <c>SlotNames</c>; variable size → Vector[*];
    /// dimensions [0, F] → Sequence[*, F] (feature names from <see cref="MlNetAnnotations.FeatureNames"/>, frame times
    /// from the <c>.FrameTimes</c> companion, which is consumed, else NaN); several known dimensions → Tensor.</item>
    /// <item><see cref="AudioClipDataViewType"/> → Audio.</item>
    /// </list>
    /// </summary>
    public static DataTable ToDataTable(this IDataView view, IEnumerable<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var schema = view.Schema;
        List<DataViewSchema.Column> wanted;
        if (columns is null) wanted = schema.Where(c => !c.IsHidden).ToList();
        else
        {
            wanted = new List<DataViewSchema.Column>();
            foreach (var n in columns)
                wanted.Add(schema.GetColumnOrNull(n) ?? throw new SchemaMismatchException(
                    $"IDataView → DataTable: column '{n}' not found. Available columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"))}"));
        }
        // Companion frame-time columns are folded into their sequence column, not returned on their own.
        var frameTimes = new Dictionary<string, DataViewSchema.Column>(StringComparer.Ordinal);
        foreach (var c in schema.Where(c => !c.IsHidden))
            if (FrameTimesOf(c) is { } of && schema.GetColumnOrNull(of) is { } seq && IsSequence(seq.Type))
                frameTimes[of] = c;
        var readers = new List<ColumnReader>();
        foreach (var c in wanted)
        {
            if (frameTimes.ContainsValue(c)) continue;
            readers.Add(MakeReader(c, frameTimes.TryGetValue(c.Name, out var t) ? t : null));
        }
        var needed = readers.SelectMany(r => r.Columns).Distinct().ToArray();
        using (var cursor = view.GetRowCursor(needed))
        {
            var getters = readers.Select(r => r.Bind(cursor)).ToArray();
            while (cursor.MoveNext())
                foreach (var g in getters) g();
        }
        return new DataTable(readers.Select(r => r.ToColumn()));
    }

    private static string? FrameTimesOf(DataViewSchema.Column c)
    {
        if (c.Annotations.Schema.GetColumnOrNull(MlNetAnnotations.FrameTimesOf) is not { Type: TextDataViewType } a) return null;
        var value = default(ReadOnlyMemory<char>);
        c.Annotations.GetValue(a.Name, ref value);
        return value.ToString();
    }

    private static bool IsSequence(DataViewType t) => t is VectorDataViewType { Dimensions.Length: 2 } v && v.Dimensions[0] == 0 && v.ItemType == NumberDataViewType.Single;

    /// <summary>Reads one or two ML.NET columns into one toolkit column.</summary>
    private abstract class ColumnReader
    {
        public abstract IReadOnlyList<DataViewSchema.Column> Columns { get; }
        public abstract Action Bind(DataViewRowCursor cursor);
        public abstract DataColumn ToColumn();
    }

    /// <summary>Getter → <typeparamref name="TRaw"/> → converted <typeparamref name="T"/>, one value per row.</summary>
    private sealed class Reader<TRaw, T>(DataViewSchema.Column column, SchemaColumn target, Func<TRaw, T> convert) : ColumnReader
    {
        private readonly List<T> _values = new();
        public override IReadOnlyList<DataViewSchema.Column> Columns => [column];

        public override Action Bind(DataViewRowCursor cursor)
        {
            var get = cursor.GetGetter<TRaw>(column);
            TRaw raw = default!;
            return () =>
            {
                get(ref raw);
                _values.Add(convert(raw));
            };
        }

        public override DataColumn ToColumn() => new DataColumn<T>(target, _values.ToArray());
    }

    private sealed class SequenceReader(DataViewSchema.Column column, DataViewSchema.Column? times, int width, IReadOnlyList<string> names) : ColumnReader
    {
        private readonly List<FeatureMatrix> _values = new();
        public override IReadOnlyList<DataViewSchema.Column> Columns => times is { } t ? [column, t] : [column];

        public override Action Bind(DataViewRowCursor cursor)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var getTimes = times is { } t ? cursor.GetGetter<VBuffer<double>>(t) : null;
            VBuffer<float> raw = default;
            VBuffer<double> rawTimes = default;
            return () =>
            {
                get(ref raw);
                var data = Dense(raw);
                long row = cursor.Position;
                if (width == 0 ? data.Length != 0 : data.Length % width != 0)
                    throw new ShapeMismatchException($"IDataView → DataTable: row {row} of sequence column '{column.Name}' has {data.Length} values, not a multiple of its width {width}");
                int frames = width == 0 ? 0 : data.Length / width;
                double[] ft;
                if (getTimes is not null)
                {
                    getTimes(ref rawTimes);
                    ft = Dense(rawTimes);
                    if (ft.Length != frames)
                        throw new ShapeMismatchException($"IDataView → DataTable: row {row} of '{times!.Value.Name}' has {ft.Length} frame times but '{column.Name}' has {frames} frames");
                }
                else ft = Enumerable.Repeat(double.NaN, frames).ToArray();
                _values.Add(new FeatureMatrix(data, frames, width, names, ft));
            };
        }

        public override DataColumn ToColumn() => new DataColumn<FeatureMatrix>(new SchemaColumn(column.Name, ColumnType.Sequence(width)) { SlotNames = names }, _values.ToArray());
    }

    private static T[] Dense<T>(in VBuffer<T> v)
    {
        var a = new T[v.Length];
        v.CopyTo(a);
        return a;
    }

    private static ColumnReader MakeReader(DataViewSchema.Column c, DataViewSchema.Column? frameTimes)
    {
        string name = c.Name;
        SchemaColumn Target(ColumnType t) => new(name, t);
        switch (c.Type)
        {
            case NumberDataViewType n when n == NumberDataViewType.Single: return new Reader<float, float>(c, Target(ColumnType.Float), x => x);
            case NumberDataViewType n when n == NumberDataViewType.Double: return new Reader<double, double>(c, Target(ColumnType.Double), x => x);
            case NumberDataViewType n when n == NumberDataViewType.Int32: return new Reader<int, int>(c, Target(ColumnType.Int), x => x);
            case NumberDataViewType n when n == NumberDataViewType.Int16: return new Reader<short, int>(c, Target(ColumnType.Int), x => x);
            case NumberDataViewType n when n == NumberDataViewType.UInt16: return new Reader<ushort, int>(c, Target(ColumnType.Int), x => x);
            case NumberDataViewType n when n == NumberDataViewType.SByte: return new Reader<sbyte, int>(c, Target(ColumnType.Int), x => x);
            case NumberDataViewType n when n == NumberDataViewType.Byte: return new Reader<byte, int>(c, Target(ColumnType.Int), x => x);
            case BooleanDataViewType: return new Reader<bool, bool>(c, Target(ColumnType.Bool), x => x);
            case TextDataViewType: return new Reader<ReadOnlyMemory<char>, string>(c, Target(ColumnType.String), x => x.ToString());
            case KeyDataViewType k: return KeyReader(c, k);
            case AudioClipDataViewType: return new Reader<AudioClip, AudioClip>(c, Target(ColumnType.Audio), x => x);
            case VectorDataViewType v when v.ItemType == NumberDataViewType.Single: return VectorReader(c, v, frameTimes);
            default:
                throw new SchemaMismatchException(
                    $"IDataView → DataTable: column '{name}' has ML.NET type {c.Type}, which the toolkit has no column type for " +
                    "(allowed: Single, Double, Int32 (and smaller integers), Boolean, Text, Key, Vector<Single>, Audio). " +
                    $"Convert it first, e.g. mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single), or leave it out with the columns argument.");
        }
    }

    private static ColumnReader KeyReader(DataViewSchema.Column c, KeyDataViewType k)
    {
        if (k.RawType != typeof(uint))
            throw new SchemaMismatchException($"IDataView → DataTable: key column '{c.Name}' has raw type {k.RawType.Name}; only Key<UInt32> (ML.NET's default) is supported — map it with MapKeyToValue first");
        var kv = c.Annotations.Schema.GetColumnOrNull(MlNetAnnotations.KeyValuesKind);
        if (kv is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            var buffer = default(VBuffer<ReadOnlyMemory<char>>);
            c.GetKeyValues(ref buffer);
            var values = buffer.DenseValues().Select(m => m.ToString()).ToArray();
            return new Reader<uint, string>(c, new SchemaColumn(c.Name, ColumnType.String), key => key == 0 ? null! : key <= values.Length ? values[key - 1]
                : throw new SchemaMismatchException($"IDataView → DataTable: key {key} of column '{c.Name}' is outside its {values.Length} key values"));
        }
        return new Reader<uint, int>(c, new SchemaColumn(c.Name, ColumnType.Int), key => (int)key - 1);
    }

    private static ColumnReader VectorReader(DataViewSchema.Column c, VectorDataViewType v, DataViewSchema.Column? frameTimes)
    {
        var dims = v.Dimensions;
        if (dims.Length == 1)
        {
            IReadOnlyList<string>? slots = null;
            if (v.IsKnownSize && c.HasSlotNames())
            {
                var buffer = default(VBuffer<ReadOnlyMemory<char>>);
                c.GetSlotNames(ref buffer);
                slots = buffer.DenseValues().Select(m => m.ToString()).ToArray();
            }
            int size = v.Size;
            return new Reader<VBuffer<float>, float[]>(c, new SchemaColumn(c.Name, size > 0 ? ColumnType.Vector(size) : ColumnType.Vector()) { SlotNames = slots }, raw => Dense(raw));
        }
        if (IsSequence(v))
        {
            int width = dims[1];
            string[] names;
            if (c.Annotations.Schema.GetColumnOrNull(MlNetAnnotations.FeatureNames) is { Type: VectorDataViewType { ItemType: TextDataViewType } } fn)
            {
                var buffer = default(VBuffer<ReadOnlyMemory<char>>);
                c.Annotations.GetValue(fn.Name, ref buffer);
                names = buffer.DenseValues().Select(m => m.ToString()).ToArray();
                if (names.Length != width)
                    throw new SchemaMismatchException($"IDataView → DataTable: sequence column '{c.Name}' has width {width} but {names.Length} feature names");
            }
            else names = Enumerable.Range(0, width).Select(j => $"{c.Name}[{j}]").ToArray();
            return new SequenceReader(c, frameTimes, width, names);
        }
        if (v.IsKnownSize)
        {
            var shape = dims.ToArray();
            var type = new TensorType(shape.Select(d => (int?)d).ToArray());
            return new Reader<VBuffer<float>, TensorValue>(c, new SchemaColumn(c.Name, type), raw => TensorValue.Create(Dense(raw), shape));
        }
        throw new SchemaMismatchException(
            $"IDataView → DataTable: column '{c.Name}' is a vector with dimensions [{string.Join(", ", dims)}]; the toolkit reads 1-D vectors, sequences [0, F] " +
            "and tensors whose dimensions are all known");
    }
}
