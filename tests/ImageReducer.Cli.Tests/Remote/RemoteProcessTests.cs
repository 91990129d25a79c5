using System.Diagnostics;
using ImageReducer.Cli.Tests.Infrastructure;
using static ImageReducer.Cli.Tests.Remote.ApiDocuments;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>The remote commands as a separate process: the environment variables, and Ctrl+C while following.</summary>
public class RemoteProcessTests
{
    private const string Id = "0a1b2c3d4e5f";

    [Fact]
    public async Task EndpointAndKey_ComeFromTheEnvironment_WhenNotGiven()
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await Imred.RunAsync(Path.GetTempPath(), new Dictionary<string, string>
        {
            ["IMRED_ENDPOINT"] = api.Endpoint,
            ["IMRED_FUNCTION_KEY"] = RemoteCli.Key,
        }, "status", Id);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(RemoteCli.Key, Assert.Single(api.Requests).FunctionKey);
        Assert.DoesNotContain(RemoteCli.Key, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Interrupt_WhileFollowing_Exits130_AndSaysTheRunGoesOn()
    {
        var firstPoll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = new FakeApi((_, _) =>
        {
            firstPoll.TrySetResult();
            return FakeResponse.Json(200, Status(Id, "Running", ProgressOf("mapping", 1, 8)));
        });
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Imred.DllPath, "status", Id, "--watch", "--endpoint", api.Endpoint, "--poll-interval", "50ms"])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        await firstPoll.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])!) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        string errors = await stderr;
        Assert.Contains($"imred: stopped following run {Id}; it goes on: imred status {Id} --watch", errors);
        Assert.Contains("imred: error: interrupted", errors);
        Assert.Equal("", await stdout);
    }
}
