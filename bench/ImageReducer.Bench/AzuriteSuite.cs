using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Bench;

/// <summary>
/// Azurite's raw throughput on this machine, with the Azure SDK alone (no workflow code): one Put
/// Blob, staged blocks of several sizes and concurrencies (with and without a transactional MD5),
/// one whole GET, sequential and parallel range GETs, and the per-request cost of tiny requests;
/// for each of in-memory, on-disk and <c>/dev/shm</c> persistence. The floor under the workflow suite.
/// </summary>
/// <remarks>Usage: <c>azurite [MIB] [memory|disk|shm ...]</c>; default 192 MiB (a 4096² exposure), all three.</remarks>
internal sealed class AzuriteSuite : IBenchmarkSuite
{
    public string Name => "azurite";
    public string Description => "Azurite's raw PUT/GET throughput (block sizes, parallel ranges, MD5, persistence) with the SDK alone";

    public int Run(string[] args)
    {
        int mib = 192;
        var modes = new List<string>();
        foreach (string a in args)
        {
            if (int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m > 0) mib = m;
            else if (a is "memory" or "disk" or "shm") modes.Add(a);
            else
            {
                Console.Error.WriteLine($"azurite: error: unknown argument '{a}' (expected MIB, memory, disk, shm)");
                return 2;
            }
        }
        if (modes.Count == 0) modes.AddRange(["memory", "disk", "shm"]);
        byte[] data = new byte[mib << 20];
        new Random(1).NextBytes(data);
        Console.WriteLine($"azurite: {mib} MiB of random bytes, {Environment.ProcessorCount} cores, load {Machine.Load()}; MB/s = 10^6 bytes/s");
        Console.WriteLine();
        Console.WriteLine("| persistence | operation | s | MB/s |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (string mode in modes) RunMode(mode, data).GetAwaiter().GetResult();
        Console.WriteLine();
        Console.WriteLine($"load after: {Machine.Load()}");
        return 0;
    }

    private static async Task RunMode(string mode, byte[] data)
    {
        await using AzuriteServer azurite = await AzuriteServer.StartNewAsync(persistent: mode != "memory", dataRoot: mode == "shm" ? "/dev/shm" : null);
        var service = new BlobServiceClient(azurite.ConnectionString);
        BlobContainerClient container = service.GetBlobContainerClient("probe");
        await container.CreateIfNotExistsAsync();
        void Row(string op, double s, long bytes) => Console.WriteLine($"| {mode} | {op} | {s:F2} | {bytes / s / 1e6:F0} |");

        // Warm the connection pool and the SDK.
        await container.GetBlobClient("warm").UploadAsync(new BinaryData(new byte[1024]), overwrite: true);

        BlobClient whole = container.GetBlobClient("whole");
        var clock = Stopwatch.StartNew();
        await whole.UploadAsync(new BinaryData(data), new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions { InitialTransferSize = data.Length, MaximumTransferSize = data.Length },
        });
        Row("Put Blob, one request", clock.Elapsed.TotalSeconds, data.Length);

        foreach (var (blockMiB, parallel, md5) in new[] { (1, 1, false), (4, 2, false), (4, 2, true), (4, 4, true), (8, 2, true), (16, 2, false), (16, 2, true), (16, 4, true), (64, 2, true) })
        {
            BlockBlobClient blob = container.GetBlockBlobClient($"staged-{blockMiB}-{parallel}-{md5}");
            int block = blockMiB << 20, count = (data.Length + block - 1) / block;
            var ids = Enumerable.Range(0, count).Select(i => Convert.ToBase64String(BitConverter.GetBytes((long)i))).ToArray();
            clock.Restart();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
            {
                int length = Math.Min(block, data.Length - i * block);
                var options = new BlockBlobStageBlockOptions();
                // Our MD5 (computed here) spares Azurite its byte-at-a-time JavaScript CRC64 of the block.
                if (md5) options.TransferValidation = new UploadTransferValidationOptions
                {
                    ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
                    PrecalculatedChecksum = System.Security.Cryptography.MD5.HashData(data.AsSpan(i * block, length)),
                };
                using var content = new MemoryStream(data, i * block, length, writable: false);
                await blob.StageBlockAsync(ids[i], content, options, ct);
            });
            await blob.CommitBlockListAsync(ids);
            Row($"Put Block {blockMiB} MiB × {count}, {parallel} at once{(md5 ? ", Content-MD5" : "")} + commit", clock.Elapsed.TotalSeconds, data.Length);
        }

