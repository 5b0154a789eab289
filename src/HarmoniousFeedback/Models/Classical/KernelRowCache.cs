using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// libsvm's kernel cache: rows of Q (float, like libsvm's <c>Qfloat</c>) kept in least-recently-used order within a
/// budget of floats. A row may be cached partially, <c>[0, len)</c>; asking for a longer prefix extends it. When SMO
/// swaps two indices (shrinking), cached rows swap the two entries, or are dropped when only one of them is cached.
/// Unlike libsvm, which applies a swap to every cached row at once, swaps are logged and a row replays the ones it
/// has not seen when it is next used: with the whole matrix cached, each shrinking step otherwise walks all rows
/// (random access over the cache) although only a few of them are used again before the next step. The replay is
/// the same per-row operation in the same order, so a row's contents are exactly libsvm's when it is read.
/// <para>When the whole matrix fits the budget and a <see cref="KernelRowPool"/> is given, rows are full-length
/// buffers taken from the pool (so extending a row never copies, nothing is evicted, and successive problems on one
/// thread reuse the same memory instead of allocating and zeroing it); <see cref="Release"/> gives them back. The
/// cache only decides what is recomputed, never the values, so the mode does not change any result.</para>
/// </summary>
internal sealed class KernelRowCache
{
    private readonly float[]?[] _data;
    private readonly int[] _len;
    // Circular doubly-linked LRU list over row indices; node _n is the sentinel (head = next[_n] is least recent).
    private readonly int[] _prev, _next;
    private readonly int _n;
    private readonly KernelRowPool? _pool;
    private long _free;
    // Index swaps (i < j) in order; _seen[h] = how many of them row h's data reflects.
    private int[] _swapI = new int[256], _swapJ = new int[256];
    private int _swaps;
    private readonly int[] _seen;

    public KernelRowCache(int rows, long budgetFloats, KernelRowPool? pool = null)
    {
        _n = rows;
        _data = new float[]?[rows];
        _len = new int[rows];
        _prev = new int[rows + 1];
        _next = new int[rows + 1];
        _prev[_n] = _next[_n] = _n;
        _seen = new int[rows];
        // libsvm reserves room for at least two full rows (the two of the working set).
        _free = Math.Max(budgetFloats, 2L * rows);
        if (pool is not null && pool.RowLength >= rows && (long)rows * rows <= _free) _pool = pool;
    }

    /// <summary>Returns the pooled row buffers (if any) to the pool and empties the cache.</summary>
    public void Release()
    {
        if (_pool is null) return;
        for (int i = 0; i < _n; i++)
        {
            if (_data[i] is { } row) _pool.Return(row);
            _free += _len[i];
            _data[i] = null;
            _len[i] = 0;
            _seen[i] = 0;
        }
        _prev[_n] = _next[_n] = _n;
        _swaps = 0;
    }

    /// <summary>Makes row <paramref name="index"/> hold at least <paramref name="length"/> entries; returns the first entry the caller must fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetRow(int index, int length, out float[] row)
    {
        int have = _len[index];
        if (have > 0 && _seen[index] != _swaps)
        {
            CatchUp(index);
            have = _len[index];
        }
        if (have > 0) Unlink(index);
        int more = length - have;
        if (more > 0)
        {
            while (_free < more) Drop(_next[_n]);
            var prev = _data[index];
            if (prev is null || prev.Length < length)
            {
                var fresh = _pool is not null ? _pool.Rent() : new float[length];
                if (prev is not null) Array.Copy(prev, fresh, have);
                _data[index] = fresh;
            }
            _free -= more;
            _len[index] = length;
        }
        else
        {
            have = length;
        }
        Append(index);
        _seen[index] = _swaps;
        row = _data[index]!;
        return have;
    }

    /// <summary>Applies the swaps logged since row <paramref name="h"/> was last used, exactly as libsvm's eager loop would have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CatchUp(int h)
    {
        var d = _data[h]!;
        int len = _len[h];
        for (int k = _seen[h]; k < _swaps; k++)
        {
            int i = _swapI[k], j = _swapJ[k];
            if (len <= i) continue;
            if (len > j)
            {
                (d[i], d[j]) = (d[j], d[i]);
            }
            else
            {
                Drop(h);   // only one of the two entries is cached: give the row up, as libsvm does
                break;
            }
        }
        _seen[h] = _swaps;
    }

    /// <summary>Removes cached row <paramref name="h"/> (in pooled mode its buffer stays with the index for reuse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Drop(int h)
    {
        Unlink(h);
        _free += _len[h];
        _len[h] = 0;
        if (_pool is null) _data[h] = null;
    }

    /// <summary>Exchanges the roles of indices <paramref name="i"/> and <paramref name="j"/> (rows and columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SwapIndex(int i, int j)
    {
        if (i == j) return;
        if (_len[i] > 0) Unlink(i);
        if (_len[j] > 0) Unlink(j);
        (_data[i], _data[j]) = (_data[j], _data[i]);
        (_len[i], _len[j]) = (_len[j], _len[i]);
        (_seen[i], _seen[j]) = (_seen[j], _seen[i]);
        if (_len[i] > 0) Append(i);
        if (_len[j] > 0) Append(j);
        if (i > j) (i, j) = (j, i);
        if (_swaps == _swapI.Length)
        {
            Array.Resize(ref _swapI, 2 * _swaps);
            Array.Resize(ref _swapJ, 2 * _swaps);
        }
        _swapI[_swaps] = i;
        _swapJ[_swaps] = j;
        _swaps++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unlink(int h)
    {
        _next[_prev[h]] = _next[h];
        _prev[_next[h]] = _prev[h];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(int h)
    {
        _next[h] = _n;
        _prev[h] = _prev[_n];
        _next[_prev[h]] = h;
        _prev[_n] = h;
    }
}
