namespace HarmoniousFeedback.Pipeline;

/// <summary>A named, typed column of a <see cref="DataTable"/>. Values are read by row index.</summary>
public abstract class DataColumn
{
    protected DataColumn(SchemaColumn schema, int length)
    {
        Schema = schema;
        Length = length;
    }

    public SchemaColumn Schema { get; }
    public string Name => Schema.Name;
    public ColumnType Type => Schema.Type;
    public int Length { get; }

    /// <summary>The value at <paramref name="row"/>, boxed (for previews and generic code; typed access is faster).</summary>
    public abstract object? GetBoxed(int row);

    /// <summary>The column restricted to <paramref name="rows"/> (a view; lazy columns stay lazy).</summary>
    public abstract DataColumn Select(int[] rows);

    /// <summary>The same values under another name.</summary>
    public abstract DataColumn Rename(string name);

    /// <summary>
    /// A materialised column of <paramref name="schema"/>'s type from boxed values (e.g. a feature view's per-clip
    /// values); every value must be of the type's CLR type (<see cref="ColumnType.ClrType"/>).
    /// </summary>
    public static DataColumn FromBoxed(SchemaColumn schema, IReadOnlyList<object> values)
    {
        var clr = schema.Type.ClrType;
        var array = Array.CreateInstance(clr, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is null || !clr.IsInstanceOfType(values[i]))
                throw new SchemaMismatchException($"column '{schema.Name}' ({schema.Type}): row {i} is {(values[i] is null ? "null" : values[i].GetType().Name)}, expected {clr.Name}");
            array.SetValue(values[i], i);
        }
        return (DataColumn)Activator.CreateInstance(typeof(DataColumn<>).MakeGenericType(clr), schema, array)!;
    }
}

/// <summary>
/// A column whose row values are <typeparamref name="T"/>: either materialised (an array) or lazy (a function of the
/// row index, evaluated on every read — used for audio so that a dataset of hours of recordings costs nothing until a
/// transform reads it).
/// </summary>
public sealed class DataColumn<T> : DataColumn
{
    private readonly T[]? _values;
    private readonly Func<int, T>? _lazy;

    public DataColumn(SchemaColumn schema, T[] values) : base(schema, values.Length)
    {
        CheckClrType(schema);
        _values = values;
    }

    public DataColumn(SchemaColumn schema, int length, Func<int, T> lazy) : base(schema, length)
    {
        CheckClrType(schema);
        _lazy = lazy;
    }

    public DataColumn(string name, ColumnType type, T[] values) : this(new SchemaColumn(name, type), values) { }

    /// <summary>True when values are computed on read (e.g. audio decoded from disk).</summary>
    public bool IsLazy => _lazy is not null;

    public T this[int row]
    {
        get
        {
            if ((uint)row >= (uint)Length) throw new InvalidIndexException($"row of column '{Name}'", row, $"[0, {Length})");
            return _values is not null ? _values[row] : _lazy!(row);
        }
    }

    public override object? GetBoxed(int row) => this[row];

    /// <summary>All values as an array (materialises lazy columns).</summary>
    public T[] ToArray()
    {
        if (_values is not null) return (T[])_values.Clone();
        var a = new T[Length];
        for (int i = 0; i < a.Length; i++) a[i] = _lazy!(i);
        return a;
    }

    public override DataColumn Select(int[] rows)
    {
        foreach (var r in rows)
            if ((uint)r >= (uint)Length) throw new InvalidIndexException($"row of column '{Name}'", r, $"[0, {Length})");
        if (_values is not null)
        {
            var v = new T[rows.Length];
            for (int i = 0; i < rows.Length; i++) v[i] = _values[rows[i]];
            return new DataColumn<T>(Schema, v);
        }
        var lazy = _lazy!;
        var map = (int[])rows.Clone();
        return new DataColumn<T>(Schema, map.Length, i => lazy(map[i]));
    }

    public override DataColumn Rename(string name) => _values is not null
        ? new DataColumn<T>(Schema with { Name = name }, _values)
        : new DataColumn<T>(Schema with { Name = name }, Length, _lazy!);

    private static void CheckClrType(SchemaColumn schema)
    {
        if (!schema.Type.ClrType.IsAssignableFrom(typeof(T)))
            throw new SchemaMismatchException($"column '{schema.Name}' of type {schema.Type} stores {schema.Type.ClrType.Name} values, not {typeof(T).Name}");
    }
}
