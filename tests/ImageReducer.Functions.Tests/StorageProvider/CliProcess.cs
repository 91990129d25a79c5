using System.Diagnostics;
using System.Text;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>One run of the built CLI (<c>dotnet ImageReducer.Cli.dll …</c>) as its own process, its output captured.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> waits = [];

    private CliProcess(Process process) => this.process = process;

    /// <summary>What it wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (stdout) return stdout.ToString();
        }
    }

    /// <summary>What it wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c>.</summary>
    public static CliProcess Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> with <paramref name="environment"/> added to its environment.</summary>
    public static CliProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["ImageReducer__CellParallelism"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var cli = new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        cli.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (cli.stdout) cli.stdout.AppendLine(e.Data);
        };
        cli.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (cli.stderr)
            {
                cli.stderr.AppendLine(e.Data);
                foreach (var (text, seen) in cli.waits)
                    if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
            }
        };
        cli.process.BeginOutputReadLine();
        cli.process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits until a line of stderr contains <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>, or the process exited first.</exception>
    public async Task WaitForStderrAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (stderr)
        {
            if (stderr.ToString().Contains(text, StringComparison.Ordinal)) return;
            waits.Add((text, seen));
        }
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(seen.Task, exited, Task.Delay(timeout)).ConfigureAwait(false) != seen.Task)
            throw new TimeoutException($"'{text}' did not appear on stderr{(process.HasExited ? $" (exited {process.ExitCode})" : "")}:\n{Stderr}");
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/> (it is killed).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', process.StartInfo.ArgumentList.Take(2))} did not exit within {timeout}:\n{Stderr}");
        }
        process.WaitForExit(); // the output readers drain
        return process.ExitCode;
    }

    /// <summary>User + system CPU time it has used so far (zero once it has exited and been reaped).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                return process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero; // exited
            }
        }
    }

    /// <summary>Kills it if it still runs.</summary>
    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
