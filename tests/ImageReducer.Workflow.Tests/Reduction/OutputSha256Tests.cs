using System.Security.Cryptography;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>The metadata's SHA-256 is the SHA-256 of the output's bytes (what sha256sum prints), on Azurite and on a local folder.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutputSha256Tests(AzuriteFixture azurite) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-sha-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("azurite", "average", 4)]
    [InlineData("azurite", "sum", 1000)]
    [InlineData("local", "average", 3)]
    [InlineData("local", "coaddPsf", 5)]
    [InlineData("local", "none", 5)]
    public async Task RunAsync_AnyOutput_MetadataSha256IsTheOutputsSha256(string backend, string operation, int tileSize)
    {
        IBlobStore store = backend == "azurite" ? new AzureBlobStore(azurite.ConnectionString) : new LocalFolderBlobStore(root);
        string mapper = operation switch { "coaddPsf" => "psf", "none" => "mean", _ => "add" };
        var input = new BlobPath("sha", $"{operation}-{tileSize}.fits");
        var output = new BlobPath("sha-out", $"{operation}-{tileSize}.out");
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(width: 37, height: 29, seed: tileSize));

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(
            new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config(mapper, operation)), tileSize));

        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        string actual = Convert.ToHexStringLower(SHA256.HashData(await ReductionInputs.DownloadAsync(store, output)));
        ReductionMetadata metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(store, ReductionNames.Metadata(output)));
        Assert.Equal(actual, metadata.OutputSha256);
        Assert.Equal(actual, summary.OutputSha256);
        Assert.Equal(summary.OutputBytes, metadata.OutputBytes);
    }

    [Fact]
    public async Task RunAsync_HashingOff_ExposureMetadataHasNoSha256AndReadsNoPixels()
    {
        IBlobStore store = new AzureBlobStore(azurite.ConnectionString);
        var input = new BlobPath("sha", "off.fits");
        var output = new BlobPath("sha-out", "off.fits");
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 40));
        var services = ReductionServices.Create(store) with { HashOutputs = false };

        ReductionSummary summary = await new TiledReduction(services).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 6));

        Assert.Equal(ReductionStatus.Succeeded, summary.Status);
        ReductionMetadata metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(store, ReductionNames.Metadata(output)));
        Assert.Null(metadata.OutputSha256);
        Assert.Equal(0, metadata.OutputHashBytesRead);
    }

    [Fact]
    public async Task HashAsync_BlobLongerThanOneRange_MatchesSha256OfTheBytes()
    {
        // Several 8 MiB ranges in flight, hashed in order, the last one partial.
        var store = new AzureBlobStore(azurite.ConnectionString);
        byte[] bytes = new byte[2 * OutputHasher.RangeBytes + 12345];
        new Random(5).NextBytes(bytes);
        var path = new BlobPath("sha", "long.bin");
        await ReductionInputs.UploadAsync(store, path, bytes);
        BlobInfo info = await store.GetPropertiesAsync(path);

        string sha = await new OutputHasher(store).HashAsync(path, info.Size, info.ETag, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
    }

    [Fact]
    public async Task HashAsync_BlobReplacedSinceItsETag_FailsInsteadOfHashingAnotherVersion()
    {
        var store = new AzureBlobStore(azurite.ConnectionString);
        var path = new BlobPath("sha", "replaced.bin");
        await ReductionInputs.UploadAsync(store, path, [1, 2, 3]);
        string old = (await store.GetPropertiesAsync(path)).ETag;
        await ReductionInputs.UploadAsync(store, path, [4, 5, 6]);

        var e = await Assert.ThrowsAsync<BlobReplacedException>(() => new OutputHasher(store).HashAsync(path, 3, old, CancellationToken.None));
        Assert.Equal(old, e.ExpectedETag);
    }
}
