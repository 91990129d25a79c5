using System.Text;

namespace ImageReducer.Engine.Fits;

public sealed partial class FitsReader
{
    private static readonly byte[] XtensionBytes = Encoding.ASCII.GetBytes("XTENSION");

    private void ScanHdus()
    {
        long length = stream.Length;
        long offset = 0;
        if (length == 0) throw FitsErrors.NotFits(FileName, 0, "(empty stream)");
        for (int index = 0; offset < length; index++)
        {
            if (index >= Options.MaxHdus) throw FitsErrors.TooManyHdus(FileName, Options.MaxHdus);
            if (index > 0 && !StartsWithXtension(offset, length))
            {
                // Lenient: zero or blank padding after the last HDU (some writers add it) is ignored; anything
                // else is a damaged extension or a wrong size in the previous header, never silently dropped.
                if (Options.Leniency == FitsLeniency.Strict || !IsPadding(offset, length))
                    throw FitsErrors.TrailingBytes(FileName, index, offset, length - offset);
                break;
            }
            var hdu = ReadHdu(index, offset);
            if (hdu.DataLength > 0 && hdu.DataOffset + hdu.DataLength > length)
                throw FitsErrors.TruncatedData(FileName, index, hdu.DataOffset, hdu.DataLength, length);
            hdus.Add(hdu);
            offset = hdu.EndOffset;
        }
    }

    /// <summary>True when the bytes at <paramref name="offset"/> start with XTENSION (or, for a tail shorter than that, with its beginning: a cut header).</summary>
    private bool StartsWithXtension(long offset, long length)
    {
        Span<byte> head = stackalloc byte[8];
        int got = ReadAtMost(offset, head[..(int)Math.Min(8, length - offset)]);
        return got > 0 && head[..got].SequenceEqual(XtensionBytes.AsSpan(0, got));
    }

    /// <summary>True when the first block after <paramref name="offset"/> holds only zeros or spaces.</summary>
    private bool IsPadding(long offset, long length)
    {
        Span<byte> block = stackalloc byte[FitsConstants.BlockSize];
        int got = ReadAtMost(offset, block[..(int)Math.Min(FitsConstants.BlockSize, length - offset)]);
        foreach (byte b in block[..got])
            if (b is not (0 or (byte)' ')) return false;
        return true;
    }

    private FitsHdu ReadHdu(int index, long offset)
    {
        var cards = new List<FitsCard>();
        var block = new byte[FitsConstants.BlockSize];
        long headerBytes = 0;
        var sum = FitsChecksum.Zero;
        bool end = false;
        while (!end)
        {
            if (headerBytes + FitsConstants.BlockSize > Options.MaxHeaderBytes)
                throw FitsErrors.HeaderTooLarge(FileName, index, Options.MaxHeaderBytes);
            int got = ReadAtMost(offset + headerBytes, block);
            if (got < FitsConstants.BlockSize)
            {
                if (index == 0 && headerBytes == 0 && !LooksLikeSimple(block.AsSpan(0, got)))
                    throw FitsErrors.NotFits(FileName, 0, Encoding.ASCII.GetString(block, 0, Math.Min(got, 80)).Replace('\0', ' '));
                throw FitsErrors.MissingEnd(FileName, index, headerBytes + got);
            }
            if (index == 0 && headerBytes == 0 && !LooksLikeSimple(block))
                throw FitsErrors.NotFits(FileName, 0, Encoding.Latin1.GetString(block, 0, 80));
            sum = sum.Add(block, headerBytes);
            for (int k = 0; k < FitsConstants.CardsPerBlock && !end; k++)
            {
                var image = block.AsSpan(k * FitsConstants.CardLength, FitsConstants.CardLength);
                for (int col = 0; col < image.Length; col++)
                    if (image[col] is < 0x20 or > 0x7E)
                    {
                        if (index == 0 && headerBytes == 0 && k == 0) throw FitsErrors.NotFits(FileName, 0, Encoding.Latin1.GetString(image));
                        // A later header block that starts with binary is the data unit: the header lost its END.
                        if (k == 0 && headerBytes > 0)
                            throw FitsErrors.EndMissingBefore(FileName, index, cards.Count, headerBytes,
                                $"header block {headerBytes / FitsConstants.BlockSize + 1} starts with binary data (byte 0x{image[col]:X2} at column {col + 1})");
                        throw FitsErrors.NonAsciiCard(FileName, index, cards.Count, col, image[col], AsciiKeyword(image));
                    }
                string text = Encoding.ASCII.GetString(image);
                var (keyword, hierarch) = FitsCardParser.ParseKeyword(text);
                if (!hierarch && keyword == "END") { end = true; break; }
                if (!hierarch && cards.Count > 0 && keyword == "XTENSION")
                    throw FitsErrors.EndMissingBefore(FileName, index, cards.Count, headerBytes + (long)k * FitsConstants.CardLength,
                        $"card {cards.Count + 1} is XTENSION, the start of the next extension");
                if (!hierarch && keyword == "CONTINUE" && cards.Count > 0 && FitsCardParser.EndsWithContinuation(cards[^1]))
                {
                    var prev = cards[^1];
                    cards[^1] = new FitsCard(prev.Keyword, prev.RawText + text, prev.IsHierarch);
                    continue;
                }
                cards.Add(new FitsCard(keyword, text, hierarch));
            }
            headerBytes += FitsConstants.BlockSize;
        }
        var header = new FitsHeader(cards, FileName, index);
        return Interpret(index, offset, headerBytes, header, sum);
    }

