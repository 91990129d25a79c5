namespace ImageReducer.Workflow.Durable;

/// <summary>
/// Removes finished orchestration instances (their state and history) from the task hub, so a hub does not grow by every
/// exposure of every night. Each host gives its own (over its Durable client); a host without one does not purge.
/// </summary>
public interface IInstancePurger
{
    /// <summary>Purges the given instances (each only once it has ended; a running or unknown one is left); returns how many were purged.</summary>
    Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken = default);
}
