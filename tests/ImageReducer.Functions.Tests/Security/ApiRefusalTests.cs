using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ImageReducer.Functions.Configuration;
using ImageReducer.Functions.Triggers;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>
/// The HTTP functions as the worker builds them (services from <see cref="ServiceRegistration.AddImageReducer"/>,
/// the data account of a keyed connection string): refused addresses get 400 naming the field, before
/// any blob is read or instance started (the Durable client is absent, and no storage is reachable).
/// </summary>
public sealed class ApiRefusalTests : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly ReductionsApi api;

    public ApiRefusalTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataStorage"] = "DefaultEndpointsProtocol=https;AccountName=mydata;AccountKey=" + Workflow.Tests.Azurite.AzuriteServer.AccountKey + ";EndpointSuffix=core.windows.net",
        }).Build();
        services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddImageReducer(configuration)
            .BuildServiceProvider();
        api = ActivatorUtilities.CreateInstance<ReductionsApi>(services);
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpResponseData response)
    {
        response.Body.Position = 0;
        using JsonDocument doc = await JsonDocument.ParseAsync(response.Body);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    [Theory]
    [InlineData("""{ "input": "outputs/a.fits" }""", "input", "not an allowed input container")]
    [InlineData("""{ "input": "incoming/../secrets/a.fits" }""", "input", "'..' segment")]
    [InlineData("""{ "input": "incoming/%2e%2e/secrets/a.fits" }""", "input", "percent-encoded")]
    [InlineData("""{ "input": "https://other.blob.core.windows.net/incoming/a.fits" }""", "input", "another storage account")]
    [InlineData("""{ "input": "incoming/a.fits", "output": "incoming/b.fits" }""", "output", "not an allowed output container")]
    [InlineData("""{ "input": "incoming/a.fits", "output": "outputs/.starts/x" }""", "output", "reserved")]
    public async Task StartReduction_RefusedAddress_Is400NamingTheField(string body, string field, string rule)
    {
        var context = new FakeContext(services);

        var (status, problem) = await ReadAsync(await api.StartReduction(new FakeRequest(context, body), client: null!, context));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(rule, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("""{ "prefix": "2026/", "container": "outputs" }""", "container")]
    [InlineData("""{ "prefix": "../2026/" }""", "prefix")]
    [InlineData("""{ "prefix": "2026/", "outputContainer": "incoming" }""", "outputContainer")]
    [InlineData("""{ "prefix": "2026/", "outputPrefix": ".starts/" }""", "outputPrefix")]
    public async Task StartNight_RefusedAddress_Is400NamingTheField(string body, string field)
    {
        var context = new FakeContext(services);

        var (status, problem) = await ReadAsync(await api.StartNight(new FakeRequest(context, body), client: null!, context));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private sealed class FakeContext(IServiceProvider services) : FunctionContext
    {
        public override string InvocationId => "test";
        public override string FunctionId => "test";
        public override TraceContext TraceContext => null!;
        public override BindingContext BindingContext => null!;
        public override RetryContext RetryContext => null!;
        public override IServiceProvider InstanceServices { get; set; } = services;
        public override FunctionDefinition FunctionDefinition => null!;
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        public override IInvocationFeatures Features => null!;
    }

    private sealed class FakeRequest(FunctionContext context, string body) : HttpRequestData(context)
    {
        public override Stream Body { get; } = new MemoryStream(Encoding.UTF8.GetBytes(body));
        public override HttpHeadersCollection Headers { get; } = [];
        public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
        public override Uri Url { get; } = new("https://app.example/api/reductions");
        public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
        public override string Method => "POST";
        public override HttpResponseData CreateResponse() => new FakeResponse(FunctionContext);
    }

    private sealed class FakeResponse(FunctionContext context) : HttpResponseData(context)
    {
        public override HttpStatusCode StatusCode { get; set; }
        public override HttpHeadersCollection Headers { get; set; } = [];
        public override Stream Body { get; set; } = new MemoryStream();
        public override HttpCookies Cookies => null!;
    }
}
