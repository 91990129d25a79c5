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
    private struct PixelE { }
    private struct PixelF { }

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

    [Fact]
    public void Return_OnOneThread_IsRentedBackByThatThreadNotByAnother()
    {
        // A worker rents back what it returned (still in its core's cache); another thread does not take it meanwhile.
        PixelE[]? returned = null, otherGot = null, backAgain = null;
        var owner = new Thread(() =>
        {
            returned = CellBuffers<PixelE>.Rent(1681);
            CellBuffers<PixelE>.Return(returned);
            var other = new Thread(() => otherGot = CellBuffers<PixelE>.Rent(1681));
            other.Start();
            other.Join();
            backAgain = CellBuffers<PixelE>.Rent(1681);
        });
        owner.Start();
        owner.Join();
        Assert.NotSame(returned, otherGot);
        Assert.Same(returned, backAgain);
    }

    [Fact]
    public void Return_MoreThanAThreadKeeps_TheRestGoToTheSharedBucketsForOtherThreads()
    {
        var returned = new HashSet<PixelF[]>(ReferenceEqualityComparer.Instance);
        var first = new Thread(() =>
        {
            var rented = Enumerable.Range(0, CellBuffers<PixelF>.PerThread + 5).Select(_ => CellBuffers<PixelF>.Rent(1000)).ToList();
            foreach (PixelF[] b in rented)
            {
                returned.Add(b);
                CellBuffers<PixelF>.Return(b);
            }
        });
        first.Start();
        first.Join();
        Assert.Equal(CellBuffers<PixelF>.PerThread + 5, returned.Count);
        var taken = new List<PixelF[]>();
        var second = new Thread(() =>
        {
            for (int i = 0; i < 5; i++) taken.Add(CellBuffers<PixelF>.Rent(1000));
        });
        second.Start();
        second.Join();
        // The five the first thread could not keep are shared; a sixth would be new.
        Assert.All(taken, b => Assert.Contains(b, returned));
        Assert.Equal(5, taken.Distinct(ReferenceEqualityComparer.Instance).Count());
    }
}
