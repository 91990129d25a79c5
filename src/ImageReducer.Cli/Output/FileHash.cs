using System.Security.Cryptography;

namespace ImageReducer.Cli.Output;

/// <summary>SHA-256 of files, as lower-case hex (the form <c>sha256sum</c> prints).</summary>
internal static class FileHash
{
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
