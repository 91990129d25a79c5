using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>What the storage-outage tests share: holding a MapTile while storage goes down, and the retry arithmetic.</summary>
internal static class OutageScenario
{
    /// <summary>
    /// Holds the first MapTile execution after <c>Mapping</c> is signalled, until the test completes
    /// <c>Outage</c> (having stopped storage): that activity then meets the dead endpoint. Clear
    /// <see cref="WorkflowHost.BeforeMapTile"/> when done.
    /// </summary>
    public static (TaskCompletionSource Mapping, TaskCompletionSource Outage) HoldFirstMapTile(WorkflowHost host)
    {
        var mapping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int first = 0;
        host.BeforeMapTile = async _ =>
        {
            if (Interlocked.Exchange(ref first, 1) != 0) return;
            mapping.SetResult();
            await outage.Task;
        };
        return (mapping, outage);
    }

    /// <summary>
    /// How long storage may be down while an activity keeps failing before the run gives up: each of the
    /// orchestrator policy's attempts spends the store's retry delays (exponential, capped, times the SDK's
    /// jitter of 0.8–1.2: pass 0.8 for what is surely survived, 1.2 for the longest it can take), and the
    /// policy waits between attempts.
    /// </summary>
    public static TimeSpan Window(AzureBlobStoreOptions store, double jitter)
    {
        RetryPolicy policy = ReduceExposureOrchestration.Retry.Retry!.Policy!;
        double perAttempt = 0;
        for (int k = 0; k < store.MaxRetries; k++)
            perAttempt += Math.Min(store.MaxRetryDelay.TotalSeconds, store.RetryDelay.TotalSeconds * Math.Pow(2, k)) * jitter;
        double between = 0;
        for (int k = 0; k < policy.MaxNumberOfAttempts - 1; k++)
            between += Math.Min(policy.MaxRetryInterval.TotalSeconds, policy.FirstRetryInterval.TotalSeconds * Math.Pow(policy.BackoffCoefficient, k));
        return TimeSpan.FromSeconds(policy.MaxNumberOfAttempts * perAttempt + between);
    }

    /// <summary>Every failure of the chain, type and message, one a line.</summary>
    public static string Chain(TaskFailureDetails? failure)
    {
        var text = new System.Text.StringBuilder();
        for (; failure is not null; failure = failure.InnerFailure) text.Append(failure.ErrorType).Append(": ").Append(failure.ErrorMessage).Append('\n');
        return text.ToString();
    }
}
