using System.Security.Cryptography;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The SHA-256 of a committed blob, computed by streaming it once: large range requests, a few in
/// flight, hashed in order. SHA-256 does not compose from the tiles' parts, so a hash a user can
/// check with <c>sha256sum</c> costs one download of the output; this makes it as short as the
/// store allows and bounds the memory to <see cref="Window"/> × <see cref="RangeBytes"/>.
/// </summary>
internal sealed class OutputHasher(IBlobStore store)
{
    /// <summary>Bytes per range request.</summary>
    public const int RangeBytes = 8 << 20;

    /// <summary>Requests in flight (and buffers held).</summary>
    public const int Window = 4;

    /// <summary>SHA-256 (lowercase hex) of <paramref name="path"/> at version <paramref name="eTag"/>, <paramref name="length"/> bytes long.</summary>
    /// <exception cref="BlobReplacedException">The blob was replaced while it was being read.</exception>
    /// <exception cref="BlobStoreException">The blob ended early, or storage failed.</exception>
    public async Task<string> HashAsync(BlobPath path, long length, string eTag, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = (length + RangeBytes - 1) / RangeBytes;
        var buffers = new byte[Math.Min(Window, Math.Max(1, count))][];
        var inFlight = new Queue<(Task<int> Read, byte[] Buffer, int Expected)>();
        long next = 0;
        void Start(byte[] buffer)
        {
            int expected = (int)Math.Min(RangeBytes, length - next * RangeBytes);
            inFlight.Enqueue((store.ReadIntoAsync(path, next * RangeBytes, buffer.AsMemory(0, expected), eTag, cancellationToken), buffer, expected));
            next++;
        }

        for (int b = 0; b < buffers.Length && next < count; b++) Start(buffers[b] = GC.AllocateUninitializedArray<byte>(RangeBytes));
        try
        {
            while (inFlight.Count > 0)
            {
                var (read, buffer, expected) = inFlight.Dequeue();
                int n = await read.ConfigureAwait(false);
                if (n != expected) throw new BlobStoreException(path, $"Blob '{path}' ended before its {length} bytes while it was being hashed.");
                sha.AppendData(buffer, 0, n);
                if (next < count) Start(buffer);
            }
        }
        finally
        {
            // A failed read leaves the others running: wait for them before the buffers go back.
            foreach (var (read, _, _) in inFlight) await read.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
