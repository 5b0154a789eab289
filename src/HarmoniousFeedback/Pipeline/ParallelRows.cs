using System.Runtime.ExceptionServices;

namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// Runs a per-row body in parallel and, when rows fail, rethrows the toolkit's own typed exception (of the lowest
/// failing row, so the error is deterministic) instead of an <see cref="AggregateException"/>.
/// </summary>
public static class ParallelRows
{
    public static void For(int count, Action<int> body, int maxDegreeOfParallelism = -1)
    {
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism }, r =>
        {
            try { body(r); }
            catch (Exception e) { errors[r] = e; }
        });
        foreach (var e in errors)
            if (e is not null) ExceptionDispatchInfo.Capture(e).Throw();
    }
}
