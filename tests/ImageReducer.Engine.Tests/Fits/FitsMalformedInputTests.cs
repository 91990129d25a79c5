using System.Text;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using static ImageReducer.Engine.Tests.FitsTests.RawFits;

namespace ImageReducer.Engine.Tests.FitsTests;

public class FitsMalformedInputTests
{
    private static FitsFormatException Open(byte[] bytes, FitsReadOptions? options = null) =>
        Assert.Throws<FitsFormatException>(() => { using var r = new FitsReader(new MemoryStream(bytes), options, "bad.fits"); });

    [Fact]
    public void Read_TruncatedDataUnit_ThrowsTruncatedData()
    {
        var file = Bytes8(100, 100);
        var e = Open(file[..(2880 + 5000)]);
        Assert.Equal(FitsErrorKind.TruncatedData, e.Kind);
        Assert.Equal(0, e.HduIndex);
        Assert.Contains("bad.fits: HDU 0", e.Message);
    }

    [Fact]
    public void Read_MissingEnd_ThrowsMissingEnd()
    {
        var e = Open(Header(ImageCards(8, 1, 1), end: false));
        Assert.Equal(FitsErrorKind.MissingEnd, e.Kind);
        Assert.Contains("HDU 0", e.Message);
    }

    [Fact]
    public void Read_HeaderWithoutEndBeyondLimit_StopsAtMaxHeaderBytes()
    {
        var cards = ImageCards(8, 1, 1).Concat(Enumerable.Repeat("COMMENT filler", 36 * 10)).ToList();
        var e = Open(Header(cards, end: false), new FitsReadOptions { MaxHeaderBytes = 2880 * 4 });
        Assert.Equal(FitsErrorKind.HeaderTooLarge, e.Kind);
    }

    [Fact]
    public void Read_NonAsciiCard_NamesTheCard()
    {
        var bytes = Bytes8(1, 1, "OBJECT  = 'caf\u00e9'");
        var e = Open(bytes);
        Assert.Equal(FitsErrorKind.NonAsciiCard, e.Kind);
        Assert.Equal(5, e.CardIndex);
        Assert.Contains("card 6", e.Message);
        Assert.Contains("0xE9", e.Message);
        Assert.Equal("OBJECT", e.Keyword);
    }

    [Fact]
    public void Read_TextAfterLastHdu_ThrowsTrailingBytesEvenWhenLenient()
    {
        var e = Open(Concat(Bytes8(2, 2), Encoding.ASCII.GetBytes("junk after the file")));
        Assert.Equal(FitsErrorKind.TrailingBytes, e.Kind);
        Assert.Equal(1, e.HduIndex);
    }

    [Fact]
    public void Read_ExtensionHeaderCutShort_ThrowsMissingEnd()
    {
        var e = Open(Concat(Bytes8(2, 2), Encoding.ASCII.GetBytes("XTENSION= 'IMAGE   '")));
        Assert.Equal(FitsErrorKind.MissingEnd, e.Kind);
        Assert.Equal(1, e.HduIndex);
    }

    [Fact]
    public void Read_StructuralKeywordRepeatedWithAnotherValue_ThrowsMalformedCard()
    {
        var e = Open(Bytes8(2, 2, Card("NAXIS1", "3")));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("NAXIS1", e.Keyword);
        Assert.Equal(5, e.CardIndex);
        Assert.Contains("appears twice", e.Message);
    }

    [Fact]
    public void Read_StructuralKeywordRepeatedWithSameValue_IsToleratedWhenLenientOnly()
    {
        var bytes = Bytes8(2, 2, Card("NAXIS1", "2"));
        using (var r = new FitsReader(new MemoryStream(bytes))) Assert.Equal(2, r.Hdus[0].Width);
        Assert.Equal(FitsErrorKind.MalformedCard, Open(bytes, new FitsReadOptions { Leniency = FitsLeniency.Strict }).Kind);
    }

    [Fact]
    public void Read_HeaderWithoutEndBeforeData_ThrowsMissingEndNotNonAscii()
    {
        var cards = ImageCards(8, 100, 100).Concat(Enumerable.Repeat("COMMENT filler", 31)).ToList(); // exactly one block, no END
        var e = Open(Concat(Header(cards, end: false), Data(new byte[100 * 100])));
        Assert.Equal(FitsErrorKind.MissingEnd, e.Kind);
        Assert.Contains("binary data", e.Message);
    }

