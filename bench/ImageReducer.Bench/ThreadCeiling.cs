using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageReducer.Bench;

/// <summary>
/// What this machine itself gives from a second thread, measured in the same run as the engine: a
/// streaming float pass (read one buffer, add 1, write another: the memory traffic of the <c>add</c> →
/// <c>average</c> job without its arithmetic) into memory already touched and into new memory (first
/// touch in a new mapping: the page faults a fresh process pays for its output planes), and a compute-bound loop that
/// touches no memory. Each at 1 and at 2+ threads (all cores), medians.
/// </summary>
/// <remarks>
/// If the pure streaming pass does not scale by 1.8× from 1 to 2 threads, no memory-bound map + reduce
/// can: that ratio is the measured ceiling of the <c>--threads 2 / --threads 1</c> goal on this machine.
/// Work is split into 1 MiB chunks handed out dynamically, as the engine's read and bands are.
/// </remarks>
internal static class ThreadCeiling
{
    private const int ChunkFloats = 1 << 18; // 1 MiB

    /// <summary>Seconds per pass at 1 thread and at <paramref name="threads"/> threads.</summary>
    public readonly record struct Scaling(double One, double Many)
    {
        /// <summary>One-thread time / many-thread time.</summary>
        public double Ratio => One / Many;
    }

    /// <summary>The streaming pass over <paramref name="bytes"/> bytes into touched memory, then into new memory, and the compute loop.</summary>
    public static (Scaling Touched, Scaling Fresh, Scaling Compute) Measure(long bytes, int threads, int runs)
    {
        int n = checked((int)(bytes / sizeof(float)));
        float[] source = NewPlane(n);
        float[] target = NewPlane(n);
        Random.Shared.NextBytes(MemoryMarshal.AsBytes(source.AsSpan()));
        target.AsSpan().Clear();
        Scaling touched = Both(threads, runs, t => Pass(source, target, t));
        Scaling fresh = Both(threads, runs, t => FreshPass(source, t));
        Scaling compute = Both(threads, runs, Compute);
        return (touched, fresh, compute);
    }

    private static Scaling Both(int threads, int runs, Func<int, double> pass)
    {
        pass(1);
        pass(threads); // warm-up: JIT, thread pool threads started
        var one = new List<double>();
        var many = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            // Alternating, so a change of machine load hits both sides.
            GC.Collect();
            one.Add(pass(1));
            GC.Collect();
            many.Add(pass(threads));
        }
        return new Scaling(Stats.Median(one), Stats.Median(many));
    }

    /// <summary>A plane as the engine allocates one: uninitialised, pinned, advised onto huge pages.</summary>
    private static float[] NewPlane(int n)
    {
        var plane = GC.AllocateUninitializedArray<float>(n, pinned: true);
        FloorIo.AdviseHugePages(MemoryMarshal.AsBytes(plane.AsSpan()));
        return plane;
    }

    /// <summary>
    /// The pass into memory the process has never touched: a fresh anonymous mapping for every pass (the
    /// collector would hand back the previous pass's pages, already faulted in), advised onto huge pages
    /// as the engine's planes are, unmapped after. The page faults are inside the time, as in a fresh process.
    /// </summary>
    private static unsafe double FreshPass(float[] source, int threads)
    {
        nuint bytes = (nuint)source.Length * sizeof(float);
        void* memory = NativeMemory.AlignedAlloc(bytes, 2u << 20); // above glibc's mmap threshold: a new mapping, returned on free
        try
        {
            var target = new Span<float>(memory, source.Length);
            FloorIo.AdviseHugePages(MemoryMarshal.AsBytes(target));
            nint address = (nint)memory;
            int chunks = (source.Length + ChunkFloats - 1) / ChunkFloats;
            var sw = Stopwatch.StartNew();
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
            {
                int at = k * ChunkFloats, count = Math.Min(ChunkFloats, source.Length - at);
                AddOne(source.AsSpan(at, count), new Span<float>((float*)address + at, count));
            });
            return sw.Elapsed.TotalSeconds;
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    private static double Pass(float[] source, float[] target, int threads)
    {
        int chunks = (source.Length + ChunkFloats - 1) / ChunkFloats;
        var sw = Stopwatch.StartNew();
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            int at = k * ChunkFloats, count = Math.Min(ChunkFloats, source.Length - at);
            AddOne(source.AsSpan(at, count), target.AsSpan(at, count));
        });
        return sw.Elapsed.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddOne(ReadOnlySpan<float> source, Span<float> target)
    {
        var one = Vector<float>.One;
        int i = 0;
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(target);
        for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref s, (nuint)i) + one, ref t, (nuint)i);
        for (; i < source.Length; i++) target[i] = source[i] + 1;
    }

    /// <summary>A fixed amount of register-only arithmetic split over <paramref name="threads"/> threads.</summary>
    private static double Compute(int threads)
    {
        const int parts = 64;
        var sw = Stopwatch.StartNew();
        double sink = 0;
        object gate = new();
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            double x = Spin(k + 1.0);
            lock (gate) sink += x;
        });
        GC.KeepAlive(sink);
        return sw.Elapsed.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Spin(double seed)
    {
        double a = seed, b = seed * 0.5, c = seed * 0.25, d = seed * 0.125;
        for (int i = 0; i < 1_000_000; i++)
        {
            a = a * 0.999999 + 1e-7;
            b = b * 0.999998 + 2e-7;
            c = c * 0.999997 + 3e-7;
            d = d * 0.999996 + 4e-7;
        }
        return a + b + c + d;
    }
}

/// <summary><c>ceiling [MB=201] [--runs 5]</c>: <see cref="ThreadCeiling"/> alone (the <c>process</c> suite prints it beside the engine's scaling).</summary>
internal sealed class CeilingSuite : IBenchmarkSuite
{
    public string Name => "ceiling";
    public string Description => "this machine's own 1 → all-core scaling: streaming pass into touched / new memory, compute loop; the CPU 0 ↔ 1 cache-line round trip (args: [MB=201] [--runs 5])";

    public int Run(string[] args)
    {
        long mb = 201;
        int runs = 5;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = Math.Max(1, int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
            else if (long.TryParse(args[i], System.Globalization.CultureInfo.InvariantCulture, out long m) && m > 0) mb = m;
            else
            {
                Console.Error.WriteLine($"ceiling: error: unknown argument '{args[i]}' (expected MB > 0, --runs N)");
                return 2;
            }
        }
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"ceiling: {mb} MB, 1 vs {threads} threads, median of {runs}, load {Machine.Load()}");
        var (touched, fresh, compute) = ThreadCeiling.Measure(mb * 1_000_000, threads, runs);
        foreach (var (what, s) in new[] { ("streaming, touched memory", touched), ("streaming, new memory", fresh), ("compute loop", compute) })
            Console.WriteLine(FormattableString.Invariant($"  {what,-28} 1 thread {s.One:F4} s   {threads} threads {s.Many:F4} s   {s.Ratio:F2}×"));
        double? trip = CoreDistance.RoundTripNs();
        Console.WriteLine(trip is { } ns
            ? FormattableString.Invariant($"  {"CPU 0 ↔ CPU 1 cache line",-28} {ns:F0} ns a round trip")
            : "  CPU 0 ↔ CPU 1 cache line    not measured (needs Linux and two CPUs)");
        return 0;
    }
}
