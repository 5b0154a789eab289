namespace HarmoniousFeedback.Nn;

/// <summary>
/// A small caching allocator for large tensor buffers (the role of PyTorch's CPU caching allocator). Fresh large
/// arrays are expensive on first touch — the OS maps and zeroes every page, about 2.5× the cost of writing the same
/// bytes into memory already mapped — and a convolutional training step creates hundreds of megabytes of them.
/// Backward functions that know a buffer is dead (an incoming gradient they consumed and did not pass on) hand it
/// back with <see cref="Return"/>; <see cref="Tensor.Uninit"/> takes an array of exactly the requested length from
/// here before allocating. Only arrays of at least <see cref="MinLength"/> floats are kept, at most
/// <see cref="CapacityBytes"/> in total; contents of a rented array are unspecified (callers overwrite every element,
/// the contract of <see cref="Tensor.Uninit"/>), so pooling changes no result. Thread-safe.
/// </summary>
public static class BufferPool
{
    /// <summary>Smallest array kept (64 Ki floats = 256 KiB; below that the GC's own allocator is cheap).</summary>
    public const int MinLength = 1 << 16;
    /// <summary>Most bytes held at once (256 MiB).</summary>
    public const long CapacityBytes = 256L << 20;

    private static readonly Dictionary<int, Stack<float[]>> s_free = new();
    private static readonly object s_lock = new();
    private static long s_bytes;

    /// <summary>Bytes currently held for reuse.</summary>
    public static long HeldBytes { get { lock (s_lock) return s_bytes; } }

    /// <summary>Test hook: every rented array, of any size, comes back filled with NaN — a caller that reads an element it
    /// did not write then shows up as NaN in results (the tests train models with it on and compare).</summary>
    internal static bool PoisonForTesting { get; set; }

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    internal static float[] Rent(int length)
    {
        if (PoisonForTesting)
        {
            var poisoned = GC.AllocateUninitializedArray<float>(length);
            Array.Fill(poisoned, float.NaN);
            return poisoned;
        }
        if (length >= MinLength)
            lock (s_lock)
                if (s_free.TryGetValue(length, out var stack) && stack.Count > 0)
                {
                    s_bytes -= 4L * length;
                    return stack.Pop();
                }
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>
    /// Gives back an array nothing references any more (the caller's promise). Small arrays, and arrays beyond the
    /// capacity, are left to the GC.
    /// </summary>
    internal static void Return(float[] buffer)
    {
        if (buffer.Length < MinLength) return;
        lock (s_lock)
        {
            if (s_bytes + 4L * buffer.Length > CapacityBytes) return;
            if (!s_free.TryGetValue(buffer.Length, out var stack)) s_free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
            s_bytes += 4L * buffer.Length;
        }
    }

    /// <summary>Drops every held array (e.g. after training, before a memory-hungry evaluation).</summary>
    public static void Clear()
    {
        lock (s_lock) { s_free.Clear(); s_bytes = 0; }
    }
}
