using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

public sealed class BlockIdsTests
{
    [Fact]
    public void FromLabel_ThenToLabel_ReturnsLabel()
    {
        string id = BlockIds.FromLabel("tile-0007-plane-1-part-0003");
        Assert.Equal("tile-0007-plane-1-part-0003", BlockIds.ToLabel(id));
    }

    [Fact]
    public void FromLabel_IsBase64OfUtf8Label()
    {
        Assert.Equal("dGlsZS0wMDA3", BlockIds.FromLabel("tile-0007"));
    }

    [Fact]
    public void FromLabel_FixedWidthLabels_GiveIdsOfOneLength()
    {
        Assert.Equal(BlockIds.FromLabel("tile-0007-part-0003").Length, BlockIds.FromLabel("tile-1234-part-9999").Length);
    }

    [Fact]
    public void FromLabel_Over64Bytes_Refused()
    {
        Assert.Throws<ArgumentException>(() => BlockIds.FromLabel(new string('x', 65)));
    }

    [Theory]
    [InlineData("abc")]          // not a multiple of 4
    [InlineData("ab c")]         // white space
    [InlineData("!!!!")]         // not Base64 characters
    public void Validate_NotBase64_Refused(string id)
    {
        Assert.Throws<ArgumentException>(() => BlockIds.Validate(id));
    }

    [Fact]
    public void ValidateList_Empty_Refused()
    {
        Assert.Throws<ArgumentException>(() => BlockIds.ValidateList([]));
    }

    [Fact]
    public void ValidateList_MixedLengths_RefusedNamingTheIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => BlockIds.ValidateList([BlockIds.FromLabel("p-1"), BlockIds.FromLabel("p-10")]));
        Assert.Contains("Block id 1", e.Message);
    }
}
