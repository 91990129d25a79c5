namespace ImageReducer.TestSupport;

/// <summary>
/// Finds the shared numpy reference (<c>lsst_numpy_baseline.py</c>) the way the tests and the benchmarks agree on:
/// <c>$IMRED_BASELINE_DIR</c> when set, else <c>../shared/bench</c> beside the repository root (the folder holding
/// <c>ImageReducer.sln</c>), found above the working directory or the running binaries. No machine-specific path.
/// </summary>
/// <remarks>Compiled into the bench project too (linked source), so both sides resolve it identically.</remarks>
public static class SharedBench
{
    /// <summary>The environment variable that names the folder holding the baseline instead.</summary>
    public const string DirectoryVariable = "IMRED_BASELINE_DIR";

    /// <summary>The numpy port of the reference.</summary>
    public const string BaselineFile = "lsst_numpy_baseline.py";

    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFile = "ImageReducer.sln";

    /// <summary>The folder holding <see cref="BaselineFile"/>, or null when it cannot be found.</summary>
    public static string? FindDirectory()
    {
        string? env = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        if (FindRepositoryRoot() is not { } root) return null;
        string candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));
        return File.Exists(Path.Combine(candidate, BaselineFile)) ? candidate : null;
    }

    /// <summary>The folder holding <see cref="BaselineFile"/>.</summary>
    /// <exception cref="InvalidOperationException">It cannot be found; the message says where it was looked for.</exception>
    public static string Directory() => FindDirectory() ?? throw new InvalidOperationException(
        $"{BaselineFile} not found: expected in ../shared/bench beside the repository root ({FindRepositoryRoot() ?? $"no {SolutionFile} above the working directory or the binaries"}); " +
        $"set {DirectoryVariable} to the folder holding it");

    /// <summary>The repository root: the nearest folder above the working directory, else above the binaries, that holds <see cref="SolutionFile"/>.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }
}
