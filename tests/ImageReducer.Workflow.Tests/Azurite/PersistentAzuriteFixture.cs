namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// A private, disk-backed Azurite for tests that stop and restart the process; each such test must
/// leave it running. Separate from <see cref="AzuriteFixture"/> so restarts never disturb other tests.
/// </summary>
public sealed class PersistentAzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? server;

    /// <summary>The running server.</summary>
    public AzuriteServer Server => this.server ?? throw new InvalidOperationException("The Azurite fixture is not initialised.");

    /// <inheritdoc />
    public async Task InitializeAsync() => this.server = await AzuriteServer.StartNewAsync(persistent: true);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (this.server is not null)
        {
            await this.server.DisposeAsync();
        }
    }
}
