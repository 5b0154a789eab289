using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Data;

/// <summary>
/// A toolkit <see cref="DataTable"/> seen as an ML.NET <see cref="IDataView"/>, without copying: cursors read the
/// table's columns row by row, only the columns a consumer asks for, so lazily loaded audio is decoded only when
/// an ML.NET transform reads it. Column types map as documented in docs/mlnet.md ("Schema mapping"):
/// <list type="table">
/// <item><term>float, double, int, bool, string</term><description><c>Single</c>, <c>Double</c>, <c>Int32</c>, <c>Boolean</c>, <c>Text</c>
/// (a string column named in <see cref="DataViewConversionOptions.KeyColumns"/>: <c>Key&lt;UInt32&gt;</c> with <c>KeyValues</c>)</description></item>
/// <item><term>Vector&lt;float&gt;[n]</term><description><c>Vector&lt;Single, n&gt;</c> (size 0 = variable) with <c>SlotNames</c> when known</description></item>
/// <item><term>Sequence&lt;float&gt;[*, F]</term><description><c>Vector&lt;Single&gt;</c> with dimensions <c>[0, F]</c>: the
/// [T × F] matrix flattened row-major (ML.NET's own multi-dimensional vector convention), the F feature names in
/// <see cref="MlNetAnnotations.FeatureNames"/>, and (by default) frame times in a <c>&lt;name&gt;.FrameTimes</c> column</description></item>
/// <item><term>Tensor&lt;float&gt;[d0, d1, …]</term><description><c>Vector&lt;Single&gt;</c> with those dimensions (every dimension must be known)</description></item>
/// <item><term>Audio</term><description><see cref="AudioClipDataViewType"/> (a registered custom type)</description></item>
/// </list>
/// The view can shuffle (<see cref="CanShuffle"/>): a shuffled cursor visits the rows in a permutation drawn from
/// the <see cref="Random"/> ML.NET passes, so it is as reproducible as ML.NET's seed.
/// </summary>
public sealed class DataTableDataView : IDataView
{
    private readonly DataTable _table;
    private readonly Binding[] _bindings;

    public DataTableDataView(DataTable table, DataViewConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var o = options ?? new DataViewConversionOptions();
        o.Validate();
        foreach (var k in o.KeyColumns)
        {
            var c = table.Schema[k] ?? throw new SchemaMismatchException(
                $"DataTable → IDataView: key column '{k}' not found. Available columns: {table.Schema}");
            if (c.Type is not ScalarType { Kind: ScalarKind.String })
                throw new SchemaMismatchException($"DataTable → IDataView: key column '{k}' has type {c.Type}; only string columns can become ML.NET key columns");
        }
        _table = table;
        var bindings = new List<Binding>();
        foreach (var column in table.Columns) bindings.AddRange(Bind(column, o));
        var builder = new DataViewSchema.Builder();
        foreach (var b in bindings) builder.AddColumn(b.Name, b.Type, b.Annotations);
        Schema = builder.ToSchema();
        _bindings = bindings.ToArray();
    }

