namespace HarmoniousFeedback.Kernel.Display;

/// <summary>
/// One rich output of a cell: Jupyter <c>display_data</c>, or <c>update_display_data</c> when
/// <paramref name="IsUpdate"/> (replacing, in every place it is shown, the output with the same
/// <paramref name="DisplayId"/>).
/// </summary>
/// <param name="Bundle">MIME type → data (<see cref="DisplayFormatter"/>).</param>
/// <param name="DisplayId">The transient <c>display_id</c>, or null for an output that cannot be updated.</param>
/// <param name="IsUpdate">True to replace the output shown under <paramref name="DisplayId"/>.</param>
public sealed record DisplayData(IReadOnlyDictionary<string, string> Bundle, string? DisplayId = null, bool IsUpdate = false);
