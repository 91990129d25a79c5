using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>Runs <c>imred</c> in this process (the same entry point as Program.cs), capturing stdout and stderr.</summary>
public static class RemoteCli
{
    public const string Key = "k3y-SECRET-5f2a9c";

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync(args, stdout, stderr).WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary><paramref name="args"/> plus --endpoint of <paramref name="api"/>, the test key, fast polling and no progress noise unless asked.</summary>
    public static Task<CliRun> RunAgainstAsync(FakeApi api, params string[] args) =>
        RunAsync([.. args, "--endpoint", api.Endpoint, "--function-key", Key, "--poll-interval", "20ms"]);
}
