using Azure;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// Runs started and read through the task hub of a storage account (<c>--connection</c>), with no HTTP API in between: the
/// storage provider's client (<see cref="StorageProviderClient"/>) schedules the orchestrations that <c>imred worker</c> (or a
/// Functions app on the same hub) runs. Requests get the app's defaults from the same <c>ImageReducer__*</c> settings, and the
/// same instance ids as the API, so submitting the same work twice — here or over HTTP — finds the same instance.
/// </summary>
internal sealed class TaskHubRuns(TaskHubSettings hub, IBlobStore store, ImageReducerOptions options) : IRunService
{
    private readonly StorageProviderClient client = new(hub);

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
    public async Task<string> StartReductionAsync(ReductionBody body, CancellationToken cancellationToken)
    {
        BlobPath input = Blob("INPUT", body.Input ?? throw new UsageException("INPUT is required"));
        string config = ConfigOf(body.Config);
        BlobPath output = body.Output is null
            ? ReductionNames.OutputFor(input, options.OutputContainer, "", Reducers.Create(ConfigJson.Deserialize(config).Reducer))
            : Blob("--output", body.Output);
        if (output == input) throw new UsageException($"--output {output}: the output must not be the input");
        var auxiliary = (body.Auxiliary ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => Blob($"--aux {p.Key}", p.Value), StringComparer.Ordinal);
        var request = new ReductionRequest(input, output, config, body.TileSize ?? options.TileSize) { Auxiliary = auxiliary.Count > 0 ? auxiliary : null, Psf = PsfOf(body.Psf) };
        return await Call(async () =>
        {
            BlobInfo properties;
            try
            {
                properties = await store.GetPropertiesAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobNotFoundException)
            {
                throw new UsageException($"INPUT: blob '{input}' does not exist in {hub.DisplayConnection}");
            }
            string id = ReductionNames.RequestInstanceId(request, properties.ETag);
            await client.ScheduleAsync(WorkflowNames.ReduceExposure, request, id, cancellationToken).ConfigureAwait(false);
            return id;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// As <c>POST /api/nights</c>: the same night asked for again is the same instance, and it runs again (resuming: outputs
    /// already made from the same run inputs are skipped) when it ended without every exposure reduced, or with force
    /// (<see cref="NightRestart"/>).
    /// </remarks>
    public Task<string> StartNightAsync(NightBody body, CancellationToken cancellationToken)
    {
        string prefix = body.Prefix ?? throw new UsageException("PREFIX is required");
        NightRequest night;
        try
        {
            night = new NightRequest(body.Container ?? options.IncomingContainer, prefix, body.OutputContainer ?? options.OutputContainer,
                body.OutputPrefix ?? prefix, ConfigOf(body.Config), body.TileSize ?? options.TileSize, body.MaxConcurrentExposures ?? 4)
            {
                Psf = PsfOf(body.Psf),
                BatchSize = body.BatchSize ?? NightLimits.MaxBatchSize,
                Force = body.Force ?? false,
                PurgeExposures = body.PurgeExposures ?? true,
            }.Validate();
        }
        catch (Exception e) when (e is ArgumentException or ConfigValidationException)
        {
            throw new UsageException($"night: {e.Message}", e);
        }
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

    /// <summary>A PSF spec as the API checks it (a kernel must be a blob of this storage: <c>kernel:az://container/name</c>).</summary>
    private static string? PsfOf(string? spec)
    {
        if (spec is null) return null;
        try
        {
            return RunPsf.Validate(spec).Text;
        }
        catch (ConfigValidationException e)
        {
            throw new UsageException("--psf " + e.Message, e);
        }
    }

    /// <inheritdoc/>
    public Task<RemoteRun> GetAsync(string id, CancellationToken cancellationToken) => Call(async () =>
    {
        InstanceStatus status = await client.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new UsageException($"no reduction or night with id '{id}' in {Display}");
        return RemoteRun.From(status.ToStatusDocument(), $"taskhub:{hub.TaskHub}/{id}");
    });

    /// <summary>The configuration to send: the caller's (already checked by <c>--config</c>/<c>--set</c>), else the app's default.</summary>
    private string ConfigOf(System.Text.Json.JsonElement? config)
    {
        if (config is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined } given)
            return ConfigJson.Serialize(ConfigJson.Deserialize(given.GetRawText()));
        return ConfigJson.Serialize(string.IsNullOrWhiteSpace(options.DefaultConfigJson) ? new MapReduceConfig() : ConfigJson.Deserialize(options.DefaultConfigJson));
    }

    private static BlobPath Blob(string name, string text)
    {
        try
        {
            return BlobPath.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"{name} '{text}': {e.Message}");
        }
    }

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
