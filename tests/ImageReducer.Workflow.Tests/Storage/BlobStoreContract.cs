using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

/// <summary>
/// One contract, every implementation: each <see cref="IBlobStore"/> backend derives from this class
/// and must pass every test unchanged. Byte comparisons are exact: storage must not alter content.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    private IBlobStore? store;

    /// <summary>A fresh container name per test, so tests never see each other's blobs.</summary>
    protected string Container { get; } = "t" + Guid.NewGuid().ToString("N")[..20];

    protected IBlobStore Store => this.store ?? throw new InvalidOperationException("Store not created yet.");

    /// <summary>Creates the store under test (called once per test).</summary>
    protected abstract IBlobStore CreateStore();

    public virtual Task InitializeAsync()
    {
        this.store = CreateStore();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected BlobPath At(string name) => new(Container, name);

    protected async Task WriteAsync(string name, byte[] content, bool overwrite = true) =>
        await Store.WriteAsync(At(name), new MemoryStream(content), overwrite);

    protected async Task<byte[]> ReadAllAsync(BlobPath path)
    {
        await using Stream stream = await Store.OpenReadAsync(path);
        return await TestStreams.ReadAllAsync(stream);
    }

    protected static string Id(string label) => BlockIds.FromLabel(label);

    // ---- missing blobs ----

    [Fact]
    public async Task OpenRead_MissingBlob_ThrowsBlobNotFound()
    {
        await WriteAsync("other.fits", [1]);
        var e = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(At("missing.fits")));
        Assert.Equal(At("missing.fits"), e.Path);
    }

    [Fact]
    public async Task OpenRead_MissingContainer_ThrowsBlobNotFound()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(At("missing.fits")));
    }

    [Fact]
    public async Task ReadRange_MissingBlob_ThrowsBlobNotFound()
    {
        await WriteAsync("other.fits", [1]);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.ReadRangeAsync(At("missing.fits"), 0, 10));
    }

    [Fact]
    public async Task GetProperties_MissingBlob_ThrowsBlobNotFound()
    {
        await WriteAsync("other.fits", [1]);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.GetPropertiesAsync(At("missing.fits")));
    }

    [Fact]
    public async Task Exists_MissingAndPresent_ReportsEach()
    {
        await WriteAsync("present.fits", [1, 2]);
        Assert.True(await Store.ExistsAsync(At("present.fits")));
        Assert.False(await Store.ExistsAsync(At("absent.fits")));
    }

    // ---- whole writes and reads ----

    [Fact]
    public async Task Write_ThenOpenRead_ReturnsSameBytes()
    {
        byte[] content = TestStreams.Bytes(300_000, seed: 1);
        await WriteAsync("night/visit/exp.fits", content);
        Assert.Equal(content, await ReadAllAsync(At("night/visit/exp.fits")));
    }

    [Fact]
    public async Task Write_EmptyContent_StoresEmptyBlob()
    {
        await WriteAsync("empty.bin", []);
        Assert.Equal(0, (await Store.GetPropertiesAsync(At("empty.bin"))).Size);
        Assert.Empty(await ReadAllAsync(At("empty.bin")));
        Assert.Empty(await Store.ReadRangeAsync(At("empty.bin"), 0, 10));
    }

    [Fact]
    public async Task Write_NonSeekableStreamLargerThanOneRequest_StoresEveryByte()
    {
        byte[] content = TestStreams.Bytes(1_100_000, seed: 2);
        await Store.WriteAsync(At("streamed.bin"), TestStreams.NonSeekable(content), overwrite: false);
        Assert.Equal(content, await ReadAllAsync(At("streamed.bin")));
    }

    [Fact]
    public async Task Write_SourceFailsMidway_LeavesNoBlob()
    {
        byte[] content = TestStreams.Bytes(1_100_000, seed: 3);
        await Assert.ThrowsAnyAsync<IOException>(
            () => Store.WriteAsync(At("half.bin"), TestStreams.NonSeekable(content, failAfter: 600_000), overwrite: true));
        Assert.False(await Store.ExistsAsync(At("half.bin")));
    }

    [Fact]
    public async Task Write_SourceFailsMidwayOverExisting_KeepsPreviousContent()
    {
        byte[] previous = TestStreams.Bytes(1000, seed: 4);
        await WriteAsync("out.bin", previous);
        byte[] content = TestStreams.Bytes(1_100_000, seed: 5);
        await Assert.ThrowsAnyAsync<IOException>(
            () => Store.WriteAsync(At("out.bin"), TestStreams.NonSeekable(content, failAfter: 600_000), overwrite: true));
        Assert.Equal(previous, await ReadAllAsync(At("out.bin")));
    }

    [Fact]
    public async Task Write_OverwriteFalseOnExisting_ThrowsAlreadyExistsAndKeepsContent()
    {
        await WriteAsync("once.bin", [1, 2, 3]);
        var e = await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => WriteAsync("once.bin", [9], overwrite: false));
        Assert.Equal(At("once.bin"), e.Path);
        Assert.Equal([1, 2, 3], await ReadAllAsync(At("once.bin")));
    }

    [Fact]
    public async Task Write_OverwriteTrueOnExisting_ReplacesContent()
    {
        await WriteAsync("twice.bin", [1, 2, 3]);
        await WriteAsync("twice.bin", [7, 8], overwrite: true);
        Assert.Equal([7, 8], await ReadAllAsync(At("twice.bin")));
    }

    // ---- range reads and seeking ----

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 2880)]
    [InlineData(99_990, 10)]     // exactly the last bytes
    [InlineData(99_995, 100)]    // runs past the end: truncated
    [InlineData(54_321, 12_345)]
    [InlineData(100_000, 10)]    // at the end: nothing
    [InlineData(150_000, 10)]    // past the end: nothing
    [InlineData(500, 0)]
    public async Task ReadRange_AnyOffset_ReturnsThoseBytes(long offset, int length)
    {
        byte[] content = TestStreams.Bytes(100_000, seed: 6);
        await WriteAsync("range.bin", content);
        byte[] expected = content.Skip((int)Math.Min(offset, content.Length)).Take(length).ToArray();
        Assert.Equal(expected, await Store.ReadRangeAsync(At("range.bin"), offset, length));
    }

    [Fact]
    public async Task ReadRange_NegativeOffset_ThrowsArgumentOutOfRange()
    {
        await WriteAsync("range.bin", [1, 2, 3]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReadRangeAsync(At("range.bin"), -1, 2));
    }

    [Fact]
    public async Task OpenRead_RandomSeeks_ReadSameBytesAsFullContent()
    {
        byte[] content = TestStreams.Bytes(400_000, seed: 7);
        await WriteAsync("seek.fits", content);
        await using Stream stream = await Store.OpenReadAsync(At("seek.fits"));
        Assert.True(stream.CanSeek);
        Assert.Equal(content.Length, stream.Length);

        var random = new Random(8);
        byte[] buffer = new byte[20_000];
        for (int i = 0; i < 40; i++)
        {
            long position = i == 0 ? content.Length - 100 : random.Next(content.Length);
            int want = random.Next(1, buffer.Length);
            if (i % 2 == 0)
            {
                stream.Position = position;
            }
            else
            {
                stream.Seek(position - stream.Position, SeekOrigin.Current);
            }

            int got = await stream.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false);
            Assert.Equal((int)Math.Min(want, content.Length - position), got);
            Assert.True(content.AsSpan((int)position, got).SequenceEqual(buffer.AsSpan(0, got)), $"bytes differ after seeking to {position}");
            Assert.Equal(position + got, stream.Position);
        }

        stream.Seek(-10, SeekOrigin.End);
        Assert.Equal(content[^10..], await TestStreams.ReadAllAsync(stream));
    }

    // ---- blocks ----

    [Fact]
    public async Task CommitBlocks_StagedInAnyOrder_IsConcatenationInListOrder()
    {
        byte[][] parts = [TestStreams.Bytes(70_000, 10), TestStreams.Bytes(1, 11), TestStreams.Bytes(33_333, 12), TestStreams.Bytes(5000, 13)];
        string[] ids = [.. Enumerable.Range(0, parts.Length).Select(i => Id($"tile-{i:D4}-plane-1-part-0000"))];
        foreach (int i in (int[])[2, 0, 3, 1])
        {
            await Store.StageBlockAsync(At("coadd.fits"), ids[i], new MemoryStream(parts[i]));
        }

        await Store.CommitBlocksAsync(At("coadd.fits"), ids, overwrite: false);

        Assert.Equal(parts.SelectMany(p => p).ToArray(), await ReadAllAsync(At("coadd.fits")));
    }

    [Fact]
    public async Task StageBlock_ManyConcurrentStagers_CommitIsConcatenationInListOrder()
    {
        // Map steps stage their tiles in parallel, from different workers, in no particular order.
        byte[][] parts = [.. Enumerable.Range(0, 16).Select(i => TestStreams.Bytes(1000 + 97 * i, 100 + i))];
        string[] ids = [.. Enumerable.Range(0, parts.Length).Select(i => Id($"tile-{i:D4}-plane-0-part-0000"))];
        await Task.WhenAll(Enumerable.Range(0, parts.Length).Reverse().Select(
            i => Task.Run(() => Store.StageBlockAsync(At("parallel.fits"), ids[i], new MemoryStream(parts[i])))));

        await Store.CommitBlocksAsync(At("parallel.fits"), ids, overwrite: false);

        Assert.Equal(parts.SelectMany(p => p).ToArray(), await ReadAllAsync(At("parallel.fits")));
    }

    [Fact]
    public async Task StageBlock_BeforeCommit_BlobIsInvisible()
    {
        await Store.StageBlockAsync(At("pending.fits"), Id("part-0"), new MemoryStream([1, 2, 3]));
        Assert.False(await Store.ExistsAsync(At("pending.fits")));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(At("pending.fits")));
        Assert.Empty(await ListNamesAsync(""));
    }

    [Fact]
    public async Task StageBlock_SameIdTwice_LastContentWins()
    {
        await Store.StageBlockAsync(At("rerun.fits"), Id("part-0"), new MemoryStream([1, 1, 1]));
        await Store.StageBlockAsync(At("rerun.fits"), Id("part-0"), TestStreams.NonSeekable([2, 2]));
        await Store.CommitBlocksAsync(At("rerun.fits"), [Id("part-0")], overwrite: false);
        Assert.Equal([2, 2], await ReadAllAsync(At("rerun.fits")));
    }

    [Fact]
    public async Task CommitBlocks_BlocksLeftOut_AreDiscarded()
    {
        BlobPath path = At("subset.fits");
        await Store.StageBlockAsync(path, Id("part-a"), new MemoryStream([1]));
        await Store.StageBlockAsync(path, Id("part-b"), new MemoryStream([2]));
        await Store.StageBlockAsync(path, Id("part-c"), new MemoryStream([3]));

        await Store.CommitBlocksAsync(path, [Id("part-a"), Id("part-c")], overwrite: false);

        Assert.Equal([1, 3], await ReadAllAsync(path));
        await Assert.ThrowsAsync<InvalidBlockListException>(() => Store.CommitBlocksAsync(path, [Id("part-b")], overwrite: true));
        Assert.Equal([1, 3], await ReadAllAsync(path));
    }

    [Fact]
    public async Task CommitBlocks_SameListAgain_ReproducesContent()
    {
        // At-least-once execution: a reduce step that commits twice must succeed both times.
        BlobPath path = At("again.fits");
        byte[] a = TestStreams.Bytes(10_000, 20), b = TestStreams.Bytes(20_000, 21);
        await Store.StageBlockAsync(path, Id("part-0"), new MemoryStream(a));
        await Store.StageBlockAsync(path, Id("part-1"), new MemoryStream(b));
        await Store.CommitBlocksAsync(path, [Id("part-0"), Id("part-1")], overwrite: true);

        await Store.CommitBlocksAsync(path, [Id("part-0"), Id("part-1")], overwrite: true);

        Assert.Equal(a.Concat(b).ToArray(), await ReadAllAsync(path));
    }

    [Fact]
    public async Task CommitBlocks_CommittedAndNewlyStagedBlocks_AreCombined()
    {
        BlobPath path = At("mixed.fits");
        await Store.StageBlockAsync(path, Id("part-0"), new MemoryStream([1, 1]));
        await Store.CommitBlocksAsync(path, [Id("part-0")], overwrite: false);
        await Store.StageBlockAsync(path, Id("part-1"), new MemoryStream([2]));

        await Store.CommitBlocksAsync(path, [Id("part-1"), Id("part-0")], overwrite: true);

        Assert.Equal([2, 1, 1], await ReadAllAsync(path));
    }

    [Fact]
    public async Task CommitBlocks_UnstagedBlock_ThrowsInvalidBlockList()
    {
        BlobPath path = At("gap.fits");
        await Store.StageBlockAsync(path, Id("part-0"), new MemoryStream([1]));
        var e = await Assert.ThrowsAsync<InvalidBlockListException>(
            () => Store.CommitBlocksAsync(path, [Id("part-0"), Id("part-1")], overwrite: false));
        Assert.Equal(path, e.Path);
        Assert.False(await Store.ExistsAsync(path));
    }

    [Fact]
    public async Task CommitBlocks_OverwriteFalseOnExisting_ThrowsAlreadyExists()
    {
        await WriteAsync("taken.fits", [5]);
        await Store.StageBlockAsync(At("taken.fits"), Id("part-0"), new MemoryStream([1]));
        await Assert.ThrowsAsync<BlobAlreadyExistsException>(
            () => Store.CommitBlocksAsync(At("taken.fits"), [Id("part-0")], overwrite: false));
        Assert.Equal([5], await ReadAllAsync(At("taken.fits")));
    }

    [Fact]
    public async Task StageBlock_IdNotBase64_ThrowsArgument()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.StageBlockAsync(At("bad.fits"), "not base64!", new MemoryStream([1])));
    }

    [Fact]
    public async Task CommitBlocks_IdsOfDifferentLengths_ThrowsArgument()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.CommitBlocksAsync(At("bad.fits"), [Id("part-1"), Id("part-10")], overwrite: true));
    }

    // ---- listing and deleting ----

    [Fact]
    public async Task List_ByPrefix_ReturnsMatchesSortedByName()
    {
        foreach (string name in (string[])["n1/v2/e1.fits", "n1/v1/e2.fits", "n10/v1/e1.fits", "n1/v1/e1.fits", "n2/v1/e1.fits"])
        {
            await WriteAsync(name, TestStreams.Bytes(name.Length, 30));
        }

        Assert.Equal(["n1/v1/e1.fits", "n1/v1/e2.fits", "n1/v2/e1.fits"], await ListNamesAsync("n1/"));
        Assert.Equal(["n1/v1/e1.fits", "n1/v1/e2.fits"], await ListNamesAsync("n1/v1/e"));
        Assert.Equal(["n1/v1/e1.fits", "n1/v1/e2.fits", "n1/v2/e1.fits", "n10/v1/e1.fits"], await ListNamesAsync("n1"));
        Assert.Equal(5, (await ListNamesAsync("")).Count);
        Assert.Empty(await ListNamesAsync("n3"));
    }

    [Fact]
    public async Task List_ReportsSizeAndEtagOfEachBlob()
    {
        await WriteAsync("a.bin", new byte[123]);
        BlobInfo listed = Assert.Single(await ListAsync(""));
        BlobInfo properties = await Store.GetPropertiesAsync(At("a.bin"));
        Assert.Equal(At("a.bin"), listed.Path);
        Assert.Equal(123, listed.Size);
        Assert.Equal(properties.ETag, listed.ETag);
    }

    [Fact]
    public async Task List_MissingContainer_IsEmpty()
    {
        Assert.Empty(await ListNamesAsync(""));
    }

    // ---- paged listing ----

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(50)]
    public async Task ListPage_PagesPartitionTheListingInNameOrder(int pageSize)
    {
        string[] names = ["n/v2/e1.fits", "n/v1/e2.fits", "n/v1/e1.fits", "n/v3/e9.fits", "n/v1/e10.fits", "n/v3/e1.fits", "n/z.txt"];
        foreach (string name in names) await WriteAsync(name, [1, 2]);
        await WriteAsync("m/outside.fits", [1]);
        await WriteAsync("na/outside.fits", [1]);

        var pages = await ListPagesAsync("n/", pageSize);

        Assert.Equal(await ListNamesAsync("n/"), pages.SelectMany(p => p.Blobs).Select(b => b.Path.Name));
        Assert.All(pages, p => Assert.InRange(p.Blobs.Count, 0, pageSize));
        Assert.All(pages[..^1], p => Assert.NotNull(p.Continuation));
        Assert.True(pages[^1].IsLast);
        Assert.True(pages.Count >= (names.Length + pageSize - 1) / pageSize);
    }

    [Fact]
    public async Task ListPage_ReportsSizeAndEtagAsListDoes()
    {
        await WriteAsync("p/a.bin", new byte[77]);
        BlobListPage page = await Store.ListPageAsync(Container, "p/", null, 10);
        Assert.Equal(await ListAsync("p/"), page.Blobs);
        Assert.Equal(77, Assert.Single(page.Blobs).Size);
        Assert.True(page.IsLast);
    }

    [Fact]
    public async Task ListPage_ResumedFromItsToken_GivesTheSameNextPage()
    {
        for (int i = 0; i < 5; i++) await WriteAsync($"r/e{i}.fits", [1]);
        BlobListPage first = await Store.ListPageAsync(Container, "r/", null, 2);

        BlobListPage second = await Store.ListPageAsync(Container, "r/", first.Continuation, 2);
        BlobListPage again = await Store.ListPageAsync(Container, "r/", first.Continuation, 2);

        Assert.Equal(second.Blobs.Select(b => b.Path.Name), again.Blobs.Select(b => b.Path.Name));
        Assert.DoesNotContain(second.Blobs, b => first.Blobs.Any(f => f.Path == b.Path));
    }

    [Fact]
    public async Task ListPage_MissingContainer_IsOneEmptyLastPage()
    {
        BlobListPage page = await Store.ListPageAsync(Container, "", null, 100);
        Assert.Empty(page.Blobs);
        Assert.True(page.IsLast);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(BlobListPage.MaxPageSize + 1)]
    public async Task ListPage_PageSizeOutOfRange_Throws(int pageSize)
    {
        await WriteAsync("x.bin", [1]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListPageAsync(Container, "", null, pageSize));
    }

    protected async Task<List<BlobListPage>> ListPagesAsync(string prefix, int pageSize)
    {
        var pages = new List<BlobListPage>();
        string? continuation = null;
        do
        {
            BlobListPage page = await Store.ListPageAsync(Container, prefix, continuation, pageSize);
            pages.Add(page);
            continuation = page.Continuation;
            Assert.True(pages.Count <= 100, "the listing did not end");
        }
        while (continuation is not null);
        return pages;
    }

    [Fact]
    public async Task Delete_Existing_ReturnsTrueThenFalse()
    {
        await WriteAsync("gone.bin", [1]);
        Assert.True(await Store.DeleteAsync(At("gone.bin")));
        Assert.False(await Store.ExistsAsync(At("gone.bin")));
        Assert.False(await Store.DeleteAsync(At("gone.bin")));
    }

    [Fact]
    public async Task DeletePrefix_RemovesOnlyMatchingBlobs()
    {
        foreach (string name in (string[])["job/a/1", "job/a/2", "job/b/1", "jobs/x"])
        {
            await WriteAsync(name, [1]);
        }

        Assert.Equal(3, await Store.DeletePrefixAsync(Container, "job/"));

        Assert.Equal(["jobs/x"], await ListNamesAsync(""));
    }

    // ---- copy and conditional create ----

    [Fact]
    public async Task Copy_ToOtherContainer_CopiesContentAndKeepsSource()
    {
        byte[] content = TestStreams.Bytes(50_000, 40);
        await WriteAsync("bad.fits", content);
        var quarantine = new BlobPath(Container + "-q", "night/bad.fits");

        await Store.CopyAsync(At("bad.fits"), quarantine, overwrite: false);

        Assert.Equal(content, await ReadAllAsync(quarantine));
        Assert.Equal(content, await ReadAllAsync(At("bad.fits")));
        await Store.DeletePrefixAsync(quarantine.Container, "");
    }

    [Fact]
    public async Task Copy_MissingSource_ThrowsBlobNotFoundForSource()
    {
        await WriteAsync("other.bin", [1]);
        var e = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.CopyAsync(At("missing.bin"), At("copy.bin"), overwrite: true));
        Assert.Equal(At("missing.bin"), e.Path);
        Assert.False(await Store.ExistsAsync(At("copy.bin")));
    }

    [Fact]
    public async Task Copy_OverwriteFalseOnExisting_ThrowsAlreadyExists()
    {
        await WriteAsync("src.bin", [1]);
        await WriteAsync("dst.bin", [2]);
        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.CopyAsync(At("src.bin"), At("dst.bin"), overwrite: false));
        Assert.Equal([2], await ReadAllAsync(At("dst.bin")));
    }

    [Fact]
    public async Task TryCreate_FirstCallTrue_SecondFalseAndContentKept()
    {
        Assert.True(await Store.TryCreateAsync(At("markers/done"), new byte[] { 1 }));
        Assert.False(await Store.TryCreateAsync(At("markers/done"), new byte[] { 2 }));
        Assert.Equal([1], await ReadAllAsync(At("markers/done")));
    }

    [Fact]
    public async Task TryCreate_ConcurrentCallers_ExactlyOneWins()
    {
        await WriteAsync("warm-up", [0]); // the container exists, so only the marker races
        bool[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(
            i => Task.Run(() => Store.TryCreateAsync(At("markers/race"), new byte[] { (byte)i }))));
        Assert.Equal(1, results.Count(r => r));
        byte winner = (byte)Array.IndexOf(results, true);
        Assert.Equal([winner], await ReadAllAsync(At("markers/race")));
    }

    // ---- properties ----

    [Fact]
    public async Task GetProperties_ReportsSizeAndRecentTime()
    {
        await WriteAsync("p.bin", new byte[4321]);
        BlobInfo info = await Store.GetPropertiesAsync(At("p.bin"));
        Assert.Equal(At("p.bin"), info.Path);
        Assert.Equal(4321, info.Size);
        Assert.False(string.IsNullOrEmpty(info.ETag));
        Assert.DoesNotContain('"', info.ETag);
        // Clocks of the test and the store may differ a little (Azurite's is the same machine's).
        Assert.InRange(info.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task GetProperties_AfterOverwrite_EtagChanges()
    {
        await WriteAsync("v.bin", [1, 2]);
        string first = (await Store.GetPropertiesAsync(At("v.bin"))).ETag;
        Assert.Equal(first, (await Store.GetPropertiesAsync(At("v.bin"))).ETag);

        await WriteAsync("v.bin", [3, 4], overwrite: true);

        Assert.NotEqual(first, (await Store.GetPropertiesAsync(At("v.bin"))).ETag);
    }

    // ---- cancellation ----

    public static TheoryData<string> Operations() =>
    [
        "OpenRead", "ReadRange", "Write", "StageBlock", "CommitBlocks", "GetProperties", "Exists",
        "Delete", "DeletePrefix", "List", "ListPage", "Copy", "TryCreate",
    ];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnyOperation_CancelledToken_ThrowsOperationCanceled(string operation)
    {
        await WriteAsync("c.bin", TestStreams.Bytes(1000, 50));
        await Store.StageBlockAsync(At("c2.bin"), Id("part-0"), new MemoryStream([1]));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        CancellationToken token = cancelled.Token;

        Func<Task> call = operation switch
        {
            "OpenRead" => () => Store.OpenReadAsync(At("c.bin"), token),
            "ReadRange" => () => Store.ReadRangeAsync(At("c.bin"), 0, 10, token),
            "Write" => () => Store.WriteAsync(At("c3.bin"), new MemoryStream([1]), overwrite: true, token),
            "StageBlock" => () => Store.StageBlockAsync(At("c2.bin"), Id("part-1"), new MemoryStream([1]), token),
            "CommitBlocks" => () => Store.CommitBlocksAsync(At("c2.bin"), [Id("part-0")], overwrite: true, token),
            "GetProperties" => () => Store.GetPropertiesAsync(At("c.bin"), token),
            "Exists" => () => Store.ExistsAsync(At("c.bin"), token),
            "Delete" => () => Store.DeleteAsync(At("c.bin"), token),
            "DeletePrefix" => () => Store.DeletePrefixAsync(Container, "", token),
            "List" => async () => { await foreach (BlobInfo _ in Store.ListAsync(Container, "", token)) { } },
            "ListPage" => () => Store.ListPageAsync(Container, "", null, 10, token),
            "Copy" => () => Store.CopyAsync(At("c.bin"), At("c4.bin"), overwrite: true, token),
            "TryCreate" => () => Store.TryCreateAsync(At("c5.bin"), new byte[] { 1 }, token),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(call);
        Assert.True(await Store.ExistsAsync(At("c.bin")), "a cancelled call must not have deleted anything");
        Assert.False(await Store.ExistsAsync(At("c3.bin")));
        Assert.False(await Store.ExistsAsync(At("c2.bin")));
    }

    // ---- reads pinned to one version ----

    [Fact]
    public async Task ReadIntoIfMatch_CurrentETag_ReadsTheRange()
    {
        byte[] content = TestStreams.Bytes(10_000, seed: 70);
        await WriteAsync("pinned.fits", content);
        string etag = (await Store.GetPropertiesAsync(At("pinned.fits"))).ETag;
        var destination = new byte[1000];

        int n = await Store.ReadIntoAsync(At("pinned.fits"), 4000, destination, etag);

        Assert.Equal(1000, n);
        Assert.Equal(content.AsSpan(4000, 1000).ToArray(), destination);
    }

    [Fact]
    public async Task ReadIntoIfMatch_BlobReplacedSince_ThrowsBlobReplacedNamingBothVersions()
    {
        await WriteAsync("replaced.fits", TestStreams.Bytes(10_000, seed: 71));
        string seen = (await Store.GetPropertiesAsync(At("replaced.fits"))).ETag;
        await WriteAsync("replaced.fits", TestStreams.Bytes(10_000, seed: 72));

        var e = await Assert.ThrowsAsync<BlobReplacedException>(() => Store.ReadIntoAsync(At("replaced.fits"), 0, new byte[100], seen));

        Assert.Equal(At("replaced.fits"), e.Path);
        Assert.Equal(seen, e.ExpectedETag);
        Assert.Equal(ErrorClass.Unavailable, e.ErrorClass); // reading again reads the new version: not a write conflict
        Assert.Equal(ErrorCodes.BlobReplaced, e.ErrorCode);
        Assert.Contains("was replaced while it was being read", e.Message);
    }

    [Fact]
    public async Task ReadAll_SmallBlob_ReturnsEveryByte()
    {
        byte[] content = TestStreams.Bytes(300_000, seed: 73);
        await WriteAsync("whole.json", content);

        Assert.Equal(content, await Store.ReadAllAsync(At("whole.json")));
    }

    [Fact]
    public async Task ReadAll_MissingBlob_ThrowsBlobNotFound()
    {
        await WriteAsync("other.json", [1]);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.ReadAllAsync(At("missing.json")));
    }

    // ---- conditional writes (the compare-and-swap of runs publishing to one output) ----

    [Fact]
    public async Task WriteIfMatch_CurrentETag_ReplacesAndReturnsTheNewETag()
    {
        await WriteAsync("cas.json", [1]);
        string before = (await Store.GetPropertiesAsync(At("cas.json"))).ETag;

        string after = await Store.WriteAsync(At("cas.json"), new MemoryStream([2, 2]), BlobCondition.IfMatch(before));

        Assert.Equal((await Store.GetPropertiesAsync(At("cas.json"))).ETag, after);
        Assert.NotEqual(before, after);
        Assert.Equal([2, 2], await ReadAllAsync(At("cas.json")));
    }

    [Fact]
    public async Task WriteIfMatch_StaleETag_ThrowsBlobChangedAndKeepsTheNewerContent()
    {
        await WriteAsync("stale.json", [1]);
        string seen = (await Store.GetPropertiesAsync(At("stale.json"))).ETag;
        await WriteAsync("stale.json", [3, 3, 3]);

        var e = await Assert.ThrowsAsync<BlobChangedException>(() => Store.WriteAsync(At("stale.json"), new MemoryStream([2]), BlobCondition.IfMatch(seen)));

        Assert.Equal(seen, e.ExpectedETag);
        Assert.Equal(Engine.Errors.ErrorClass.Conflict, e.ErrorClass);
        Assert.Equal([3, 3, 3], await ReadAllAsync(At("stale.json")));
    }

    [Fact]
    public async Task WriteIfMatch_BlobDeletedMeanwhile_ThrowsBlobChanged()
    {
        await WriteAsync("gone.json", [1]);
        string seen = (await Store.GetPropertiesAsync(At("gone.json"))).ETag;
        await Store.DeleteAsync(At("gone.json"));

        await Assert.ThrowsAsync<BlobChangedException>(() => Store.WriteAsync(At("gone.json"), new MemoryStream([2]), BlobCondition.IfMatch(seen)));
        Assert.False(await Store.ExistsAsync(At("gone.json")));
    }

    [Fact]
    public async Task WriteIfUnchanged_NoBlobSeenButOneAppeared_ThrowsAlreadyExists()
    {
        await WriteAsync("appeared.json", [9]);

        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.WriteAsync(At("appeared.json"), new MemoryStream([2]), BlobCondition.IfUnchanged(null)));
        Assert.Equal([9], await ReadAllAsync(At("appeared.json")));
    }

    [Fact]
    public async Task CommitBlocksIfMatch_StaleETag_ThrowsBlobChangedAndKeepsTheNewerContent()
    {
        BlobPath path = At("commit-cas.fits");
        await WriteAsync("commit-cas.fits", [1]);
        string seen = (await Store.GetPropertiesAsync(path)).ETag;
        await WriteAsync("commit-cas.fits", [4, 4]);
        await Store.StageBlockAsync(path, Id("run-a-part-0"), new MemoryStream([7]));

        await Assert.ThrowsAsync<BlobChangedException>(() => Store.CommitBlocksAsync(path, [Id("run-a-part-0")], BlobCondition.IfMatch(seen)));

        Assert.Equal([4, 4], await ReadAllAsync(path));
    }

    [Fact]
    public async Task CommitBlocksIfMatch_CurrentETag_ReturnsTheETagOfTheCommittedContent()
    {
        BlobPath path = At("commit-ok.fits");
        await WriteAsync("commit-ok.fits", [1]);
        string seen = (await Store.GetPropertiesAsync(path)).ETag;
        await Store.StageBlockAsync(path, Id("run-a-part-0"), new MemoryStream([5, 6]));

        string etag = await Store.CommitBlocksAsync(path, [Id("run-a-part-0")], BlobCondition.IfMatch(seen));

        Assert.Equal((await Store.GetPropertiesAsync(path)).ETag, etag);
        Assert.Equal([5, 6], await ReadAllAsync(path));
    }

    [Fact]
    public async Task CommitBlocksIfUnchanged_ConcurrentWritersThatSawOneVersion_ExactlyOneWinsWhole()
    {
        // Eight runs stage their own blocks of one output and commit over the version they all saw: one commit lands,
        // whole; every other fails (its condition, or its blocks discarded by the winner), and nothing mixes.
        BlobPath path = At("contended.fits");
        await WriteAsync("contended.fits", [0]);
        string seen = (await Store.GetPropertiesAsync(path)).ETag;
        const int writers = 8;
        byte[][][] parts = [.. Enumerable.Range(0, writers).Select(w => Enumerable.Range(0, 3).Select(p => TestStreams.Bytes(3000 + 11 * p, 1000 + 10 * w + p)).ToArray())];
        string[][] ids = [.. Enumerable.Range(0, writers).Select(w => Enumerable.Range(0, 3).Select(p => Id($"run-{w:D2}-part-{p}")).ToArray())];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int p = 0; p < 3; p++) await Store.StageBlockAsync(path, ids[w][p], new MemoryStream(parts[w][p]));
            try
            {
                return (Writer: w, ETag: (string?)await Store.CommitBlocksAsync(path, ids[w], BlobCondition.IfMatch(seen)));
            }
            catch (BlobStoreException e) when (e is BlobChangedException or InvalidBlockListException)
            {
                return (Writer: w, ETag: (string?)null);
            }
        })));

        var winners = outcomes.Where(o => o.ETag is not null).ToArray();
        Assert.Single(winners);
        Assert.Equal(parts[winners[0].Writer].SelectMany(b => b).ToArray(), await ReadAllAsync(path));
        Assert.Equal(winners[0].ETag, (await Store.GetPropertiesAsync(path)).ETag);
    }

    [Fact]
    public async Task WriteIfUnchanged_ConcurrentWritersThatSawNoBlob_ExactlyOneWins()
    {
        BlobPath path = At("first.json");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            try
            {
                await Store.WriteAsync(path, new MemoryStream([(byte)w, (byte)w]), BlobCondition.IfUnchanged(null));
                return w;
            }
            catch (BlobAlreadyExistsException)
            {
                return -1;
            }
        })));

        int winner = Assert.Single(outcomes, w => w >= 0);
        Assert.Equal([(byte)winner, (byte)winner], await ReadAllAsync(path));
    }

    protected async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var result = new List<BlobInfo>();
        await foreach (BlobInfo blob in Store.ListAsync(Container, prefix))
        {
            result.Add(blob);
        }

        return result;
    }

    protected async Task<List<string>> ListNamesAsync(string prefix) =>
        [.. (await ListAsync(prefix)).Select(b => b.Path.Name)];
}
