using ImageReducer.Engine.Fits;

namespace ImageReducer.Engine.Tests.FitsTests;

public class FitsCardTests
{
    private static FitsCard P(string text) => FitsCard.Parse(text.PadRight(80));

    [Fact]
    public void Parse_QuotedString_RemovesQuotesAndTrailingSpaces()
    {
        var c = P("OBJECT  = 'M31     '           / target");
        Assert.Equal(FitsValueKind.String, c.Kind);
        Assert.Equal("M31", c.Value);
        Assert.Equal("target", c.Comment);
    }

    [Fact]
    public void Parse_StringWithDoubledQuote_UndoesEscape()
    {
        Assert.Equal("O'HARA", P("OBSERVER= 'O''HARA'").Value);
    }

    [Fact]
    public void Parse_StringWithLeadingSpaces_KeepsThem()
    {
        Assert.Equal("  x", P("K       = '  x'").Value);
    }

    [Fact]
    public void Parse_EmptyString_IsEmpty()
    {
        Assert.Equal("", P("K       = ''").Value);
    }

    [Fact]
    public void Parse_StringWithSlash_IsNotAComment()
    {
        var c = P("DATE    = '2024/01/02' / the date");
        Assert.Equal("2024/01/02", c.Value);
        Assert.Equal("the date", c.Comment);
    }

    [Fact]
    public void Parse_UnterminatedString_IsUnparsedWithReason()
    {
        var c = P("K       = 'abc");
        Assert.Equal(FitsValueKind.Unparsed, c.Kind);
        Assert.Contains("closing quote", c.ParseError);
    }

    [Fact]
    public void Parse_Integer_IsLong()
    {
        var c = P("NAXIS1  =                 4096 / width");
        Assert.Equal(4096L, c.Value);
        Assert.Equal("width", c.Comment);
    }

    [Fact]
    public void Parse_SignedInteger_IsLong()
    {
        Assert.Equal(-32L, P("BITPIX  =                  -32").Value);
        Assert.Equal(12L, P("K       =                  +12").Value);
    }

    [Fact]
    public void Parse_IntegerBeyondInt64_IsReal()
    {
        var c = P("K       = 123456789012345678901234");
        Assert.Equal(FitsValueKind.Real, c.Kind);
        Assert.Equal(1.2345678901234568E+23, (double)c.Value!);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("1.5E+10", 1.5e10)]
    [InlineData("1.5e-3", 1.5e-3)]
    [InlineData("2.5D-3", 2.5e-3)]
    [InlineData("3E2", 300.0)]
    public void Parse_RealForms_ParseExactly(string text, double expected)
    {
        var c = P($"K       = {text,20}");
        Assert.Equal(FitsValueKind.Real, c.Kind);
        Assert.Equal(expected, (double)c.Value!); // exact: decimal text parsed once, same as .NET's parser
    }

    [Fact]
    public void Parse_Logicals_AreBool()
    {
        Assert.Equal(true, P("SIMPLE  =                    T").Value);
        Assert.Equal(false, P("K       =                    F / no").Value);
    }

    [Fact]
    public void Parse_EmptyValue_IsUndefined()
    {
        var c = P("K       =                      / nothing here");
        Assert.Equal(FitsValueKind.Undefined, c.Kind);
        Assert.Null(c.Value);
        Assert.Equal("nothing here", c.Comment);
    }

    [Fact]
    public void Parse_History_IsCommentaryWithText()
    {
        var c = P("HISTORY reduced by ImageReducer");
        Assert.True(c.IsCommentary);
        Assert.Equal("HISTORY", c.Keyword);
        Assert.Equal("reduced by ImageReducer", c.Comment);
    }

    [Fact]
    public void Parse_CommentWithEquals_IsStillCommentary()
    {
        var c = P("COMMENT = not a value");
        Assert.True(c.IsCommentary);
        Assert.Equal("= not a value", c.Comment);
    }

    [Fact]
    public void Parse_BlankKeyword_IsCommentary()
    {
        var c = P("        some text");
        Assert.True(c.IsCommentary);
        Assert.Equal("", c.Keyword);
    }

    [Fact]
    public void Parse_Hierarch_StripsPrefixAndReadsValue()
    {
        var c = P("HIERARCH MP_DETECTED_NEGATIVE = 6");
        Assert.True(c.IsHierarch);
        Assert.Equal("MP_DETECTED_NEGATIVE", c.Keyword);
        Assert.Equal(6L, c.Value);
    }

