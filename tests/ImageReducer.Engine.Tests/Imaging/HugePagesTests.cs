using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Imaging;

/// <summary>The huge-page advice is a hint: planes of any size keep their contents and stay writable.</summary>
public class HugePagesTests
{
    [Theory]
    [InlineData(100, 100)]     // below the advice threshold
    [InlineData(2048, 1100)]   // 8.6 MiB of float32: advised
    public void LargePlanes_AdvisedOrNot_AreZeroAndWritable(int width, int height)
    {
        using var image = new Image<float>(new Box(0, 0, width, height));
        Assert.All(image.RowAt(height - 1).ToArray(), v => Assert.Equal(0f, v));
        image[width - 1, height - 1] = 3.5f;
        image[0, 0] = -1f;
        Assert.Equal(3.5f, image[width - 1, height - 1]);
        Assert.Equal(-1f, image[0, 0]);
    }

    [Fact]
    public void AlignedPlanes_StartOnCacheLinesAndAreReusedBySize()
    {
        var box = new Box(0, 0, 1536, 1536); // 9 MiB: advised
        var first = Image<int>.RentAligned(box);
        int[] buffer = first.UnsafeBuffer;
        first[7, 9] = 42;
        first.Dispose();
        using var second = Image<int>.RentAligned(box);
        Assert.Same(buffer, second.UnsafeBuffer);
        unsafe
        {
            fixed (int* p = second.RowAt(0)) Assert.Equal(0, (long)p % 64);
        }
    }
}
