using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>Whole planes read from a local file in chunks on several threads (swap and checksum per chunk).</summary>
public sealed class ParallelPlaneReadTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("imred-parallel-read-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // 1100 x 1000 pixels: 4.4 MB per float plane, five chunks of 1 MiB with a short last one.
    private string WritePlanes<T>(Func<int, int, T> pixel) where T : unmanaged
    {
        using var image = new Image<T>(1100, 1000);
        for (int y = 0; y < image.Height; y++)
        {
            var row = image.RowAt(y);
            for (int x = 0; x < row.Length; x++) row[x] = pixel(x, y);
        }
        string path = Path.Combine(dir, $"{typeof(T).Name}.fits");
        using (var fs = File.Create(path))
        using (var w = new FitsWriter(fs))
            w.WriteImage(image);
        return path;
    }

    private static T[] Read<T>(string path, int threads) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        using var r = FitsReader.Open(path, new FitsReadOptions { MaxDegreeOfParallelism = threads });
        using var image = r.ReadImage<T>(r.Hdus[0]);
        return image.Pixels.ToArray();
    }

    [Fact]
    public void FloatPlane_ReadOnOneOrManyThreads_IsTheSame_AndVerifies()
    {
        string path = WritePlanes((x, y) => (x * 31 + y * 17) % 1000 * 0.37f - y);
        float[] one = Read<float>(path, 1), many = Read<float>(path, 4);
        Assert.Equal(one, many);
        Assert.Equal((1099 * 31 + 999 * 17) % 1000 * 0.37f - 999, many[^1]);
    }

    [Fact]
    public void ShortAndDoublePlanes_ReadOnManyThreads_MatchOneThread()
    {
        string shorts = WritePlanes((x, y) => (short)(x * 7 - y * 3));
        Assert.Equal(Read<short>(shorts, 1), Read<short>(shorts, 3));
        string doubles = WritePlanes((x, y) => x * 1e-3 + y);
        Assert.Equal(Read<double>(doubles, 1), Read<double>(doubles, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void DamagedByte_InAnyChunk_IsReportedAsDatasumMismatch_NotAWrappedError(int threads)
    {
        string path = WritePlanes((x, y) => (float)(x + y));
        var bytes = File.ReadAllBytes(path);
        bytes[2880 + 3 * (1 << 20) + 12345] ^= 0x10; // inside the fourth chunk of the data unit
        File.WriteAllBytes(path, bytes);
        using var r = FitsReader.Open(path, new FitsReadOptions { MaxDegreeOfParallelism = threads });
        var e = Assert.Throws<FitsFormatException>(() => r.ReadImage<float>(r.Hdus[0]));
        Assert.Equal(FitsErrorKind.DatasumMismatch, e.Kind);
    }

    [Fact]
    public void MaxDegreeOfParallelism_RejectsZeroAndBelowMinusOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitsReadOptions { MaxDegreeOfParallelism = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitsReadOptions { MaxDegreeOfParallelism = -2 });
    }
}
