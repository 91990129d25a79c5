using System.Diagnostics;
using System.Reflection;

namespace ImageReducer.Cli.Tests.Infrastructure;

/// <summary>Runs the built CLI as a separate process: <c>dotnet ImageReducer.Cli.dll ARGS</c>.</summary>
public static class Imred
{
    /// <summary>The CLI build made by this test project's build (see the csproj).</summary>
    public static string DllPath => ImageReducer.TestSupport.ImredBuild.DllPath;

    /// <summary>No CLI run in these tests takes long; a hang fails the test instead of the suite.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static Task<CliRun> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs with extra environment variables.</summary>
    public static Task<CliRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(DllPath), $"the CLI is not built at {DllPath}");
        return RunProcessAsync("dotnet", [DllPath, .. args], workingDirectory, environment, Timeout);
    }

    /// <summary>Runs a published imred executable (native or managed) with <paramref name="args"/>.</summary>
    public static Task<CliRun> RunExecutableAsync(string executable, string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(executable), $"no imred executable at {executable}");
        return RunProcessAsync(executable, args, workingDirectory, new Dictionary<string, string>(), Timeout);
    }

    /// <summary>Runs any program (NO_COLOR, no telemetry); killed with its children after <paramref name="limit"/>.</summary>
    internal static async Task<CliRun> RunProcessAsync(string fileName, string[] args, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan limit)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish in {limit}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
