namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// Azurite's blob, queue and table services as three processes (<c>azurite-blob</c>, <c>azurite-queue</c>,
/// <c>azurite-table</c>) behind one development-account connection string.
/// </summary>
/// <remarks>
/// Each Azurite process serves every request on one Node.js thread. With the three services in one process (<see
/// cref="AzuriteServer.StartAllServicesAsync"/>) a Durable task hub under load saturates that thread while the machine's
/// other cores idle; split, the queue traffic (the provider's polling, work items and results), the table traffic
/// (history loads, instance rows, partition leases, purges) and the blob traffic (the data, the hub's app lease) each get a thread of their own,
/// as the services of a real storage account are separate servers.
/// </remarks>
public sealed class SplitAzurite : IAsyncDisposable
{
    private SplitAzurite(AzuriteServer blob, AzuriteServer queue, AzuriteServer table)
    {
        Blob = blob;
        Queue = queue;
        Table = table;
    }

    /// <summary>The blob service's process.</summary>
    public AzuriteServer Blob { get; }

    /// <summary>The queue service's process.</summary>
    public AzuriteServer Queue { get; }

    /// <summary>The table service's process.</summary>
    public AzuriteServer Table { get; }

    /// <summary>A connection string for the development account with the three services' endpoints.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};" +
        Blob.Endpoints + Queue.Endpoints + Table.Endpoints;

    /// <summary>The three processes, named by service (for measuring their CPU time).</summary>
    public IReadOnlyList<(string Service, AzuriteServer Server)> Processes => [("blob", Blob), ("queue", Queue), ("table", Table)];

    /// <summary>Finds (or installs) Azurite and starts its three services in memory; throws with a clear message when one cannot start.</summary>
    public static async Task<SplitAzurite> StartAsync(CancellationToken cancellationToken = default)
    {
        string executable = await AzuriteLocator.FindOrInstallAsync(cancellationToken).ConfigureAwait(false);
        var started = new List<AzuriteServer>(3);
        try
        {
            foreach (AzuriteProcessKind kind in new[] { AzuriteProcessKind.Blob, AzuriteProcessKind.Queue, AzuriteProcessKind.Table })
                started.Add(await AzuriteServer.StartNewAsync(executable, persistent: false, cancellationToken, kind: kind).ConfigureAwait(false));
            return new SplitAzurite(started[0], started[1], started[2]);
        }
        catch
        {
            foreach (AzuriteServer server in started) await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the three processes.</summary>
    public async ValueTask DisposeAsync()
    {
        await Blob.DisposeAsync().ConfigureAwait(false);
        await Queue.DisposeAsync().ConfigureAwait(false);
        await Table.DisposeAsync().ConfigureAwait(false);
    }
}