    /// <summary>Columns 1–8 trimmed when they are printable ASCII (to name the keyword of a bad card), else null.</summary>
    private static string? AsciiKeyword(ReadOnlySpan<byte> image)
    {
        var kw = image[..8];
        foreach (byte b in kw) if (b is < 0x20 or > 0x7E) return null;
        string s = Encoding.ASCII.GetString(kw).TrimEnd();
        return s.Length == 0 ? null : s;
    }

    /// <summary>
    /// A structural keyword given twice with different values makes the data size ambiguous (readers
    /// differ on which one wins): an error. An identical repeat is tolerated unless strict.
    /// </summary>
    private void CheckStructuralDuplicates(int index, FitsHeader header)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            string kw = header[i].Keyword;
            if (!IsStructural(kw) || header[i].IsCommentary) continue;
            if (!seen.TryAdd(kw, i))
            {
                int first = seen[kw];
                if (Options.Leniency == FitsLeniency.Strict || !Equals(header[first].Value, header[i].Value))
                    throw FitsErrors.MalformedCard(FileName, index, i, kw,
                        $"{kw} appears twice (cards {first + 1} and {i + 1}: '{header[first].Value}' and '{header[i].Value}')");
            }
        }
    }

    /// <summary>
    /// Value fields follow fitsverify's verdict: a syntax error (unterminated string, text after a
    /// string, a token that is no value) rejects the file; a lower-case keyword is read with a warning.
    /// Strict mode also rejects lower-case keywords and values the parser keeps raw (complex numbers).
    /// </summary>
    private void CheckCards(int index, FitsHeader header)
    {
        bool strict = Options.Leniency == FitsLeniency.Strict;
        for (int i = 0; i < header.Count; i++)
        {
            FitsCard card = header[i];
            if (card.HasValueSyntaxError || (strict && card.Kind == FitsValueKind.Unparsed))
                throw FitsErrors.MalformedCard(FileName, index, i, card.Keyword, card.ParseError!);
            if (!card.IsHierarch && card.Keyword.AsSpan().ContainsAnyInRange('a', 'z'))
            {
                if (strict)
                    throw FitsErrors.MalformedCard(FileName, index, i, card.Keyword, $"keyword '{card.Keyword}' is not upper case");
                warnings.Add(FitsWarnings.LowercaseKeyword(FileName, index, i, card.Keyword));
            }
        }
    }

    private static readonly string[] StructuralKeywords = ["SIMPLE", "XTENSION", "BITPIX", "NAXIS", "PCOUNT", "GCOUNT", "TFIELDS"];

    private static bool IsStructural(string kw) =>
        Array.Exists(StructuralKeywords, s => s.Equals(kw, StringComparison.OrdinalIgnoreCase)) ||
        kw.Length > 5 && kw.StartsWith("NAXIS", StringComparison.OrdinalIgnoreCase) && kw.AsSpan(5).IndexOfAnyExceptInRange('0', '9') < 0;

    private static bool LooksLikeSimple(ReadOnlySpan<byte> head) => head.Length >= 6 && head[..6].SequenceEqual("SIMPLE"u8);

    private FitsHdu Interpret(int index, long offset, long headerBytes, FitsHeader header, FitsChecksum sum)
    {
        string first = header.Count > 0 ? header[0].Keyword : "";
        FitsHduType type;
        if (index == 0)
        {
            if (first != "SIMPLE") throw FitsErrors.NotFits(FileName, 0, header.Count > 0 ? header[0].RawText[..80] : "END");
            // fitsverify: SIMPLE = F is a warning (the file may not conform); any other value is fatal.
            if (header[0].Value is not bool simple)
                throw FitsErrors.MalformedCard(FileName, 0, 0, "SIMPLE", "SIMPLE must hold the logical value T, but " +
                    (header[0].IsCommentary ? "the card has no value indicator ('= ' in columns 9-10)" : $"it holds the {header[0].Kind} value {header[0].Value ?? header[0].ParseError}"));
            if (!simple)
            {
                if (Options.Leniency == FitsLeniency.Strict)
                    throw FitsErrors.MalformedCard(FileName, 0, 0, "SIMPLE", "SIMPLE must be T for a standard FITS file");
                warnings.Add(FitsWarnings.SimpleFalse(FileName));
            }
            type = FitsHduType.Primary;
        }
        else
        {
            if (first != "XTENSION") throw FitsErrors.NotFits(FileName, index, header.Count > 0 ? header[0].RawText[..80] : "END");
            if (header[0].Value is not string)
                throw FitsErrors.MalformedCard(FileName, index, 0, "XTENSION", "XTENSION must be a quoted type such as 'IMAGE' or 'BINTABLE', but " +
                    (header[0].IsCommentary ? "the card has no value indicator ('= ' in columns 9-10)" : $"it holds the {header[0].Kind} value {header[0].Value ?? header[0].ParseError}"));
            type = (header[0].Value as string)?.Trim().ToUpperInvariant() switch
            {
                "IMAGE" => FitsHduType.Image,
                "BINTABLE" => FitsHduType.BinaryTable,
                "TABLE" => FitsHduType.AsciiTable,
                _ => FitsHduType.Other,
            };
        }
        CheckCards(index, header);

        CheckStructuralDuplicates(index, header);
        int bitpixCard = header.IndexOf("BITPIX");
        long bitpix = header.GetInt64("BITPIX");
        if (FitsConstants.BytesPerPixel(bitpix is >= int.MinValue and <= int.MaxValue ? (int)bitpix : 0) == 0)
            throw FitsErrors.InvalidBitpix(FileName, index, bitpixCard, bitpix);
        int naxisCard = header.IndexOf("NAXIS");
        long naxis = header.GetInt64("NAXIS");
        if (naxis is < 0 or > 999)
            throw FitsErrors.InvalidAxisCount(FileName, index, naxisCard, $"NAXIS = {naxis} is outside 0..999");
        var axes = new long[naxis];
        for (int n = 0; n < naxis; n++)
        {
            string kw = $"NAXIS{n + 1}";
            axes[n] = header.GetInt64(kw);
            if (axes[n] < 0)
                throw FitsErrors.InvalidAxisLength(FileName, index, header.IndexOf(kw), kw, axes[n], "an axis length must not be negative");
        }
        long pcount = 0, gcount = 1;
        if (index > 0)
        {
            if (header.TryGetInt64("PCOUNT", out long p)) pcount = p;
            if (header.TryGetInt64("GCOUNT", out long g)) gcount = g;
            if (pcount < 0) throw FitsErrors.InvalidAxisLength(FileName, index, header.IndexOf("PCOUNT"), "PCOUNT", pcount, "must not be negative");
            if (gcount < 0) throw FitsErrors.InvalidAxisLength(FileName, index, header.IndexOf("GCOUNT"), "GCOUNT", gcount, "must not be negative");
        }
        bool randomGroups = index == 0 && naxis > 0 && axes[0] == 0 && header.GetBool("GROUPS", false);
        long dataLength;
        try
        {
            checked
            {
                long product = naxis == 0 ? 0 : 1;
                for (int n = randomGroups ? 1 : 0; n < naxis; n++) product *= axes[n];
                dataLength = Math.Abs(bitpix) / 8 * gcount * (pcount + product);
                _ = FitsConstants.PadToBlock(offset + headerBytes + dataLength);
            }
        }
        catch (OverflowException)
        {
            throw FitsErrors.DataTooLarge(FileName, index, $"more than 2^63 ({string.Join(" x ", axes)})", Options.MaxDataBytes);
        }
        if (dataLength > Options.MaxDataBytes)
            throw FitsErrors.DataTooLarge(FileName, index, dataLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Options.MaxDataBytes);
        return new FitsHdu(index, header, type, offset, headerBytes, dataLength, (int)bitpix, axes, pcount, gcount, sum);
    }
}
