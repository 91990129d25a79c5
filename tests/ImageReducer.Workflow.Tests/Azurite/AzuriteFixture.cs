namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// One Azurite (in its fastest mode, <see cref="AzuriteServer.StartFastestAsync"/>) shared by every test of the <see cref="AzuriteCollection"/>. When Azurite
/// cannot be installed or started, initialisation throws and every test of the collection fails with
/// that message: the tests never skip silently.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? server;

    /// <summary>The running server.</summary>
    public AzuriteServer Server => this.server ?? throw new InvalidOperationException("The Azurite fixture is not initialised.");

    /// <summary>Connection string of the development account on the server.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync() => this.server = await AzuriteServer.StartFastestAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (this.server is not null)
        {
            await this.server.DisposeAsync();
        }
    }
}