        // Reads of the blob staged in 4 MiB blocks (what the workflow's output and input look like).
        BlobClient source = container.GetBlobClient("staged-4-2-False");
        clock.Restart();
        var all = await source.DownloadContentAsync();
        Row("Get Blob, one request", clock.Elapsed.TotalSeconds, all.Value.Content.ToMemory().Length);
        foreach (int bufferMiB in new[] { 1, 4 })
        {
            clock.Restart();
            await using (Stream s = await source.OpenReadAsync(new BlobOpenReadOptions(false) { BufferSize = bufferMiB << 20 }))
            {
                byte[] sink = new byte[1 << 20];
                while (await s.ReadAsync(sink) > 0) { }
            }
            Row($"OpenRead stream, {bufferMiB} MiB ranges, sequential", clock.Elapsed.TotalSeconds, data.Length);
        }
        foreach (var (rangeMiB, parallel) in new[] { (1, 1), (4, 2), (8, 2), (8, 4), (16, 2), (16, 4), (4, 2) })
        {
            long range = (long)rangeMiB << 20;
            int count = (int)((data.Length + range - 1) / range);
            clock.Restart();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
            {
                var r = await source.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(i * range, Math.Min(range, data.Length - i * range)) }, ct);
                await using Stream s = r.Value.Content;
                byte[] sink = new byte[1 << 20];
                while (await s.ReadAsync(sink, ct) > 0) { }
            });
            Row($"Get Blob ranges of {rangeMiB} MiB × {count}, {parallel} at once, streamed", clock.Elapsed.TotalSeconds, data.Length);
        }

        // What one 8 MiB range read straight into caller memory allocates on the managed heap (should be ~nothing).
        var store = new ImageReducer.Workflow.Storage.AzureBlobStore(azurite.ConnectionString);
        var sourcePath = new ImageReducer.Workflow.Storage.BlobPath("probe", "staged-4-2-False");
        byte[] target = new byte[8 << 20];
        await store.ReadIntoAsync(sourcePath, 0, target);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await store.ReadIntoAsync(sourcePath, 8 << 20, target);
        Console.WriteLine($"| {mode} | managed bytes allocated by one 8 MiB AzureBlobStore.ReadIntoAsync | | {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0:F0} KiB |");
        var md5Store = new ImageReducer.Workflow.Storage.AzureBlobStore(azurite.ConnectionString);
        var stagePath = new ImageReducer.Workflow.Storage.BlobPath("probe", "alloc-stage");
        using (var warmContent = new MemoryStream(data, 0, 4 << 20, false, true))
            await md5Store.StageBlockAsync(stagePath, ImageReducer.Workflow.Storage.BlockIds.FromLabel("a"), warmContent);
        before = GC.GetTotalAllocatedBytes(precise: true);
        using (var content = new MemoryStream(data, 0, 4 << 20, false, true))
            await md5Store.StageBlockAsync(stagePath, ImageReducer.Workflow.Storage.BlockIds.FromLabel("b"), content);
        Console.WriteLine($"| {mode} | managed bytes allocated by one 4 MiB AzureBlobStore.StageBlockAsync (MD5) | | {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0:F0} KiB |");

        const int small = 300;
        clock.Restart();
        for (int i = 0; i < small; i++) await source.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(i * 4096L, 4096) });
        Console.WriteLine($"| {mode} | {small} range GETs of 4 KiB, one at a time | {clock.Elapsed.TotalSeconds:F2} | {clock.Elapsed.TotalMilliseconds / small:F1} ms each |");
    }
}
