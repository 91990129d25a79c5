namespace ImageReducer.TestSupport;

/// <summary>The CLI build made with the tests (<c>src/ImageReducer.Cli/bin/CONFIGURATION/TFM/ImageReducer.Cli.dll</c>), for tests that run it as a process.</summary>
/// <remarks>
/// Found at run time under the repository root, in the configuration and target framework the running tests were built for
/// (the last two folders of their own output path), so no machine path is compiled into the test assemblies.
/// </remarks>
public static class ImredBuild
{
    /// <summary>The CLI's main assembly (<c>dotnet DllPath ARGS</c> runs it).</summary>
    /// <exception cref="InvalidOperationException">No repository root above the working directory or the test binaries.</exception>
    public static string DllPath { get; } = Locate();

    private static string Locate()
    {
        string root = SharedBench.FindRepositoryRoot()
            ?? throw new InvalidOperationException($"no {SharedBench.SolutionFile} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // …/bin/CONFIGURATION/TFM
        string framework = output.Name, configuration = output.Parent?.Name ?? "Release";
        return Path.Combine(root, "src", "ImageReducer.Cli", "bin", configuration, framework, "ImageReducer.Cli.dll");
    }
}
