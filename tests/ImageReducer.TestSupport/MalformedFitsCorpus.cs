using System.Globalization;
using System.Text;
using ImageReducer.Engine.Fits;
using static ImageReducer.Engine.Fits.FitsErrorCategory;
using static ImageReducer.TestSupport.Outcome;

namespace ImageReducer.TestSupport;

/// <summary>
/// A deterministic corpus of malformed FITS files (several hundred) derived from four valid seeds written
/// by the engine (an LSST-layout exposure with a PSF table, an HST-like SCI/ERR/DQ file, a plain float
/// image, a scaled BITPIX 16 image) plus a few non-FITS files: truncations at every HDU boundary and
/// inside every header and data unit, every mandatory card corrupted in several ways, bad BITPIX and
/// axes, absurd sizes, missing END, wrong checksums, bad mask planes, unknown extension types.
/// Each <see cref="MalformedFitsVariant"/> says which error category reading it must report (or that
/// it is still readable).
/// </summary>
/// <remarks>
/// The expectations hold for reading with <see cref="ReadOptions"/> (the same as the Reduce path:
/// <see cref="ExposureFits.Read(Stream, ExposureReadOptions?, string?)"/>, then
/// <see cref="PsfFits.Read(Stream, FitsReadOptions?, string?)"/> when <see cref="MalformedFitsVariant.HasPsf"/>).
/// Generated once, lazily, and thread-safe. The corpus holds recipes, not files: each variant builds its
/// bytes on <see cref="MalformedFitsVariant.CreateBytes"/>, so listing the corpus takes milliseconds and
/// little memory whatever its size.
/// </remarks>
public static class MalformedFitsCorpus
{
    private static readonly Lazy<IReadOnlyList<MalformedFitsVariant>> Variants = new(Generate);

    /// <summary>
    /// The read limits the expectations assume: 1 MiB data units, 64 KiB headers, 16 HDUs, lenient,
    /// checksums verified. Far above the seeds' sizes, far below the absurd sizes of the corpus.
    /// </summary>
    public static FitsReadOptions ReadOptions { get; } = new()
    {
        MaxDataBytes = 1 << 20,
        MaxHeaderBytes = 64 << 10,
        MaxHdus = 16,
    };

    /// <summary>The exposure read options of the Reduce path (<see cref="ReadOptions"/>, layout detected).</summary>
    public static ExposureReadOptions ExposureReadOptions { get; } = new() { Fits = ReadOptions };

    /// <summary>Every variant, in a fixed order; names are unique.</summary>
    public static IReadOnlyList<MalformedFitsVariant> All => Variants.Value;

    /// <summary>The variant named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such variant.</exception>
    public static MalformedFitsVariant Get(string name) =>
        All.FirstOrDefault(v => v.Name == name) ?? throw new KeyNotFoundException($"no corpus variant named '{name}'");

    /// <summary>The valid seed files (name → bytes) the variants derive from.</summary>
    public static IReadOnlyDictionary<string, byte[]> Seeds()
    {
        var d = new Dictionary<string, byte[]>();
        foreach (var s in CreateSeeds()) d[s.Name] = s.Bytes;
        return d;
    }

    /// <summary>Generates the corpus afresh (same bytes every time).</summary>
    public static IReadOnlyList<MalformedFitsVariant> Generate()
    {
        var c = new Collector();
        NotFitsFiles(c);
        foreach (var s in CreateSeeds())
        {
            Truncations(c, s);
            foreach (var h in s.Hdus)
            {
                MandatoryCards(c, s, h);
                EndCard(c, s, h);
                Bitpix(c, s, h);
                Axes(c, s, h);
                if (s.Checksums) Checksums(c, s, h);
                if (h.IsExtension) ExtensionTypes(c, s, h);
            }
            if (!s.Checksums) AddedChecksums(c, s);
            if (s.Name == "lsst")
            {
                MaskPlanes(c, s, s.Hdus[2]);
                PsfTable(c, s, s.Hdus[4]);
            }
            FileLevel(c, s);
        }
        return c.Variants;
    }

    private static FitsSeed[] CreateSeeds() => [FitsSeeds.Lsst(), FitsSeeds.Hst(), FitsSeeds.Plain(), FitsSeeds.Scaled16()];

