using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>
/// The "it goes on" hint names the way the run was reached: over HTTP plain <c>imred status ID --watch</c>; through a task hub
/// the same <c>--connection</c> (and <c>--task-hub</c>), never a key.
/// </summary>
public class FollowCommandTests
{
    private const string Key = "a2V5LW9mLWFuLWFjY291bnQtdGhhdC1pcy1ub3QtdGhlcmU=";

    [Fact]
    public void TaskHub_OnAzurite_RepeatsTheConnection_AndLeavesTheDefaultHubOut()
    {
        using TaskHubRuns runs = Runs("UseDevelopmentStorage=true", TaskHubSettings.DefaultTaskHub);
        Assert.Equal("imred status r1 --watch --connection UseDevelopmentStorage=true", runs.FollowCommand("r1"));
    }

    [Fact]
    public void TaskHub_WithAnotherHub_NamesIt()
    {
        using TaskHubRuns runs = Runs("UseDevelopmentStorage=true", "nightly");
        Assert.Equal("imred status r1 --watch --connection UseDevelopmentStorage=true --task-hub nightly", runs.FollowCommand("r1"));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Key + ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;")]
    public void TaskHub_WithAKey_LeavesAPlaceholder_NotTheKey(string connection)
    {
        using TaskHubRuns runs = Runs(connection, TaskHubSettings.DefaultTaskHub);
        string follow = runs.FollowCommand("r1");
        Assert.Equal("imred status r1 --watch --connection STORAGE", follow);
        Assert.DoesNotContain(Key, follow);
    }

    private static TaskHubRuns Runs(string connection, string hub) =>
        new(new TaskHubSettings(connection, hub), new LocalFolderBlobStore(Path.GetTempPath()), new ImageReducerOptions());
}
