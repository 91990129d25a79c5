using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core.Serialization;
using ImageReducer.Functions.Tests.Api;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>
/// No Durable system key leaves the app: the starts answer 202 with <c>Location</c> = our own status route and a body of the
/// id and that route only, over real HTTP (<see cref="FunctionsApiServer"/>) with the Durable client bound as the host binds
/// it, system key included. The first test proves the binding carries the key, so the others could fail.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class SystemKeyTests(WorkflowHost host) : IAsyncLifetime
{
    private const string Key = "system-key-tests-function-key";
    private FunctionsApiServer server = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync()
    {
        server = new FunctionsApiServer(host.Services, host.Client, Key);
        for (int i = 0; i < 2; i++)
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"syskey/n{i}.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 900 + i));
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task TheBoundClient_CarriesTheSystemKey_IntoTheExtensionsCheckStatusResponse()
    {
        // What the app answered before: the extension's response for the client the functions get names the system key.
        using var services = new ServiceCollection().AddSingleton(Options.Create(new WorkerOptions { Serializer = new JsonObjectSerializer() }))
            .BuildServiceProvider();
        var context = new TestFunctionContext(services, "StartReduction", CancellationToken.None);
        var request = new TestHttpRequestData(context, "POST", new Uri(server.Endpoint + "/api/reductions"), new HttpHeadersCollection(), new MemoryStream());

        HttpResponseData response = await server.Client.CreateCheckStatusResponseAsync(request, "some-instance");

        response.Body.Position = 0;
        Assert.Contains(FunctionsApiServer.SystemKey, await new StreamReader(response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task StartReduction_Answers202_WithOurStatusRouteOnly_AndNoSystemKey()
    {
        using HttpResponseMessage response = await PostAsync("reductions", """{"input": "incoming/syskey/n0.fits", "output": "outputs/syskey/n0.fits", "tileSize": 16}""");

        var (id, location) = await AssertAcceptedAsync(response, "reductions");
        using HttpResponseMessage status = await GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using JsonDocument document = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        Assert.Equal(id, document.RootElement.GetProperty("id").GetString());
        await AssertNoSystemKeyAsync(status);
    }

    [Fact]
    public async Task StartNight_Answers202_WithTheNightsStatusRoute_AndNoSystemKey()
    {
        using HttpResponseMessage response = await PostAsync("nights", """{"prefix": "syskey/", "outputPrefix": "syskey-night/", "tileSize": 16}""");

        var (id, location) = await AssertAcceptedAsync(response, "nights");
        using HttpResponseMessage status = await GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using JsonDocument document = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        Assert.Equal(id, document.RootElement.GetProperty("id").GetString());
        await AssertNoSystemKeyAsync(status);
        // The reductions route serves nights too (one status route for clients that do not care which kind).
        using HttpResponseMessage viaReductions = await GetAsync(new Uri($"{server.Endpoint}/api/reductions/{id}"));
        Assert.Equal(HttpStatusCode.OK, viaReductions.StatusCode);
    }

    [Fact]
    public async Task GetNight_OfAReductionId_Is404()
    {
        using HttpResponseMessage started = await PostAsync("reductions", """{"input": "incoming/syskey/n1.fits", "output": "outputs/syskey/n1-only.fits", "tileSize": 16}""");
        var (id, _) = await AssertAcceptedAsync(started, "reductions");

        using HttpResponseMessage status = await GetAsync(new Uri($"{server.Endpoint}/api/nights/{id}"));

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        Assert.Equal($"no night with id '{id}'", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task StartReduction_WithTheKeyInTheQuery_DoesNotEchoTheKeyInTheLocation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Endpoint}/api/reductions?code={Key}")
        {
            Content = new StringContent("""{"input": "incoming/syskey/n1.fits", "output": "outputs/syskey/n1.fits", "tileSize": 16}""", Encoding.UTF8, "application/json"),
        };
        using HttpResponseMessage response = await http.SendAsync(request);

        await AssertAcceptedAsync(response, "reductions");
        string everything = response.Headers + "\n" + await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Key, everything);
    }

    private async Task<(string Id, Uri Location)> AssertAcceptedAsync(HttpResponseMessage response, string route)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        await AssertNoSystemKeyAsync(response);
        using JsonDocument document = JsonDocument.Parse(body);
        // Exactly the id and our status route: no management URLs of any kind.
        Assert.Equal(["id", "statusUri"], document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        string id = document.RootElement.GetProperty("id").GetString()!;
        Uri expected = new($"{server.Endpoint}/api/{route}/{id}");
        Assert.Equal(expected, response.Headers.Location);
        Assert.Equal(expected, new Uri(document.RootElement.GetProperty("statusUri").GetString()!));
        return (id, response.Headers.Location!);
    }

    private static async Task AssertNoSystemKeyAsync(HttpResponseMessage response)
    {
        string everything = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FunctionsApiServer.SystemKey, everything);
        Assert.DoesNotContain("code=", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("runtime/webhooks", everything, StringComparison.OrdinalIgnoreCase);
    }

    private Task<HttpResponseMessage> PostAsync(string route, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Endpoint}/api/{route}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        return http.SendAsync(request);
    }

    private Task<HttpResponseMessage> GetAsync(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-functions-key", Key);
        return http.SendAsync(request);
    }
}
