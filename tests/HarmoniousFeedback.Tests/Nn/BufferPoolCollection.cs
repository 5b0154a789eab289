using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>The pool is process-wide: these tests run alone, after the parallel ones, so no other test's backward pass
/// returns or rents buffers while they count bytes.</summary>
[CollectionDefinition("BufferPool", DisableParallelization = true)]
public sealed class BufferPoolCollection;
