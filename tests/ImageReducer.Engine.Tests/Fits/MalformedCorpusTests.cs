using System.Diagnostics;
using ImageReducer.Engine.Fits;
using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>
/// Every file of <see cref="MalformedFitsCorpus"/> through the Reduce path's reads: a classified
/// <see cref="FitsFormatException"/> naming the file, HDU and card — or, for the few tolerated damages,
/// a successful read — within a time bound and an allocation budget proportional to the file size.
/// </summary>
public class MalformedCorpusTests
{
    // Generous: a read of these ~100 KB files takes milliseconds; only a hang gets near it.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    // The exposure of a ~64 x 64 seed is ~50 KB; anything near the declared absurd sizes (≥ 1 MiB limit,
    // up to 2^63) would blow through 64 bytes per input byte + 4 MB of parser and pool slack.
    private const long AllocationSlack = 4 << 20;

    public static TheoryData<string> VariantNames()
    {
        var data = new TheoryData<string>();
        foreach (var v in MalformedFitsCorpus.All) data.Add(v.Name);
        return data;
    }

    [Fact]
    public void Corpus_Size_IsAtLeast300()
    {
        Assert.True(MalformedFitsCorpus.All.Count >= 300, $"the corpus has only {MalformedFitsCorpus.All.Count} variants");
    }

    [Fact]
    public void Corpus_Categories_AreAllCoveredWithReadableCasesToo()
    {
        var present = MalformedFitsCorpus.All.Select(v => v.Outcome).ToHashSet();
        foreach (var category in Enum.GetValues<FitsErrorCategory>())
            Assert.Contains(category.ToString(), present);
        Assert.Contains("Readable", present);
    }

    [Fact]
    public void Corpus_Generate_IsDeterministicAndFast()
    {
        _ = MalformedFitsCorpus.Generate(); // warm the JIT
        var clock = Stopwatch.StartNew();
        var again = MalformedFitsCorpus.Generate();
        clock.Stop();
        Assert.Equal(MalformedFitsCorpus.All.Select(v => v.Name), again.Select(v => v.Name));
        // The brief asks for < 1 s; 3 s leaves room for a loaded 2-core test machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"generation took {clock.Elapsed.TotalMilliseconds:F0} ms");
        for (int i = 0; i < again.Count; i++) Assert.Equal(MalformedFitsCorpus.All[i].CreateBytes(), again[i].CreateBytes());
    }

    [Fact]
    public void Corpus_Seeds_ReadCleanly()
    {
        foreach (var (name, bytes) in MalformedFitsCorpus.Seeds())
        {
            using var e = ExposureFits.Read(new MemoryStream(bytes, writable: false), MalformedFitsCorpus.ExposureReadOptions, name + ".fits");
            Assert.Equal(64, e.Box.Width);
        }
    }

    [Fact]
    public void Corpus_Names_AreUniqueAndPathLike()
    {
        var names = MalformedFitsCorpus.All.Select(v => v.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(/[a-z0-9+-]+)+$", n));
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Read_CorpusVariant_ReportsItsCategoryWithoutHangOrLargeAllocation(string name)
    {
        var v = MalformedFitsCorpus.Get(name);
        byte[] bytes = v.CreateBytes();
        var read = Task.Factory.StartNew(() => ReadMeasured(v, bytes), TaskCreationOptions.LongRunning);
        Assert.True(read.Wait(HangTimeout), $"{name}: the read did not finish within {HangTimeout.TotalSeconds} s");
        var (error, allocated) = read.Result;

        long budget = 64L * bytes.Length + AllocationSlack;
        Assert.True(allocated < budget, $"{name}: the read allocated {allocated} bytes, over the budget of {budget} for a {bytes.Length}-byte file");

        if (v.IsReadable)
        {
            Assert.True(error is null, $"{name} ({v.Description}) should read, but threw {error?.GetType().Name}: {error?.Message}");
            return;
        }
        Assert.True(error is FitsFormatException, $"{name} ({v.Description}): expected a FitsFormatException ({v.Outcome}), got {(error is null ? "no error" : error.GetType().Name + ": " + error.Message + "\n" + error.StackTrace)}");
        var e = (FitsFormatException)error!;
        Assert.True(v.Expected == e.Category, $"{name} ({v.Description}): expected {v.Outcome}, got {e.Category} ({e.Kind}): {e.Message}");
        Assert.StartsWith(v.FileName + ":", e.Message);
        Assert.Equal(v.FileName, e.File);
        if (v.Hdu is int hdu)
        {
            Assert.True(hdu == e.HduIndex, $"{name}: expected HDU {hdu}, got {e.HduIndex}: {e.Message}");
            Assert.Contains($"HDU {hdu}", e.Message);
        }
        if (v.Keyword is string keyword)
        {
            Assert.True(string.Equals(keyword, e.Keyword, StringComparison.OrdinalIgnoreCase), $"{name}: expected keyword {keyword}, got {e.Keyword ?? "none"}: {e.Message}");
            Assert.Contains($"({e.Keyword})", e.Message);
        }
    }

    /// <summary>Reads as the Reduce path does, on the calling thread, and measures what that thread allocated.</summary>
    private static (Exception? Error, long Allocated) ReadMeasured(MalformedFitsVariant v, byte[] bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using (ExposureFits.Read(new MemoryStream(bytes, writable: false), MalformedFitsCorpus.ExposureReadOptions, v.FileName)) { }
            if (v.HasPsf) PsfFits.Read(new MemoryStream(bytes, writable: false), MalformedFitsCorpus.ReadOptions, v.FileName);
            return (null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (Exception e)
        {
            return (e, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
