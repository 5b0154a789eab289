using System.Diagnostics;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Pipeline;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// A run ready for its units (<see cref="ExperimentRunner.Prepare"/>): the prepared datasets, the clip index, the
/// feature table, the run folder and the planned units of every scheme — flattened in <see cref="Units"/>, whose
/// indices are what a cluster array task is given.
/// </summary>
public sealed class PreparedRun
{
    internal PreparedRun(PreparedData train, PreparedData? test, ClipIndex clips, DataTable table, RunFolder run,
                         IReadOnlyList<SchemePlan> schemes, JsonObject timings, DateTimeOffset started, Stopwatch clock)
    {
        Train = train;
        Test = test;
        Clips = clips;
        Table = table;
        Run = run;
        Schemes = schemes;
        Timings = timings;
        Started = started;
        Clock = clock;
        Units = schemes.SelectMany((s, i) => s.Units.Select(u => (i, u))).ToArray();
    }

    public PreparedData Train { get; }
    public PreparedData? Test { get; }
    public ClipIndex Clips { get; }
    /// <summary>The feature table: <c>Id</c>, <c>Group</c>, <c>Label</c>, <c>Split</c> and one column per view.</summary>
    public DataTable Table { get; }
    public RunFolder Run { get; }
    public IReadOnlyList<SchemePlan> Schemes { get; }
    /// <summary>Every unit of every scheme, in order (scheme, model, split), with its scheme's index.</summary>
    public IReadOnlyList<(int Scheme, PlannedUnit Unit)> Units { get; }
    internal JsonObject Timings { get; }
    internal DateTimeOffset Started { get; }
    internal Stopwatch Clock { get; }
}
