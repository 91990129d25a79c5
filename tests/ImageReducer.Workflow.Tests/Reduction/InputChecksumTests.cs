using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// The input planes' DATASUM/CHECKSUM verified from the tiles' partial sums: the sums compose exactly,
/// a valid input reduces (and says it was verified), a damaged one fails with the engine's error and
/// leaves nothing behind, an input without cards reduces and says it was not verified.
/// </summary>
public sealed class InputChecksumTests : IDisposable
{
    // 230 rows: tiles of 5, 16 and 100 rows are all multi-tile runs (46, 15 and 3 bands).
    private const int Width = 37, Height = 230;

    private static readonly string[] PlaneNames = ["IMAGE", "MASK", "VARIANCE"];

    private readonly string root = Directory.CreateTempSubdirectory("imred-sums-").FullName;
    private readonly LocalFolderBlobStore store;

    public InputChecksumTests() => store = new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PartialSums_RowsSplitAtRandomBandBoundaries_AddUpToTheEngineDatasum(int seed)
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed);
        using var reader = new FitsReader(new MemoryStream(fits, writable: false), FitsReadOptions.Default, "sums.fits");
        var random = new Random(seed);
        foreach (string name in PlaneNames)
        {
            FitsHdu hdu = reader.Find(name)!;
            // The tile's view: the rows' raw words swapped in place into native values, as TileInputReader does.
            int[] words = MemoryMarshal.Cast<byte, int>(fits.AsSpan((int)hdu.DataOffset, (int)hdu.DataLength)).ToArray();
            BinaryPrimitives.ReverseEndianness(words, words);
            long rowBytes = Width * 4L;
            var padding = FitsChecksum.Zero.Add(fits.AsSpan((int)(hdu.DataOffset + hdu.DataLength), (int)(hdu.PaddedDataLength - hdu.DataLength)), hdu.DataLength);
            var total = FitsChecksum.FromValue(padding.Value);
            int bands = 0;
            for (int y = 0; y < Height; bands++)
            {
                int rows = Math.Min(Height - y, random.Next(1, 40));
                // Each band's sum travels as a folded 32-bit value (a TileResult), then is rebuilt.
                uint part = FitsChecksum.Zero.AddBigEndian<int>(words.AsSpan(y * Width, rows * Width), y * rowBytes).Value;
                total += FitsChecksum.FromValue(part);
                y += rows;
            }

            // Exact: ones'-complement sums of whole 32-bit words are associative and commutative.
            Assert.True(bands > 3, $"only {bands} bands");
            Assert.Equal(reader.ComputeDataChecksum(hdu).Value, total.Value);
            Assert.Equal(uint.Parse(((string)hdu.Header[hdu.Header.IndexOf("DATASUM")].Value!).Trim(), System.Globalization.CultureInfo.InvariantCulture), total.Value);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(100)]
    public async Task RunAsync_ValidInputInBands_ReducesByteIdenticalAndRecordsPlanesVerified(int tileSize)
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed: 7);
        string config = ReductionInputs.Config("add", "average");
        var (input, output) = await UploadAsync($"valid-{tileSize}.fits", fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), tileSize));

        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.True(summary.Tiles > 1);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, output));
        var (metadata, json) = await MetadataAsync(output);
        Assert.Equal(PlaneNames, metadata.InputChecksums.Select(c => c.Name));
        Assert.All(metadata.InputChecksums, c => Assert.True(c.InputChecksumsVerified, $"{c.Name}: {c.How}"));
        Assert.All(metadata.InputChecksums, c => Assert.Equal("tile partial sums", c.How));
        Assert.Equal([1, 2, 3], metadata.InputChecksums.Select(c => c.Hdu ?? -1));
        Assert.Matches("\"inputChecksumsVerified\":\\s*true", json);
    }

    [Theory]
    [InlineData("IMAGE", 5)]
    [InlineData("IMAGE", 16)]
    [InlineData("IMAGE", 100)]
    [InlineData("MASK", 5)]
    [InlineData("MASK", 16)]
    [InlineData("MASK", 100)]
    [InlineData("VARIANCE", 5)]
    [InlineData("VARIANCE", 16)]
    [InlineData("VARIANCE", 100)]
    public async Task RunAsync_OneDataBitFlipped_FailsWithChecksumMismatchNamingTheHduNoOutputNoLeftovers(string plane, int tileSize)
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed: 8);
        FitsHdu hdu = Hdu(fits, plane);
        // A bit in the middle of the plane: owned by one inner tile, not the first or the last.
        fits[hdu.DataOffset + hdu.DataLength / 2 + 1] ^= 0x04;
        var (input, output) = await UploadAsync($"flipped-{plane}-{tileSize}.fits", fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store))
            .RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), tileSize));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains($"ChecksumMismatch (badInput): {input}: HDU {hdu.Index}", summary.Error, StringComparison.Ordinal);
        Assert.Contains($"DATASUM = '{((string)hdu.Header[hdu.Header.IndexOf("DATASUM")].Value!).Trim()}' but the data unit sums to", summary.Error, StringComparison.Ordinal);
        Assert.Equal(new ErrorInfo(ErrorClass.BadInput, "ChecksumMismatch", summary.ErrorDetail!.Message), summary.ErrorDetail);
        Assert.True(DomainErrors.Quarantines(summary.ErrorDetail));
        await AssertNothingLeftAsync(output);
    }

    [Fact]
    public async Task RunAsync_WrongDatasumCardValue_FailsWithChecksumMismatchNoOutput()
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed: 9);
        FitsHdu hdu = Hdu(fits, "VARIANCE");
        int card = hdu.Header.IndexOf("DATASUM");
        int at = (int)hdu.HeaderOffset + card * 80 + 11; // the first digit after "DATASUM = '"
        Assert.Equal((byte)'\'', fits[at - 1]);
        fits[at] = fits[at] == (byte)'1' ? (byte)'2' : (byte)'1'; // still a valid 32-bit number, no longer the sum
        var (input, output) = await UploadAsync("wrong-datasum.fits", fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store))
            .RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 16));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains($"ChecksumMismatch (badInput): {input}: HDU 3, card {card + 1} (DATASUM)", summary.Error, StringComparison.Ordinal);
        await AssertNothingLeftAsync(output);
    }

    [Fact]
    public async Task RunAsync_DatasumNotANumber_FailsAtPlanningWithBadCard()
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed: 10);
        FitsHdu hdu = Hdu(fits, "MASK");
        int at = (int)hdu.HeaderOffset + hdu.Header.IndexOf("DATASUM") * 80 + 11;
        fits[at] = (byte)'x';
        var (input, output) = await UploadAsync("datasum-x.fits", fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store))
            .RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 16));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Null(summary.RunId); // rejected by the plan, before any tile ran
        Assert.Contains($"BadCard (badInput): {input}: HDU 2", summary.Error, StringComparison.Ordinal);
        await AssertNothingLeftAsync(output);
    }

    [Fact]
    public async Task RunAsync_InputWithoutChecksumCards_ReducesAndRecordsPlanesNotVerified()
    {
        byte[] fits = ReductionInputs.Fits(Width, Height, seed: 11);
        foreach (string plane in PlaneNames)
        {
            FitsHdu hdu = Hdu(fits, plane);
            foreach (string keyword in (string[])["DATASUM", "CHECKSUM"])
                Encoding.ASCII.GetBytes(new string(' ', 80)).CopyTo(fits, hdu.HeaderOffset + hdu.Header.IndexOf(keyword) * 80); // a blank card
        }
        string config = ReductionInputs.Config("add", "average");
        var (input, output) = await UploadAsync("no-cards.fits", fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 16));

        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, output));
        var (metadata, json) = await MetadataAsync(output);
        Assert.Equal(3, metadata.InputChecksums.Length);
        Assert.All(metadata.InputChecksums, c => Assert.False(c.InputChecksumsVerified));
        Assert.All(metadata.InputChecksums, c => Assert.Equal("no checksum cards", c.How));
        Assert.Matches("\"inputChecksumsVerified\":\\s*false", json);
    }

    private static FitsHdu Hdu(byte[] fits, string name)
    {
        using var reader = new FitsReader(new MemoryStream(fits, writable: false), FitsReadOptions.Default, "probe.fits");
        return reader.Find(name)!;
    }

    private async Task<(BlobPath Input, BlobPath Output)> UploadAsync(string name, byte[] fits)
    {
        var input = new BlobPath("incoming", name);
        await ReductionInputs.UploadAsync(store, input, fits);
        return (input, new BlobPath("outputs", "out-" + name));
    }

    private async Task<(ReductionMetadata Metadata, string Json)> MetadataAsync(BlobPath output)
    {
        byte[] bytes = await ReductionInputs.DownloadAsync(store, ReductionNames.Metadata(output));
        return (WorkflowJson.Deserialize<ReductionMetadata>(bytes), Encoding.UTF8.GetString(bytes));
    }

    /// <summary>No output, no metadata, no intermediates, no staged blocks.</summary>
    private async Task AssertNothingLeftAsync(BlobPath output)
    {
        Assert.False(await store.ExistsAsync(output));
        await foreach (BlobInfo left in store.ListAsync("outputs")) Assert.Fail($"left {left.Path}");
        string staging = Path.Combine(root, ".staging");
        if (Directory.Exists(staging))
            Assert.Empty(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories));
    }
}
