using System.Security.Cryptography;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Tests.Files;

public class InputHashTests
{
    [Fact]
    public async Task TryStart_ExistingFile_HashesItsBytes()
    {
        using var dir = new TempDirectory();
        byte[] bytes = new byte[3 << 20]; // several of the hash's 1 MiB chunks, and a partial one
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(dir.File("in.fits"), bytes[..((3 << 20) - 123)]);
        await using var hash = InputHash.TryStart(new FileInfo(dir.File("in.fits")));
        Assert.NotNull(hash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, (3 << 20) - 123))), await hash.Sha256);
    }

    [Fact]
    public void TryStart_MissingFileOrNone_StartsNothing()
    {
        using var dir = new TempDirectory();
        Assert.Null(InputHash.TryStart(new FileInfo(dir.File("missing.fits"))));
        Assert.Null(InputHash.TryStart(null));
    }

    [Fact]
    public async Task IsFor_MatchesTheSameFullPathOnly()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.fits"), [1]);
        File.WriteAllBytes(dir.File("b.fits"), [2]);
        await using var hash = InputHash.TryStart(new FileInfo(dir.File("a.fits")))!;
        Assert.True(hash.IsFor(new FileInfo(Path.Combine(dir.Path, ".", "a.fits"))));
        Assert.False(hash.IsFor(new FileInfo(dir.File("b.fits"))));
    }

    [Fact]
    public async Task DisposeAsync_StopsAndWaitsForTheHash_Twice()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("big.fits"), new byte[64 << 20]);
        var hash = InputHash.TryStart(new FileInfo(dir.File("big.fits")))!;
        await hash.DisposeAsync();
        Assert.True(hash.Sha256.IsCompleted, "no pass outlives the disposal");
        await hash.DisposeAsync(); // idempotent: a tiled run disposes early, then the action's scope again
    }

    [Fact]
    public async Task ReadAsync_TakesAnEarlierHashOfTheSameFile_AndHashesAnotherFileItself()
    {
        using var dir = new TempDirectory();
        string a = dir.File("a.fits"), b = dir.File("b.fits");
        WriteExposure(a, 1f);
        WriteExposure(b, 2f);
        await using var early = InputHash.TryStart(new FileInfo(a))!;

        LoadedExposure same = await ExposureFiles.ReadAsync(new FileInfo(a), "auto", default, hash: early);
        using (same.Exposure)
        {
            Assert.Same(early.Sha256, same.Sha256);
            Assert.Equal(Sha256(a), await same.Sha256);
        }
        LoadedExposure other = await ExposureFiles.ReadAsync(new FileInfo(b), "auto", default, hash: early);
        using (other.Exposure) Assert.Equal(Sha256(b), await other.Sha256);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static void WriteExposure(string path, float value)
    {
        using var exposure = new Exposure(new Box(0, 0, 16, 8), null);
        exposure.Image.Fill(value);
        exposure.Variance.Fill(1);
        ExposureFits.Write(exposure, path);
    }
}
