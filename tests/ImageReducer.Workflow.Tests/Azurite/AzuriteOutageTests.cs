using System.Diagnostics;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// Outages of exactly known length, made by cutting a <see cref="TcpOutageProxy"/> between the store
/// and the shared Azurite: they show the default retry policy rides out a brief outage and reports a
/// long one as <see cref="BlobStoreException"/> instead of hanging.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteOutageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TcpOutageProxy? proxy;

    private TcpOutageProxy Proxy => proxy!;

    public Task InitializeAsync()
    {
        proxy = new TcpOutageProxy(azurite.Server.BlobPort);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Proxy.DisposeAsync();

    private string ConnectionString => azurite.ConnectionString.Replace(
        $":{azurite.Server.BlobPort}/", $":{Proxy.Port}/", StringComparison.Ordinal);

    [Fact]
    public async Task Write_DuringTwoSecondOutage_SucceedsWithDefaultRetries()
    {
        var store = new AzureBlobStore(ConnectionString);
        var path = new BlobPath("outage", Guid.NewGuid().ToString("N"));
        await store.WriteAsync(path.Append("warm"), new MemoryStream([0]), overwrite: true);

        await Proxy.CutAsync();
        var watch = Stopwatch.StartNew();
        Task write = store.WriteAsync(path, new MemoryStream([4, 5, 6]), overwrite: false);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(write.IsCompleted, "the write should still be retrying during the outage");
        Proxy.Restore();
        await write;

        // Default back-off 0.5, 1, 2, 4 s: the retry after ~3.5 s or ~7.5 s lands after the restore.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        Assert.Equal([4, 5, 6], await store.ReadRangeAsync(path, 0, 10));
    }

    [Fact]
    public async Task GetProperties_OutageOutlastingRetries_ThrowsBlobStoreException()
    {
        var store = new AzureBlobStore(ConnectionString, new AzureBlobStoreOptions
        {
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        await Proxy.CutAsync();

        var e = await Assert.ThrowsAsync<BlobStoreException>(() => store.GetPropertiesAsync(new BlobPath("outage", "x.bin")));

        Assert.Contains("could not be reached", e.Message);
        Assert.Contains("3 attempts", e.Message);
    }

    [Fact]
    public async Task OpenReadStream_OutageMidRead_ThrowsBlobStoreException()
    {
        var store = new AzureBlobStore(ConnectionString, new AzureBlobStoreOptions
        {
            ReadBufferSize = 4096,
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        var path = new BlobPath("outage", Guid.NewGuid().ToString("N"));
        await store.WriteAsync(path, new MemoryStream(new byte[100_000]), overwrite: true);
        await using Stream stream = await store.OpenReadAsync(path);
        await stream.ReadExactlyAsync(new byte[100]);

        await Proxy.CutAsync();
        stream.Position = 50_000;

        await Assert.ThrowsAsync<BlobStoreException>(async () => await stream.ReadExactlyAsync(new byte[100]));
    }
}
