using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>A response a function builds; the adapter copies status, headers and body to the wire.</summary>
internal sealed class TestHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; } = HttpStatusCode.OK;
    public override HttpHeadersCollection Headers { get; set; } = new();
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies { get; } = new NoCookies();

    private sealed class NoCookies : HttpCookies
    {
        public override void Append(string name, string value) => throw new NotSupportedException("the API sets no cookies");
        public override void Append(IHttpCookie cookie) => throw new NotSupportedException("the API sets no cookies");
        public override IHttpCookie CreateNew() => throw new NotSupportedException("the API sets no cookies");
    }
}
