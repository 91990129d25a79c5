using System.Net;
using System.Text.Json;
using ImageReducer.Workflow.Api;
using Microsoft.Azure.Functions.Worker.Http;

namespace ImageReducer.Functions.Http;

/// <summary>Writes the API's <see cref="Problem"/> bodies as Functions responses.</summary>
public static class ProblemResponses
{
    /// <summary>Writes <paramref name="problem"/> as the response to <paramref name="request"/> (<c>application/problem+json</c>, its status).</summary>
    public static async Task<HttpResponseData> ToResponseAsync(this Problem problem, HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(request);
        HttpResponseData response = request.CreateResponse((HttpStatusCode)problem.Status);
        response.Headers.Add("Content-Type", "application/problem+json; charset=utf-8");
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(problem, ApiJson.Options)).ConfigureAwait(false);
        return response;
    }
}
