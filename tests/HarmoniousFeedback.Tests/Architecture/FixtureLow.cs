// Types the architecture checker must catch (see ArchitectureTests): the fixture's Low layer uses its High layer in
// every way the compiler encodes a dependency; the checker runs on this test assembly with the order Low < High.
#pragma warning disable CS0649, CS0169 // fields exist to be referenced, not used

using static HarmoniousFeedback.Tests.ArchitectureFixture.High.FixtureHigh;

namespace HarmoniousFeedback.Tests.ArchitectureFixture.Low;

/// <summary>The fixture's lower layer: each nested type uses FixtureHigh in one way the compiler encodes a dependency.</summary>
public static class FixtureLow
{
    public class FieldUser
    {
        public HighThing? Field;
    }

    public class SignatureUser
    {
        public HighThing? Make() => null;
    }

    public class GenericArgumentUser
    {
        public int Count(List<HighStruct> xs) => xs.Count;
    }

    public class BodyUser
    {
        public int Read() => HighThing.Value;
    }

    public class CallUser
    {
        public void Call() => HighThing.Do();
    }

    public class LocalUser
    {
        public int Make()
        {
            var s = new HighStruct();
            return s.X;
        }
    }

    public class FullyQualifiedUser
    {
        public object Make() => new HarmoniousFeedback.Tests.ArchitectureFixture.High.FixtureHigh.HighBase();
    }

    public class DerivedUser : HighBase { }

    public class InterfaceUser : IHigh { }

    [High]
    public class AttributeUser { }

    public class LambdaUser
    {
        public Func<int> Reader() => () => HighThing.Value;
    }

    public class TypeofUser
    {
        public Type Which() => typeof(HighThing);
    }

    /// <summary>Uses only its own layer and the BCL: must not be reported.</summary>
    public class CleanLow
    {
        public int X;
        public List<string> Names { get; } = [];
    }
}
