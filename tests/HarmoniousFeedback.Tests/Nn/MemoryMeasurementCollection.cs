using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// Memory measurements read the process-wide managed heap, so they run alone (not in parallel with other test classes,
/// whose allocations would show up as growth).
/// </summary>
[CollectionDefinition("Memory measurements", DisableParallelization = true)]
public sealed class MemoryMeasurementCollection { }
