using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

/// <summary>The contract on a local folder, plus what only a folder can get wrong.</summary>
public sealed class LocalFolderBlobStoreTests : BlobStoreContract
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "imred-store-" + Guid.NewGuid().ToString("N"));

    protected override IBlobStore CreateStore() => new LocalFolderBlobStore(root);

    public override Task DisposeAsync()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private LocalFolderBlobStore Local => (LocalFolderBlobStore)Store;

    [Fact]
    public async Task StageBlock_WhileOtherRunsDiscardTheirBlocksOfTheSameBlob_NeverFails()
    {
        // Each discard removes the emptied blocks folder; a stage running meanwhile must make it again, not fail with
        // "already exists" when mkdir meets the folder that is being removed (seen in the concurrent-writer rounds).
        BlobPath path = At("contended.fits");
        const int runs = 4;
        const int rounds = 1500;
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        await Task.WhenAll(Enumerable.Range(0, runs).Select(run => Task.Run(async () =>
        {
            for (int round = 0; round < rounds; round++)
            {
                try
                {
                    await Store.StageBlockAsync(path, Id($"run-{run}-part-{round}"), new MemoryStream([(byte)run]));
                    Assert.Equal(1, await Store.DiscardBlocksAsync(path, $"run-{run}-"));
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })));

        Assert.Empty(failures);
    }

    [Fact]
    public async Task DiscardBlocks_OneRunsPrefix_DropsOnlyItsBlocksAndTheOtherRunStillCommits()
    {
        BlobPath path = At("shared.fits");
        await Store.StageBlockAsync(path, Id("run-a-part-0"), new MemoryStream([1]));
        await Store.StageBlockAsync(path, Id("run-a-part-1"), new MemoryStream([2]));
        await Store.StageBlockAsync(path, Id("run-b-part-0"), new MemoryStream([3]));

        Assert.Equal(2, await Store.DiscardBlocksAsync(path, "run-a-"));

        await Assert.ThrowsAsync<InvalidBlockListException>(() => Store.CommitBlocksAsync(path, [Id("run-a-part-0")], overwrite: true));
        await Store.CommitBlocksAsync(path, [Id("run-b-part-0")], overwrite: true);
        Assert.Equal([3], await ReadAllAsync(path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteIfMatch_TwoStoresOnOneFolder_ExactlyOneOfManyRacingSwapsWins()
    {
        // Processes sharing a folder (imred run --connection FOLDER) see each other's locks: a swap is atomic across stores.
        await WriteAsync("swap.json", [0]);
        string seen = (await Store.GetPropertiesAsync(At("swap.json"))).ETag;
        var other = new LocalFolderBlobStore(root);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            IBlobStore store = w % 2 == 0 ? Store : other;
            try
            {
                await store.WriteAsync(At("swap.json"), new MemoryStream([(byte)w]), BlobCondition.IfMatch(seen));
                return w;
            }
            catch (BlobChangedException)
            {
                return -1;
            }
        })));

        int winner = Assert.Single(outcomes, w => w >= 0);
        Assert.Equal([(byte)winner], await ReadAllAsync(At("swap.json")));
    }

    [Fact]
    public async Task Write_NestedName_CreatesFileUnderContainerFolder()
    {
        await WriteAsync("night/visit/exp.fits", [1, 2]);
        string file = Path.Combine(root, Container, "night", "visit", "exp.fits");
        Assert.Equal(file, Local.GetFilePath(At("night/visit/exp.fits")));
        Assert.Equal([1, 2], await File.ReadAllBytesAsync(file));
    }

    [Theory]
    [InlineData("..a/b")]
    [InlineData("a../b")]
    [InlineData("a/...b")]
    public void GetFilePath_NamesWithDots_StayInsideContainerFolder(string name)
    {
        string file = Local.GetFilePath(At(name));
        Assert.StartsWith(Path.Combine(root, Container) + Path.DirectorySeparatorChar, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StagedBlocksAndTempFiles_NeverAppearInAnyContainer()
    {
        await Store.StageBlockAsync(At("pending.fits"), Id("part-0"), new MemoryStream([1]));
        await WriteAsync("done.fits", [1]);

        // Everything the store keeps besides blobs lives in dot-folders, which no container name can match.
        string[] topLevel = [.. Directory.GetDirectories(root).Select(Path.GetFileName)!];
        Assert.All(topLevel, name => Assert.True(name == Container || name!.StartsWith('.'), name));
        Assert.Equal(["done.fits"], await ListNamesAsync(""));
    }

    [Fact]
    public async Task Write_NameThatIsAlsoAFolderOfBlobs_ThrowsBlobStoreException()
    {
        await WriteAsync("a/b", [1]);
        var e = await Assert.ThrowsAsync<BlobStoreException>(() => WriteAsync("a", [2]));
        Assert.Equal(At("a"), e.Path);
        Assert.Equal([1], await ReadAllAsync(At("a/b")));
    }

    [Fact]
    public async Task OpenRead_NameThatIsAFolderOfBlobs_ThrowsBlobNotFound()
    {
        await WriteAsync("a/b", [1]);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(At("a")));
        Assert.False(await Store.ExistsAsync(At("a")));
    }

    [Fact]
    public async Task OpenRead_ThenOverwrite_OpenStreamKeepsReadingOldVersion()
    {
        await WriteAsync("v.bin", [1, 2, 3]);
        await using Stream old = await Store.OpenReadAsync(At("v.bin"));
        await WriteAsync("v.bin", [9, 9, 9, 9], overwrite: true);
        Assert.Equal([1, 2, 3], await TestStreams.ReadAllAsync(old));
    }

    [Fact]
    public async Task CommitBlocks_AfterPlainOverwrite_DoesNotReuseStaleBlocks()
    {
        BlobPath path = At("stale.fits");
        await Store.StageBlockAsync(path, Id("part-0"), new MemoryStream([1, 1]));
        await Store.CommitBlocksAsync(path, [Id("part-0")], overwrite: true);
        await WriteAsync("stale.fits", [7], overwrite: true);

        // The committed block list described the replaced content; Azure forgets it too.
        await Assert.ThrowsAsync<InvalidBlockListException>(() => Store.CommitBlocksAsync(path, [Id("part-0")], overwrite: true));
        Assert.Equal([7], await ReadAllAsync(path));
    }

    [Fact]
    public async Task Delete_LastBlobOfFolder_RemovesEmptyFolders()
    {
        await WriteAsync("x/y/z.bin", [1]);
        await Store.DeleteAsync(At("x/y/z.bin"));
        Assert.False(Directory.Exists(Path.Combine(root, Container, "x")));
    }
}
