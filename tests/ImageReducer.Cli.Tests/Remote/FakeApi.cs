using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>
/// An HTTP server on a free loopback port (HttpListener) that answers with a test's handler and records every request,
/// so the CLI's client is tested over real sockets and real HTTP, not a mocked handler.
/// </summary>
public sealed class FakeApi : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<RecordedRequest, int, FakeResponse> handler;
    private readonly Task loop;
    private int count;

    /// <summary>Starts serving; <paramref name="handler"/> gets each request and its 0-based number.</summary>
    public FakeApi(Func<RecordedRequest, int, FakeResponse> handler)
    {
        this.handler = handler;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to pass as --endpoint.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every request so far, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A loopback port nobody listens on (bound and released).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
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
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["x-functions-key"],
                context.Request.ContentType, body);
            Requests.Enqueue(request);
            FakeResponse answer = handler(request, Interlocked.Increment(ref count) - 1);
            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null) context.Response.Headers["Retry-After"] = answer.RetryAfter;
            byte[] bytes = Encoding.UTF8.GetBytes(answer.Body);
            if (bytes.Length > 0) context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The client gave up on this request (a timeout test); nothing to answer.
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
    }
}
