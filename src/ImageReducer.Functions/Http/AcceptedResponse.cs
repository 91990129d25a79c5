using System.Net;
using System.Text.Json;
using ImageReducer.Workflow.Api;
using Microsoft.Azure.Functions.Worker.Http;

namespace ImageReducer.Functions.Http;

/// <summary>The 202 of a start: <c>Location</c> = our status route of the instance, body <see cref="RunAccepted"/>.</summary>
public static class AcceptedResponse
{
    /// <summary>
    /// The status URL of instance <paramref name="id"/> under the route <paramref name="request"/> was posted to
    /// (<c>…/api/reductions</c> → <c>…/api/reductions/{id}</c>). Built from the scheme, authority and path only: the request's
    /// query (a <c>code=</c> function key, when the caller authenticated that way) is never echoed back.
    /// </summary>
    public static Uri StatusUri(Uri requestUrl, string id)
    {
        ArgumentNullException.ThrowIfNull(requestUrl);
        ArgumentException.ThrowIfNullOrEmpty(id);
        string path = requestUrl.AbsolutePath.TrimEnd('/') + "/" + Uri.EscapeDataString(id);
        return new UriBuilder(requestUrl.Scheme, requestUrl.Host, requestUrl.Port, path).Uri;
    }

    /// <summary>Writes the 202 for instance <paramref name="id"/>.</summary>
    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri status = StatusUri(request.Url, id);
        HttpResponseData response = request.CreateResponse(HttpStatusCode.Accepted);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Location", status.AbsoluteUri);
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(new RunAccepted(id, status), ApiJson.Options)).ConfigureAwait(false);
        return response;
    }
}
