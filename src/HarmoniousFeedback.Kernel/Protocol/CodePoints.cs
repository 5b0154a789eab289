namespace HarmoniousFeedback.Kernel.Protocol;

/// <summary>
/// Since protocol 5.2 cursor positions count Unicode code points, while .NET strings index UTF-16 code units; these
/// convert between the two (they differ only after characters outside the Basic Multilingual Plane).
/// </summary>
public static class CodePoints
{
    /// <summary>The UTF-16 index of code point <paramref name="codePoint"/> (clamped to the string).</summary>
    public static int ToUtf16Index(string s, int codePoint)
    {
        var i = 0;
        for (var n = 0; n < codePoint && i < s.Length; n++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return i;
    }

    /// <summary>The code-point index of UTF-16 index <paramref name="index"/>.</summary>
    public static int FromUtf16Index(string s, int index)
    {
        var n = 0;
        for (var i = 0; i < index && i < s.Length; n++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return n;
    }
}
