using System.Buffers;
using System.Globalization;

namespace ImageReducer.Engine.Fits;

public sealed partial class FitsReader
{
    /// <summary>Reads the whole data unit (with padding) and returns its checksum; allocates one chunk buffer.</summary>
    public FitsChecksum ComputeDataChecksum(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        var sum = FitsChecksum.Zero;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, Math.Max(1, hdu.DataLength)));
        try
        {
            for (long pos = 0; pos < hdu.DataLength; pos += buffer.Length)
            {
                var slice = buffer.AsSpan(0, (int)Math.Min(buffer.Length, hdu.DataLength - pos));
                ReadExactly(hdu.DataOffset + pos, slice, hdu.Index);
                sum = sum.Add(slice, pos);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sum + PaddingSum(hdu);
    }

    /// <summary>
    /// Verifies DATASUM and CHECKSUM of <paramref name="hdu"/> when present (reads its data unit).
    /// Returns false when the HDU has neither card.
    /// </summary>
    /// <exception cref="FitsFormatException">A sum does not match (<see cref="FitsErrorKind.DatasumMismatch"/> or <see cref="FitsErrorKind.ChecksumMismatch"/>).</exception>
    public bool VerifyChecksum(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        if (!HasChecksumCards(hdu)) return false;
        VerifySums(hdu, ComputeDataChecksum(hdu));
        return true;
    }

    private static bool HasChecksumCards(FitsHdu hdu) => hdu.Header.Contains("DATASUM") || hdu.Header.Contains("CHECKSUM");

    /// <summary>Padding after the data unit normally is zeros, but a hostile or sloppy file may not be.</summary>
    private FitsChecksum PaddingSum(FitsHdu hdu)
    {
        long pad = hdu.PaddedDataLength - hdu.DataLength;
        if (pad == 0) return FitsChecksum.Zero;
        Span<byte> buffer = stackalloc byte[FitsConstants.BlockSize];
        int got = ReadAtMost(hdu.DataOffset + hdu.DataLength, buffer[..(int)pad]);
        return FitsChecksum.Zero.Add(buffer[..got], hdu.DataLength);
    }

    private void VerifySums(FitsHdu hdu, FitsChecksum data)
    {
        int dsIndex = hdu.Header.IndexOf("DATASUM");
        if (dsIndex >= 0)
        {
            var card = hdu.Header[dsIndex];
            string declared = card.Value switch
            {
                string s => s.Trim(),
                long l => l.ToString(CultureInfo.InvariantCulture),
                _ => throw FitsErrors.MalformedCard(FileName, hdu.Index, dsIndex, "DATASUM", $"DATASUM must be a string of digits, found {card.Kind}"),
            };
            if (!uint.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out uint expected))
                throw FitsErrors.MalformedCard(FileName, hdu.Index, dsIndex, "DATASUM", $"DATASUM = '{declared}' is not an unsigned 32-bit integer");
            if (expected != data.Value) throw FitsErrors.DatasumMismatch(FileName, hdu.Index, dsIndex, declared, data.Value);
        }
        int csIndex = hdu.Header.IndexOf("CHECKSUM");
        if (csIndex >= 0)
        {
            uint total = (hdu.HeaderChecksum + data).Value;
            if (total != 0xFFFFFFFF) throw FitsErrors.ChecksumMismatch(FileName, hdu.Index, csIndex, total);
        }
    }
}
