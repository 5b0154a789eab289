using System.Reflection;
using System.Reflection.Emit;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Tests.UserOps;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>A user can write a differentiable op with the public API alone (docs/nn.md "Adding an op").</summary>
public sealed class CustomOpTests
{
    [Fact]
    public void User_ops_pass_the_finite_difference_gradient_check()
    {
        Check(a => ExampleOps.Softplus(a[0] * 3f), [Rand(80, 4, 5)]);
        // Both inputs get gradients; the op is composed with built-in ops on either side.
        Check(a => ExampleOps.WeightedSquaredNorm(a[0].Tanh(), a[1]) * 2f, [Rand(81, 3, 4), Rand(82, 4)]);
        // Used twice in one graph: the gradients of both uses accumulate.
        Check(a => ExampleOps.Softplus(a[0]) + ExampleOps.Softplus(a[0] * -1f), [Rand(83, 6)]);
    }

    [Fact]
    public void User_ops_reference_only_public_members_of_the_toolkit()
    {
        // The test assembly may see the toolkit's internals (InternalsVisibleTo), so the compiler does not prove this:
        // every method/field/type token in the IL of ExampleOps (lambdas included) is resolved and must be public.
        var toolkit = typeof(Tensor).Assembly;
        var opTypes = typeof(ExampleOps).Assembly.GetTypes().Where(t => t == typeof(ExampleOps) || t.DeclaringType == typeof(ExampleOps)).ToArray();
        var used = new List<MemberInfo>();
        foreach (var type in opTypes)
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                used.AddRange(TokensIn(method).Where(m => m.Module.Assembly == toolkit));
        Assert.Contains(used, m => m.Name == nameof(Tensor.FromOp));
        var hidden = used.Where(m => !IsPublic(m)).Select(m => $"{m.DeclaringType?.Name}.{m.Name}").Distinct().ToArray();
        Assert.True(hidden.Length == 0, "ExampleOps uses non-public toolkit members: " + string.Join(", ", hidden));
        // Control: the same scan does flag an internal member.
        var control = TokensIn(typeof(CustomOpTests).GetMethod(nameof(UsesAnInternal), BindingFlags.NonPublic | BindingFlags.Static)!);
        Assert.Contains(control, m => m.Module.Assembly == toolkit && !IsPublic(m));
    }

    private static float[] UsesAnInternal() => Tensor.Uninit(4);

    [Fact]
    public void User_op_shows_its_name_and_records_nothing_without_grad()
    {
        var x = Rand(84, 3).RequiresGrad_();
        Assert.Equal("Tensor[3] (grad_fn=softplus)", ExampleOps.Softplus(x).ToString());
        using (Tensor.NoGrad()) Assert.False(ExampleOps.Softplus(x).RequiresGrad);
        Assert.False(ExampleOps.Softplus(Rand(85, 3)).RequiresGrad); // no input requires grad
    }

    [Fact]
    public void Backward_with_a_wrong_gradient_count_or_shape_raises_AutogradException_naming_the_op()
    {
        var x = Rand(86, 2, 3).RequiresGrad_();
        var wrongShape = Tensor.FromOp("bad_shape", x.ToArray(), [2, 3], [x], g => [g.Reshape(3, 2)]);
        var e = Assert.Throws<AutogradException>(() => wrongShape.Sum().Backward());
        Assert.Equal("op 'bad_shape': the gradient for input 0 has shape [3, 2] but the input has shape [2, 3]", e.Message);

        var y = Rand(87, 2).RequiresGrad_();
        var wrongCount = Tensor.FromOp("bad_count", y.ToArray(), [2], [y], g => [g, g]);
        e = Assert.Throws<AutogradException>(() => wrongCount.Sum().Backward());
        Assert.Equal("op 'bad_count': backward returned 2 gradients for 1 inputs; return one per input (null for none)", e.Message);

        Assert.Throws<ShapeMismatchException>(() => Tensor.FromOp("bad_output", new float[5], [2, 3], [y], g => [g]));
    }

    private static bool IsPublic(MemberInfo m) => m switch
    {
        Type t => t.IsVisible,
        MethodBase mb => mb.IsPublic && mb.DeclaringType!.IsVisible,
        FieldInfo f => f.IsPublic && f.DeclaringType!.IsVisible,
        _ => false,
    };

    /// <summary>The members and types named by token operands in <paramref name="method"/>'s IL.</summary>
    private static IEnumerable<MemberInfo> TokensIn(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        Type[] typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : [];
        Type[] methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : [];
        for (int pos = 0; pos < il.Length;)
        {
            OpCode op = il[pos] == 0xFE ? TwoByte[il[pos + 1]] : OneByte[il[pos]];
            pos += op.Size;
            int operand = OperandSize(op.OperandType, il, pos);
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, pos), typeArgs, methodArgs);
                if (member is not null) yield return member;
            }
            pos += operand;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int pos) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pos),
        _ => 4,
    };

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static CustomOpTests()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            if (op.Size == 1) OneByte[(ushort)op.Value] = op;
            else TwoByte[(ushort)op.Value & 0xFF] = op;
        }
    }
}