    private sealed class Collector
    {
        private readonly HashSet<string> names = [];
        public List<MalformedFitsVariant> Variants { get; } = [];

        public void Add(FitsSeed? seed, string name, Func<byte[]> bytes, Outcome o, string description)
        {
            string full = (seed?.Name ?? "none") + "/" + name;
            if (!names.Add(full)) throw new InvalidOperationException($"duplicate corpus name {full}");
            Variants.Add(new MalformedFitsVariant(full, seed?.Name ?? "none", bytes, o.Category, o.Hdu, o.Keyword, seed?.HasPsf ?? false, description));
        }
    }

    /// <summary>A fixed-format card, value right-justified to column 30.</summary>
    private static string Card(string keyword, string value) => $"{keyword,-8}= {value,20}";

    private static string Value(string card) => card[10..].Split('/')[0].Trim();

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    // ---- non-FITS files -------------------------------------------------------------------------

    private static void NotFitsFiles(Collector c)
    {
        var notFits = Error(NotFits, 0);
        c.Add(null, "empty", () => [], notFits, "a zero-length file");
        c.Add(null, "zeros-2880", () => new byte[2880], notFits, "one block of zero bytes");
        c.Add(null, "zeros-100", () => new byte[100], notFits, "100 zero bytes");
        c.Add(null, "spaces-2880", () => Encoding.ASCII.GetBytes(new string(' ', 2880)), notFits, "one block of spaces");
        c.Add(null, "png", () => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 64, 8, 6, 0, 0, 0], notFits, "a PNG signature and IHDR");
        c.Add(null, "gzip", () => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4], notFits, "gzip bytes (a compressed FITS file not decompressed)");
        c.Add(null, "text", () => Encoding.ASCII.GetBytes("This is not a FITS file.\nJust text.\n"), notFits, "a short text file");
        c.Add(null, "text-3000", () => Encoding.ASCII.GetBytes(new string('x', 3000)), notFits, "3000 bytes of text");
        c.Add(null, "pdf", () => Encoding.ASCII.GetBytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n"), notFits, "a PDF header");
        c.Add(null, "simple-only", () => Encoding.ASCII.GetBytes("SIMPLE"), Error(MissingEnd, 0), "the six bytes SIMPLE");
        c.Add(null, "simple-card-only", () => Encoding.ASCII.GetBytes(Card("SIMPLE", "T").PadRight(80)), Error(MissingEnd, 0), "one SIMPLE card and nothing else");
        c.Add(null, "simple-lowercase", () => FitsSeed.EncodeHeader([Card("simple", "T"), Card("BITPIX", "8"), Card("NAXIS", "0")]), notFits, "a primary header whose first keyword is lowercase");
    }

    // ---- truncations ----------------------------------------------------------------------------

    private static void Truncations(Collector c, FitsSeed s)
    {
        var cuts = new SortedDictionary<long, (string Label, Outcome O)>();
        void Cut(long at, string label, Outcome o)
        {
            if (at > 0 && at < s.Bytes.Length) cuts.TryAdd(at, (label, o));
        }
        foreach (var h in s.Hdus)
        {
            int k = h.Index;
            string p = $"hdu{k}-";
            if (k > 0) Cut(h.HeaderOffset, p + "boundary", s.AfterHdus(k));
            var inHeader = Error(MissingEnd, k);
            Cut(h.HeaderOffset + 1, p + "header+1", k == 0 ? Error(NotFits, 0) : inHeader);
            Cut(h.HeaderOffset + 8, p + "header+8-after-keyword", inHeader);
            Cut(h.HeaderOffset + 40, p + "header+40-mid-card", inHeader);
            Cut(h.HeaderOffset + 80, p + "header+80-one-card", inHeader);
            Cut(h.HeaderOffset + 2879, p + "header-block-1-byte-short", inHeader);
            for (int m = 1; m * 2880 < h.HeaderLength; m++) Cut(h.HeaderOffset + m * 2880, p + $"header-block{m}", inHeader);
            Cut(h.DataOffset - 1, p + "header-1-byte-short", inHeader);
            if (h.DataLength > 0)
            {
                var data = Error(Truncated, k);
                Cut(h.DataOffset, p + "data-missing", data);
                Cut(h.DataOffset + 1, p + "data+1", data);
                Cut(h.DataOffset + 80, p + "data+80", data);
                for (int m = 1; m * 2880 < h.DataLength; m++) Cut(h.DataOffset + m * 2880, p + $"data-block{m}", data);
                Cut(h.DataOffset + h.DataLength / 2, p + "data-half", data);
                Cut(h.DataOffset + h.DataLength - 1, p + "data-1-byte-short", data);
                // Data complete, zero padding cut: tolerated, so the file holds k + 1 HDUs.
                Cut(h.DataOffset + h.DataLength, p + "padding-missing", s.AfterHdus(k + 1));
                Cut(h.EndOffset - 1, p + "padding-1-byte-short", s.AfterHdus(k + 1));
            }
        }
        foreach (var (at, (label, o)) in cuts)
            c.Add(s, "truncate/" + label, () => s.Bytes[..(int)at], o, $"the seed cut to its first {at} bytes");
    }

    // ---- mandatory cards ------------------------------------------------------------------------

    private static string[] Mandatory(SeedHdu h)
    {
        var l = new List<string> { h.IsExtension ? "XTENSION" : "SIMPLE", "BITPIX", "NAXIS" };
        for (int n = 1; h.IndexOf($"NAXIS{n}") >= 0; n++) l.Add($"NAXIS{n}");
        if (h.IsExtension) l.AddRange(["PCOUNT", "GCOUNT"]);
        if (h.IsTable) l.AddRange(["TFIELDS", "TFORM1"]);
        return l.ToArray();
    }

    private static void MandatoryCards(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        foreach (string kw in Mandatory(h))
        {
            int i = h.IndexOf(kw);
            string card = h.Cards[i];
            string v = Value(card);
            bool numeric = kw is not ("SIMPLE" or "XTENSION" or "TFORM1");
            bool optionalInLenient = kw is "PCOUNT" or "GCOUNT"; // absent: 0 and 1 are assumed
            var touched = s.HeaderTouched(k);
            var badCard = Error(BadCard, k, kw);
            var firstCard = kw == "SIMPLE" ? Error(NotFits, 0) : Error(NotFits, k); // no SIMPLE / XTENSION where one must be
            string p = $"card/hdu{k}-{kw.ToLowerInvariant()}-";

            void Variant(string what, Func<List<string>, List<string>> edit, Outcome o, string description)
            {
                var cards = edit([.. h.Cards]);
                c.Add(s, p + what, () => s.WithCards(k, cards), o, $"HDU {k} {kw}: {description}");
            }

            Variant("removed", l => { l.RemoveAt(i); return l; },
                kw is "SIMPLE" or "XTENSION" ? firstCard : optionalInLenient ? touched : Error(MissingKeyword, k, kw), "card removed");
            if (numeric)
            {
                Variant("duplicated-conflicting", l => { l.Insert(i + 1, Card(kw, Inv(long.Parse(v, CultureInfo.InvariantCulture) + 1))); return l; },
                    badCard, "repeated with another value");
                Variant("real-value", l => { l[i] = Card(kw, v + ".5"); return l; }, badCard, "a non-integral real value");
            }
            if (kw != "XTENSION")
                Variant("duplicated-same", l => { l.Insert(i + 1, card); return l; }, touched, "repeated with the same value (tolerated when lenient)");
            Variant("string-value", l => { l[i] = Card(kw, "'abc'"); return l; },
                kw switch { "SIMPLE" => badCard, "XTENSION" => Error(BadLayout, null), "TFORM1" => Error(BadTable, k, "NAXIS1"), /* 'abc' parses as 1A: the row no longer adds up */ _ => badCard },
                "value 'abc'");
            Variant("logical-value", l => { l[i] = Card(kw, kw == "SIMPLE" ? "F" : "T"); return l; },
                kw == "SIMPLE" ? touched : badCard, "a logical value (SIMPLE = F: read with a warning, as fitsverify warns)");
            if (!numeric)
                Variant("integer-value", l => { l[i] = Card(kw, "42"); return l; }, badCard, "value 42");
            Variant("non-ascii", l => { l[i] = card[..19] + "\u00e9" + card[20..]; return l; },
                kw == "SIMPLE" ? Error(NotFits, 0) : badCard, "byte 0xE9 in the value field");
            Variant("control-char", l => { l[i] = card[..29] + "\0" + card[30..]; return l; },
                kw == "SIMPLE" ? Error(NotFits, 0) : badCard, "a NUL byte in the value field");
            Variant("equals-in-column-10", l => { l[i] = $"{kw,-9}= {v}"; return l; },
                optionalInLenient ? touched : badCard, "'=' in column 10 (no value indicator)");
            Variant("no-equals", l => { l[i] = $"{kw,-8}  {v}"; return l; },
                optionalInLenient ? touched : badCard, "no '=' at all");
            Variant("lowercase", l => { l[i] = kw.ToLowerInvariant().PadRight(8) + card[8..]; return l; },
                kw is "SIMPLE" or "XTENSION" ? firstCard : touched, "keyword in lowercase (case is not enforced when lenient)");
            Variant("garbage-keyword", l => { l[i] = "B@D#KEY!" + card[8..]; return l; },
                kw is "SIMPLE" or "XTENSION" ? firstCard : optionalInLenient ? touched : Error(MissingKeyword, k, kw), "keyword replaced by garbage");
        }
    }

    // ---- END card -------------------------------------------------------------------------------

    private static void EndCard(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        string p = $"end/hdu{k}-";
        // Without END the header runs into the data (or the next extension's XTENSION card, or the end of the file).
        c.Add(s, p + "removed", () => s.WithCards(k, h.Cards, end: false), Error(MissingEnd, k), $"HDU {k}: END card removed");
        c.Add(s, p + "lowercase", () => s.WithCards(k, [.. h.Cards, "end"], end: false), Error(MissingEnd, k), $"HDU {k}: END written as 'end'");
        c.Add(s, p + "misspelt", () => s.WithCards(k, [.. h.Cards, "ENDE"], end: false), Error(MissingEnd, k), $"HDU {k}: END written as 'ENDE'");
        var header = FitsSeed.EncodeHeader(h.Cards);
        int after = (h.Cards.Count + 1) * 80;
        if (after < header.Length)
        {
            var text = (byte[])header.Clone();
            Encoding.ASCII.GetBytes(new string('G', header.Length - after)).CopyTo(text, after);
            c.Add(s, p + "followed-by-text", () => s.WithHeader(k, text), s.HeaderTouched(k), $"HDU {k}: printable garbage after END (ignored when lenient)");
            var binary = (byte[])header.Clone();
            binary.AsSpan(after).Fill(0x01);
            c.Add(s, p + "followed-by-binary", () => s.WithHeader(k, binary), s.HeaderTouched(k), $"HDU {k}: control bytes after END (ignored when lenient)");
        }
        var withText = (byte[])header.Clone();
        Encoding.ASCII.GetBytes("END     trailing text").CopyTo(withText, after - 80);
        c.Add(s, p + "with-text", () => s.WithHeader(k, withText), s.HeaderTouched(k), $"HDU {k}: text after END on its card (ignored when lenient)");
    }

    // ---- BITPIX and axes ------------------------------------------------------------------------

    private static void Bitpix(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        int i = h.IndexOf("BITPIX");
        bool first = k == (s.Hdus.Count > 1 ? 1 : 0);
        string[] values = first
            ? ["0", "1", "7", "12", "24", "-8", "-16", "128", "-128", "2147483647", "-2147483648", "99999999999"]
            : ["0", "12", "-16", "99999999999"];
        foreach (var v in values)
        {
            var cards = h.Cards.ToList();
            cards[i] = Card("BITPIX", v);
            c.Add(s, $"bitpix/hdu{k}-{v}", () => s.WithCards(k, cards), Error(BadBitpix, k, "BITPIX"), $"HDU {k}: BITPIX = {v}");
        }
    }

    private static void Axes(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        long naxis = h.Int("NAXIS");
        string p = $"axes/hdu{k}-";
        void Set(string name, Outcome o, string description, params (string Kw, string Value)[] changes)
        {
            var cards = h.Cards.ToList();
            foreach (var (kw, value) in changes)
            {
                int i = cards.FindIndex(x => x[..8].TrimEnd() == kw);
                if (i >= 0) cards[i] = Card(kw, value);
                else cards.Insert(cards.FindIndex(x => x[..8].TrimEnd() == $"NAXIS{naxis}") + 1, Card(kw, value));
            }
            c.Add(s, p + name, () => s.WithCards(k, cards), o, $"HDU {k}: {description}");
        }
        const long Huge = 1L << 40;
        Set("naxis-negative", Error(BadAxis, k, "NAXIS"), "NAXIS = -1", ("NAXIS", "-1"));
        Set("naxis-1000", Error(BadAxis, k, "NAXIS"), "NAXIS = 1000", ("NAXIS", "1000"));
        Set("naxis-huge", Error(BadAxis, k, "NAXIS"), "NAXIS = 2^40", ("NAXIS", Inv(Huge)));
        Set("naxis-one-more", Error(MissingKeyword, k, $"NAXIS{naxis + 1}"), $"NAXIS = {naxis + 1} without NAXIS{naxis + 1}", ("NAXIS", Inv(naxis + 1)));
        if (naxis >= 2)
        {
            bool last = k == s.Hdus.Count - 1;
            Set("naxis1-negative", Error(BadAxis, k, "NAXIS1"), "NAXIS1 = -1", ("NAXIS1", "-1"));
            Set("naxis2-negative", Error(BadAxis, k, "NAXIS2"), "NAXIS2 = -64", ("NAXIS2", "-64"));
            Set("naxis1-min", Error(BadAxis, k, "NAXIS1"), "NAXIS1 = -2^63", ("NAXIS1", Inv(long.MinValue)));
            Set("naxis1-2pow40", Error(TooLarge, k), "NAXIS1 = 2^40", ("NAXIS1", Inv(Huge)));
            Set("naxis1-10000000", Error(TooLarge, k), "NAXIS1 = 10000000 (over the 1 MiB limit)", ("NAXIS1", "10000000"));
            Set("naxis2-2pow40", Error(TooLarge, k), "NAXIS2 = 2^40", ("NAXIS2", Inv(Huge)));
            Set("product-overflow", Error(TooLarge, k), "NAXIS1 = NAXIS2 = 2^40 (product overflows 64 bits)", ("NAXIS1", Inv(Huge)), ("NAXIS2", Inv(Huge)));
            Set("naxis1-max", Error(TooLarge, k), "NAXIS1 = 2^63-1", ("NAXIS1", Inv(long.MaxValue)));
            Set("naxis3-2pow40", Error(TooLarge, k), "NAXIS = 3, NAXIS3 = 2^40", ("NAXIS", "3"), ("NAXIS3", Inv(Huge)));
            Set("naxis3-2pow62", Error(TooLarge, k), "NAXIS = 3, NAXIS3 = 2^62 (product overflows)", ("NAXIS", "3"), ("NAXIS3", Inv(1L << 62)));
            // An empty data unit: the declared data bytes are then read as the next HDU.
            Set("naxis1-zero", Error(NotFits, k + 1), "NAXIS1 = 0 (the data become bytes after the HDU)", ("NAXIS1", "0"));
            if (last) Set("naxis2-more-rows", Error(Truncated, k), "NAXIS2 64 more than the data hold", ("NAXIS2", Inv(h.Int("NAXIS2") + 64)));
            if (!h.IsTable && s.Hdus.Count > 1 && k >= 2)
                Set("shape-mismatch", Error(BadLayout, k), "32 x 128 instead of 64 x 64 (same byte count)", ("NAXIS1", "32"), ("NAXIS2", "128"));
        }
        if (h.IsExtension)
        {
            Set("pcount-negative", Error(BadAxis, k, "PCOUNT"), "PCOUNT = -1", ("PCOUNT", "-1"));
            Set("gcount-negative", Error(BadAxis, k, "GCOUNT"), "GCOUNT = -1", ("GCOUNT", "-1"));
            Set("pcount-2pow40", Error(TooLarge, k), "PCOUNT = 2^40", ("PCOUNT", Inv(Huge)));
            Set("gcount-2pow40", Error(TooLarge, k), "GCOUNT = 2^40", ("GCOUNT", Inv(Huge)));
            Set("pcount-max", Error(TooLarge, k), "PCOUNT = 2^63-1 (sum overflows)", ("PCOUNT", Inv(long.MaxValue)));
            Set("gcount-max", Error(TooLarge, k), "GCOUNT = 2^63-1 (product overflows)", ("GCOUNT", Inv(long.MaxValue)));
            Set("gcount-zero", Error(NotFits, k + 1), "GCOUNT = 0 (the data become bytes after the HDU)", ("GCOUNT", "0"));
        }
        if (h.IsTable)
        {
            Set("tfields-1000", Error(BadTable, k, "TFIELDS"), "TFIELDS = 1000", ("TFIELDS", "1000"));
            Set("tfields-negative", Error(BadTable, k, "TFIELDS"), "TFIELDS = -1", ("TFIELDS", "-1"));
            long tfields = h.Int("TFIELDS");
            Set("tfields-one-more", Error(MissingKeyword, k, $"TFORM{tfields + 1}"), "TFIELDS one more than the columns", ("TFIELDS", Inv(tfields + 1)));
            Set("tform1-unknown-type", Error(BadTable, k, "TFORM1"), "TFORM1 = 'Z'", ("TFORM1", "'Z'"));
            Set("tform1-huge-repeat", Error(BadTable, k, "TFORM1"), "TFORM1 = '99999999999A'", ("TFORM1", "'99999999999A'"));
            Set("tform1-wrong-width", Error(BadTable, k, "NAXIS1"), "TFORM1 = '17A' (columns no longer add up to NAXIS1)", ("TFORM1", "'17A'"));
            Set("tform1-empty", Error(BadTable, k, "TFORM1"), "TFORM1 = ''", ("TFORM1", "''"));
        }
    }

    // ---- checksums ------------------------------------------------------------------------------

    private static void Checksums(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        string p = $"checksum/hdu{k}-";
        int ds = h.IndexOf("DATASUM"), cs = h.IndexOf("CHECKSUM");
        void Set(string name, int i, string? card, Outcome o, string description)
        {
            var cards = h.Cards.ToList();
            if (card is null) cards.RemoveAt(i); else cards[i] = card;
            c.Add(s, p + name, () => s.WithCards(k, cards), o, $"HDU {k}: {description}");
        }
        var datasum = Error(ChecksumMismatch, k, "DATASUM");
        Set("datasum-wrong", ds, Card("DATASUM", "'123'"), datasum, "DATASUM = '123'");
        Set("datasum-integer-wrong", ds, Card("DATASUM", "42"), datasum, "DATASUM = 42 (an integer, and wrong)");
        Set("datasum-not-digits", ds, Card("DATASUM", "'abc'"), Error(BadCard, k, "DATASUM"), "DATASUM = 'abc'");
        Set("datasum-over-32-bits", ds, Card("DATASUM", "'99999999999'"), Error(BadCard, k, "DATASUM"), "DATASUM = '99999999999'");
        Set("datasum-logical", ds, Card("DATASUM", "T"), Error(BadCard, k, "DATASUM"), "DATASUM = T");
        Set("datasum-removed", ds, null, s.HeaderTouched(k), "DATASUM removed (CHECKSUM then fails)");
        Set("checksum-wrong", cs, Card("CHECKSUM", "'AAAAAAAAAAAAAAAA'"), Error(ChecksumMismatch, k, "CHECKSUM"), "CHECKSUM = 'AAAAAAAAAAAAAAAA'");
        Set("checksum-removed", cs, null, Readable, "CHECKSUM removed (DATASUM still verifies the data: readable)");
        var bitpix = h.Cards[h.IndexOf("BITPIX")];
        var comment = h.Cards.ToList();
        comment[h.IndexOf("BITPIX")] = bitpix[..70] + "altered!!!";
        c.Add(s, p + "header-comment-altered", () => s.WithCards(k, comment), Error(ChecksumMismatch, k, "CHECKSUM"), $"HDU {k}: a comment altered");
        if (h.DataLength > 0)
        {
            c.Add(s, p + "data-bit-flipped", () => Patched(s.Bytes, h.DataOffset + h.DataLength / 3, b => (byte)(b ^ 0x10)), datasum, $"HDU {k}: one data bit flipped");
            if (h.PaddedDataLength > h.DataLength)
            {
                c.Add(s, p + "padding-not-zero", () => Patched(s.Bytes, h.EndOffset - 1, _ => 0x55), datasum, $"HDU {k}: a non-zero byte in the data padding");
            }
        }
    }

    private static byte[] Patched(byte[] bytes, long at, Func<byte, byte> change)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = change(copy[at]);
        return copy;
    }

    private static void AddedChecksums(Collector c, FitsSeed s)
    {
        var h = s.Hdus[0];
        c.Add(s, "checksum/hdu0-datasum-added-wrong", () => s.WithCards(0, [.. h.Cards, Card("DATASUM", "'123'")]),
            Error(ChecksumMismatch, 0, "DATASUM"), "a wrong DATASUM added");
        c.Add(s, "checksum/hdu0-checksum-added-wrong", () => s.WithCards(0, [.. h.Cards, Card("CHECKSUM", "'AAAAAAAAAAAAAAAA'")]),
            Error(ChecksumMismatch, 0, "CHECKSUM"), "a wrong CHECKSUM added");
    }

    // ---- extension types, mask planes, whole files -----------------------------------------------

    private static void ExtensionTypes(Collector c, FitsSeed s, SeedHdu h)
    {
        int k = h.Index;
        string[] types = h.IsTable ? ["FOOBAR", "TABLE", "IMAGE", "A3DTABLE"] : ["FOOBAR", "TABLE", "BINTABLE", "A3DTABLE"];
        foreach (var t in types)
        {
            var cards = h.Cards.ToList();
            cards[0] = $"XTENSION= '{t,-8}'";
            // An extension of another type is valid FITS, but not the plane (or PSF table) the layout needs.
            c.Add(s, $"xtension/hdu{k}-{t.ToLowerInvariant()}", () => s.WithCards(k, cards), Error(BadLayout, null), $"HDU {k}: XTENSION = '{t}'");
        }
    }

    private static void MaskPlanes(Collector c, FitsSeed s, SeedHdu mask)
    {
        int k = mask.Index;
        var mp = mask.Cards.Select((card, i) => (card, i)).Where(x => x.card.StartsWith("MP_", StringComparison.Ordinal)).ToList();
        void Set(string name, Outcome o, string description, Func<List<string>, List<string>> edit) =>
            c.Add(s, "maskplanes/" + name, () => s.WithCards(k, edit(mask.Cards.ToList())), o, "MASK: " + description);
        var (first, i0) = mp[0];
        var (second, i1) = mp[1];
        string kw1 = second[..8].TrimEnd();
        var bad = Error(BadMaskPlanes, k);
        Set("duplicate-bit", bad, $"{kw1} uses the bit of {first[..8].TrimEnd()}", l => { l[i1] = Card(kw1, Value(first)); return l; });
        Set("bit-32", bad, $"{kw1} = 32", l => { l[i1] = Card(kw1, "32"); return l; });
        Set("bit-40", bad, $"{kw1} = 40", l => { l[i1] = Card(kw1, "40"); return l; });
        Set("bit-negative", bad, $"{kw1} = -1", l => { l[i1] = Card(kw1, "-1"); return l; });
        Set("bit-2pow40", bad, $"{kw1} = 2^40", l => { l[i1] = Card(kw1, Inv(1L << 40)); return l; });
        Set("duplicate-name", bad, $"{first[..8].TrimEnd()} defined twice", l => { l.Insert(i0 + 1, Card(first[..8].TrimEnd(), "30")); return l; });
        Set("bit-string", Error(BadCard, k, kw1), $"{kw1} = 'abc'", l => { l[i1] = Card(kw1, "'abc'"); return l; });
        Set("bit-real", Error(BadCard, k, kw1), $"{kw1} = 1.5", l => { l[i1] = Card(kw1, "1.5"); return l; });
        Set("bit-logical", Error(BadCard, k, kw1), $"{kw1} = T", l => { l[i1] = Card(kw1, "T"); return l; });
        int hier = mask.Cards.FindIndex(x => x.StartsWith("HIERARCH MP_", StringComparison.Ordinal));
        if (hier >= 0)
        {
            string h = mask.Cards[hier];
            string dup = h[..(h.IndexOf('=') + 1)] + " " + Value(first);
            Set("hierarch-duplicate-bit", bad, "a HIERARCH mask plane uses the bit of the first plane", l => { l[hier] = dup; return l; });
        }
    }

    /// <summary>PSF rows that are valid FITS but no PSF (checksum cards removed, so the data reach the decoder).</summary>
    private static void PsfTable(Collector c, FitsSeed s, SeedHdu psf)
    {
        int k = psf.Index;
        var cards = psf.Cards.Where(x => x[..8].TrimEnd() is not ("CHECKSUM" or "DATASUM")).ToList();
        var header = FitsSeed.EncodeHeader(cards);
        byte[] Unsummed() => s.WithHeader(k, header);
        long row = psf.HeaderOffset + header.Length; // KIND (16A), PARENT (1J), WIDTH (1J), HEIGHT (1J), PARAMS (5D)…
        void Patch(string name, int at, byte[] bytes, string description)
        {
            byte[] Build()
            {
                var b = Unsummed();
                bytes.CopyTo(b, row + at);
                return b;
            }
            c.Add(s, "psf/" + name, Build, Error(BadPsf, k), "PSF table without checksums: " + description);
        }
        Patch("kind-unknown", 0, Encoding.ASCII.GetBytes("blob\0\0\0\0\0\0\0\0\0\0\0\0"), "KIND = 'blob'");
        Patch("parent-not-minus-one", 16, [0, 0, 0, 5], "row 1 PARENT = 5");
        Patch("width-negative", 20, [0xFF, 0xFF, 0xFF, 0xFD], "WIDTH = -3");
        c.Add(s, "psf/checksums-removed", Unsummed, Readable, "PSF table without CHECKSUM/DATASUM (optional cards)");
    }

    private static void FileLevel(Collector c, FitsSeed s)
    {
        int n = s.Hdus.Count;
        byte[] Append(byte[] tail) => [.. s.Bytes, .. tail];
        c.Add(s, "file/trailing-text", () => Append(Encoding.ASCII.GetBytes("trailing junk that is not FITS\n")), Error(NotFits, n), "text after the last HDU");
        c.Add(s, "file/trailing-zero-block", () => Append(new byte[2880]), Readable, "a block of zeros after the last HDU (tolerated when lenient)");
        c.Add(s, "file/trailing-100-zeros", () => Append(new byte[100]), Readable, "100 zero bytes after the last HDU (tolerated when lenient)");
        c.Add(s, "file/trailing-spaces", () => Append(Encoding.ASCII.GetBytes(new string(' ', 1000))), Readable, "1000 spaces after the last HDU (tolerated when lenient)");
        c.Add(s, "file/trailing-partial-xtension", () => Append(Encoding.ASCII.GetBytes("XTENSION= 'IMAGE   '".PadRight(80))), Error(MissingEnd, n), "one XTENSION card after the last HDU");
        c.Add(s, "file/trailing-header-without-data", () => Append(FitsSeed.EncodeHeader(
            ["XTENSION= 'IMAGE   '", Card("BITPIX", "8"), Card("NAXIS", "2"), Card("NAXIS1", "64"), Card("NAXIS2", "64"), Card("PCOUNT", "0"), Card("GCOUNT", "1")])),
            Error(Truncated, n), "an extension header whose data are missing");
        c.Add(s, "file/concatenated-twice", () => Append(s.Bytes), Error(NotFits, n), "the file twice (a SIMPLE card where an extension should start)");
        var empty = FitsSeed.EncodeHeader(["XTENSION= 'IMAGE   '", Card("BITPIX", "8"), Card("NAXIS", "0"), Card("PCOUNT", "0"), Card("GCOUNT", "1")]);
        c.Add(s, "file/too-many-hdus", () => [.. s.Bytes, .. Enumerable.Repeat(empty, 20).SelectMany(b => b)], Error(TooLarge, null), "20 empty extensions (more than MaxHdus = 16)");
        var comments = Enumerable.Repeat("COMMENT filler".PadRight(80), 36 * 30);
        c.Add(s, "file/header-over-limit", () => FitsSeed.EncodeHeader([.. s.Hdus[0].Cards, .. comments], end: false), Error(TooLarge, 0), "a primary header of 30 blocks without END (over MaxHeaderBytes = 64 KiB)");
    }
}
