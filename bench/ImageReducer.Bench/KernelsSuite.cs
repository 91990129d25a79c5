using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ImageReducer.Engine.Fits;

namespace ImageReducer.Bench;

/// <summary>
/// <c>kernels [BenchmarkDotNet args]</c>: the FITS integrity kernels under BenchmarkDotNet (memory
/// diagnoser on): the ones'-complement checksum over raw bytes, over native pixels, fused with the
/// byte swap, next to the swap alone, the byte-lane loop it replaced, and SHA-256 of the same bytes.
/// </summary>
/// <remarks>Runs in this process (in-process emit toolchain: no generated project to build); one core.
/// Sizes: 1 MiB (cache-resident: the kernels' own speed) and 64 MiB (one 4096² float plane: memory-bound).</remarks>
internal sealed class KernelsSuite : IBenchmarkSuite
{
    public string Name => "kernels";
    public string Description => "BenchmarkDotNet: checksum (raw, native, fused with the swap), swap, SHA-256 per byte, one core";

    public int Run(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("in-process"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes([typeof(ChecksumBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return 0;
    }
}

/// <summary>The kernels, each over <see cref="Bytes"/> bytes of random data.</summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private byte[] data = [];

    /// <summary>Bytes per operation.</summary>
    [Params(1 << 20, 64 << 20)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        data = new byte[Bytes];
        new Random(1).NextBytes(data);
    }

    /// <summary>The loop before the vector kernels: four byte-position sums with masks and shifts (Vector&lt;T&gt;).</summary>
    [Benchmark(Baseline = true)]
    public ulong ByteLanes() => LegacyLaneSums(data);

    /// <summary>FITS bytes as stored (verification of a data unit read elsewhere, headers).</summary>
    [Benchmark]
    public uint RawBytes() => FitsChecksum.Zero.Add(data).Value;

    /// <summary>Native float pixels (DATASUM of an output plane before it is written).</summary>
    [Benchmark]
    public uint NativeFloats() => FitsChecksum.Zero.AddBigEndian<float>(MemoryMarshal.Cast<byte, float>(data.AsSpan()), 0).Value;

    /// <summary>The reader's pass: swap to native order and sum, one load and one store per vector.</summary>
    [Benchmark]
    public uint SwapAndSum() => FitsChecksum.Zero.AddSwapping(data, 4, 0).Value;

    /// <summary>The swap alone (the reader's pass without verification).</summary>
    [Benchmark]
    public void SwapOnly() => FitsPixels.SwapInPlace(data, 4);

    /// <summary>SHA-256 of the same bytes (the input and output digests of the run metadata).</summary>
    [Benchmark]
    public byte[] Sha256() => SHA256.HashData(data);

    private static ulong LegacyLaneSums(ReadOnlySpan<byte> bytes)
    {
        ulong l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        var words = MemoryMarshal.Cast<byte, uint>(bytes);
        int vecWords = words.Length - words.Length % Vector<uint>.Count;
        var mask = new Vector<uint>(0xFF);
        int w = 0;
        while (w < vecWords)
        {
            int end = Math.Min(vecWords, w + (1 << 23));
            Vector<uint> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; w < end; w += Vector<uint>.Count)
            {
                var v = new Vector<uint>(words.Slice(w));
                a0 += v & mask;
                a1 += (v >> 8) & mask;
                a2 += (v >> 16) & mask;
                a3 += v >> 24;
            }
            for (int k = 0; k < Vector<uint>.Count; k++) { l0 += a0[k]; l1 += a1[k]; l2 += a2[k]; l3 += a3[k]; }
        }
        return l0 + 3 * l1 + 5 * l2 + 7 * l3;
    }
}
