using System.Buffers;
using System.Security.Cryptography;

namespace ImageReducer.Cli.Output;

/// <summary>SHA-256 of files, as lower-case hex (the form <c>sha256sum</c> prints).</summary>
internal static class FileHash
{
    // Large reads: the hash (~2 GB/s with SHA extensions) should not wait on 4 KiB system calls.
    private const int ChunkBytes = 1 << 20;

    /// <summary>The SHA-256 of the file at <paramref name="path"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between chunks).</exception>
    public static string Sha256(string path, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        return Sha256(handle, cancellationToken);
    }

    /// <summary>The SHA-256 of everything in the file behind <paramref name="handle"/> (positional reads: the handle's position is not used).</summary>
    public static string Sha256(Microsoft.Win32.SafeHandles.SafeFileHandle handle, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer.AsSpan(0, ChunkBytes), offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, n);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