    [Fact]
    public void Parse_ComplexValue_IsUnparsedAndKeptRaw()
    {
        var c = P("K       = (1.0, 2.0)");
        Assert.Equal(FitsValueKind.Unparsed, c.Kind);
        Assert.StartsWith("K       = (1.0, 2.0)", c.RawText);
    }

    [Fact]
    public void Parse_Garbage_IsUnparsed()
    {
        Assert.Equal(FitsValueKind.Unparsed, P("K       = abc").Kind);
    }

    [Fact]
    public void Create_Integer_IsRightJustifiedToColumn30()
    {
        var c = FitsCard.Create("NAXIS1", 100L);
        Assert.Equal("NAXIS1  =                  100", c.RawText.TrimEnd());
    }

    [Fact]
    public void Create_ShortString_PadsToEightInsideQuotes()
    {
        Assert.Equal("EXTNAME = 'MASK    '", FitsCard.Create("EXTNAME", "MASK").RawText.TrimEnd());
    }

    [Fact]
    public void Create_StringWithQuote_DoublesIt()
    {
        var c = FitsCard.Create("OBSERVER", "O'Hara");
        Assert.Contains("'O''Hara '", c.RawText);
        Assert.Equal("O'Hara", FitsCard.Parse(c.RawText).Value);
    }

    [Fact]
    public void Create_Real_HasDecimalPointAndRoundTrips()
    {
        foreach (double d in new[] { 1.0, -0.5, 1e20, 1.2345678901234567e-300, 0.1, double.MaxValue, double.Epsilon })
        {
            var c = FitsCard.Create("K", d);
            string field = c.RawText[10..].Trim();
            Assert.Contains('.', field);
            Assert.Equal(d, (double)FitsCard.Parse(c.RawText).Value!); // shortest round-trip text: exact
        }
    }

    [Fact]
    public void Create_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => FitsCard.Create("K", double.NaN));
    }

    [Fact]
    public void Create_NonAsciiString_Throws()
    {
        Assert.Throws<ArgumentException>(() => FitsCard.Create("K", "héllo"));
    }

    [Fact]
    public void Create_LongKeyword_UsesHierarch()
    {
        var c = FitsCard.Create("MP_DETECTED_NEGATIVE", 6L);
        Assert.True(c.IsHierarch);
        Assert.Equal("HIERARCH MP_DETECTED_NEGATIVE = 6", c.RawText.TrimEnd());
    }

    [Fact]
    public void Create_LongString_UsesContinueAndParsesBack()
    {
        string s = string.Concat(Enumerable.Range(0, 40).Select(i => $"part{i}'")); // quotes near chunk edges
        var c = FitsCard.Create("LONGSTR", s, "a comment");
        Assert.True(c.ImageCount > 1);
        for (int k = 1; k < c.ImageCount; k++) Assert.StartsWith("CONTINUE  '", c.RawText.Substring(k * 80, 80));
        // Re-read through the reader, which joins the CONTINUE images back into one card.
        var parsed = ParseHeaderText(c.RawText);
        Assert.Equal(s, parsed.Value);
        Assert.Equal("a comment", parsed.Comment);
        Assert.Equal(c.RawText, parsed.RawText);
    }

    private static FitsCard ParseHeaderText(string raw)
    {
        var cards = new List<string> { RawFits.Card("SIMPLE", "T"), RawFits.Card("BITPIX", "8"), RawFits.Card("NAXIS", "0") };
        for (int k = 0; k < raw.Length; k += 80) cards.Add(raw.Substring(k, 80));
        using var reader = new FitsReader(new MemoryStream(RawFits.Header(cards)));
        return reader.Hdus[0].Header[3];
    }

    [Fact]
    public void Create_Commentary_SplitsLongText()
    {
        var c = FitsCard.Commentary("HISTORY", new string('x', 100));
        Assert.Equal(2, c.ImageCount);
        Assert.StartsWith("HISTORY ", c.RawText[80..]);
    }

    [Fact]
    public void Create_LongComment_IsTruncatedToTheCard()
    {
        var c = FitsCard.Create("K", 1L, new string('c', 200));
        Assert.Equal(80, c.RawText.Length);
    }

    [Fact]
    public void Create_Bool_IsTOrFAtColumn30()
    {
        Assert.Equal('T', FitsCard.Create("INHERIT", true).RawText[29]);
    }

    [Fact]
    public void Create_UndefinedValue_ParsesBackAsUndefined()
    {
        var c = FitsCard.Create("K", null, "why");
        Assert.Equal(FitsValueKind.Undefined, FitsCard.Parse(c.RawText).Kind);
        Assert.Equal("why", FitsCard.Parse(c.RawText).Comment);
    }
}
