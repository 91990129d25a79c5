using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Azure.Core.Serialization;
using ImageReducer.Functions.Triggers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>
/// Serves the app's HTTP functions over real HTTP, as the Functions host would: an HttpListener on a loopback port routes
/// <c>POST /api/reductions</c>, <c>GET /api/reductions/{id}</c>, <c>POST /api/nights</c> and <c>GET /api/nights/{id}</c> to the real
/// <see cref="ReductionsApi"/> methods with a test HttpRequestData/FunctionContext and the real Durable client, and
/// enforces the function key (<c>AuthorizationLevel.Function</c>: the <c>x-functions-key</c> header or the <c>code</c>
/// query parameter, else 401 with an empty body).
/// </summary>
/// <remarks>
/// The functions get the Durable client as the host binds it: the extension's per-binding wrapper carrying the management
/// query string with the extension's system key (<see cref="SystemKey"/>), so a response that handed out management URLs would
/// show it.
/// </remarks>
internal sealed partial class FunctionsApiServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ReductionsApi api;
    private readonly DurableTaskClient client;
    private readonly IServiceProvider services;
    private readonly string key;
    private readonly Task loop;
    private int authorized;
    private int refused;

    /// <summary>The Durable extension's system key as the host hands it to the client binding (never to leave the app).</summary>
    public const string SystemKey = "durable-system-key-Zq81Xr";

    public FunctionsApiServer(IServiceProvider appServices, DurableTaskClient client, string key)
    {
        api = ActivatorUtilities.CreateInstance<ReductionsApi>(appServices);
        this.client = AsBound(client);
        this.key = key;
        // What the worker's DI holds for the functions' context: the worker options with its JSON serializer.
        services = new ServiceCollection()
            .AddSingleton(Options.Create(new WorkerOptions { Serializer = new JsonObjectSerializer() }))
            .BuildServiceProvider();
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL, as <c>--endpoint</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Requests that carried the key and reached a function.</summary>
    public int Authorized => authorized;

    /// <summary>Requests refused with 401.</summary>
    public int Refused => refused;

    /// <summary>The client the functions get: the test host's client as the host binds it (<see cref="SystemKey"/> in its management query).</summary>
    public DurableTaskClient Client => client;

    [GeneratedRegex("^/api/reductions/(?<id>[^/]+)$")]
    private static partial Regex StatusRoute();

    [GeneratedRegex("^/api/nights/(?<id>[^/]+)$")]
    private static partial Regex NightStatusRoute();

    /// <summary>
    /// <paramref name="inner"/> wrapped as the worker's <c>[DurableClient]</c> binding wraps it (the internal
    /// <c>FunctionsDurableTaskClient</c>), with the management query string and base URL the host passes, system key included.
    /// </summary>
    private static DurableTaskClient AsBound(DurableTaskClient inner)
    {
        Type type = typeof(Microsoft.Azure.Functions.Worker.DurableTaskClientExtensions).Assembly.GetType("Microsoft.Azure.Functions.Worker.FunctionsDurableTaskClient", throwOnError: true)!;
        var constructor = type.GetConstructors(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length).First();
        object?[] arguments = constructor.GetParameters().Select(p => p.Name switch
        {
            "inner" => (object?)inner,
            "queryString" => $"taskHub=TestHub&connection=Storage&code={SystemKey}",
            "httpBaseUrl" => "http://127.0.0.1/runtime/webhooks/durabletask",
            _ => p.HasDefaultValue ? p.DefaultValue : null,
        }).ToArray();
        return (DurableTaskClient)constructor.Invoke(arguments);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerResponse wire = context.Response;
        try
        {
            HttpListenerRequest request = context.Request;
            if (request.Headers["x-functions-key"] != key && request.QueryString["code"] != key)
            {
                Interlocked.Increment(ref refused);
                wire.StatusCode = 401;
                wire.Close();
                return;
            }
            Interlocked.Increment(ref authorized);
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            body.Position = 0;
            var headers = new HttpHeadersCollection();
            foreach (string name in request.Headers.AllKeys.OfType<string>()) headers.TryAddWithoutValidation(name, request.Headers[name]);
            using var aborted = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string path = request.Url!.AbsolutePath;

            HttpResponseData? response = (request.HttpMethod, path) switch
            {
                ("POST", "/api/reductions") => await api.StartReduction(Request("StartReduction"), client, Context("StartReduction")),
                ("POST", "/api/nights") => await api.StartNight(Request("StartNight"), client, Context("StartNight")),
                ("GET", _) when StatusRoute().Match(path) is { Success: true } m =>
                    await api.GetReduction(Request("GetReduction"), Uri.UnescapeDataString(m.Groups["id"].Value), client, Context("GetReduction")),
                ("GET", _) when NightStatusRoute().Match(path) is { Success: true } m =>
                    await api.GetNight(Request("GetNight"), Uri.UnescapeDataString(m.Groups["id"].Value), client, Context("GetNight")),
                _ => null,
            };
            if (response is null)
            {
                wire.StatusCode = 404; // the host's answer for a route no function has
                wire.Close();
                return;
            }
            wire.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers)
            {
                string value = string.Join(", ", header.Value);
                if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) wire.ContentType = value;
                else wire.Headers[header.Key] = value;
            }
            response.Body.Position = 0;
            await response.Body.CopyToAsync(wire.OutputStream);
            wire.Close();

            FunctionContext Context(string function) => new TestFunctionContext(services, function, aborted.Token);
            HttpRequestData Request(string function) => new TestHttpRequestData(Context(function), request.HttpMethod, request.Url!, headers, body);
        }
        catch (Exception e)
        {
            // The host turns an exception escaping a function into a bare 500.
            Console.Error.WriteLine($"FunctionsApiServer: {e}");
            try
            {
                wire.StatusCode = 500;
                wire.Close();
            }
            catch (Exception closing) when (closing is HttpListenerException or InvalidOperationException or ObjectDisposedException)
            {
                // The client is gone.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stop ends the pending GetContext (so the loop ends); the managed HttpListener's Close then looks the
        // endpoint up again and may re-bind the port, failing with "Address already in use" once another test
        // holds it. The port is released by Stop either way, and a failed close is not what a test checks.
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        (services as IDisposable)?.Dispose();
    }
}