    /// <summary>The table this view reads.</summary>
    public DataTable Table => _table;

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => _table.RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var c in columnsNeeded)
        {
            if (c.Index < 0 || c.Index >= active.Length || Schema[c.Index].Name != c.Name)
                throw new SchemaMismatchException($"DataTableDataView: column '{c.Name}' (index {c.Index}) does not belong to this view's schema");
            active[c.Index] = true;
        }
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, _table.RowCount).ToArray();
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rand.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        return new Cursor(this, active, order);
    }

    /// <summary>One cursor (ML.NET allows fewer cursors than asked for; the table's reads are cheap).</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    // ---- column bindings: one per ML.NET column, each knows how to read a table row into an ML.NET value ----

    private abstract class Binding(string name, DataViewType type, DataViewSchema.Annotations? annotations)
    {
        public string Name { get; } = name;
        public DataViewType Type { get; } = type;
        public DataViewSchema.Annotations? Annotations { get; } = annotations;

        /// <summary>A getter reading row <c>row()</c> of the table.</summary>
        public abstract Delegate MakeGetter(Func<int> row);
    }

    private sealed class Binding<T>(string name, DataViewType type, DataViewSchema.Annotations? annotations, Func<Func<int>, ValueGetter<T>> make)
        : Binding(name, type, annotations)
    {
        public override Delegate MakeGetter(Func<int> row) => make(row);
    }

    private static IEnumerable<Binding> Bind(DataColumn column, DataViewConversionOptions options)
    {
        string name = column.Name;
        switch (column)
        {
            case DataColumn<float> f:
                yield return Scalar(name, NumberDataViewType.Single, f);
                break;
            case DataColumn<double> d:
                yield return Scalar(name, NumberDataViewType.Double, d);
                break;
            case DataColumn<int> i:
                yield return Scalar(name, NumberDataViewType.Int32, i);
                break;
            case DataColumn<bool> b:
                yield return Scalar(name, BooleanDataViewType.Instance, b);
                break;
            case DataColumn<string> s when options.KeyColumns.Contains(name):
                yield return Key(name, s);
                break;
            case DataColumn<string> s:
                yield return new Binding<ReadOnlyMemory<char>>(name, TextDataViewType.Instance, null,
                    row => (ref ReadOnlyMemory<char> dst) => dst = (s[row()] ?? "").AsMemory());
                break;
            case DataColumn<float[]> v:
                yield return Vector(v);
                break;
            case DataColumn<FeatureMatrix> m:
                foreach (var b in Sequence(m, options.IncludeFrameTimes)) yield return b;
                break;
            case DataColumn<TensorValue> t:
                yield return Tensor(t);
                break;
            case DataColumn<AudioClip> a:
                yield return new Binding<AudioClip>(name, AudioClipDataViewType.Instance, null, row => (ref AudioClip dst) => dst = a[row()]);
                break;
            default:
                throw new SchemaMismatchException($"DataTable → IDataView: column '{name}' of type {column.Type} has no ML.NET counterpart");
        }
    }

    private static Binding Scalar<T>(string name, DataViewType type, DataColumn<T> c)
        => new Binding<T>(name, type, null, row => (ref T dst) => dst = c[row()]);

    private static Binding Key(string name, DataColumn<string> c)
    {
        // Distinct values in ordinal order: the order the toolkit's trainers number classes in.
        var values = c.ToArray().Where(s => s is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++) index[values[i]] = (uint)(i + 1);
        var ab = new DataViewSchema.Annotations.Builder();
        ab.Add(MlNetAnnotations.KeyValuesKind, new VectorDataViewType(TextDataViewType.Instance, values.Length), TextVectorGetter(values));
        // A key type needs a count of at least 1, even for an empty table.
        var type = new KeyDataViewType(typeof(uint), Math.Max(values.Length, 1));
        return new Binding<uint>(name, type, ab.ToAnnotations(), row => (ref uint dst) =>
        {
            var s = c[row()];
            dst = s is null ? 0 : index[s];
        });
    }

    private static Binding Vector(DataColumn<float[]> c)
    {
        var size = ((Pipeline.VectorType)c.Type).Size ?? 0;
        DataViewSchema.Annotations? annotations = null;
        if (size > 0 && c.Schema.SlotNames is { } names && names.Count == size)
        {
            var ab = new DataViewSchema.Annotations.Builder();
            ab.Add(MlNetAnnotations.SlotNamesKind, new VectorDataViewType(TextDataViewType.Instance, size), TextVectorGetter(names));
            annotations = ab.ToAnnotations();
        }
        string name = c.Name;
        return new Binding<VBuffer<float>>(name, new VectorDataViewType(NumberDataViewType.Single, size), annotations, row => (ref VBuffer<float> dst) =>
        {
            int r = row();
            var v = c[r] ?? throw new SchemaMismatchException($"DataTable → IDataView: row {r} of vector column '{name}' is null");
            if (size > 0 && v.Length != size)
                throw new ShapeMismatchException($"DataTable → IDataView: row {r} of '{name}' has {v.Length} values but the column type says {size}");
            Copy(v, ref dst);
        });
    }

    private static IEnumerable<Binding> Sequence(DataColumn<FeatureMatrix> c, bool frameTimes)
    {
        int width = ((SequenceType)c.Type).FeatureSize;
        string name = c.Name;
        var names = c.Schema.SlotNames ?? (c.Length > 0 && width > 0 ? c[0].FeatureNames : null);
        DataViewSchema.Annotations? annotations = null;
        if (width > 0 && names is not null && names.Count == width)
        {
            var ab = new DataViewSchema.Annotations.Builder();
            ab.Add(MlNetAnnotations.FeatureNames, new VectorDataViewType(TextDataViewType.Instance, width), TextVectorGetter(names));
            annotations = ab.ToAnnotations();
        }
        // Dimensions [0, F]: a variable number of rows of F values, row-major.
        var type = new VectorDataViewType(NumberDataViewType.Single, 0, Math.Max(width, 0));
        yield return new Binding<VBuffer<float>>(name, type, annotations, row => (ref VBuffer<float> dst) =>
        {
            var m = Matrix(c, row(), width);
            Copy(m.Data, ref dst);
        });
        if (!frameTimes) yield break;
        var tb = new DataViewSchema.Annotations.Builder();
        tb.Add<ReadOnlyMemory<char>>(MlNetAnnotations.FrameTimesOf, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = name.AsMemory());
        yield return new Binding<VBuffer<double>>(name + MlNetAnnotations.FrameTimesSuffix, new VectorDataViewType(NumberDataViewType.Double), tb.ToAnnotations(),
            row => (ref VBuffer<double> dst) => Copy(Matrix(c, row(), width).FrameTimes, ref dst));
    }

    private static FeatureMatrix Matrix(DataColumn<FeatureMatrix> c, int row, int width)
    {
        var m = c[row] ?? throw new SchemaMismatchException($"DataTable → IDataView: row {row} of sequence column '{c.Name}' is null");
        if (width > 0 && m.Columns != width)
            throw new ShapeMismatchException($"DataTable → IDataView: row {row} of '{c.Name}' has {m.Columns} features per frame but the column type says {width}");
        return m;
    }

    private static Binding Tensor(DataColumn<TensorValue> c)
    {
        var shape = ((TensorType)c.Type).Shape;
        if (shape.Length == 0 || shape.Any(d => d is null or <= 0))
            throw new SchemaMismatchException(
                $"DataTable → IDataView: tensor column '{c.Name}' has shape {c.Type}; ML.NET vectors need every dimension known (a multi-dimensional " +
                "vector type) — pool or reshape it to a fixed shape first");
        var dims = shape.Select(d => d!.Value).ToArray();
        string name = c.Name;
        return new Binding<VBuffer<float>>(name, new VectorDataViewType(NumberDataViewType.Single, dims), null, row => (ref VBuffer<float> dst) =>
        {
            int r = row();
            var t = c[r] ?? throw new SchemaMismatchException($"DataTable → IDataView: row {r} of tensor column '{name}' is null");
            if (!t.Shape.SequenceEqual(dims))
                throw new ShapeMismatchException($"DataTable → IDataView: row {r} of '{name}' has shape [{string.Join(", ", t.Shape)}] but the column type says {c.Type}");
            Copy(t.Data, ref dst);
        });
    }

    private static ValueGetter<VBuffer<ReadOnlyMemory<char>>> TextVectorGetter(IReadOnlyList<string> values) => (ref VBuffer<ReadOnlyMemory<char>> dst) =>
    {
        var editor = VBufferEditor.Create(ref dst, values.Count);
        for (int i = 0; i < values.Count; i++) editor.Values[i] = values[i].AsMemory();
        dst = editor.Commit();
    };

    private static void Copy<T>(T[] source, ref VBuffer<T> dst)
    {
        var editor = VBufferEditor.Create(ref dst, source.Length);
        source.AsSpan().CopyTo(editor.Values);
        dst = editor.Commit();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataTableDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;

        public Cursor(DataTableDataView parent, bool[] active, int[]? order)
        {
            _parent = parent;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._table.RowCount)
            {
                _position = _parent._table.RowCount;
                _row = -1;
                return false;
            }
            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index >= 0 && column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new SchemaMismatchException($"DataTableDataView: column '{column.Name}' was not requested when the cursor was created");
            var binding = _parent._bindings[column.Index];
            var getter = binding.MakeGetter(CurrentRow) as ValueGetter<TValue>;
            return getter ?? throw new SchemaMismatchException(
                $"DataTableDataView: column '{column.Name}' of type {binding.Type} holds {binding.Type.RawType.Name} values, not {typeof(TValue).Name}");
        }

        private int CurrentRow() => _row >= 0 ? _row : throw new SchemaMismatchException(
            "DataTableDataView: a value was read while the cursor is not on a row (call MoveNext first)");

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)CurrentRow(), 0);
    }
}
