using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>
/// One <c>imred worker</c> process (the built CLI run with <c>dotnet</c>), for tests that crash it (SIGKILL) or stop it
/// (SIGTERM) and look at what it logged.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly string Dll = ImageReducer.TestSupport.ImredBuild.DllPath;
    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => this.process = process;

    /// <summary>Everything the worker wrote to stderr so far (its logs).</summary>
    public string Stderr
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => !process.HasExited;

    /// <summary>Starts <c>imred worker</c> with <paramref name="args"/> and waits until it serves the task hub.</summary>
    public static async Task<WorkerProcess> StartAsync(string connection, string taskHub, string workerId, params string[] args)
    {
        Assert.True(File.Exists(Dll), $"the CLI is not built at {Dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in (string[])[Dll, "worker", "--connection", connection, "--task-hub", taskHub, "--worker-id", workerId, "--polling-interval", "250ms", .. args])
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["ImageReducer__CellParallelism"] = "1";
        var worker = new WorkerProcess(Process.Start(start)!);
        worker.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (worker.stderr) worker.stderr.AppendLine(e.Data);
            if (e.Data.Contains("imred worker: serving task hub", StringComparison.Ordinal)) worker.ready.TrySetResult();
        };
        worker.process.OutputDataReceived += (_, _) => { };
        worker.process.BeginErrorReadLine();
        worker.process.BeginOutputReadLine();
        Task exited = worker.process.WaitForExitAsync();
        if (await Task.WhenAny(worker.ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2))) != worker.ready.Task)
        {
            string log = worker.Stderr;
            await worker.DisposeAsync();
            throw new Xunit.Sdk.XunitException($"imred worker did not start serving its task hub:\n{log}");
        }
        return worker;
    }

    /// <summary>SIGKILL: the process dies at once, with no chance to finish or release anything.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the graceful stop; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited) Assert.Equal(0, SendSignal(process.Id, 15));
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
