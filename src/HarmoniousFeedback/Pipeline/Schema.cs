using System.Collections;

namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// The ordered, named, typed columns of a <see cref="DataTable"/>. Estimators and transformers propagate schemas with
/// <c>GetOutputSchema</c> so a whole chain is checked before any audio is decoded.
/// </summary>
public sealed class Schema : IReadOnlyList<SchemaColumn>
{
    private readonly SchemaColumn[] _columns;
    private readonly Dictionary<string, int> _index;

    public Schema(IEnumerable<SchemaColumn> columns)
    {
        _columns = columns.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _columns.Length; i++)
            if (!_index.TryAdd(_columns[i].Name, i))
                throw new SchemaMismatchException($"column name '{_columns[i].Name}' appears twice in the schema");
    }

    public int Count => _columns.Length;
    public SchemaColumn this[int index] => _columns[index];
    public SchemaColumn? this[string name] => _index.TryGetValue(name, out var i) ? _columns[i] : null;
    public bool Contains(string name) => _index.ContainsKey(name);
    public IEnumerator<SchemaColumn> GetEnumerator() => ((IEnumerable<SchemaColumn>)_columns).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Returns the column <paramref name="name"/>, checking it exists and has a type <paramref name="expected"/> accepts.
    /// The error names the stage, the column, the expected and actual types, and the columns that do exist.
    /// </summary>
    public SchemaColumn Require(string stage, string name, ColumnType expected, string? hint = null)
    {
        var col = this[name];
        if (col is null)
            throw new SchemaMismatchException(
                $"{stage}: input column '{name}' not found; expected a column of type {expected}. " +
                $"Available columns: {string.Join(", ", _columns.Select(c => c.ToString()))}." + (hint is null ? "" : " " + hint));
        if (!expected.Accepts(col.Type))
            throw new SchemaMismatchException(
                $"{stage}: column '{name}' has type {col.Type} but {expected} is expected." + (hint is null ? "" : " " + hint));
        return col;
    }

    /// <summary>Like <see cref="Require"/> but accepting any of several types.</summary>
    public SchemaColumn RequireAny(string stage, string name, IReadOnlyList<ColumnType> expected, string? hint = null)
    {
        var col = this[name] ?? throw new SchemaMismatchException(
            $"{stage}: input column '{name}' not found; expected one of {string.Join(" | ", expected)}. " +
            $"Available columns: {string.Join(", ", _columns.Select(c => c.ToString()))}." + (hint is null ? "" : " " + hint));
        if (!expected.Any(e => e.Accepts(col.Type)))
            throw new SchemaMismatchException(
                $"{stage}: column '{name}' has type {col.Type} but one of {string.Join(" | ", expected)} is expected." + (hint is null ? "" : " " + hint));
        return col;
    }

    /// <summary>This schema with <paramref name="column"/> added, or replacing a column of the same name in place.</summary>
    public Schema With(SchemaColumn column)
    {
        var list = _columns.ToList();
        if (_index.TryGetValue(column.Name, out var i)) list[i] = column; else list.Add(column);
        return new Schema(list);
    }

    public Schema Without(string name) => new(_columns.Where(c => c.Name != name));

    public override string ToString() => "{" + string.Join(", ", _columns.Select(c => c.ToString())) + "}";
}
