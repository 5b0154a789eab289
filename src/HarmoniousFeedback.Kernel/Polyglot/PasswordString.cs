namespace Microsoft.DotNet.Interactive;

/// <summary>.NET Interactive's secret from <see cref="Kernel.GetPasswordAsync"/>: shown as asterisks, read with <see cref="GetClearTextPassword"/>.</summary>
public sealed class PasswordString
{
    private readonly string _password;

    public PasswordString(string password) => _password = password;

    /// <summary>The secret itself.</summary>
    public string GetClearTextPassword() => _password;

    /// <summary>Asterisks, so that displaying the value does not reveal it.</summary>
    public override string ToString() => "************";
}
