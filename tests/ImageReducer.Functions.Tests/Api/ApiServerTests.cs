using ImageReducer.Functions.Tests.Infrastructure;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>
/// Tests that call the HTTP API over real HTTP: one <see cref="FunctionsApiServer"/> on the collection's Durable host and
/// Azurite, started before each test and stopped after it, and one client to call it with.
/// </summary>
/// <param name="host">The collection's workflow host.</param>
/// <param name="key">The function key the server accepts.</param>
public abstract class ApiServerTests(WorkflowHost host, string key) : IAsyncLifetime
{
    private FunctionsApiServer? server;

    /// <summary>The collection's workflow host (its store, client and services).</summary>
    protected WorkflowHost Host { get; } = host;

    /// <summary>The function key the server accepts.</summary>
    protected string Key { get; } = key;

    /// <summary>The running server (after <see cref="InitializeAsync"/>).</summary>
    internal FunctionsApiServer Server => server ?? throw new InvalidOperationException("The API server starts in InitializeAsync.");

    /// <summary>The client the tests call the server with.</summary>
    protected HttpClient Http { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        server = new FunctionsApiServer(Host.Services, Host.Client, Key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (server is not null) await server.DisposeAsync();
    }
}
