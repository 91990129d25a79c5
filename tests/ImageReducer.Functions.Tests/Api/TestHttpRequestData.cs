using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>An HTTP request as the isolated worker would pass it to a function: method, URL, headers and body.</summary>
internal sealed class TestHttpRequestData(FunctionContext context, string method, Uri url, HttpHeadersCollection headers, Stream body)
    : HttpRequestData(context)
{
    public override Stream Body { get; } = body;
    public override HttpHeadersCollection Headers { get; } = headers;
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; } = url;
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method { get; } = method;

    public override HttpResponseData CreateResponse() => new TestHttpResponseData(FunctionContext);
}
