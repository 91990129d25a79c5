using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace ImageReducer.Functions.Http;

/// <summary>An RFC 9457 problem body (<c>application/problem+json</c>) with per-field errors.</summary>
/// <param name="Title">Short summary.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Detail">What to fix.</param>
/// <param name="Errors">Field → messages.</param>
public sealed record Problem(string Title, int Status, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>The problem type URI.</summary>
    public string Type => $"https://httpstatuses.io/{Status}";

    /// <summary>Writes the problem as the response.</summary>
    public async Task<HttpResponseData> ToResponseAsync(HttpRequestData request)
    {
        HttpResponseData response = request.CreateResponse((HttpStatusCode)Status);
        response.Headers.Add("Content-Type", "application/problem+json; charset=utf-8");
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Type, title = Title, status = Status, detail = Detail, errors = Errors },
            ApiJson.Options)).ConfigureAwait(false);
        return response;
    }
}
