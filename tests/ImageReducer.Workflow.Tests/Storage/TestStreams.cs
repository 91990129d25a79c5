namespace ImageReducer.Workflow.Tests.Storage;

/// <summary>Deterministic content and awkward streams for storage tests.</summary>
internal static class TestStreams
{
    /// <summary>Pseudo-random bytes, the same for the same seed.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A read-only stream that cannot seek and reports no length, like a network body.</summary>
    public static Stream NonSeekable(byte[] content, long failAfter = long.MaxValue) => new ForwardOnlyStream(content, failAfter);

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed class ForwardOnlyStream(byte[] content, long failAfter) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position >= failAfter)
            {
                throw new IOException($"Simulated source failure after {failAfter} bytes.");
            }

            // Short reads (at most 7000 bytes) exercise callers that assume a full buffer.
            int count = (int)Math.Min(Math.Min(buffer.Length, 7000), Math.Min(content.Length - position, failAfter - position));
            content.AsSpan(position, count).CopyTo(buffer);
            position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