    [Fact]
    public void Read_HeaderWithoutEndBeforeNextExtension_ThrowsMissingEnd()
    {
        var primary = Header([Card("SIMPLE", "T"), Card("BITPIX", "8"), Card("NAXIS", "0")], end: false);
        var ext = Header([$"XTENSION= 'IMAGE   '", Card("BITPIX", "8"), Card("NAXIS", "0"), Card("PCOUNT", "0"), Card("GCOUNT", "1")]);
        var e = Open(Concat(primary, ext));
        Assert.Equal(FitsErrorKind.MissingEnd, e.Kind);
        Assert.Equal(0, e.HduIndex);
        Assert.Contains("XTENSION", e.Message);
    }

    [Fact]
    public void Read_XtensionNotAString_ThrowsMalformedCard()
    {
        var ext = Header([Card("XTENSION", "42"), Card("BITPIX", "8"), Card("NAXIS", "0"), Card("PCOUNT", "0"), Card("GCOUNT", "1")]);
        var e = Open(Concat(Header([Card("SIMPLE", "T"), Card("BITPIX", "8"), Card("NAXIS", "0")]), ext));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("XTENSION", e.Keyword);
        Assert.Equal(1, e.HduIndex);
    }

    [Fact]
    public void Read_MandatoryCardWithoutValueIndicator_ThrowsMalformedCardNotMissingKeyword()
    {
        var cards = ImageCards(8, 1, 1);
        cards[1] = "BITPIX    8";
        var e = Open(Concat(Header(cards), Data(new byte[1])));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("BITPIX", e.Keyword);
        Assert.Contains("value indicator", e.Message);
    }

