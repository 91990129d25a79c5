namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// Purges ended instances from a Durable Task storage-provider task hub (<see cref="StorageProviderClient.PurgeAsync"/>):
/// the <see cref="IInstancePurger"/> of <c>imred worker</c>, so a night run there purges its recorded exposures as it does
/// on the other hosts.
/// </summary>
/// <param name="client">The task hub's client (the hub the worker serves).</param>
public sealed class StorageProviderPurger(StorageProviderClient client) : IInstancePurger
{
    // A few purges at once: each is a handful of table requests, and a batch part records up to hundreds of exposures.
    private const int Parallelism = 8;

    /// <inheritdoc/>
    public async Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        int purged = 0;
        await Parallel.ForEachAsync(instanceIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                if (await client.PurgeAsync(id, token).ConfigureAwait(false)) Interlocked.Increment(ref purged);
            }).ConfigureAwait(false);
        return purged;
    }
}
