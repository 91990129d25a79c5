using Azure;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Running;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Options;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// Runs started and read through the task hub of a storage account (<c>--connection</c>), with no HTTP API in between: the
/// storage provider's client (<see cref="StorageProviderClient"/>) schedules the orchestrations that <c>imred worker</c> (or a
/// Functions app on the same hub) runs. Requests are checked and completed by the API's own <see cref="RequestValidator"/> with
/// the app's allowed containers and defaults from the same <c>ImageReducer__*</c> settings (a refusal is the same problem, exit 2), and get the
/// same instance ids as the API, so submitting the same work twice — here or over HTTP — finds the same instance.
/// </summary>
internal sealed class TaskHubRuns(TaskHubSettings hub, IBlobStore store, ImageReducerOptions options) : IRunService
{
    private readonly StorageProviderClient client = new(hub);

    // The API's validator, with the policy of this data account: the same allowed containers, defaults and limits as over HTTP.
    private readonly RequestValidator validator = new(Options.Create(options), MapReduceSession.Registry,
        new BlobAccessPolicy(options, (store as AzureBlobStore)?.AccountUrl));

    /// <inheritdoc/>
    public string Display => $"task hub {hub.TaskHub} on {hub.DisplayConnection}";

    /// <inheritdoc/>
    /// <remarks>
    /// The connection is repeated only when it holds no secret (Azurite's <c>UseDevelopmentStorage=true</c>, an account URL);
    /// a connection string with a key is left as a placeholder for the user to fill in.
    /// </remarks>
    public string FollowCommand(string id)
    {
        string connection = hub.DisplayConnection == hub.Connection.Trim() && !hub.Connection.Contains('?') ? hub.Connection.Trim() : "STORAGE";
        string hubOption = hub.TaskHub == TaskHubSettings.DefaultTaskHub ? "" : $" --task-hub {hub.TaskHub}";
        return $"imred status {id} --watch --connection {Quote(connection)}{hubOption}";
    }

    private static string Quote(string text) => text.IndexOfAny([' ', ';', '&', '$', '"', '\'']) < 0 ? text : $"'{text}'";

    /// <inheritdoc/>
    /// <remarks>Validated as <c>POST /api/reductions</c> validates it (<see cref="RequestValidator"/>), so a refusal is the same problem.</remarks>
    public async Task<string> StartReductionAsync(ReductionBody body, CancellationToken cancellationToken)
    {
        var (request, errors) = validator.Validate(body);
        if (request is null) throw Refused(errors);
        return await Call(async () =>
        {
            BlobInfo properties;
            try
            {
                properties = await store.GetPropertiesAsync(request.Input, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobNotFoundException)
            {
                throw Refused(ApiErrors.MissingInput(request.Input));
            }
            string id = ReductionNames.RequestInstanceId(request, properties.ETag);
            await client.ScheduleAsync(WorkflowNames.ReduceExposure, request, id, cancellationToken).ConfigureAwait(false);
            return id;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Validated as <c>POST /api/nights</c> validates it, and as there the same night asked for again is the same instance, and it
    /// runs again (resuming: outputs already made from the same run inputs are skipped) when it ended without every exposure
    /// reduced, or with force (<see cref="NightRestart"/>).
    /// </remarks>
    public Task<string> StartNightAsync(NightBody body, CancellationToken cancellationToken)
    {
        var (night, errors) = validator.Validate(body);
        if (night is null) throw Refused(errors);
        string id = ReductionNames.NightInstanceId(night);
        return Call(async () =>
        {
            if (!await client.ScheduleAsync(WorkflowNames.ReduceNight, night, id, cancellationToken).ConfigureAwait(false)
                && await client.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } existing
                && NightRestart.ShouldRestart(night.Force, existing.HasEnded, existing.RuntimeStatus, existing.ToStatusDocument().Progress))
            {
                // An ended instance is replaced: purged, then scheduled under the same id (a racing client finds it scheduled).
                await client.PurgeAsync(id, cancellationToken).ConfigureAwait(false);
                await client.ScheduleAsync(WorkflowNames.ReduceNight, night, id, cancellationToken).ConfigureAwait(false);
            }
            return id;
        });
    }

    /// <summary>The refusal the API would answer with (400, the same fields), as the same exception its client throws.</summary>
    private static RemoteProblemException Refused(IReadOnlyDictionary<string, string[]> errors) =>
        RemoteProblemException.From(ApiErrors.Invalid(errors), "the task hub client", "");

    /// <inheritdoc/>
    public Task<RemoteRun> GetAsync(string id, CancellationToken cancellationToken) => Call(async () =>
    {
        InstanceStatus status = await client.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new UsageException($"no reduction or night with id '{id}' in {Display}");
        StatusDocument document = status.ToStatusDocument();
        if (status.Name == WorkflowNames.ReduceNight && document.Progress is { } night)
        {
            // A reducing night's own status counts only its finished lanes: add what its lanes and their batches have done.
            document = document with
            {
                Progress = await NightProgress.LiveAsync(id, night, async (instanceId, token) =>
                    (await client.GetAsync(instanceId, token).ConfigureAwait(false))?.ToStatusDocument().Progress, cancellationToken).ConfigureAwait(false),
            };
        }
        return RemoteRun.From(document, $"taskhub:{hub.TaskHub}/{id}");
    });

    /// <summary>Storage that cannot be reached or refuses is exit 4, with the account named (never its key).</summary>
    private async Task<T> Call<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
        {
            throw new RemoteServiceException($"cannot use {Display}: {ErrorClassifier.OneLine(Workflow.Security.SecretRedaction.Redact(e.Message) ?? "")}", e);
        }
    }

    public void Dispose()
    {
        // The provider's clients hold no unmanaged resources of their own.
    }
}
