namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Row buffers of one length shared by the kernel caches of the SMO problems solved one after another on one thread
/// (the one-vs-one pairs): rented when a row is first cached, returned when the solver finishes. Not thread-safe.
/// </summary>
internal sealed class KernelRowPool(int rowLength)
{
    private readonly Stack<float[]> _free = new();

    /// <summary>Length of every buffer (at least the largest sub-problem's row count).</summary>
    public int RowLength { get; } = rowLength;

    public float[] Rent() => _free.TryPop(out var row) ? row : GC.AllocateUninitializedArray<float>(RowLength);

    public void Return(float[] row) => _free.Push(row);
}
