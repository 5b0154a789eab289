// The namespace of .NET Interactive's types (imported into every cell), so that notebooks written for Polyglot
// Notebooks compile unchanged.
namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The input helpers of .NET Interactive's <c>Kernel</c> class that Polyglot notebooks call:
/// <c>await Kernel.GetInputAsync("Tempo?")</c> and <c>await Kernel.GetPasswordAsync("API key")</c>. Both ask the front end
/// for a line (an <c>input_request</c>; masked for the password) and fail with
/// <see cref="HarmoniousFeedback.Kernel.Execution.StdinNotAvailableException"/> where it accepts no input (nbconvert).
/// The rest of .NET Interactive's <c>Kernel</c> (<c>Root</c>, <c>Current</c>, commands) is not provided: using it is a
/// compile error naming the member.
/// </summary>
public static class Kernel
{
    /// <summary>The running kernel's input: (prompt, password) → the line typed; null outside a kernel.</summary>
    internal static Func<string, bool, string>? Input { get; set; }

    /// <summary>A line typed in the front end's input box after <paramref name="prompt"/>; <paramref name="typeHint"/> is accepted and ignored.</summary>
    public static Task<string> GetInputAsync(string prompt = "", string typeHint = "text") => Task.FromResult(Ask(prompt, password: false));

    /// <summary>A secret typed in a masked input box; the returned value does not show it when displayed.</summary>
    public static Task<PasswordString> GetPasswordAsync(string prompt = "") => Task.FromResult(new PasswordString(Ask(prompt, password: true)));

    private static string Ask(string prompt, bool password) =>
        (Input ?? throw new InvalidOperationException("Kernel.GetInputAsync/GetPasswordAsync work inside the hfb-kernel only"))(prompt, password);
}
