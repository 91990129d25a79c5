using ImageReducer.Engine.Fits;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>An exposure written to a file in parallel bands at their offsets (encode, checksum and write per band).</summary>
public sealed class ParallelExposureWriteTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("imred-parallel-write-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private byte[] WriteToFile(Engine.Imaging.Exposure exposure, int threads, byte[]? previousContent = null)
    {
        string path = Path.Combine(dir, $"out-{threads}-{Guid.NewGuid():N}.fits");
        if (previousContent is not null) File.WriteAllBytes(path, previousContent);
        using (var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
            ExposureFits.Write(exposure, handle, threads);
        return File.ReadAllBytes(path);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    public void ManyBands_AnyThreadCount_WritesTheStreamWritersBytes(int threads)
    {
        // 700 x 1300 float rows of 2800 bytes: 374 rows per band, four bands per plane with a short last one;
        // the PSF table and padding follow the planes.
        using var exposure = TestExposures.Patterned(width: 700, height: 1300, psf: TestExposures.KernelPsf());
        byte[] expected = TestExposures.ToBytes(exposure);
        Assert.Equal(expected, WriteToFile(exposure, threads));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FinalPrefixes_GrowToTheFilesLength_AndHoldTheirFinalBytesWhenDeclared(int threads)
    {
        using var exposure = TestExposures.Patterned(width: 700, height: 1300, psf: TestExposures.KernelPsf());
        byte[] expected = TestExposures.ToBytes(exposure);
        var reports = new List<long>();
        var notFinal = new List<long>();
        using (var handle = File.OpenHandle(Path.Combine(dir, "prefixes.fits"), FileMode.CreateNew, FileAccess.ReadWrite))
        {
            ExposureFits.Write(exposure, handle, threads, n =>
            {
                // Called one at a time, in order: what is declared must already be the file's final bytes (headers included).
                var now = new byte[n];
                RandomAccess.Read(handle, now, 0);
                if (!now.AsSpan().SequenceEqual(expected.AsSpan(0, (int)n))) notFinal.Add(n);
                reports.Add(n);
            });
        }
        Assert.Empty(notFinal);
        Assert.Equal(reports.Distinct().Order(), reports); // growing (bands finishing out of order are reported together)
        var layout = ExposureFitsLayout.Create(exposure);
        // Every header carries its plane's sums, taken first: all the bytes before the first pixel are final before any band.
        Assert.Equal(layout.Plane(ExposurePlane.Image).DataOffset, reports[0]);
        // Then band by band (~1 MiB: 4 bands of 374 rows per 1300-row plane here), not plane by plane, so a digest follows
        // closely; one writer finishes its bands in order, so each is reported (several writers may report some together).
        if (threads == 1)
            Assert.Equal(4, reports.Count(n => n < layout.Plane(ExposurePlane.Mask).HeaderOffset));
        Assert.Equal(expected.Length, reports[^1]);
    }

    [Fact]
    public void RowWiderThanABand_IsWrittenOneRowPerBand()
    {
        // 300,000 float pixels per row: 1.2 MB, more than a band.
        using var exposure = TestExposures.Patterned(width: 300_000, height: 3, psf: null, undefinedCard: false);
        Assert.Equal(TestExposures.ToBytes(exposure), WriteToFile(exposure, 2));
    }

    [Fact]
    public void LongerOldContent_IsCutToTheNewFilesLength()
    {
        using var exposure = TestExposures.Patterned(psf: TestExposures.Coadd());
        byte[] expected = TestExposures.ToBytes(exposure);
        byte[] junk = Enumerable.Repeat((byte)0xA5, expected.Length + 10_000).ToArray();
        Assert.Equal(expected, WriteToFile(exposure, 2, junk));
    }

    [Fact]
    public void WrittenFile_ReadsBackWithVerifiedChecksums()
    {
        using var exposure = TestExposures.Patterned(width: 700, height: 1300);
        string path = Path.Combine(dir, "verify.fits");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
            ExposureFits.Write(exposure, handle, 2);
        using var back = ExposureFits.Read(path);
        Assert.Equal(exposure.Variance.Pixels.ToArray(), back.Variance.Pixels.ToArray());
    }

    [Fact]
    public void ZeroOrBelowMinusOneThreads_AreRejected()
    {
        using var exposure = TestExposures.Patterned();
        using var handle = File.OpenHandle(Path.Combine(dir, "x.fits"), FileMode.CreateNew, FileAccess.ReadWrite);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExposureFits.Write(exposure, handle, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExposureFits.Write(exposure, handle, -2));
    }
}
