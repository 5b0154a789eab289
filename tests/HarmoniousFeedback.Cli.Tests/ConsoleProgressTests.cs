using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class ConsoleProgressTests
{
    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(59 * 60 + 59, "59:59")]
    [InlineData(3600, "1:00:00")]                 // the clock used to wrap back to 00:00 here
    [InlineData(3600 + 3 * 60 + 22, "1:03:22")]
    [InlineData(25 * 3600 + 61, "1.01:01:01")]
    public void Elapsed_shows_hours_once_a_run_passes_an_hour_instead_of_wrapping(int seconds, string expected)
        => Assert.Equal(expected, ConsoleProgress.Elapsed(TimeSpan.FromSeconds(seconds)));
}
