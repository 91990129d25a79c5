using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Tests.Durable;

/// <summary>
/// The storage-provider host on a real Azurite (blob + queue + table): orchestrations written against
/// <see cref="TaskOrchestrationContext"/> run through the shims on <c>TaskHubWorker</c> + <c>AzureStorageOrchestrationService</c>,
/// and <see cref="StorageProviderClient"/> schedules, reads, waits and purges them.
/// </summary>
public sealed class StorageProviderHostTests : IAsyncLifetime
{
    private AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAllServicesAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    private sealed record FanIn(int Count, int Sum, int SubTotal);

    private static DurableTaskRegistry Registry() => new DurableTaskRegistry()
        .AddActivityFunc<int, int>("Square", (_, x) => x * x)
        .AddOrchestratorFunc<int, int>("Sub", async (context, n) => await context.CallActivityAsync<int>("Square", n) + 1)
        .AddOrchestratorFunc<int, FanIn>("Fan", async (context, n) =>
        {
            context.SetCustomStatus(new ReductionProgress("fanning", 0, n));
            int[] squares = await Task.WhenAll(Enumerable.Range(1, n).Select(i => context.CallActivityAsync<int>("Square", i)));
            int sub = await context.CallSubOrchestratorAsync<int>("Sub", 3);
            context.SetCustomStatus(new ReductionProgress("done", n, n));
            return new FanIn(squares.Length, squares.Sum(), sub);
        })
        .AddOrchestratorFunc<int, int>("Fail", (context, _) => context.CallActivityAsync<int>("Boom", 1))
        .AddActivityFunc<int, int>("Boom", (TaskActivityContext _, int _) => Task.FromException<int>(new InvalidOperationException("boom from the activity")));

    private TaskHubSettings Hub(string name) => new(azurite.ConnectionString, name)
    {
        PartitionCount = 2,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Fan_out_and_a_sub_orchestration_complete_with_output_and_custom_status()
    {
        TaskHubSettings hub = Hub("SmokeFan");
        await using var worker = new StorageProviderWorker(hub, Registry(), EmptyServices.Instance);
        await worker.StartAsync();
        var client = new StorageProviderClient(hub);
        Assert.True(await client.ScheduleAsync("Fan", 20, "fan-1"));
        Assert.False(await client.ScheduleAsync("Fan", 20, "fan-1")); // the same id again is the same instance

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        InstanceStatus done = await client.WaitAsync("fan-1", cancellationToken: cts.Token);

        Assert.Equal("Completed", done.RuntimeStatus);
        Assert.Equal("Fan", done.Name);
        var output = System.Text.Json.JsonSerializer.Deserialize<FanIn>(done.SerializedOutput!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal(new FanIn(20, Enumerable.Range(1, 20).Sum(i => i * i), 10), output);
        var progress = System.Text.Json.JsonSerializer.Deserialize<ReductionProgress>(done.SerializedCustomStatus!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("done", progress!.Phase);
        Assert.True(done.LastUpdatedAt >= done.CreatedAt);

        Assert.True(await client.PurgeAsync("fan-1"));
        Assert.Null(await client.GetAsync("fan-1"));
    }

    [Fact]
    public async Task A_failing_activity_fails_the_orchestration_with_its_message()
    {
        TaskHubSettings hub = Hub("SmokeFail");
        await using var worker = new StorageProviderWorker(hub, Registry(), EmptyServices.Instance);
        await worker.StartAsync();
        var client = new StorageProviderClient(hub);
        await client.ScheduleAsync("Fail", 1, "fail-1");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        InstanceStatus done = await client.WaitAsync("fail-1", cancellationToken: cts.Token);
        Assert.Equal("Failed", done.RuntimeStatus);
        Assert.Contains("boom from the activity", done.FailureMessage);
        Assert.Null(done.SerializedOutput);
    }

    [Fact]
    public async Task Unknown_instance_reads_as_null()
    {
        var client = new StorageProviderClient(Hub("SmokeNone"));
        Assert.Null(await client.GetAsync("nobody"));
    }

    [Theory]
    [InlineData("", "ImageReducerLocal", "connection is empty")]
    [InlineData("exposures-folder", "ImageReducerLocal", "local folder cannot hold")]
    [InlineData("UseDevelopmentStorage=true", "ab", "task hub name 'ab' is not valid")]
    [InlineData("UseDevelopmentStorage=true", "has-dash", "task hub name 'has-dash' is not valid")]
    public void Bad_settings_are_refused_with_the_reason(string connection, string hub, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new TaskHubSettings(connection, hub));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_connection_string_is_shown_without_its_key()
    {
        var settings = new TaskHubSettings($"DefaultEndpointsProtocol=http;AccountName=a;AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://x/a;");
        Assert.DoesNotContain(AzuriteServer.AccountKey, settings.DisplayConnection);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}
