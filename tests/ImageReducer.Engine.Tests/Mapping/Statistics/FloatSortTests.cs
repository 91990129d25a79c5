using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Tests.Mapping.Statistics;

/// <summary>The radix sort of floats against the framework's sort: the same numbers in the same order, −0 before +0.</summary>
public sealed class FloatSortTests
{
    public static TheoryData<int, int> Cases() => new()
    {
        { 0, 1 }, { 1, 2 }, { 2, 3 }, { 47, 4 }, { 48, 5 }, { 49, 6 }, { 1000, 7 }, { 3249, 8 }, { 20000, 9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sort_GivesTheFrameworksOrder_WithNegativeZeroFirst(int n, int seed)
    {
        var random = new Random(seed);
        float[] special = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1f, -1f];
        float[] values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = random.Next(4) switch
            {
                0 => special[random.Next(special.Length)],
                1 => (float)random.Next(-3, 4), // duplicates
                2 => (float)(random.NextDouble() * 2000 - 1000),
                _ => BitConverter.Int32BitsToSingle(random.Next() & 0x7F7F_FFFF) * (random.Next(2) == 0 ? 1 : -1), // any magnitude
            };
        float[] expected = (float[])values.Clone();
        Array.Sort(expected);

        FloatSort.Sort(values, new float[n + 3]);

        for (int i = 0; i < n; i++) Assert.Equal(expected[i], values[i]); // -0 and +0 compare equal
        for (int i = 1; i < n; i++)
            Assert.False(values[i - 1] == 0 && values[i] == 0 && float.IsNegative(values[i]) && !float.IsNegative(values[i - 1]), $"+0 before -0 at {i}");
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits).Order(), values.Select(BitConverter.SingleToInt32Bits).Order());
    }

    [Fact]
    public void Sort_SkyLikeValues_SharingTheirHighBytes_AreSorted()
    {
        var random = new Random(11);
        float[] values = Enumerable.Range(0, 4000).Select(_ => 1000f + (float)random.NextDouble()).ToArray();
        float[] expected = values.Order().ToArray();
        FloatSort.Sort(values, new float[values.Length]);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void Sort_ShortBuffer_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => FloatSort.Sort(new float[10], new float[9]));
    }
}
