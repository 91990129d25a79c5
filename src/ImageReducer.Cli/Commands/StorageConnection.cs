namespace ImageReducer.Cli.Commands;

/// <summary>The storage a command uses when <c>--connection</c> is not given: <c>$IMRED_STORAGE</c>, else Azurite.</summary>
internal static class StorageConnection
{
    /// <summary>Environment variable with the default storage connection.</summary>
    public const string Variable = "IMRED_STORAGE";

    /// <summary>Azurite on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary><paramref name="option"/> when given, else <see cref="Variable"/>, else <see cref="DevelopmentStorage"/>.</summary>
    public static string Resolve(string? option) =>
        Blank(option) ?? Blank(Environment.GetEnvironmentVariable(Variable)) ?? DevelopmentStorage;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
