using System.Net;
using System.Text.Json;
using ImageReducer.Engine.Errors;
using ImageReducer.Functions.Http;
using ImageReducer.Functions.Starting;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Triggers;

/// <summary>
/// The HTTP API: <c>POST /api/reductions</c> starts one exposure, <c>GET /api/reductions/{id}</c>
/// reports status, progress and output, <c>POST /api/nights</c> starts a night, <c>GET /api/nights/{id}</c> reports it.
/// Invalid input gets 400 with a problem body naming each field.
/// </summary>
/// <remarks>
/// A start answers 202 with <c>Location</c> = our own status route and <see cref="Workflow.Api.RunAccepted"/>, never the
/// Durable extension's check-status response: that one's management URLs carry the extension's system key.
/// </remarks>
public sealed class ReductionsApi(RequestValidator validator, ExposureStarter starter, IBlobStore store)
{
    [Function("StartReduction")]
    public async Task<HttpResponseData> StartReduction(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reductions")] HttpRequestData request,
        [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var (body, parseError) = await ReadAsync<ReductionBody>(request).ConfigureAwait(false);
        if (parseError is not null) return await parseError.ToResponseAsync(request).ConfigureAwait(false);
        var (reduction, errors) = validator.Validate(body);
        if (reduction is null) return await ApiErrors.Invalid(errors).ToResponseAsync(request).ConfigureAwait(false);
        BlobInfo input;
        try
        {
            input = await store.GetPropertiesAsync(reduction.Input, context.CancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException)
        {
            return await ApiErrors.Invalid(ApiErrors.MissingInput(reduction.Input)).ToResponseAsync(request).ConfigureAwait(false);
        }
        catch (ImageReducerException e)
        {
            return await Refused(e).ToResponseAsync(request).ConfigureAwait(false);
        }
        StartOutcome outcome;
        try
        {
            outcome = await starter.StartAsync(client, reduction, ExposureStarter.ApiInstanceId(reduction, input.ETag), context.CancellationToken)
                .ConfigureAwait(false);
        }
        catch (ImageReducerException e)
        {
            return await Refused(e).ToResponseAsync(request).ConfigureAwait(false);
        }
        return await AcceptedResponse.WriteAsync(request, outcome.InstanceId).ConfigureAwait(false);
    }

    /// <summary>The status of a reduction or a night (the route every client may use for both).</summary>
    [Function("GetReduction")]
    public Task<HttpResponseData> GetReduction(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reductions/{id}")] HttpRequestData request, string id,
        [DurableClient] DurableTaskClient client, FunctionContext context) =>
        StatusAsync(request, id, client, nightsOnly: false, context.CancellationToken);

    /// <summary>The status of a night: the <c>Location</c> of <c>POST /api/nights</c>; 404 for an id that is not a night.</summary>
    [Function("GetNight")]
    public Task<HttpResponseData> GetNight(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "nights/{id}")] HttpRequestData request, string id,
        [DurableClient] DurableTaskClient client, FunctionContext context) =>
        StatusAsync(request, id, client, nightsOnly: true, context.CancellationToken);

    private static async Task<HttpResponseData> StatusAsync(HttpRequestData request, string id, DurableTaskClient client, bool nightsOnly,
        CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null || (nightsOnly && instance.Name != WorkflowNames.ReduceNight))
            return await new Problem("Not found", 404, $"no {(nightsOnly ? "night" : "reduction")} with id '{id}'").ToResponseAsync(request).ConfigureAwait(false);
        var status = StatusDocuments.From(instance);
        if (instance.Name == WorkflowNames.ReduceNight && status.Progress is { } night)
        {
            // A reducing night's own status counts only its finished lanes: add what its lanes and their batches have done.
            status = status with
            {
                Progress = await NightProgress.LiveAsync(id, night, async (instanceId, token) =>
                    (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, token).ConfigureAwait(false)) is { SerializedCustomStatus: not null } lane
                        ? lane.ReadCustomStatusAs<ReductionProgress>() : null, cancellationToken).ConfigureAwait(false),
            };
        }
        HttpResponseData response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(status, ApiJson.Options), cancellationToken).ConfigureAwait(false);
        return response;
    }

    [Function("StartNight")]
    public async Task<HttpResponseData> StartNight(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "nights")] HttpRequestData request,
        [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var (body, parseError) = await ReadAsync<NightBody>(request).ConfigureAwait(false);
        if (parseError is not null) return await parseError.ToResponseAsync(request).ConfigureAwait(false);
        var (night, errors) = validator.Validate(body);
        if (night is null) return await ApiErrors.Invalid(errors).ToResponseAsync(request).ConfigureAwait(false);
        StartOutcome outcome;
        try
        {
            outcome = await starter.StartNightAsync(client, night, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ImageReducerException e)
        {
            return await Refused(e).ToResponseAsync(request).ConfigureAwait(false);
        }
        return await AcceptedResponse.WriteAsync(request, outcome.InstanceId).ConfigureAwait(false);
    }

    /// <summary>A request that failed with one of our errors: the status of its class (<see cref="ApiErrors.StatusOf"/>).</summary>
    private static Problem Refused(ImageReducerException e) =>
        new($"{e.ErrorCode} ({ErrorInfo.NameOf(e.ErrorClass)})", ApiErrors.StatusOf(e.ErrorClass), Workflow.Security.SecretRedaction.Redact(e.Message)!);

    private static async Task<(T? Body, Problem? Error)> ReadAsync<T>(HttpRequestData request) where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options).ConfigureAwait(false), null);
        }
        catch (JsonException e)
        {
            return (null, new Problem("Malformed JSON", 400, $"the body is not valid JSON for this endpoint: {e.Message}"));
        }
    }
}
