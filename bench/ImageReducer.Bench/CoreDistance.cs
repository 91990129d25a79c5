using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImageReducer.Bench;

/// <summary>
/// How far apart two CPUs are, as the engine's pipeline feels it: one cache line handed back and forth between a
/// thread on CPU 0 and a thread on CPU 1, nanoseconds per round trip (median of several batches).
/// </summary>
/// <remarks>
/// The band pipeline hands most results from the core that mapped them to the core that folds their band (about 100
/// cache lines a cell); when the two cores are far apart (other dies, other sockets, or vCPUs a host places apart),
/// each line costs a round trip's worth. On this VM the figure flips between ~50–80 ns and ~300 ns within seconds,
/// and the warm two-thread run with it (docs/benchmarks.md). Linux only (thread affinity by <c>sched_setaffinity</c>);
/// elsewhere, or on one CPU, null.
/// </remarks>
internal static class CoreDistance
{
    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, ref ulong mask);

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedFlag
    {
        [FieldOffset(64)] public int Value; // alone on its cache line
    }

    private static PaddedFlag flag;

    /// <summary>Median nanoseconds per round trip over <paramref name="batches"/> batches of <paramref name="trips"/>; null when it cannot be measured here.</summary>
    public static double? RoundTripNs(int trips = 100_000, int batches = 5)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2) return null;
        var results = new List<double>();
        for (int b = 0; b < batches; b++)
        {
            double? ns = Batch(trips);
            if (ns is null) return null;
            results.Add(ns.Value);
        }
        return Stats.Median(results);
    }

    private static double? Batch(int trips)
    {
        using var ready = new ManualResetEventSlim();
        bool otherPinned = false;
        Volatile.Write(ref flag.Value, 0);
        var other = new Thread(() =>
        {
            otherPinned = Pin(1);
            ready.Set();
            if (!otherPinned) return;
            for (int i = 0; i < trips; i++)
            {
                while (Volatile.Read(ref flag.Value) != 1) { }
                Volatile.Write(ref flag.Value, 0);
            }
        }) { IsBackground = true };
        double? result = null;
        var runner = new Thread(() =>
        {
            if (!Pin(0)) return;
            other.Start();
            ready.Wait();
            if (!otherPinned)
            {
                other.Join();
                return;
            }
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < trips; i++)
            {
                Volatile.Write(ref flag.Value, 1);
                while (Volatile.Read(ref flag.Value) == 1) { }
            }
            result = sw.Elapsed.TotalNanoseconds / trips;
            other.Join();
        }) { IsBackground = true };
        runner.Start();
        runner.Join();
        return result;
    }

    private static bool Pin(int cpu)
    {
        ulong mask = 1UL << cpu;
        return sched_setaffinity(0, sizeof(ulong), ref mask) == 0;
    }
}
