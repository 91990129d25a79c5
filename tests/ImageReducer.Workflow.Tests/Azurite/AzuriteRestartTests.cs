using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// <see cref="AzuriteServer.StopAsync"/> / <see cref="AzuriteServer.StartAsync"/> on a private,
/// disk-backed Azurite, for fault tests that need a real process outage. Slow on a loaded machine
/// (a start takes 2–20 s), so kept to two tests sharing one server.
/// </summary>
public sealed class AzuriteRestartTests(PersistentAzuriteFixture azurite) : IClassFixture<PersistentAzuriteFixture>
{
    private AzuriteServer Server => azurite.Server;

    [Fact]
    public async Task StopThenStart_SamePort_KeepsBlobs()
    {
        var store = new AzureBlobStore(Server.ConnectionString);
        var path = new BlobPath("restart", "kept.bin");
        await store.WriteAsync(path, new MemoryStream([1, 2, 3]), overwrite: false);
        int port = Server.BlobPort;

        await Server.StopAsync();
        Assert.False(Server.IsRunning);
        await Assert.ThrowsAsync<BlobStoreException>(() => new AzureBlobStore(Server.ConnectionString, new AzureBlobStoreOptions { MaxRetries = 0 })
            .GetPropertiesAsync(path));
        await Server.StartAsync();

        Assert.Equal(port, Server.BlobPort);
        Assert.Equal([1, 2, 3], await store.ReadRangeAsync(path, 0, 10));
    }

    [Fact]
    public async Task KillThenStart_ServesAgainOnSamePort()
    {
        var store = new AzureBlobStore(Server.ConnectionString);
        await Server.KillAsync();
        Assert.False(Server.IsRunning);
        await Server.StartAsync();

        var path = new BlobPath("restart", "after-crash.bin");
        await store.WriteAsync(path, new MemoryStream([7]), overwrite: true);
        Assert.Equal([7], await store.ReadRangeAsync(path, 0, 1));
    }
}