    [Fact]
    public void ReadExposure_PlaneWithUnknownXtension_ThrowsLayoutMismatch()
    {
        var bytes = TestExposures.ToBytes(TestExposures.Patterned(undefinedCard: false));
        int at = Encoding.ASCII.GetString(bytes).IndexOf("XTENSION= 'IMAGE   '", StringComparison.Ordinal);
        Encoding.ASCII.GetBytes("XTENSION= 'FOOBAR  '").CopyTo(bytes, at);
        var e = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(bytes));
        Assert.Equal(FitsErrorKind.LayoutMismatch, e.Kind);
        Assert.Contains("FOOBAR", e.Message);
    }

    [Fact]
    public void Category_EveryKind_HasOne()
    {
        foreach (var kind in Enum.GetValues<FitsErrorKind>())
            Assert.True(Enum.IsDefined(FitsFormatException.CategoryOf(kind)), $"{kind}");
        Assert.Equal(FitsErrorCategory.Truncated, FitsFormatException.CategoryOf(FitsErrorKind.UnexpectedEndOfData));
    }

    [Fact]
    public void Read_MalformedStructuralCard_NamesKeyword()
    {
        var cards = ImageCards(8, 1, 1);
        cards[3] = "NAXIS1  = 'one'";
        var e = Open(Concat(Header(cards), Data(new byte[1])));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("NAXIS1", e.Keyword);
        Assert.Contains("card 4 (NAXIS1)", e.Message);
    }

    [Fact]
    public void Read_MalformedOtherCard_ThrowsMalformedCardEvenWhenLenient()
    {
        var e = Open(Bytes8(1, 1, "WEIRD   = abc"));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("WEIRD", e.Keyword);
        Assert.Contains("'abc' is not a FITS value", e.Message);
    }

    [Fact]
    public void Read_UnterminatedString_ThrowsMalformedCardNamingTheCard()
    {
        var e = Open(Bytes8(1, 1, "OBJECT  = 'M31"));
        Assert.Equal(FitsErrorCategory.BadCard, e.Category);
        Assert.Equal("OBJECT", e.Keyword);
        Assert.Equal(5, e.CardIndex);
        Assert.Equal("bad.fits: HDU 0, card 6 (OBJECT): the string has no closing quote", e.Message);
    }

    [Fact]
    public void Read_TextAfterString_ThrowsMalformedCard()
    {
        var e = Open(Bytes8(1, 1, "OBJECT  = 'M31' xyz"));
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Contains("unexpected text after the string", e.Message);
    }

    [Fact]
    public void Read_ComplexValue_IsKeptRawWhenLenientAndRejectedWhenStrict()
    {
        byte[] bytes = Bytes8(1, 1, "CVALUE  = (1.5, -2)");
        using (var r = new FitsReader(new MemoryStream(bytes)))
        {
            FitsCard card = r.Hdus[0].Header.Find("CVALUE")!;
            Assert.Equal(FitsValueKind.Unparsed, card.Kind);
            Assert.False(card.HasValueSyntaxError);
            Assert.Empty(r.Warnings);
        }
        Assert.Equal(FitsErrorKind.MalformedCard, Open(bytes, new FitsReadOptions { Leniency = FitsLeniency.Strict }).Kind);
    }

    [Fact]
    public void Read_SimpleFalse_ReadsWithAWarningNamingTheCard()
    {
        byte[] bytes = Concat(Header([Card("SIMPLE", "F"), Card("BITPIX", "8"), Card("NAXIS", "0")]));
        using var r = new FitsReader(new MemoryStream(bytes), null, "odd.fits");
        FitsWarning warning = Assert.Single(r.Warnings);
        Assert.Equal((0, 0, "SIMPLE"), (warning.HduIndex, warning.CardIndex, warning.Keyword));
        Assert.StartsWith("odd.fits: HDU 0, card 1 (SIMPLE): SIMPLE = F says the file may not conform", warning.Message);
    }

    [Fact]
    public void Read_SimpleFalse_ThrowsWhenStrict()
    {
        byte[] bytes = Concat(Header([Card("SIMPLE", "F"), Card("BITPIX", "8"), Card("NAXIS", "0")]));
        Assert.Equal("SIMPLE", Open(bytes, new FitsReadOptions { Leniency = FitsLeniency.Strict }).Keyword);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("'T'")]
    public void Read_SimpleNotLogical_ThrowsMalformedCard(string value)
    {
        var e = Open(Concat(Header([Card("SIMPLE", value), Card("BITPIX", "8"), Card("NAXIS", "0")])));
        Assert.Equal((FitsErrorKind.MalformedCard, "SIMPLE", 0), (e.Kind, e.Keyword, e.CardIndex));
        Assert.Contains("SIMPLE must hold the logical value T", e.Message);
    }

    [Fact]
    public void Read_LowercaseKeyword_ReadsWithAWarningAndThrowsWhenStrict()
    {
        byte[] bytes = Bytes8(1, 1, "object  = 'M31'");
        using (var r = new FitsReader(new MemoryStream(bytes), null, "odd.fits"))
        {
            Assert.Equal("M31", r.Hdus[0].Header.Find("OBJECT")?.Value);
            FitsWarning warning = Assert.Single(r.Warnings);
            Assert.Equal("odd.fits: HDU 0, card 6 (object): keyword 'object' is not upper case, as the standard requires; it was read as OBJECT", warning.Message);
        }
        Assert.Equal(FitsErrorKind.MalformedCard, Open(bytes, new FitsReadOptions { Leniency = FitsLeniency.Strict }).Kind);
    }

    [Fact]
    public void Read_MalformedOtherCard_ThrowsWhenStrict()
    {
        var e = Open(Bytes8(1, 1, "WEIRD   = abc"), new FitsReadOptions { Leniency = FitsLeniency.Strict });
        Assert.Equal(FitsErrorKind.MalformedCard, e.Kind);
        Assert.Equal("WEIRD", e.Keyword);
        Assert.Equal(5, e.CardIndex);
    }

    [Fact]
    public void Read_InvalidBitpix_ThrowsInvalidBitpix()
    {
        var e = Open(Concat(Header(ImageCards(12, 1, 1)), Data(new byte[2])));
        Assert.Equal(FitsErrorKind.InvalidBitpix, e.Kind);
        Assert.Contains("BITPIX = 12", e.Message);
        Assert.Equal(1, e.CardIndex);
    }

    [Fact]
    public void Read_NegativeNaxis_ThrowsInvalidAxisLength()
    {
        var e = Open(Header(ImageCards(8, -5, 1)));
        Assert.Equal(FitsErrorKind.InvalidAxisLength, e.Kind);
        Assert.Equal("NAXIS1", e.Keyword);
    }

    [Fact]
    public void Read_AbsurdNaxis_ThrowsDataTooLargeBeforeAllocating()
    {
        var e = Open(Header(ImageCards(-64, 1_000_000_000, 1_000_000_000)));
        Assert.Equal(FitsErrorKind.DataTooLarge, e.Kind);
    }

    [Fact]
    public void Read_OverflowingNaxis_ThrowsDataTooLarge()
    {
        var cards = new List<string> { Card("SIMPLE", "T"), Card("BITPIX", "-64"), Card("NAXIS", "3"),
            Card("NAXIS1", "4000000000"), Card("NAXIS2", "4000000000"), Card("NAXIS3", "4000000000") };
        var e = Open(Header(cards));
        Assert.Equal(FitsErrorKind.DataTooLarge, e.Kind);
        Assert.Contains("2^63", e.Message);
    }

    [Fact]
    public void Read_DataLargerThanLimit_ThrowsDataTooLarge()
    {
        var e = Open(Bytes8(100, 100), new FitsReadOptions { MaxDataBytes = 5000 });
        Assert.Equal(FitsErrorKind.DataTooLarge, e.Kind);
        Assert.Contains("5000", e.Message);
    }

    [Fact]
    public void Read_DataShorterThanDeclared_ThrowsUnexpectedEndOfData()
    {
        // The stream claims the full length but holds less: detected while reading pixels.
        var file = Bytes8(100, 100);
        var stream = new CountingStream(file[..(2880 + 4000)], claimedLength: file.Length);
        using var r = new FitsReader(stream, fileName: "short.fits");
        var e = Assert.Throws<FitsFormatException>(() => r.ReadImage<byte>(r.Hdus[0]));
        Assert.Equal(FitsErrorKind.UnexpectedEndOfData, e.Kind);
        Assert.Contains("short.fits: HDU 0", e.Message);
    }

    [Fact]
    public void Read_NotFits_ThrowsNotFits()
    {
        var e = Open(Encoding.ASCII.GetBytes(new string('x', 3000)));
        Assert.Equal(FitsErrorKind.NotFits, e.Kind);
    }

    [Fact]
    public void Read_EmptyStream_ThrowsNotFits()
    {
        Assert.Equal(FitsErrorKind.NotFits, Open([]).Kind);
    }

    [Fact]
    public void Read_WrongDatasum_ThrowsDatasumMismatch()
    {
        var bytes = WriteImage();
        bytes[2880 * 1 + 10] ^= 0x01; // flip one data bit
        using var r = new FitsReader(new MemoryStream(bytes), fileName: "sum.fits");
        var e = Assert.Throws<FitsFormatException>(() => r.ReadImage<float>(r.Hdus[0]));
        Assert.Equal(FitsErrorKind.DatasumMismatch, e.Kind);
        Assert.Equal("DATASUM", e.Keyword);
        Assert.Contains("sum.fits: HDU 0", e.Message);
    }

    [Fact]
    public void Read_WrongChecksum_ThrowsChecksumMismatch()
    {
        var bytes = WriteImage([FitsCard.Create("OBJECT", "abc")]);
        int at = Encoding.ASCII.GetString(bytes, 0, 2880).IndexOf("'abc", StringComparison.Ordinal);
        bytes[at + 1] = (byte)'x'; // alter the header only
        using var r = new FitsReader(new MemoryStream(bytes));
        var e = Assert.Throws<FitsFormatException>(() => r.ReadImage<float>(r.Hdus[0]));
        Assert.Equal(FitsErrorKind.ChecksumMismatch, e.Kind);
        Assert.Equal("CHECKSUM", e.Keyword);
    }

    [Fact]
    public void Read_WrongChecksum_IsIgnoredWhenVerificationIsOff()
    {
        var bytes = WriteImage();
        bytes[2880 + 10] ^= 0x01;
        using var r = new FitsReader(new MemoryStream(bytes), new FitsReadOptions { VerifyChecksums = false });
        using var _ = r.ReadImage<float>(r.Hdus[0]);
    }

    [Fact]
    public void Read_TrailingJunk_IsIgnoredWhenLenientAndRejectedWhenStrict()
    {
        var bytes = Concat(Bytes8(2, 2), new byte[2880]);
        using (var r = new FitsReader(new MemoryStream(bytes))) Assert.Single(r.Hdus);
        Assert.Equal(FitsErrorKind.TrailingBytes, Open(bytes, new FitsReadOptions { Leniency = FitsLeniency.Strict }).Kind);
    }

    [Fact]
    public void Read_TooManyHdus_ThrowsTooManyHdus()
    {
        var ext = Header([$"XTENSION= 'IMAGE   '", Card("BITPIX", "8"), Card("NAXIS", "0"), Card("PCOUNT", "0"), Card("GCOUNT", "1")]);
        var bytes = Concat(Header([Card("SIMPLE", "T"), Card("BITPIX", "8"), Card("NAXIS", "0")]), ext, ext, ext);
        Assert.Equal(FitsErrorKind.TooManyHdus, Open(bytes, new FitsReadOptions { MaxHdus = 2 }).Kind);
    }

    [Fact]
    public void FitsFormatException_DerivesFromFitsException()
    {
        Assert.IsAssignableFrom<FitsException>(Open([]));
    }

    [Fact]
    public void Options_InvalidLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitsReadOptions { MaxDataBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitsReadOptions { MaxHeaderBytes = 100 });
    }

    private static byte[] WriteImage(IEnumerable<FitsCard>? cards = null)
    {
        using var img = new Image<float>(10, 10);
        img.Fill(1.5f);
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true)) w.WriteImage(img, cards);
        return ms.ToArray();
    }
}
