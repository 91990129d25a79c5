using ImageReducer.Cli.Output;
using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Output;

public class StagedOutputsTests
{
    [Fact]
    public async Task Commit_MovesEveryStagedFileIntoPlace()
    {
        using var dir = new TempDirectory();
        using (var staged = new StagedOutputs())
        {
            await staged.WriteAllBytesAsync(dir.File("a.bin"), new byte[] { 1, 2 }, default);
            await staged.WriteAllBytesAsync(dir.File("b.bin"), new byte[] { 3 }, default);
            Assert.False(File.Exists(dir.File("a.bin")), "nothing is visible before Commit");
            staged.Commit();
        }
        Assert.Equal(new byte[] { 1, 2 }, File.ReadAllBytes(dir.File("a.bin")));
        Assert.Equal(["a.bin", "b.bin"], dir.FileNames.Order());
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNoFileAndKeepsOldOutput()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("out.fits"), "old");
        using (var staged = new StagedOutputs())
        {
            await staged.WriteAllBytesAsync(dir.File("out.fits"), new byte[] { 9 }, default);
            await staged.WriteAllBytesAsync(dir.File("out.fits.json"), new byte[] { 9 }, default);
        }
        Assert.Equal(["out.fits"], dir.FileNames);
        Assert.Equal("old", File.ReadAllText(dir.File("out.fits")));
    }

    [Fact]
    public async Task Sha256Of_StagedFile_IsTheHashOfItsBytes()
    {
        using var dir = new TempDirectory();
        using var staged = new StagedOutputs();
        await staged.WriteAllBytesAsync(dir.File("x"), "abc"u8.ToArray(), default);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", staged.Sha256Of(dir.File("x")));
    }

    [Fact]
    public async Task Sha256Of_LargeFileHashedDuringItsFlush_IsTheHashOfTheCommittedBytes()
    {
        // Several hash chunks and a short last one: the digest is read back while the file is fsync'ed.
        var bytes = new byte[(3 << 20) + 12345];
        new Random(3).NextBytes(bytes);
        using var dir = new TempDirectory();
        string digest;
        using (var staged = new StagedOutputs())
        {
            await staged.WriteAsync(dir.File("big.fits"), async (s, ct) =>
            {
                for (int at = 0; at < bytes.Length; at += 100_000) await s.WriteAsync(bytes.AsMemory(at, Math.Min(100_000, bytes.Length - at)), ct);
            }, default);
            digest = staged.Sha256Of(dir.File("big.fits"));
            staged.Commit();
        }
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dir.File("big.fits")))), digest);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), digest);
    }

    [Fact]
    public async Task Sha256Of_FileHashedAsItsPrefixesAreDeclaredFinal_IsTheHashOfTheCommittedBytes()
    {
        // Positional writes out of order, as the parallel exposure writer does: a prefix is declared only once it is final,
        // so the digest, read while the rest is still being written, is that of the whole file.
        var bytes = new byte[(5 << 20) + 777];
        new Random(5).NextBytes(bytes);
        using var dir = new TempDirectory();
        string digest;
        using (var staged = new StagedOutputs())
        {
            await staged.WriteAsync(dir.File("bands.fits"), (s, finalPrefix, ct) => Task.Run(() =>
            {
                var handle = ((FileStream)s).SafeFileHandle;
                int half = bytes.Length / 2;
                RandomAccess.Write(handle, bytes.AsSpan(half), half);       // the second half first: nothing final yet
                RandomAccess.Write(handle, new byte[half], 0);               // a placeholder the hash must not see
                RandomAccess.Write(handle, bytes.AsSpan(0, half), 0);
                finalPrefix(half);
                finalPrefix(half - 10);                                      // a smaller report changes nothing
                finalPrefix(bytes.Length);
            }, ct), default);
            digest = staged.Sha256Of(dir.File("bands.fits"));
            staged.Commit();
        }
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), digest);
    }

    [Fact]
    public async Task FailedWrite_AfterDeclaringAPrefix_ThrowsItsOwnErrorAndLeavesNoFile()
    {
        using var dir = new TempDirectory();
        using (var staged = new StagedOutputs())
        {
            var e = await Assert.ThrowsAsync<IOException>(() => staged.WriteAsync(dir.File("out.fits"), async (s, finalPrefix, ct) =>
            {
                await s.WriteAsync(new byte[1 << 20], ct);
                await s.FlushAsync(ct);
                finalPrefix(1 << 19);
                throw new IOException("disk full");
            }, default));
            Assert.Equal("disk full", e.Message);
        }
        Assert.Empty(dir.FileNames);
    }

    [Fact]
    public async Task WhileFlushing_RunsOnceBesideTheFirstFlush_AndIsDoneWhenTheWriteReturns()
    {
        using var dir = new TempDirectory();
        int runs = 0;
        using var staged = new StagedOutputs
        {
            WhileFlushing = () =>
            {
                Thread.Sleep(50); // longer than the flush of a small file: the write must still wait for it
                Interlocked.Increment(ref runs);
            },
        };
        await staged.WriteAllBytesAsync(dir.File("a.bin"), new byte[] { 1 }, default);
        Assert.Equal(1, Volatile.Read(ref runs));
        await staged.WriteAllBytesAsync(dir.File("b.bin"), new byte[] { 2 }, default);
        Assert.Equal(1, Volatile.Read(ref runs));
        staged.Commit();
        Assert.Equal(["a.bin", "b.bin"], dir.FileNames.Order());
    }

    [Fact]
    public async Task ConcurrentCommits_ToOneOutput_LeaveOneRunsOutputBesideItsOwnMetadata()
    {
        using var dir = new TempDirectory();
        string output = dir.File("same.fits"), metadata = dir.File("same.fits.metadata.json");
        const int runs = 4, rounds = 60;
        for (int round = 0; round < rounds; round++)
        {
            var stagedRuns = new StagedOutputs[runs];
            for (int r = 0; r < runs; r++)
            {
                stagedRuns[r] = new StagedOutputs();
                byte[] mark = [(byte)round, (byte)r];
                await stagedRuns[r].WriteAllBytesAsync(output, mark, default);
                await stagedRuns[r].WriteAllBytesAsync(metadata, mark, default);
            }
            using var start = new Barrier(runs);
            await Task.WhenAll(stagedRuns.Select(staged => Task.Run(() =>
            {
                start.SignalAndWait();
                staged.Commit();
            })));
            foreach (StagedOutputs staged in stagedRuns) staged.Dispose();

            byte[] committed = File.ReadAllBytes(output);
            Assert.Equal(round, committed[0]);
            Assert.Equal(committed, File.ReadAllBytes(metadata));
        }
        Assert.Equal(["same.fits", "same.fits.metadata.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commit_StagedButNeverWritten_Throws()
    {
        using var dir = new TempDirectory();
        using var staged = new StagedOutputs();
        staged.Stage(dir.File("never"));
        Assert.Throws<InvalidOperationException>(staged.Commit);
    }
}
