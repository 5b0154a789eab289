using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HarmoniousFeedback.Tests;

/// <summary>
/// xunit's own test framework with one step added: after the last test of the assembly has finished, and before the
/// run is reported finished, this process's <see cref="TestTemp"/> root is deleted.
/// <para>
/// Why not only at process exit: once a test host has reported its results, <c>dotnet test</c> (VSTest) asks it to
/// stop and kills it 100 ms later (<c>VSTEST_TESTHOST_SHUTDOWN_TIMEOUT</c>). Deleting a root of tens of MB can take
/// longer, and a CI run on a busy machine once left a 70 MB root behind that way. Here nothing is waiting to kill the
/// host yet. The <see cref="AppDomain.ProcessExit"/> handler stays as the fallback for other runners.
/// </para>
/// Registered in every test project that links <c>TestTemp.cs</c> (an <c>AssemblyAttribute</c> item in its csproj).
/// </summary>
public sealed class TestTempFramework(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await base.BeforeTestAssemblyFinishedAsync();
            // Never throws: a run must not go red over its own scratch folder.
            TestTemp.DeleteRoot();
        }
    }
}
