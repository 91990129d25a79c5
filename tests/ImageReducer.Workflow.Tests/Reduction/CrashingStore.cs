using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>A store that "crashes" (throws) on the first write of a blob whose name ends with a given suffix, then behaves.</summary>
internal sealed class CrashingStore(IBlobStore inner, string crashOnWriteOf) : DelegatingBlobStore(inner)
{
    private int crashed;

    public override Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default)
    {
        if (path.Name.EndsWith(crashOnWriteOf, StringComparison.Ordinal) && Interlocked.Exchange(ref crashed, 1) == 0)
            throw new IOException($"simulated crash before writing {path}");
        return Inner.WriteAsync(path, content, overwrite, cancellationToken);
    }

    public override Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        if (path.Name.EndsWith(crashOnWriteOf, StringComparison.Ordinal) && Interlocked.Exchange(ref crashed, 1) == 0)
            throw new IOException($"simulated crash before writing {path}");
        return Inner.WriteAsync(path, content, condition, cancellationToken);
    }
}
