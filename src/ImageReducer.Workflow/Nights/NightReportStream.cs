namespace ImageReducer.Workflow.Nights;

/// <summary>
/// The night report as one read-only stream: each batch's lines (<see cref="NightSteps.BatchEntriesAsync"/>) fetched when
/// the reader reaches them, so a report of any length is written without holding more than one batch; and the sums of the
/// lines it gave (<see cref="Totals"/>), so the summary counts exactly what the report says.
/// </summary>
internal sealed class NightReportStream(NightSteps steps, NightRequest night, int batches, CancellationToken cancellationToken) : Stream
{
    private byte[] current = [];
    private int position;
    private int nextBatch;
    private long length;

    /// <summary>The sums of every line read so far; once the stream is read to its end, the night's.</summary>
    public NightTotals Totals { get; private set; } = NightTotals.Zero;

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
            List<NightReportEntry> entries = await steps.BatchEntriesAsync(night, nextBatch++, cancellationToken).ConfigureAwait(false);
            foreach (NightReportEntry entry in entries) Totals = Totals.Add(entry);
            current = NightSteps.JsonLines(entries);
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
