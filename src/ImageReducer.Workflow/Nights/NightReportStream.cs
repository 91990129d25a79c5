namespace ImageReducer.Workflow.Nights;

/// <summary>
/// The night report as one read-only stream: each batch's lines (<see cref="NightSteps.BatchLinesAsync"/>) fetched when
/// the reader reaches them, so a report of any length is written without holding more than one batch.
/// </summary>
internal sealed class NightReportStream(NightSteps steps, NightRequest night, int batches, CancellationToken cancellationToken) : Stream
{
    private byte[] current = [];
    private int position;
    private int nextBatch;
    private long length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) => ReadAsync(buffer.AsMemory(offset, count), token).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default)
    {
        while (position == current.Length)
        {
            if (nextBatch >= batches) return 0;
            current = await steps.BatchLinesAsync(night, nextBatch++, cancellationToken).ConfigureAwait(false);
            position = 0;
        }
        int n = Math.Min(buffer.Length, current.Length - position);
        current.AsMemory(position, n).CopyTo(buffer);
        position += n;
        length += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
