// Types the architecture checker must catch (see ArchitectureTests): the fixture's Low layer uses its High layer in
// every way the compiler encodes a dependency; the checker runs on this test assembly with the order Low < High.
#pragma warning disable CS0649, CS0169 // fields exist to be referenced, not used

namespace HarmoniousFeedback.Tests.ArchitectureFixture.High;

/// <summary>The fixture's upper layer.</summary>
public static class FixtureHigh
{
    public class HighThing
    {
        public static int Value;
        public static void Do() { }
    }

    public class HighBase { }

    public interface IHigh { }

    public struct HighStruct
    {
        public int X;
    }

    [AttributeUsage(AttributeTargets.All)]
    public sealed class HighAttribute : Attribute { }

    /// <summary>Downward use: allowed, must not be reported.</summary>
    public class HighUsesLow
    {
        public Low.FixtureLow.CleanLow? Field;
    }
}
