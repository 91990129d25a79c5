using Azure.Core;
using Azure.Core.Pipeline;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Workflow.Tests.Storage;

/// <summary>The contract on a real Azurite, plus what only the Azure backend does.</summary>
/// <remarks>
/// Small transfer and read-buffer sizes make the modest test blobs cross request boundaries:
/// uploads above 256 KiB go as staged blocks + one commit, reads refill a 64 KiB buffer.
/// </remarks>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContract
{
    private readonly ResponseCounter responses = new();

    protected override IBlobStore CreateStore() => new AzureBlobStore(azurite.ConnectionString, new AzureBlobStoreOptions
    {
        ReadBufferSize = 64 * 1024,
        TransferSize = 256 * 1024,
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        ConfigureClient = options => options.AddPolicy(responses, HttpPipelinePosition.PerRetry),
    });

    private AzureBlobStore Azure => (AzureBlobStore)Store;

    [Fact]
    public async Task OpenRead_HeaderAndOneSeek_DownloadsOnlyBufferedRanges()
    {
        byte[] content = TestStreams.Bytes(4 * 1024 * 1024, seed: 60);
        await WriteAsync("big.fits", content);
        responses.Reset();

        await using Stream stream = await Store.OpenReadAsync(At("big.fits"));
        byte[] header = new byte[2880];
        await stream.ReadExactlyAsync(header);
        stream.Position = 3 * 1024 * 1024;
        await stream.ReadExactlyAsync(header);

        Assert.Equal(content.AsSpan(3 * 1024 * 1024, 2880).ToArray(), header);
        // Two 64 KiB buffer fills, not 4 MiB: the FITS header read must not download the image.
        Assert.InRange(responses.BodyBytes, 2880 * 2, 2 * 64 * 1024);
    }

    [Fact]
    public async Task OpenRead_BlobReplacedDuringRead_ThrowsBlobStoreExceptionNotAlreadyExists()
    {
        await WriteAsync("moving.fits", TestStreams.Bytes(300_000, seed: 61));
        await using Stream stream = await Store.OpenReadAsync(At("moving.fits"));
        await stream.ReadExactlyAsync(new byte[100]);
        await WriteAsync("moving.fits", TestStreams.Bytes(300_000, seed: 62), overwrite: true);

        stream.Position = 200_000; // outside the first 64 KiB buffer: a new range request
        var e = await Assert.ThrowsAsync<BlobStoreException>(async () => await stream.ReadExactlyAsync(new byte[100]));
        Assert.Contains("replaced while it was being read", e.Message);
    }

    [Fact]
    public void AccountUrl_IsAzuriteEndpoint()
    {
        Assert.Equal(azurite.Server.BlobEndpoint.AbsoluteUri.TrimEnd('/'), Azure.AccountUrl.AbsoluteUri.TrimEnd('/'));
    }

    [Fact]
    public void GetBlobUrl_RoundTripsThroughFromUri()
    {
        BlobPath path = At("night 1/exp+1.fits");
        Assert.Equal(path, BlobPath.FromUri(Azure.GetBlobUrl(path), Azure.AccountUrl));
    }

    [Fact]
    public async Task Write_ToNewContainer_CreatesContainerOnDemand()
    {
        var path = new BlobPath(Container + "-new", "a.bin");
        await Store.WriteAsync(path, new MemoryStream([4]), overwrite: false);
        Assert.True(await Store.ExistsAsync(path));
        await Store.DeleteAsync(path);
    }

    /// <summary>Counts response bytes so tests can prove that reads fetch ranges, not whole blobs.</summary>
    private sealed class ResponseCounter : HttpPipelineSynchronousPolicy
    {
        private long bodyBytes;

        public long BodyBytes => Interlocked.Read(ref bodyBytes);

        public void Reset() => Interlocked.Exchange(ref bodyBytes, 0);

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && message.Response.Headers.ContentLengthLong is long length)
            {
                Interlocked.Add(ref bodyBytes, length);
            }
        }
    }
}
