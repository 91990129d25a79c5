using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary><c>imred worker</c>: settings refused before anything starts, with the reason and exit 2.</summary>
public class WorkerCommandTests
{
    [Theory]
    [InlineData(new[] { "worker", "--task-hub", "no-dashes" }, "task hub name 'no-dashes' is not valid")]
    [InlineData(new[] { "worker", "--connection", "exposures-folder" }, "a local folder cannot hold")]
    [InlineData(new[] { "worker", "--max-activities", "0" }, "max concurrent activities must be 1 to 1000, got 0")]
    [InlineData(new[] { "worker", "--polling-interval", "soon" }, "--polling-interval: expected a duration")]
    public async Task Bad_options_exit_2_naming_the_problem(string[] args, string message)
    {
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Invalid_ImageReducer_settings_exit_2_before_the_worker_starts()
    {
        // No storage is needed to refuse the settings: they are checked before the task hub is opened.
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), new Dictionary<string, string> { ["ImageReducer__TileSize"] = "0" },
            "worker", "--connection", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("invalid ImageReducer__* settings", run.Stderr);
        Assert.Contains("TileSize", run.Stderr);
    }

    [Fact]
    public async Task Help_lists_the_options_and_an_example()
    {
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), "worker", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--connection", "--task-hub", "--max-activities", "--polling-interval", "--worker-id" })
            Assert.Contains(option, run.Stdout);
        Assert.Contains("imred worker --connection", run.Stdout);
    }
}
