using System.Collections.Concurrent;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Imaging;

public class CellBuffersTests
{
    // Each test uses its own pixel type: the pool is static per type, so tests running at once do not share it.
    private struct PixelA { }
    private struct PixelB { }
    private struct PixelC { }
    private struct PixelD { }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(41 * 41, 2048)]
    [InlineData(CellBuffers<PixelA>.MaxLength, CellBuffers<PixelA>.MaxLength)]
    public void Rent_GivesTheSmallestPowerOfTwoNotBelowTheLength(int length, int expected)
    {
        PixelA[] buffer = CellBuffers<PixelA>.Rent(length);
        Assert.Equal(expected, buffer.Length);
        CellBuffers<PixelA>.Return(buffer);
    }

    [Fact]
    public void Return_ThenRentOfTheSameSize_ReusesTheBuffer()
    {
        PixelB[] first = CellBuffers<PixelB>.Rent(1681);
        CellBuffers<PixelB>.Return(first);
        PixelB[] second = CellBuffers<PixelB>.Rent(1700);
        Assert.Same(first, second);
        PixelB[] third = CellBuffers<PixelB>.Rent(1681);
        Assert.NotSame(second, third);
    }

    [Fact]
    public void Rent_AboveTheDeepPoolsLargest_ComesFromTheSharedPoolAndGoesBack()
    {
        PixelC[] large = CellBuffers<PixelC>.Rent(CellBuffers<PixelC>.MaxLength + 1);
        Assert.True(large.Length > CellBuffers<PixelC>.MaxLength);
        CellBuffers<PixelC>.Return(large); // does not throw, is not kept by a bucket
        PixelC[] small = CellBuffers<PixelC>.Rent(16);
        Assert.Equal(16, small.Length);
    }

    [Fact]
    public void RentAndReturn_FromManyThreads_NeverHandOneBufferToTwoHoldersAtOnce()
    {
        var held = new ConcurrentDictionary<PixelD[], byte>(ReferenceEqualityComparer.Instance);
        int clashes = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                PixelD[] b = CellBuffers<PixelD>.Rent(100 + i % 3);
                if (!held.TryAdd(b, 0)) Interlocked.Increment(ref clashes);
                Assert.True(b.Length >= 102);
                held.TryRemove(b, out byte _);
                CellBuffers<PixelD>.Return(b);
            }
        });
        Assert.Equal(0, clashes);
    }
}
