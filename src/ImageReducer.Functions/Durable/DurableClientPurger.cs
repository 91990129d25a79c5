using ImageReducer.Workflow.Durable;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Durable;

/// <summary>Purges instances through a Durable client (the one bound to the activity invocation in the Functions app, or a test host's).</summary>
public sealed class DurableClientPurger(DurableTaskClient client) : IInstancePurger
{
    /// <inheritdoc/>
    public async Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        int purged = 0;
        foreach (string id in instanceIds)
        {
            // Purge removes only an ended instance; a running one (which a recorded exposure is not) would be left.
            PurgeResult result = await client.PurgeInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            purged += result.PurgedInstanceCount;
        }
        return purged;
    }
}
