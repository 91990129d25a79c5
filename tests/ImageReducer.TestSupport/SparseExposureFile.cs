using System.Globalization;
using System.Text;
using ImageReducer.Engine.Fits;

namespace ImageReducer.TestSupport;

/// <summary>
/// An LSST-layout exposure file (empty primary, IMAGE, MASK, VARIANCE) whose headers claim a huge
/// size, written as a sparse file: the headers are real bytes at their offsets, the data units are
/// holes that read as zeros and take no disk space. For limit tests that must prove a refusal reads
/// only headers: the file is as long as its headers say, so no truncation check fires first.
/// </summary>
public static class SparseExposureFile
{
    /// <summary>Writes the file at <paramref name="path"/> (overwritten) and returns its length in bytes.</summary>
    /// <remarks>Each plane's data unit must stay within the default read limit of 16 GiB: <paramref name="width"/> × <paramref name="height"/> × 4 bytes.</remarks>
    public static long Write(string path, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long data = (long)width * height * 4;
        long padded = (data + FitsConstants.BlockSize - 1) / FitsConstants.BlockSize * FitsConstants.BlockSize;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(Header([Card("SIMPLE", "T"), Card("BITPIX", "8"), Card("NAXIS", "0"), Card("EXTEND", "T")]));
        foreach (var (name, bitpix) in new[] { ("IMAGE", "-32"), ("MASK", "32"), ("VARIANCE", "-32") })
        {
            file.Write(Header(["XTENSION= 'IMAGE   '", Card("BITPIX", bitpix), Card("NAXIS", "2"), Card("NAXIS1", Inv(width)),
                Card("NAXIS2", Inv(height)), Card("PCOUNT", "0"), Card("GCOUNT", "1"), $"EXTNAME = '{name,-8}'"]));
            file.Seek(padded, SeekOrigin.Current); // a hole: no bytes written
        }
        file.SetLength(file.Position);
        return file.Length;
    }

    private static string Card(string keyword, string value) => $"{keyword,-8}= {value,20}";

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static byte[] Header(IReadOnlyList<string> cards)
    {
        var text = new StringBuilder();
        foreach (string c in cards) text.Append(c.PadRight(80));
        text.Append("END".PadRight(80));
        int length = (text.Length + FitsConstants.BlockSize - 1) / FitsConstants.BlockSize * FitsConstants.BlockSize;
        return Encoding.ASCII.GetBytes(text.ToString().PadRight(length));
    }
}
