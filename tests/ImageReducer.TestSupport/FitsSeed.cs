using System.Text;
using ImageReducer.Engine.Fits;

namespace ImageReducer.TestSupport;

/// <summary>A valid seed file split into HDUs, from which <see cref="MalformedFitsCorpus"/> derives variants.</summary>
internal sealed class FitsSeed
{
    private readonly Func<int, Outcome> afterHdus;

    public FitsSeed(string name, byte[] bytes, bool checksums, bool hasPsf, string[] roles, Func<int, Outcome> afterHdus)
    {
        Name = name;
        Bytes = bytes;
        Checksums = checksums;
        HasPsf = hasPsf;
        this.afterHdus = afterHdus;
        using var reader = new FitsReader(new MemoryStream(bytes), leaveOpen: false);
        Hdus = reader.Hdus.Select(h => new SeedHdu(h.Index, roles[h.Index], h.HeaderOffset, (int)h.HeaderLength, h.DataLength,
            (int)h.PaddedDataLength, Cards(bytes, h))).ToArray();
    }

    public string Name { get; }
    public byte[] Bytes { get; }
    public bool Checksums { get; }
    public bool HasPsf { get; }
    public IReadOnlyList<SeedHdu> Hdus { get; }

    /// <summary>What reading a file made of the first <paramref name="n"/> intact HDUs gives.</summary>
    public Outcome AfterHdus(int n) => n >= Hdus.Count ? Outcome.Readable : afterHdus(n);

    /// <summary>What a header change that leaves the structure valid gives: a CHECKSUM mismatch when the HDU has one, else nothing.</summary>
    public Outcome HeaderTouched(int hdu) => Checksums ? Outcome.Error(FitsErrorCategory.ChecksumMismatch, hdu, "CHECKSUM") : Outcome.Readable;

    /// <summary>The file with HDU <paramref name="hdu"/>'s header replaced by <paramref name="cards"/> (+ END unless <paramref name="end"/> is false).</summary>
    public byte[] WithCards(int hdu, IReadOnlyList<string> cards, bool end = true) => WithHeader(hdu, EncodeHeader(cards, end));

    /// <summary>The file with HDU <paramref name="hdu"/>'s header bytes replaced.</summary>
    public byte[] WithHeader(int hdu, byte[] header)
    {
        var h = Hdus[hdu];
        var ms = new MemoryStream(Bytes.Length + header.Length);
        ms.Write(Bytes, 0, (int)h.HeaderOffset);
        ms.Write(header);
        long rest = h.HeaderOffset + h.HeaderLength;
        ms.Write(Bytes, (int)rest, Bytes.Length - (int)rest);
        return ms.ToArray();
    }

    /// <summary>Cards (80 characters each, padded) then END, padded with spaces to whole blocks.</summary>
    public static byte[] EncodeHeader(IReadOnlyList<string> cards, bool end = true)
    {
        var sb = new StringBuilder();
        foreach (var c in cards) sb.Append(c.Length >= 80 ? c[..80] : c.PadRight(80));
        if (end) sb.Append("END".PadRight(80));
        int len = (sb.Length + FitsConstants.BlockSize - 1) / FitsConstants.BlockSize * FitsConstants.BlockSize;
        return Encoding.Latin1.GetBytes(sb.ToString().PadRight(Math.Max(len, FitsConstants.BlockSize)));
    }

    private static List<string> Cards(byte[] bytes, FitsHdu h)
    {
        var text = Encoding.ASCII.GetString(bytes, (int)h.HeaderOffset, (int)h.HeaderLength);
        var cards = new List<string>();
        for (int i = 0; i < text.Length; i += 80)
        {
            var card = text.Substring(i, 80);
            if (card.TrimEnd() == "END") break;
            cards.Add(card);
        }
        return cards;
    }
}

/// <summary>One HDU of a seed: where it lies and its header card images (END excluded).</summary>
internal sealed record SeedHdu(int Index, string Role, long HeaderOffset, int HeaderLength, long DataLength, int PaddedDataLength, List<string> Cards)
{
    public long DataOffset => HeaderOffset + HeaderLength;
    public long EndOffset => DataOffset + PaddedDataLength;
    public bool IsExtension => Index > 0;
    public bool IsTable => Role == "PSF";

    /// <summary>Index of the card with <paramref name="keyword"/> (exact, columns 1–8), or −1.</summary>
    public int IndexOf(string keyword) => Cards.FindIndex(c => c[..8].TrimEnd() == keyword);

    /// <summary>The integer value of a card (fixed format).</summary>
    public long Int(string keyword) => long.Parse(Cards[IndexOf(keyword)][10..].Split('/')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An expected outcome: readable (no category) or an error category naming an HDU and keyword.</summary>
internal readonly record struct Outcome(FitsErrorCategory? Category, int? Hdu, string? Keyword)
{
    public static Outcome Readable => default;
    public static Outcome Error(FitsErrorCategory category, int? hdu, string? keyword = null) => new(category, hdu, keyword);
}
