using Azure.Core;
using Azure.Core.Pipeline;
using ImageReducer.Engine.Errors;
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
    public async Task OpenRead_BlobReplacedDuringRead_ThrowsBlobReplacedNotAlreadyExists()
    {
        await WriteAsync("moving.fits", TestStreams.Bytes(300_000, seed: 61));
        await using Stream stream = await Store.OpenReadAsync(At("moving.fits"));
        await stream.ReadExactlyAsync(new byte[100]);
        await WriteAsync("moving.fits", TestStreams.Bytes(300_000, seed: 62), overwrite: true);

        stream.Position = 200_000; // outside the first 64 KiB buffer: a new range request
        var e = await Assert.ThrowsAsync<BlobReplacedException>(async () => await stream.ReadExactlyAsync(new byte[100]));
        Assert.Contains("replaced while it was being read", e.Message);
        Assert.Equal(ErrorClass.Unavailable, e.ErrorClass);
    }

    [Fact]
    public async Task ReadAll_BlobReplacedBetweenOpenAndFirstRange_ReadsTheNewVersionWhole()
    {
        // The race concurrent runs hit on the output's metadata: the stream pins the ETag at open, another run publishes
        // before the first range request, and that request gets 412. The whole read starts again on the new version.
        byte[] first = TestStreams.Bytes(1000, seed: 63), second = TestStreams.Bytes(1200, seed: 64);
        await WriteAsync("same.fits.metadata.json", first);
        var replacing = new ReplacingOnOpenStore(Store, second, replacements: 1);

        byte[] read = await replacing.ReadAllAsync(At("same.fits.metadata.json"));

        Assert.Equal(second, read);
        Assert.Equal(2, replacing.Opens);
    }

    [Fact]
    public async Task ReadAll_BlobReplacedDuringEveryRead_ThrowsBlobReplacedAfterItsRounds()
    {
        await WriteAsync("busy.json", TestStreams.Bytes(1000, seed: 65));
        var replacing = new ReplacingOnOpenStore(Store, TestStreams.Bytes(1000, seed: 66), replacements: int.MaxValue);

        var e = await Assert.ThrowsAsync<BlobReplacedException>(() => replacing.ReadAllAsync(At("busy.json")));

        Assert.Equal(At("busy.json"), e.Path);
        Assert.Equal(BlobReads.Rounds, replacing.Opens);
    }

    /// <summary>Replaces the blob right after opening a stream on it, the first <c>replacements</c> times.</summary>
    private sealed class ReplacingOnOpenStore(IBlobStore inner, byte[] replacement, int replacements) : DelegatingBlobStore(inner)
    {
        public int Opens { get; private set; }

        public override async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default)
        {
            Stream stream = await Inner.OpenReadAsync(path, cancellationToken);
            if (Opens++ < replacements) await Inner.WriteAsync(path, new MemoryStream(replacement), overwrite: true, cancellationToken);
            return stream;
        }
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
