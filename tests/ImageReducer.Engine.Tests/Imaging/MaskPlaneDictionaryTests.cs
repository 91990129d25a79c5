using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Imaging;

public class MaskPlaneDictionaryTests
{
    [Fact]
    public void CreateDefault_HasReferencePlanesAndBits()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        string[] names = ["BAD", "SAT", "INTRP", "CR", "EDGE", "DETECTED", "DETECTED_NEGATIVE", "SUSPECT", "NO_DATA", "VIGNETTED", "STREAK"];
        Assert.Equal(names.Length, d.Count);
        for (int i = 0; i < names.Length; i++) Assert.Equal(i, d.GetBit(names[i]));
        Assert.Equal((1 << 0) | (1 << 8), d.GetBitMask("BAD", "NO_DATA"));
    }

    [Fact]
    public void Add_ExistingPlane_ReturnsItsBit()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        Assert.Equal(3, d.Add("CR"));
        Assert.Equal(11, d.Count);
    }

    [Fact]
    public void Add_NewPlane_TakesLowestFreeBit()
    {
        var d = MaskPlaneDictionary.FromBits([new("A", 0), new("B", 2), new("C", 3)]);
        Assert.Equal(1, d.Add("NEW"));
        Assert.Equal(4, d.Add("NEXT"));
        Assert.Equal(11, MaskPlaneDictionary.CreateDefault().Add("INVALID_MAPREDUCE"));
    }

    [Fact]
    public void Add_ThirtyThirdPlane_Throws()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        for (int i = d.Count; i < MaskPlaneDictionary.MaxPlanes; i++) d.Add("P" + i);
        Assert.Equal(32, d.Count);
        var ex = Assert.Throws<MaskPlaneException>(() => d.Add("ONE_TOO_MANY"));
        Assert.Contains("ONE_TOO_MANY", ex.Message);
        Assert.Equal(31, d.GetBit("P31"));
    }

    [Fact]
    public void GetBitMask_UnknownName_Throws()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        var ex = Assert.Throws<MaskPlaneException>(() => d.GetBitMask("BAD", "NOPE"));
        Assert.Contains("NOPE", ex.Message);
        Assert.False(d.TryGetBit("NOPE", out _));
    }

    [Fact]
    public void FromBits_DuplicateBitOrNameOrRange_Throws()
    {
        Assert.Throws<MaskPlaneException>(() => MaskPlaneDictionary.FromBits([new("A", 1), new("B", 1)]));
        Assert.Throws<MaskPlaneException>(() => MaskPlaneDictionary.FromBits([new("A", 1), new("A", 2)]));
        Assert.Throws<MaskPlaneException>(() => MaskPlaneDictionary.FromBits([new("A", 32)]));
        Assert.Throws<MaskPlaneException>(() => MaskPlaneDictionary.FromBits([new(" ", 0)]));
    }

    [Fact]
    public void Interpret_ListsSetPlanesInBitOrder()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        Assert.Equal(["SAT", "EDGE"], d.Interpret((1 << 4) | (1 << 1)));
    }

    [Fact]
    public void Clone_IsIndependent()
    {
        var d = MaskPlaneDictionary.CreateDefault();
        var c = d.Clone();
        c.Add("EXTRA");
        Assert.False(d.TryGetBit("EXTRA", out _));
        Assert.False(d.SameAs(c));
        Assert.True(d.SameAs(MaskPlaneDictionary.CreateDefault()));
    }

    [Fact]
    public void Planes_AreInBitOrder_WhateverTheOrderTheyCameIn()
    {
        var d = MaskPlaneDictionary.FromBits([new("Z", 31), new("M", 4), new("A", 17), new("Q", 0)]);
        d.Add("NEW"); // lowest free bit: 1
        Assert.Equal([new("Q", 0), new("NEW", 1), new("M", 4), new("A", 17), new("Z", 31)], d.Planes);
        Assert.Empty(MaskPlaneDictionary.CreateEmpty().Planes);
    }

    [Fact]
    public void FromBits_SpanAndSequence_BuildTheSameDictionary()
    {
        KeyValuePair<string, int>[] pairs = [new("SAT", 3), new("BAD", 1)];
        var fromSpan = MaskPlaneDictionary.FromBits(pairs.AsSpan());
        var fromSequence = MaskPlaneDictionary.FromBits(pairs.Where(_ => true));
        Assert.Equal(fromSequence.Planes, fromSpan.Planes);
        Assert.Throws<MaskPlaneException>(() => MaskPlaneDictionary.FromBits(new KeyValuePair<string, int>[] { new("A", 1), new("B", 1) }.AsSpan()));
    }
}
