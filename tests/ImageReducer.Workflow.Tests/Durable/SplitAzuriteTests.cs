using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Tests.Durable;

/// <summary>
/// Azurite's three services as three processes (<see cref="SplitAzurite"/>, what <c>bench night-provider</c> runs a large
/// night on): one connection string reaches all three, and a task hub served through it puts its queues, tables and blobs
/// each in the process of that service.
/// </summary>
public sealed class SplitAzuriteTests : IAsyncLifetime
{
    private SplitAzurite azurite = null!;

    public async Task InitializeAsync() => azurite = await SplitAzurite.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task TaskHubOnSplitServices_CompletesAnOrchestration_AndKeepsEachPartInItsServicesProcess()
    {
        int?[] pids = [.. azurite.Processes.Select(p => p.Server.ProcessId)];
        Assert.All(pids, pid => Assert.NotNull(pid));
        Assert.Equal(3, pids.Distinct().Count());
        Assert.Equal(3, new[] { azurite.Blob.BlobPort, azurite.Queue.QueuePort, azurite.Table.TablePort }.Where(p => p > 0).Distinct().Count());

        var hub = new TaskHubSettings(azurite.ConnectionString, "SplitHub") { PartitionCount = 2, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500) };
        DurableTaskRegistry registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Square", (_, x) => x * x)
            .AddOrchestratorFunc<int, int>("SumOfSquares", async (context, n) =>
                (await Task.WhenAll(Enumerable.Range(1, n).Select(i => context.CallActivityAsync<int>("Square", i)))).Sum());
        await using (var worker = new StorageProviderWorker(hub, registry, new NoServices()))
        {
            await worker.StartAsync();
            var client = new StorageProviderClient(hub);
            Assert.True(await client.ScheduleAsync("SumOfSquares", 10, "split-1"));
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            InstanceStatus done = await client.WaitAsync("split-1", cancellationToken: cts.Token);
            Assert.Equal("Completed", done.RuntimeStatus);
            Assert.Equal("385", done.SerializedOutput);
        }

        // Each service's process alone holds what the provider keeps in that service.
        string Only(AzuriteServer server) =>
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};{server.Endpoints}";
        var tables = new List<string>();
        await foreach (var table in new TableServiceClient(Only(azurite.Table)).QueryAsync()) tables.Add(table.Name);
        Assert.Contains("SplitHubHistory", tables);
        Assert.Contains("SplitHubInstances", tables);
        var queues = new List<string>();
        await foreach (var queue in new QueueServiceClient(Only(azurite.Queue)).GetQueuesAsync()) queues.Add(queue.Name);
        Assert.Contains("splithub-control-00", queues);
        Assert.Contains("splithub-workitems", queues);
        var containers = new List<string>();
        await foreach (var container in new BlobServiceClient(Only(azurite.Blob)).GetBlobContainersAsync()) containers.Add(container.Name);
        Assert.Contains(containers, c => c.StartsWith("splithub-", StringComparison.Ordinal)); // the hub's app lease (partition leases are a table)
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
