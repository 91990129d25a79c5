using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ImageReducer.Bench;

/// <summary>
/// The physical floor of a whole job, run as its own process by the <c>process</c> suite: read the
/// input file through the page cache into fresh memory, write as many bytes as the job's output to a
/// new file and <c>fsync</c> it once. Nothing else (no parsing, no pixels, no hashing).
/// </summary>
/// <remarks>
/// Called from the first lines of Program.cs (<c>floor-io IN OUT BYTES</c>) before the harness loads
/// its suites, so the process is a trivial .NET program plus the I/O. Prints one JSON line:
/// <c>{"read_s":…,"write_s":…}</c>.
/// </remarks>
internal static class FloorIo
{
    public static int Run(string[] args)
    {
        string input = args[0], output = args[1];
        long bytes = long.Parse(args[2], CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        byte[] data;
        using (var fs = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            data = GC.AllocateUninitializedArray<byte>(checked((int)fs.Length), pinned: true);
            AdviseHugePages(data); // as the engine does for its planes: the floor must not pay 4 KiB page faults the job avoids
            fs.ReadExactly(data);
        }
        double read = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using (var fs = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            for (long done = 0; done < bytes;)
            {
                int n = (int)Math.Min(data.Length, bytes - done);
                fs.Write(data, 0, n);
                done += n;
            }
            fs.Flush(flushToDisk: true);
        }
        double write = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"{{\"read_s\":{read},\"write_s\":{write}}}"));
        return 0;
    }

    /// <summary>Advises the 2 MiB-aligned interior of a pinned, not yet touched buffer onto huge pages (Linux; as the engine's planes).</summary>
    public static unsafe void AdviseHugePages(Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux()) return;
        const nuint huge = 2u << 20;
        fixed (byte* p = buffer)
        {
            nuint start = ((nuint)p + huge - 1) & ~(huge - 1), end = ((nuint)p + (nuint)buffer.Length) & ~(huge - 1);
            if (end > start) _ = MAdvise((void*)start, end - start, 14); // MADV_HUGEPAGE
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern unsafe int MAdvise(void* address, nuint length, int advice);
}
